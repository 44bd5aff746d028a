/**
 * The statement compiler, and the functions defined by `def` statements.
 */
import type { BinaryOp, Expr, Stmt, Target } from "./ast.js";
import type { Compilation, FuncDecl } from "./compilation.js";
import { BIN_OPS, checkIndexCount, compileExpr, pushIndexed, pushString } from "./expressions.js";
import { Op } from "./opcodes.js";
import { type LoopCtx, Unit } from "./scope.js";

type StmtOf<K extends Stmt["k"]> = Extract<Stmt, { k: K }>;

export function compileBlock(c: Compilation, u: Unit, stmts: Stmt[]): void {
  for (const s of stmts) compileStmt(c, u, s);
}

/** A block that is a scope of its own (the body of an `if`, a loop ...). */
function nestedBlock(c: Compilation, u: Unit, stmts: Stmt[]): void {
  u.openBlock();
  compileBlock(c, u, stmts);
  u.closeBlock();
}

function compileStmt(c: Compilation, u: Unit, s: Stmt): void {
  const em = u.em;
  if (s.k !== "def") em.mark(s.pos);
  switch (s.k) {
    case "assign":
      return assign(c, u, s.target, s.value);
    case "augassign":
      return augAssign(c, u, s.op, s.target, s.value);
    case "if":
      return ifStmt(c, u, s);
    case "while":
      return whileStmt(c, u, s);
    case "for":
      return forStmt(c, u, s);
    case "def":
      return compileFunction(c, c.funcs.find((f) => f.pos === s.pos)!, s);
    case "return":
      if (!u.fn) c.fail(s.pos, "'return' outside a function");
      if (s.value) {
        compileExpr(c, u, s.value);
        em.op(Op.RETURN);
      } else em.op(Op.RETURN_NONE);
      return;
    case "print":
      return print(c, u, s.values);
    case "expr":
      compileExpr(c, u, s.expr);
      em.op(Op.POP);
      return;
    case "exit":
      // exit() inside a function acts as return (interpreter/interpreter.c:197); at top level it stops
      em.op(u.fn ? Op.RETURN_NONE : Op.HALT);
      return;
    case "pass":
      return;
    case "break":
    case "continue":
      return jumpOutOfLoop(c, u, s);
    case "import":
      // expanded by the loader before compilation; a leftover means a module imported twice
      return;
  }
}

function ifStmt(c: Compilation, u: Unit, s: StmtOf<"if">): void {
  const em = u.em;
  const ends: number[] = [];
  s.branches.forEach((br, i) => {
    em.mark(br.cond.pos);
    compileExpr(c, u, br.cond);
    const skip = em.jump(Op.JUMP_IF_FALSE);
    nestedBlock(c, u, br.body);
    const last = i === s.branches.length - 1 && !s.orelse;
    if (!last) ends.push(em.jump(Op.JUMP));
    em.patch(skip, em.here);
  });
  if (s.orelse) nestedBlock(c, u, s.orelse);
  for (const e of ends) em.patch(e, em.here);
}

function whileStmt(c: Compilation, u: Unit, s: StmtOf<"while">): void {
  const top = u.em.label();
  compileExpr(c, u, s.cond);
  const exit = u.em.jump(Op.JUMP_IF_FALSE);
  loopBody(c, u, s.body, { isFor: false, continueTarget: top, breakPatches: [] }, exit);
}

/** `for v in xs`: FOR_START keeps the iteration state on the stack; FOR_ITER pushes the next item or exits. */
function forStmt(c: Compilation, u: Unit, s: StmtOf<"for">): void {
  compileExpr(c, u, s.iter);
  u.em.op(Op.FOR_START);
  u.openBlock();
  const v = u.bindForWrite(s.name, s.pos);
  const top = u.em.label();
  const exit = u.em.jump(Op.FOR_ITER);
  u.store(v);
  loopBody(c, u, s.body, { isFor: true, continueTarget: top, breakPatches: [] }, exit);
  u.closeBlock();
}

