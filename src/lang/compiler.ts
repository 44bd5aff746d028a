/**
 * The compiler: syntax tree to a program image (byte code for the stack VM).
 *
 * Names follow ePython's rules (host/byteassembler.c): variable names are case-insensitive,
 * function names case-sensitive; scoping is lexical by block (a variable first assigned inside a
 * block belongs to that block); a function sees and may assign the globals declared textually
 * before its `def`; a bare name that is no variable is a function value; functions may be called
 * before their `def`. Beyond ePython, with Python's meaning: a variable assigned in a block that
 * has ended may still be read afterwards (ePython rejects that program at compile time).
 *
 * Imports are textual inclusion, each module once (host/main.c:227-300): the module's statements
 * run where the first `import` of it stands.
 */
import type { BinaryOp, Expr, Param, Pos, Stmt, Target } from "./ast.js";
import { EpySyntaxError, type SourceFile, syntaxError } from "./errors.js";
import type { FunctionInfo, ProgramImage } from "./image.js";
import { FUSED_I8, NATIVE_ARGC, Native, type NativeName, Op } from "./opcodes.js";
import { parseFile } from "./parser.js";

/** Finds a module's source by name (`parallel`, `util`, a user's own module ...). */
export type ModuleResolver = (name: string) => { fileName: string; source: string } | undefined;

export interface CompileResult {
  image: ProgramImage;
  /** every file the program was built from, main file first (for traces and `-pp`) */
  files: SourceFile[];
  /** statements after import expansion, as source text per file (for `-pp`) */
  preprocessed: string;
}

interface Binding {
  local: boolean;
  slot: number;
  /** file the variable was declared in: a function sees only the globals of its own file */
  file: number;
}

const BIN_OPS: Record<BinaryOp, number> = {
  "+": Op.ADD, "-": Op.SUB, "*": Op.MUL, "/": Op.DIV, "//": Op.FLOORDIV, "%": Op.MOD, "**": Op.POW,
  "==": Op.EQ, "!=": Op.NE, "<": Op.LT, ">": Op.GT, "<=": Op.LE, ">=": Op.GE, is: Op.IS, isnot: Op.IS,
};

const FUSED_BY_BASE = new Map<number, number>(Object.entries(FUSED_I8).map(([f, b]) => [b, Number(f)]));

const MAX_CODE = 0xffff; // absolute u16 jump targets, as ePython (programs < 64 KB)

/** Byte buffer of one unit (main code or one function), with fix-ups applied at link time. */
class Emitter {
  bytes: number[] = [];
  /** offsets of u16 jump targets (relative to this unit) to relocate */
  jumpFixups: number[] = [];
  /** offsets of u16 function indices to renumber */
  fnFixups: number[] = [];
  /** offsets of u16 string-table indices to renumber (only the strings of kept code are linked) */
  strFixups: number[] = [];
  /** (offset, file, line) */
  lines: number[] = [];
  calls = new Set<number>();
  /** offset and opcode of the last instruction, and offsets that are jump targets (for fusion) */
  private lastStart = -1;
  private lastOp = -1;
  private readonly labels = new Set<number>();
  private lastLine = -1;
  private lastFile = -1;

