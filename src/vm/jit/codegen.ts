/**
 * JavaScript source for one loop region (region.ts): what the interpreter would do, operation by
 * operation, without its dispatch and without its stack traffic inside a basic block
 * (block-writer.ts holds the blocks, the stack, the exits and the counters).
 *
 * Exactness is the whole point (issue 14): each operation is carried out only in the case the
 * interpreter's own fast path takes (or, for / and % on reals and - on ints, exactly as its slow
 * path computes them: operators.ts, vm.ts). Any other case leaves compiled code *before* the
 * operation, with the stack, pc and counters as the interpreter would have them there, and the
 * interpreter carries the operation out. Loads speculate that a variable keeps the type it had when
 * the loop was compiled (tier.ts recompiles without that after repeated failures). The cycle and
 * step limits are checked where the interpreter checks them: at backward jumps; at the limit,
 * compiled code leaves before the jump and the interpreter stops there.
 */
import { Op } from "../../lang/opcodes.js";
import { INSTRUCTION_LENGTH } from "../operands.js";
import { Tag } from "../values.js";
import { and, BlockWriter, type LoopSourceInput, lit } from "./block-writer.js";

export type { LoopSourceInput } from "./block-writer.js";

const INT = Tag.Int;
const REAL = Tag.Real;
const BOOL = Tag.Bool;
const NONE = Tag.None;
const ARR = Tag.Array;
const REF = Tag.Ref;

/**
 * Source of the loop's function body. It calls the helpers tier.ts passes it by name (HELPERS):
 * arrayLength, arrayData, isVector, vectorData, elementTag, elementValue, setElement, isFalsy.
 */
export function loopSource(input: LoopSourceInput): string {
  const { region } = input;
  const g = new Generator(input);
  for (let b = 0; b < region.leaders.length; b++) g.block(b);
  return [
    '"use strict";',
    "return function compiledLoop(vm, cycleLimit, stepLimit, entry) {",
    "const tags = vm.tags, vals = vm.vals, gt = vm.gtags, gv = vm.gvals, heap = vm.heap, image = vm.image;",
    "const fp = vm.fp, fs = vm.frameScan;",
    "let sp = vm.sp, cyc = vm.cycles, steps = vm.steps, vr = 0, vw = 0, blk = entry;",
    "for (;;) {",
    "switch (blk) {",
    ...g.out,
    'default: throw new Error("compiled region: no block " + blk);',
    "}",
    "}",
    "};",
  ].join("\n");
}

class Generator extends BlockWriter {
  // --- operations ----------------------------------------------------------------------------

  /** Generate one operation; false when it ended the block. */
  protected op(op: number, pc: number): boolean {
    const { arg, real } = this.input;
    switch (op) {
      case Op.PUSH_I8:
      case Op.PUSH_INT:
        return this.constant(pc, INT, lit(arg[pc]!));
      case Op.PUSH_REAL:
        return this.constant(pc, REAL, lit(real[pc]!));
      case Op.PUSH_STR:
        return this.constant(pc, Tag.Str, lit(-(arg[pc]! + 1)));
      case Op.PUSH_TRUE:
        return this.constant(pc, BOOL, "1");
      case Op.PUSH_FALSE:
        return this.constant(pc, BOOL, "0");
      case Op.PUSH_NONE:
        return this.constant(pc, NONE, "0");
      case Op.PUSH_FN:
        return this.constant(pc, Tag.Fn, lit(arg[pc]!));
      case Op.LOAD_GLOBAL:
        return this.load(pc, true);
      case Op.LOAD_LOCAL:
        return this.load(pc, false);
      case Op.STORE_GLOBAL:
        return this.store(pc, true);
      case Op.STORE_LOCAL:
        return this.store(pc, false);
      case Op.INC_GLOBAL:
      case Op.INC_LOCAL:
        return this.increment(pc, op === Op.INC_GLOBAL);
      case Op.POP:
        if (this.stack.length > 0) this.stack.pop();
        else this.consumed++;
        this.charge(pc);
        return true;
      case Op.DUPN: {
        const n = arg[pc]!;
        this.need(n);
        const top = this.stack.slice(this.stack.length - n);
        for (const e of top) this.push(e);
        this.charge(pc);
        return true;
      }
      default:
        return this.operator(op, pc);
    }
  }

  private constant(pc: number, t: number, v: string): boolean {
    this.stack.push({ t, v });
    this.charge(pc);
    return true;
  }

  /** The table and index expression of a variable: a global, or a local in the current frame. */
  private cell(pc: number, global: boolean): { t: string; v: string } {
    const s = this.input.arg[pc]!;
    return global ? { t: `gt[${s}]`, v: `gv[${s}]` } : { t: `tags[fp + ${s}]`, v: `vals[fp + ${s}]` };
  }