/** The body of a loop, the jump back to its test, and the exits (the test's and every `break`). */
function loopBody(c: Compilation, u: Unit, body: Stmt[], loop: LoopCtx, exit: number): void {
  const em = u.em;
  u.loops.push(loop);
  nestedBlock(c, u, body);
  u.loops.pop();
  em.jump(Op.JUMP, loop.continueTarget);
  em.patch(exit, em.here);
  for (const b of loop.breakPatches) em.patch(b, em.here);
}

function jumpOutOfLoop(c: Compilation, u: Unit, s: StmtOf<"break" | "continue">): void {
  const em = u.em;
  const loop = u.loops[u.loops.length - 1];
  if (!loop) c.fail(s.pos, `'${s.k}' outside a loop`);
  if (s.k === "continue") {
    em.jump(Op.JUMP, loop.continueTarget);
    return;
  }
  if (loop.isFor) {
    // drop the for loop's iteration state
    em.op(Op.POP);
    em.op(Op.POP);
  }
  loop.breakPatches.push(em.jump(Op.JUMP));
}

/** `print a, b`: the values joined by spaces into one string, then printed. */
function print(c: Compilation, u: Unit, values: Expr[]): void {
  const em = u.em;
  if (values.length === 0) pushString(c, u, "");
  values.forEach((v, i) => {
    compileExpr(c, u, v);
    if (i > 0) em.op(Op.ADD);
    if (i < values.length - 1) {
      pushString(c, u, " ");
      em.op(Op.ADD);
    }
  });
  em.op(Op.PRINT);
}

function assign(c: Compilation, u: Unit, target: Target, value: Expr): void {
  if (target.k === "name") {
    compileExpr(c, u, value);
    u.store(u.bindForWrite(target.name, target.pos));
    return;
  }
  pushIndexed(c, u, target.target, target.indices);
  compileExpr(c, u, value);
  checkIndexCount(c, target.pos, target.indices.length);
  u.em.op(Op.STORE_INDEX);
  u.em.u8(target.indices.length);
}

function augAssign(c: Compilation, u: Unit, op: BinaryOp, target: Target, value: Expr): void {
  const em = u.em;
  if (target.k === "name") {
    const b = u.lookup(target.name, true);
    if (!b) c.fail(target.pos, `variable '${target.name}' is used before it is assigned`);
    // fused increment for the common `i += 1` when the step fits in a byte
    if ((op === "+" || op === "-") && value.k === "int") {
      const k = op === "+" ? value.v : -value.v;
      if (k >= -128 && k <= 127) return u.increment(b, k);
    }
    u.load(b);
    compileExpr(c, u, value);
    em.binary(BIN_OPS[op]);
    u.store(b);
    return;
  }
  const n = target.indices.length;
  checkIndexCount(c, target.pos, n);
  pushIndexed(c, u, target.target, target.indices);
  em.op(Op.DUPN);
  em.u8(n + 1);
  em.op(Op.INDEX);
  em.u8(n);
  compileExpr(c, u, value);
  em.op(BIN_OPS[op]);
  em.op(Op.STORE_INDEX);
  em.u8(n);
}

function compileFunction(c: Compilation, decl: FuncDecl, s: StmtOf<"def">): void {
  // Globals declared textually before the def, in the def's own file: ePython includes modules
  // textually, so a module's functions would otherwise see (and overwrite) the user's globals.
  const file = s.pos.file;
  const view = c.main.blocks.map((m) => new Map([...m].filter(([, b]) => b.file === file)));
  const u = new Unit(decl, view, c.globalNames);
  decl.unit = u;
  for (const p of s.params) u.declare(p.name, file);
  s.params.forEach((p, i) => {
    if (!p.def) return;
    // a default is evaluated in the callee, when the caller did not pass that argument
    u.em.mark(p.pos);
    u.em.op(Op.ARG_PASSED);
    u.em.u8(i);
    const skip = u.em.target();
    compileExpr(c, u, p.def);
    u.em.op(Op.STORE_LOCAL);
    u.em.u8(i);
    u.em.patch(skip, u.em.here);
  });
  compileBlock(c, u, s.body);
  u.em.op(Op.RETURN_NONE);
  if (u.nslots > 255) c.fail(s.pos, `function '${s.name}' has more than 255 local variables`);
}