  get here(): number {
    return this.bytes.length;
  }
  mark(pos: Pos): void {
    if (pos.line === this.lastLine && pos.file === this.lastFile) return;
    this.lastLine = pos.line;
    this.lastFile = pos.file;
    this.lines.push(this.here, pos.file, pos.line);
  }
  op(o: number): void {
    this.lastStart = this.bytes.length;
    this.lastOp = o;
    this.bytes.push(o);
  }
  /** The current offset, recorded as a jump target (nothing may be fused across it). */
  label(): number {
    this.labels.add(this.here);
    return this.here;
  }
  /**
   * Emit a binary operator; when its right operand was just pushed as a small constant, fuse the
   * two into one `OP_I8 k` (same meaning and same simulated cost, one dispatch fewer).
   */
  binary(o: number): void {
    const fused = FUSED_BY_BASE.get(o);
    if (fused !== undefined && this.lastOp === Op.PUSH_I8 && this.lastStart === this.here - 2 && !this.labels.has(this.here)) {
      this.bytes[this.lastStart] = fused;
      this.lastOp = fused;
      return;
    }
    this.op(o);
  }
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.bytes.push(v & 0xff, (v >> 8) & 0xff);
  }
  i32(v: number): void {
    this.bytes.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  }
  f32(v: number): void {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.bytes.push(b[0]!, b[1]!, b[2]!, b[3]!);
  }
  /** emit a jump-like op with a target to patch later; returns the operand offset */
  jump(o: number, target = 0): number {
    this.op(o);
    const at = this.here;
    this.jumpFixups.push(at);
    this.u16(target);
    return at;
  }
  patch(at: number, target: number): void {
    this.labels.add(target);
    this.bytes[at] = target & 0xff;
    this.bytes[at + 1] = (target >> 8) & 0xff;
  }
  strRef(index: number): void {
    this.strFixups.push(this.here);
    this.u16(index);
  }
  fnRef(index: number): void {
    this.fnFixups.push(this.here);
    this.calls.add(index);
    this.u16(index);
  }
}

interface LoopCtx {
  isFor: boolean;
  continueTarget: number;
  breakPatches: number[];
}

/** One unit being compiled: the main program or a function. */
class Unit {
  readonly em = new Emitter();
  /** open block scopes, innermost last: lower-cased name -> binding */
  readonly blocks: Map<string, Binding>[] = [new Map()];
  /** bindings of blocks that have ended (Python's meaning for use after the block) */
  readonly closed = new Map<string, Binding>();
  nslots = 0;
  loops: LoopCtx[] = [];
  constructor(
    readonly fn: FuncDecl | null,
    /** for functions: the globals visible at the `def`, innermost scope last */
    readonly globalsView: Map<string, Binding>[],
  ) {}
}

interface FuncDecl {
  name: string;
  index: number;
  params: Param[];
  body: Stmt[];
  pos: Pos;
  unit: Unit | null;
  info: FunctionInfo | null;
}

class Compiler {
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly funcs: FuncDecl[] = [];
  private readonly funcByName = new Map<string, FuncDecl>();
  private main!: Unit;
  private readonly globalNames: string[] = [];

  constructor(private readonly files: SourceFile[]) {}

  private fail(pos: Pos, message: string): never {
    const f = this.files[pos.file]!;
    throw syntaxError(f, pos.line, pos.col, message);
  }

  compile(stmts: Stmt[]): ProgramImage {
    this.collectFunctions(stmts);
    this.main = new Unit(null, []);
    this.block(this.main, stmts);
    this.main.em.op(Op.HALT);
    return this.link();
  }

  // --- functions -----------------------------------------------------------------------------

  private collectFunctions(stmts: Stmt[]): void {
    for (const s of stmts) {
      if (s.k === "def") {
        const decl: FuncDecl = { name: s.name, index: this.funcs.length, params: s.params, body: s.body, pos: s.pos, unit: null, info: null };
        this.funcs.push(decl);
        this.funcByName.set(s.name, decl); // the last definition of a name wins
        this.collectFunctions(s.body);
      } else if (s.k === "if") {
        for (const b of s.branches) this.collectFunctions(b.body);
        if (s.orelse) this.collectFunctions(s.orelse);
      } else if (s.k === "while" || s.k === "for") this.collectFunctions(s.body);
    }
  }

  /** A function name as called: module prefixes (`math.sqrt`) are dropped, as ePython does. */
  private findFunction(name: string): FuncDecl | undefined {
    const dot = name.lastIndexOf(".");
    return this.funcByName.get(dot >= 0 ? name.slice(dot + 1) : name);
  }