  private load(pc: number, global: boolean): boolean {
    const c = this.cell(pc, global);
    const n = this.fresh();
    const seen = this.input.observe?.(global, this.input.arg[pc]!) ?? REF;
    if (seen < REF) {
      // speculate that the variable keeps the type it has now
      this.emit(`if (${c.t} !== ${seen}) ${this.exit(pc, 1)}`);
      this.emit(`const v${n} = ${c.v};`);
      this.stack.push({ t: seen, v: `v${n}` });
    } else {
      this.emit(`const t${n} = ${c.t};`);
      this.emit(`if (t${n} >= ${REF}) ${this.exit(pc, 0)}`);
      this.emit(`const v${n} = ${c.v};`);
      this.stack.push({ t: `t${n}`, v: `v${n}` });
    }
    this.vr++;
    this.charge(pc, 1, global ? 0 : 1);
    return true;
  }

  private store(pc: number, global: boolean): boolean {
    const c = this.cell(pc, global);
    this.need(1);
    // a reference, a remote variable, an unbound parameter or an id() value: the interpreter's slow path
    this.emit(`if (${c.t} >= ${REF}) ${this.exit(pc, 0)}`);
    const e = this.pop();
    this.emit(`${c.t} = ${e.t}; ${c.v} = ${e.v};`);
    this.vw++;
    this.charge(pc, 1, global ? 0 : 1);
    return true;
  }

  private increment(pc: number, global: boolean): boolean {
    const c = this.cell(pc, global);
    this.emit(`if (${c.t} !== ${INT}) ${this.exit(pc, 0)}`);
    this.emit(`${c.v} = (${c.v} + ${lit(this.input.arg2[pc]!)}) | 0;`);
    this.vr++;
    this.vw++;
    this.charge(pc, 1, global ? 0 : 2);
    return true;
  }

  private operator(op: number, pc: number): boolean {
    switch (op) {
      case Op.ADD:
      case Op.SUB:
      case Op.MUL:
      case Op.DIV:
      case Op.MOD:
        return this.arithmetic(op, pc);
      case Op.LT:
      case Op.GT:
      case Op.LE:
      case Op.GE:
      case Op.EQ:
      case Op.NE:
        return this.comparison(op, pc);
      case Op.NEG:
        return this.negate(pc);
      case Op.NOT: {
        this.need(1);
        const e = this.pop();
        const n = this.fresh();
        this.emit(`const v${n} = ${this.falsy(e)} ? 1 : 0;`);
        this.stack.push({ t: BOOL, v: `v${n}` });
        this.charge(pc);
        return true;
      }
      default:
        if (op >= Op.ADD_I8 && op <= Op.GE_I8) return this.fused(op, pc);
        return this.control(op, pc);
    }
  }

  private arithmetic(op: number, pc: number): boolean {
    this.need(2);
    const b = this.stack[this.stack.length - 1]!;
    const a = this.stack[this.stack.length - 2]!;
    const bothInt = and(this.is(a, INT), this.is(b, INT));
    const bothNumber = and(this.isNumber(a), this.isNumber(b));
    if (bothNumber === "false") {
      this.emit(this.exit(pc, 0));
      return false;
    }
    const [x, y] = [a.v, b.v];
    const sx = this.single(a);
    const sy = this.single(b);
    const intExpr = op === Op.ADD ? `(${x} + ${y}) | 0` : op === Op.SUB ? `(${x} - ${y}) | 0` : op === Op.MUL ? `Math.imul(${x}, ${y})` : op === Op.DIV ? `(${x} / ${y}) | 0` : `${x} % ${y} | 0`;
    // the real cases as operators.ts computes them (the interpreter's slow path for / and %)
    const realExpr = op === Op.ADD ? `Math.fround(${sx} + ${sy})` : op === Op.SUB ? `Math.fround(${sx} - ${sy})` : op === Op.MUL ? `Math.fround(${sx} * ${sy})`
      : op === Op.DIV ? `Math.fround(${sx} / ${sy})` : `Math.fround(${sx} - Math.floor(${sx} / ${sy}) * ${sy})`;
    const divides = op === Op.DIV || op === Op.MOD;
    const n = this.fresh();
    if (bothInt === "true" || (bothNumber === "true" && bothInt === "false")) {
      // the types are known: one case
      const ints = bothInt === "true";
      if (ints && divides && !this.guard(`${y} !== 0`, pc)) return false;
      this.emit(`const v${n} = ${ints ? intExpr : realExpr};`);
      this.replaceTop(2, { t: ints ? INT : REAL, v: `v${n}` });
    } else {
      const zero = divides ? ` && ${y} !== 0` : "";
      this.emit(`let t${n}, v${n};`);
      this.emit(`if (${bothInt}${zero}) { t${n} = ${INT}; v${n} = ${intExpr}; }`);
      // an int division by zero fails in the interpreter
      this.emit(`else if (${bothNumber}${divides ? ` && !(${bothInt})` : ""}) { t${n} = ${REAL}; v${n} = ${realExpr}; }`);
      this.emit(`else ${this.exit(pc, 0)}`);
      this.replaceTop(2, { t: `t${n}`, v: `v${n}` });
    }
    this.charge(pc);
    return true;
  }