  private compileFunction(decl: FuncDecl, s: Extract<Stmt, { k: "def" }>): void {
    // Globals declared textually before the def, in the def's own file: ePython includes modules
    // textually, so a module's functions would otherwise see (and overwrite) the user's globals.
    const file = s.pos.file;
    const view = this.main.blocks.map((m) => new Map([...m].filter(([, b]) => b.file === file)));
    const unit = new Unit(decl, view);
    decl.unit = unit;
    for (const p of s.params) this.declare(unit, p.name, file);
    s.params.forEach((p, i) => {
      if (!p.def) return;
      unit.em.mark(p.pos);
      unit.em.op(Op.ARG_PASSED);
      unit.em.u8(i);
      const skip = unit.em.jumpFixups.length;
      unit.em.jumpFixups.push(unit.em.here);
      unit.em.u16(0);
      this.expr(unit, p.def);
      unit.em.op(Op.STORE_LOCAL);
      unit.em.u8(i);
      unit.em.patch(unit.em.jumpFixups[skip]!, unit.em.here);
    });
    this.block(unit, s.body);
    unit.em.op(Op.RETURN_NONE);
    if (unit.nslots > 255) this.fail(s.pos, `function '${s.name}' has more than 255 local variables`);
  }

  // --- names ---------------------------------------------------------------------------------

  private declare(unit: Unit, name: string, file: number): Binding {
    const key = name.toLowerCase();
    const reuse = unit.closed.get(key);
    let b: Binding;
    if (reuse) b = reuse;
    else if (unit.fn) b = { local: true, slot: unit.nslots++, file };
    else {
      b = { local: false, slot: this.globalNames.length, file };
      this.globalNames.push(name);
    }
    unit.blocks[unit.blocks.length - 1]!.set(key, b);
    return b;
  }

  /** A visible variable, or undefined. `forRead` also finds variables of ended blocks. */
  private lookup(unit: Unit, name: string, forRead: boolean): Binding | undefined {
    const key = name.toLowerCase();
    for (let i = unit.blocks.length - 1; i >= 0; i--) {
      const b = unit.blocks[i]!.get(key);
      if (b) return b;
    }
    for (let i = unit.globalsView.length - 1; i >= 0; i--) {
      const b = unit.globalsView[i]!.get(key);
      if (b) return b;
    }
    if (forRead) return unit.closed.get(key);
    return undefined;
  }

  private bindForWrite(unit: Unit, name: string, pos: Pos): Binding {
    return this.lookup(unit, name, false) ?? this.declare(unit, name, pos.file);
  }

  private store(unit: Unit, b: Binding): void {
    if (b.local) {
      unit.em.op(Op.STORE_LOCAL);
      unit.em.u8(b.slot);
    } else {
      unit.em.op(Op.STORE_GLOBAL);
      unit.em.u16(b.slot);
    }
  }

  private load(unit: Unit, b: Binding): void {
    if (b.local) {
      unit.em.op(Op.LOAD_LOCAL);
      unit.em.u8(b.slot);
    } else {
      unit.em.op(Op.LOAD_GLOBAL);
      unit.em.u16(b.slot);
    }
  }

  private openBlock(unit: Unit): void {
    unit.blocks.push(new Map());
  }

  private closeBlock(unit: Unit): void {
    const m = unit.blocks.pop()!;
    for (const [k, b] of m) unit.closed.set(k, b);
  }

  // --- statements ------------------------------------------------------------------------------

  private block(unit: Unit, stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(unit, s);
  }

  private nestedBlock(unit: Unit, stmts: Stmt[]): void {
    this.openBlock(unit);
    this.block(unit, stmts);
    this.closeBlock(unit);
  }

  private stmt(unit: Unit, s: Stmt): void {
    const em = unit.em;
    if (s.k !== "def") em.mark(s.pos);
    switch (s.k) {
      case "assign":
        return this.assign(unit, s.target, s.value);
      case "augassign":
        return this.augAssign(unit, s.op, s.target, s.value);
      case "if": {
        const ends: number[] = [];
        s.branches.forEach((br, i) => {
          em.mark(br.cond.pos);
          this.expr(unit, br.cond);
          const skip = em.jump(Op.JUMP_IF_FALSE);
          this.nestedBlock(unit, br.body);
          const last = i === s.branches.length - 1 && !s.orelse;
          if (!last) ends.push(em.jump(Op.JUMP));
          em.patch(skip, em.here);
        });
        if (s.orelse) this.nestedBlock(unit, s.orelse);
        for (const e of ends) em.patch(e, em.here);
        return;
      }
      case "while": {
        const top = em.label();
        this.expr(unit, s.cond);
        const exit = em.jump(Op.JUMP_IF_FALSE);
        const loop: LoopCtx = { isFor: false, continueTarget: top, breakPatches: [] };
        unit.loops.push(loop);
        this.nestedBlock(unit, s.body);
        unit.loops.pop();
        em.jump(Op.JUMP, top);
        em.patch(exit, em.here);
        for (const b of loop.breakPatches) em.patch(b, em.here);
        return;
      }
      case "for": {
        this.expr(unit, s.iter);
        em.op(Op.FOR_START);
        this.openBlock(unit);
        const v = this.bindForWrite(unit, s.name, s.pos);
        const top = em.label();
        const exit = em.jump(Op.FOR_ITER);
        this.store(unit, v);
        const loop: LoopCtx = { isFor: true, continueTarget: top, breakPatches: [] };
        unit.loops.push(loop);
        this.nestedBlock(unit, s.body);
        unit.loops.pop();
        em.jump(Op.JUMP, top);
        em.patch(exit, em.here);
        for (const b of loop.breakPatches) em.patch(b, em.here);
        this.closeBlock(unit);
        return;
      }
      case "def": {
        const decl = this.funcs.find((f) => f.pos === s.pos)!;
        this.compileFunction(decl, s);
        return;
      }
      case "return":
        if (!unit.fn) this.fail(s.pos, "'return' outside a function");
        if (s.value) {
          this.expr(unit, s.value);
          em.op(Op.RETURN);
        } else em.op(Op.RETURN_NONE);
        return;
      case "print":
        if (s.values.length === 0) this.pushString(unit, "");
        s.values.forEach((v, i) => {
          this.expr(unit, v);
          if (i > 0) em.op(Op.ADD);
          if (i < s.values.length - 1) {
            this.pushString(unit, " ");
            em.op(Op.ADD);
          }
        });
        em.op(Op.PRINT);
        return;
      case "expr":
        this.expr(unit, s.expr);
        em.op(Op.POP);
        return;
      case "exit":
        // exit() inside a function acts as return (interpreter/interpreter.c:197); at top level it stops
        em.op(unit.fn ? Op.RETURN_NONE : Op.HALT);
        return;
      case "pass":
        return;
      case "break":
      case "continue": {
        const loop = unit.loops[unit.loops.length - 1];
        if (!loop) this.fail(s.pos, `'${s.k}' outside a loop`);
        if (s.k === "continue") {
          em.jump(Op.JUMP, loop.continueTarget);
          return;
        }
        if (loop.isFor) {
          em.op(Op.POP);
          em.op(Op.POP);
        }
        loop.breakPatches.push(em.jump(Op.JUMP));
        return;
      }
      case "import":
        // expanded by the loader before compilation; a leftover means a module imported twice
        return;
    }
  }

  private assign(unit: Unit, target: Target, value: Expr): void {
    if (target.k === "name") {
      this.expr(unit, value);
      this.store(unit, this.bindForWrite(unit, target.name, target.pos));
      return;
    }
    this.expr(unit, target.target);
    for (const i of target.indices) this.expr(unit, i);
    this.expr(unit, value);
    this.checkIndexCount(target.pos, target.indices.length);
    unit.em.op(Op.STORE_INDEX);
    unit.em.u8(target.indices.length);
  }