  private comparison(op: number, pc: number): boolean {
    this.need(2);
    const b = this.stack[this.stack.length - 1]!;
    const a = this.stack[this.stack.length - 2]!;
    if (!this.guard(and(this.isNumber(a), this.isNumber(b)), pc)) return false;
    const sym = op === Op.LT ? "<" : op === Op.GT ? ">" : op === Op.LE ? "<=" : op === Op.GE ? ">=" : "===";
    const same = `${a.v} ${sym} ${b.v}`;
    const mixed = `Math.fround(${a.v}) ${sym} Math.fround(${b.v})`;
    const sameTag = typeof a.t === "number" && typeof b.t === "number" ? String(a.t === b.t) : `${a.t} === ${b.t}`;
    const res = sameTag === "true" ? same : sameTag === "false" ? mixed : `(${sameTag} ? ${same} : ${mixed})`;
    const n = this.fresh();
    const yes = op === Op.NE ? "0" : "1";
    const no = op === Op.NE ? "1" : "0";
    this.emit(`const v${n} = ${res} ? ${yes} : ${no};`);
    this.replaceTop(2, { t: BOOL, v: `v${n}` });
    this.charge(pc);
    return true;
  }

  private negate(pc: number): boolean {
    // operators in vm.ts's slow path: an int or a boolean gives an int, a real a real
    this.need(1);
    const e = this.stack[this.stack.length - 1]!;
    const n = this.fresh();
    if (typeof e.t === "number") {
      if (e.t === REAL) this.emit(`const v${n} = -(${e.v});`);
      else if (e.t === INT || e.t === BOOL) this.emit(`const v${n} = -(${e.v}) | 0;`);
      else {
        this.emit(this.exit(pc, 0));
        return false;
      }
      this.replaceTop(1, { t: e.t === REAL ? REAL : INT, v: `v${n}` });
    } else {
      this.emit(`if (${e.t} > ${REAL} && ${e.t} !== ${BOOL}) ${this.exit(pc, 0)}`);
      this.emit(`const t${n} = ${e.t} === ${REAL} ? ${REAL} : ${INT}, v${n} = ${e.t} === ${REAL} ? -(${e.v}) : -(${e.v}) | 0;`);
      this.replaceTop(1, { t: `t${n}`, v: `v${n}` });
    }
    this.charge(pc);
    return true;
  }

  /** `a op k` with a small constant k, as the interpreter's fused case (ints and reals only). */
  private fused(op: number, pc: number): boolean {
    this.need(1);
    const a = this.stack[this.stack.length - 1]!;
    const k = lit(this.input.arg[pc]!);
    const x = a.v;
    if (!this.guard(this.isNumber(a), pc)) return false;
    const isInt = this.is(a, INT);
    const pick = (i: string, r: string): string => (isInt === "true" ? i : isInt === "false" ? r : `(${isInt} ? ${i} : ${r})`);
    const n = this.fresh();
    let t: number | string = BOOL;
    let v: string;
    switch (op) {
      case Op.ADD_I8: t = a.t; v = pick(`(${x} + ${k}) | 0`, `Math.fround(${x} + ${k})`); break;
      case Op.SUB_I8: t = a.t; v = pick(`(${x} - ${k}) | 0`, `Math.fround(${x} - ${k})`); break;
      case Op.MUL_I8: t = a.t; v = pick(`Math.imul(${x}, ${k})`, `Math.fround(${x} * ${k})`); break;
      case Op.MOD_I8:
        // a real modulo, or modulo by zero: the general path
        if (this.input.arg[pc] === 0) {
          this.emit(this.exit(pc, 0));
          return false;
        }
        if (!this.guard(isInt, pc)) return false;
        t = INT;
        v = `${x} % ${k} | 0`;
        break;
      case Op.EQ_I8: v = `${x} === ${k} ? 1 : 0`; break;
      case Op.NE_I8: v = `${x} !== ${k} ? 1 : 0`; break;
      case Op.LT_I8: v = `${x} < ${k} ? 1 : 0`; break;
      case Op.GT_I8: v = `${x} > ${k} ? 1 : 0`; break;
      case Op.LE_I8: v = `${x} <= ${k} ? 1 : 0`; break;
      default: v = `${x} >= ${k} ? 1 : 0`; break;
    }
    this.emit(`const v${n} = ${v};`);
    this.replaceTop(1, { t, v: `v${n}` });
    this.charge(pc, 2); // two operations of ePython's byte code
    return true;
  }