  private checkIndexCount(pos: Pos, n: number): void {
    if (n > 7) this.fail(pos, "too many array indexes (at most 7)");
  }

  private augAssign(unit: Unit, op: BinaryOp, target: Target, value: Expr): void {
    const em = unit.em;
    if (target.k === "name") {
      const b = this.lookup(unit, target.name, true);
      if (!b) this.fail(target.pos, `variable '${target.name}' is used before it is assigned`);
      // fused increment for the common `i += 1` when the step fits in a byte
      if ((op === "+" || op === "-") && value.k === "int") {
        const k = op === "+" ? value.v : -value.v;
        if (k >= -128 && k <= 127) {
          if (b.local) {
            em.op(Op.INC_LOCAL);
            em.u8(b.slot);
          } else {
            em.op(Op.INC_GLOBAL);
            em.u16(b.slot);
          }
          em.u8(k);
          return;
        }
      }
      this.load(unit, b);
      this.expr(unit, value);
      em.binary(BIN_OPS[op]);
      this.store(unit, b);
      return;
    }
    const n = target.indices.length;
    this.checkIndexCount(target.pos, n);
    this.expr(unit, target.target);
    for (const i of target.indices) this.expr(unit, i);
    em.op(Op.DUPN);
    em.u8(n + 1);
    em.op(Op.INDEX);
    em.u8(n);
    this.expr(unit, value);
    em.op(BIN_OPS[op]);
    em.op(Op.STORE_INDEX);
    em.u8(n);
  }

  // --- expressions -----------------------------------------------------------------------------

  private pushString(unit: Unit, s: string): void {
    let idx = this.stringIndex.get(s);
    if (idx === undefined) {
      idx = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, idx);
    }
    unit.em.op(Op.PUSH_STR);
    unit.em.strRef(idx);
  }

  private expr(unit: Unit, e: Expr): void {
    const em = unit.em;
    switch (e.k) {
      case "int":
        if (e.v >= -128 && e.v <= 127) {
          em.op(Op.PUSH_I8);
          em.u8(e.v);
        } else {
          em.op(Op.PUSH_INT);
          em.i32(e.v);
        }
        return;
      case "real":
        em.op(Op.PUSH_REAL);
        em.f32(e.v);
        return;
      case "str":
        return this.pushString(unit, e.v);
      case "bool":
        em.op(e.v ? Op.PUSH_TRUE : Op.PUSH_FALSE);
        return;
      case "none":
        em.op(Op.PUSH_NONE);
        return;
      case "name": {
        const b = this.lookup(unit, e.name, true);
        if (b) return this.load(unit, b);
        const f = this.findFunction(e.name);
        if (!f) this.fail(e.pos, `can not find variable or function '${e.name}'`);
        em.op(Op.PUSH_FN);
        em.fnRef(f.index);
        return;
      }
      case "index":
        this.checkIndexCount(e.pos, e.indices.length);
        this.expr(unit, e.target);
        for (const i of e.indices) this.expr(unit, i);
        em.op(Op.INDEX);
        em.u8(e.indices.length);
        return;
      case "call":
        return this.call(unit, e);
      case "native": {
        const id = (Native as Record<string, number>)[e.name];
        if (id === undefined) this.fail(e.pos, `unknown native function '${e.name}'`);
        const want = NATIVE_ARGC[e.name as NativeName];
        if (want >= 0 && want !== e.args.length) this.fail(e.pos, `native ${e.name} takes ${want} arguments, ${e.args.length} given`);
        for (const a of e.args) this.expr(unit, a);
        em.op(Op.NATIVE);
        em.u8(id);
        em.u8(e.args.length);
        return;
      }
      case "bin":
        this.expr(unit, e.left);
        this.expr(unit, e.right);
        em.binary(BIN_OPS[e.op]);
        if (e.op === "isnot") em.op(Op.NOT);
        return;
      case "and":
      case "or": {
        this.expr(unit, e.left);
        const j = em.jump(e.k === "and" ? Op.AND_JUMP : Op.OR_JUMP);
        this.expr(unit, e.right);
        em.patch(j, em.here);
        return;
      }
      case "not":
        this.expr(unit, e.operand);
        em.op(Op.NOT);
        return;
      case "neg":
        this.expr(unit, e.operand);
        em.op(Op.NEG);
        return;
      case "list":
        for (const it of e.items) this.expr(unit, it);
        em.op(Op.NEW_LIST);
        em.u16(e.items.length);
        return;
      case "listrep": {
        // `[e1..ek]*n` evaluates the items n times, as ePython does (interpreter.c:653-664)
        if (e.items.length === 0 || e.items.length > 255) this.fail(e.pos, "a repeated list needs 1 to 255 items");
        this.expr(unit, e.count);
        em.op(Op.REP_BEGIN);
        em.u8(e.items.length);
        const top = em.label();
        const exit = em.jump(Op.REP_TEST);
        for (const it of e.items) this.expr(unit, it);
        em.op(Op.REP_STORE);
        em.u8(e.items.length);
        em.jump(Op.JUMP, top);
        em.patch(exit, em.here);
        return;
      }
      case "input":
        if (e.prompt) this.expr(unit, e.prompt);
        em.op(Op.NATIVE);
        em.u8(Native.input);
        em.u8(e.prompt ? 1 : 0);
        return;
    }
  }

  private call(unit: Unit, e: Extract<Expr, { k: "call" }>): void {
    const em = unit.em;
    let direct: FuncDecl | undefined;
    if (e.callee.k === "name" && !this.lookup(unit, e.callee.name, true)) {
      direct = this.findFunction(e.callee.name);
      if (!direct) this.fail(e.callee.pos, `can not find function '${e.callee.name}'`);
      const max = direct.params.length;
      const min = direct.params.filter((p) => !p.def).length;
      if (e.args.length > max || e.args.length < min) {
        const want = min === max ? `${max}` : `${min} to ${max}`;
        this.fail(e.pos, `function '${direct.name}' takes ${want} argument${max === 1 ? "" : "s"}, ${e.args.length} given`);
      }
    } else {
      this.expr(unit, e.callee);
    }
    if (e.args.length > 255) this.fail(e.pos, "too many arguments");
    for (const a of e.args) this.expr(unit, a);
    // pass-by-reference of plain variables: copy the parameter back on return (ePython aliases them)
    const wb: [number, Binding][] = [];
    e.args.forEach((a, i) => {
      if (a.k !== "name") return;
      const b = this.lookup(unit, a.name, true);
      if (b) wb.push([i, b]);
    });
    if (direct) {
      em.op(Op.CALL);
      em.fnRef(direct.index);
    } else em.op(Op.CALL_VALUE);
    em.u8(e.args.length);
    em.u8(wb.length);
    for (const [i, b] of wb) {
      em.u8(i);
      em.u8(b.local ? 1 : 0);
      em.u16(b.slot);
    }
  }

  // --- linking ---------------------------------------------------------------------------------

  private link(): ProgramImage {
    // keep only functions reachable from the main code (ePython's dead-function elimination)
    const reachable: FuncDecl[] = [];
    const seen = new Set<number>();
    const visit = (calls: Set<number>): void => {
      for (const idx of calls) {
        if (seen.has(idx)) continue;
        seen.add(idx);
        const f = this.funcs[idx]!;
        reachable.push(f);
        if (f.unit) visit(f.unit.em.calls);
      }
    };
    visit(this.main.em.calls);
    const newIndex = new Map<number, number>();
    reachable.forEach((f, i) => newIndex.set(f.index, i));

    // the string table holds only the strings that kept code pushes, in order of first use, as
    // ePython's does: a module's unused functions take their strings with them
    const strings: string[] = [];
    const newString = new Map<number, number>();

    const code: number[] = [];
    const lines: number[] = [];
    const place = (em: Emitter): number => {
      for (const at of em.strFixups) {
        const old = em.bytes[at]! | (em.bytes[at + 1]! << 8);
        let ni = newString.get(old);
        if (ni === undefined) {
          ni = strings.length;
          strings.push(this.strings[old]!);
          newString.set(old, ni);
        }
        em.bytes[at] = ni & 0xff;
        em.bytes[at + 1] = (ni >> 8) & 0xff;
      }
      const base = code.length;
      for (const at of em.jumpFixups) {
        const t = em.bytes[at]! | (em.bytes[at + 1]! << 8);
        em.bytes[at] = (t + base) & 0xff;
        em.bytes[at + 1] = ((t + base) >> 8) & 0xff;
      }
      for (const at of em.fnFixups) {
        const old = em.bytes[at]! | (em.bytes[at + 1]! << 8);
        const ni = newIndex.get(old)!;
        em.bytes[at] = ni & 0xff;
        em.bytes[at + 1] = (ni >> 8) & 0xff;
      }
      for (let i = 0; i < em.lines.length; i += 3) lines.push(em.lines[i]! + base, em.lines[i + 1]!, em.lines[i + 2]!);
      for (const b of em.bytes) code.push(b);
      return base;
    };
    place(this.main.em);
    const functions: FunctionInfo[] = reachable.map((f) => {
      const u = f.unit!;
      const entry = place(u.em);
      return { name: f.name, entry, nparams: f.params.length, nlocals: Math.max(u.nslots, f.params.length), recursive: u.em.calls.has(f.index) };
    });
    if (code.length > MAX_CODE) this.fail({ file: 0, line: 1, col: 1 }, `program is ${code.length} bytes of byte code; ePython programs must be under 64 KB`);
    return {
      code: Uint8Array.from(code),
      strings,
      functions,
      nglobals: this.globalNames.length,
      lines: Int32Array.from(lines),
      files: this.files.map((f) => f.name),
      globalNames: this.globalNames.slice(),
    };
  }
}