  // --- control and arrays ----------------------------------------------------------------------

  private control(op: number, pc: number): boolean {
    const { arg } = this.input;
    const next = pc + INSTRUCTION_LENGTH[op]!;
    switch (op) {
      case Op.JUMP:
        return this.jump(pc, arg[pc]!);
      case Op.JUMP_IF_FALSE: {
        this.need(1);
        const e = this.pop();
        this.charge(pc);
        this.branch(this.falsy(e), arg[pc]!, next);
        return false;
      }
      case Op.AND_JUMP:
      case Op.OR_JUMP: {
        this.need(1);
        const e = this.stack[this.stack.length - 1]!;
        this.charge(pc);
        const f = this.falsy(e);
        const cond = op === Op.AND_JUMP ? f : `!(${f})`;
        // jump keeping the value, or pop it and go on
        const s = this.snapshot();
        this.emit(`if (${cond}) {`);
        this.leave(arg[pc]!);
        this.emit("}");
        this.restore(s);
        this.pop();
        this.leave(next);
        return false;
      }
      case Op.FOR_ITER:
        this.forIter(pc, next);
        return false;
      case Op.INDEX:
        return this.index(pc, false);
      case Op.STORE_INDEX:
        return this.index(pc, true);
      default:
        this.emit(this.exit(pc, 0));
        return false;
    }
  }

  private jump(pc: number, target: number): boolean {
    if (target <= pc) {
      // where the interpreter checks the limits: at the limit, it stops before this jump
      this.emit(`if (cyc + ${lit(this.input.cost[pc]!)} >= cycleLimit || steps + ${this.steps + 1} >= stepLimit) ${this.exit(pc, 0)}`);
    }
    this.charge(pc);
    this.leave(target);
    return false;
  }

  private forIter(pc: number, next: number): void {
    this.need(2);
    const i = this.stack[this.stack.length - 1]!;
    const arr = this.stack[this.stack.length - 2]!;
    this.charge(pc);
    const n = this.fresh();
    this.emit(`const a${n} = heap.resolve(${arr.v}), ar${n} = heap.arena(a${n}), o${n} = a${n} - ar${n}.base, c${n} = arrayLength(ar${n}, o${n});`);
    const s = this.snapshot();
    this.emit(`if (${i.v} < c${n}) {`);
    this.emit(`const d${n} = arrayData(ar${n}, o${n}), t${n} = elementTag(ar${n}, d${n}, c${n}, ${i.v}), v${n} = elementValue(ar${n}, d${n}, ${i.v}, t${n});`);
    this.emit(`if (ar${n} === heap.shared) { cyc += ${this.input.sharedReadCycles}; vm.sharedReads++; }`);
    this.replaceTop(1, { t: i.t, v: `(${i.v} + 1)` });
    this.stack.push({ t: `t${n}`, v: `v${n}` });
    this.leave(next);
    this.emit("}");
    this.restore(s);
    this.stack.length -= 2;
    this.leave(this.input.arg[pc]!);
  }

  /** One index into a 1-D array in range (the interpreter's fast case); anything else is the interpreter's. */
  private index(pc: number, store: boolean): boolean {
    if (this.input.arg[pc] !== 1) {
      this.emit(this.exit(pc, 0));
      return false;
    }
    this.need(store ? 3 : 2);
    const top = this.stack.length - (store ? 1 : 0);
    const i = this.stack[top - 1]!;
    const arr = this.stack[top - 2]!;
    if (!this.guard(and(this.is(arr, ARR), this.is(i, INT)), pc)) return false;
    const n = this.fresh();
    this.emit(`const ar${n} = heap.arena(${arr.v}), o${n} = ${arr.v} - ar${n}.base, c${n} = arrayLength(ar${n}, o${n});`);
    this.guard(`isVector(ar${n}, o${n}) && ${i.v} >= 0 && ${i.v} < c${n}`, pc);
    this.charge(pc); // before the DRAM access's cycles, as the interpreter adds them
    if (store) {
      const val = this.stack[this.stack.length - 1]!;
      this.emit(`setElement(ar${n}, vectorData(o${n}), c${n}, ${i.v}, ${val.t}, ${val.v});`);
      this.emit(`if (ar${n} === heap.shared) { cyc += ${this.input.sharedWriteCycles}; vm.sharedWrites++; }`);
      this.stack.length -= 3;
    } else {
      this.emit(`const d${n} = vectorData(o${n}), t${n} = elementTag(ar${n}, d${n}, c${n}, ${i.v}), v${n} = elementValue(ar${n}, d${n}, ${i.v}, t${n});`);
      this.emit(`if (ar${n} === heap.shared) { cyc += ${this.input.sharedReadCycles}; vm.sharedReads++; }`);
      this.replaceTop(2, { t: `t${n}`, v: `v${n}` });
    }
    return true;
  }
}