/** Parse the main file and splice in each imported module once, where it is first imported. */
function load(mainName: string, source: string, resolve: ModuleResolver): { files: SourceFile[]; stmts: Stmt[] } {
  const files: SourceFile[] = [{ name: mainName, text: source }];
  const included = new Set<string>();
  const expand = (stmts: Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    for (const s of stmts) {
      if (s.k === "import") {
        for (const m of s.modules) {
          const key = m.name;
          if (included.has(key)) continue;
          const found = resolve(key);
          if (!found) {
            const f = files[m.pos.file]!;
            throw syntaxError(f, m.pos.line, m.pos.col, `module '${m.name}' not found (looked for ${m.name}.py next to the program, in the bundled modules and in $EPYTHONPATH)`);
          }
          included.add(key);
          const idx = files.length;
          files.push({ name: found.fileName, text: found.source });
          out.push(...expand(parseFile(files[idx]!, idx)));
        }
        continue;
      }
      if (s.k === "if") {
        for (const b of s.branches) b.body = expand(b.body);
        if (s.orelse) s.orelse = expand(s.orelse);
      } else if (s.k === "while" || s.k === "for" || s.k === "def") s.body = expand(s.body);
      out.push(s);
    }
    return out;
  };
  const stmts = expand(parseFile(files[0]!, 0));
  return { files, stmts };
}

/** Compile an ePython program. Throws EpySyntaxError (with file, line, column) on bad input. */
export function compileProgram(source: string, fileName: string, resolve: ModuleResolver): CompileResult {
  const { files, stmts } = load(fileName, source, resolve);
  const image = new Compiler(files).compile(stmts);
  const preprocessed = files.map((f) => `# ---- ${f.name}\n${f.text.replace(/\s+$/, "")}\n`).join("");
  return { image, files, preprocessed };
}

export { EpySyntaxError };
