/**
 * The frame of a compiled loop's source (codegen.ts writes the operations into it): one `case` per
 * basic block, the operand stack of a block held in JavaScript constants (an Entry per value) and
 * written back to the VM's stack arrays where the block ends or the code leaves, the exits to the
 * interpreter with the VM's state exactly as the interpreter would have it before the operation
 * it hands back, and the counters: cycles added one operation at a time in the interpreter's
 * order (the costs are not whole numbers, so another order could round differently), steps and
 * variable accesses summed per stretch of code (whole numbers) and added where the code leaves.
 */
import { INSTRUCTION_LENGTH } from "../operands.js";
import { Tag } from "../values.js";
import { inlineOp, type Region } from "./region.js";

const INT = Tag.Int;
const REAL = Tag.Real;
const BOOL = Tag.Bool;
const NONE = Tag.None;

export interface Entry {
  t: number | string;
  v: string;
  /** the stack slot (sp - home) it was read from in this block, if it is that slot's unchanged value */
  home?: number;
}

export interface LoopSourceInput {
  code: Uint8Array;
  arg: Int32Array;
  arg2: Int32Array;
  real: Float32Array;
  /** cycles of the instruction at each pc (the interpreter's table) */
  cost: Float64Array;
  region: Region;
  sharedReadCycles: number;
  sharedWriteCycles: number;
  /** the tag a variable holds now, to specialise on (null: do not speculate) */
  observe: ((global: boolean, slot: number) => number) | null;
}

/** A JavaScript literal for a number, -0 and non-finite values included. */
export function lit(x: number): string {
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${x})` : String(x);
}

/** `a && b` as source, folding known truths. */
export function and(a: string, b: string): string {
  if (a === "false" || b === "false") return "false";
  if (a === "true") return b;
  if (b === "true") return a;
  return `${a} && ${b}`;
}

interface State {
  stack: Entry[];
  consumed: number;
  steps: number;
  vr: number;
  vw: number;
}

export abstract class BlockWriter {
  readonly out: string[] = [];
  protected stack: Entry[] = [];
  /** stack slots below the block's sp taken into `stack` */
  protected consumed = 0;
  // counts of the operations carried out since they were last added to the counters
  protected steps = 0;
  protected vr = 0;
  protected vw = 0;
  protected temp = 0;

  constructor(protected readonly input: LoopSourceInput) {}

  /** Generate one operation; false when it ended the block. */
  protected abstract op(op: number, pc: number): boolean;

  block(b: number): void {
    const { region, code } = this.input;
    const start = region.leaders[b]!;
    const end = b + 1 < region.leaders.length ? region.leaders[b + 1]! : region.last + 1;
    this.out.push(`case ${b}: {`);
    this.reset();
    let pc = start;
    let open = true;
    while (open && pc < end) {
      const op = code[pc]!;
      if (inlineOp(op)) {
        open = this.op(op, pc);
        pc += INSTRUCTION_LENGTH[op]!;
      } else {
        this.emit(this.exit(pc, 0));
        open = false;
      }
    }
    if (open) this.leave(pc);
    this.out.push("}");
  }

  protected reset(): void {
    this.stack = [];
    this.consumed = 0;
    this.steps = this.vr = this.vw = 0;
  }

  protected snapshot(): State {
    return { stack: [...this.stack], consumed: this.consumed, steps: this.steps, vr: this.vr, vw: this.vw };
  }

  protected restore(s: State): void {
    ({ consumed: this.consumed, steps: this.steps, vr: this.vr, vw: this.vw } = s);
    this.stack = [...s.stack];
  }

  protected emit(line: string): void {
    this.out.push(line);
  }

  protected fresh(): number {
    return this.temp++;
  }

  // --- the operand stack ---------------------------------------------------------------------

  protected pull(): Entry {
    const k = ++this.consumed;
    const n = this.fresh();
    this.emit(`const t${n} = tags[sp - ${k}], v${n} = vals[sp - ${k}];`);
    return { t: `t${n}`, v: `v${n}`, home: k };
  }

  protected pop(): Entry {
    return this.stack.pop() ?? this.pull();
  }

  /** At least n entries in `stack` (taking the slots beneath from memory). */
  protected need(n: number): void {
    while (this.stack.length < n) this.stack.unshift(this.pull());
  }

  protected push(e: Entry): void {
    this.stack.push({ t: e.t, v: e.v });
  }

  /** Statements writing the entries back to the VM's stack, as slots sp - consumed + i. */
  protected writeBack(): string {
    let s = "";
    this.stack.forEach((e, i) => {
      const rel = this.consumed - i; // the slot is sp - rel
      if (e.home === rel) return;
      const at = rel === 0 ? "sp" : rel > 0 ? `sp - ${rel}` : `sp + ${-rel}`;
      s += `tags[${at}] = ${e.t}; vals[${at}] = ${e.v}; `;
    });
    return s;
  }

  protected spAfter(): string {
    const d = this.stack.length - this.consumed;
    return d === 0 ? "sp" : d > 0 ? `sp + ${d}` : `sp - ${-d}`;
  }

  /** Leave compiled code before the instruction at pc (spec 1: a speculation on a variable's type failed). */
  protected exit(pc: number, spec: 0 | 1): string {
    return `{ ${this.writeBack()}vm.pc = ${pc}; vm.sp = ${this.spAfter()}; vm.cycles = cyc; vm.steps = steps + ${this.steps}; ` +
      `vm.varReads += vr + ${this.vr}; vm.varWrites += vw + ${this.vw}; return ${spec}; }`;
  }

  /** End the block: the stack written back, the counters added, then on to pc (a block, or the interpreter). */
  protected leave(pc: number): void {
    const wb = this.writeBack();
    const sp = this.spAfter();
    let s = wb;
    if (sp !== "sp") s += `sp = ${sp}; `;
    if (this.steps !== 0) s += `steps += ${this.steps}; `;
    if (this.vr !== 0) s += `vr += ${this.vr}; `;
    if (this.vw !== 0) s += `vw += ${this.vw}; `;
    const b = this.input.region.blockAt.get(pc);
    if (b !== undefined) s += `blk = ${b}; continue;`;
    else s += `vm.pc = ${pc}; vm.sp = sp; vm.cycles = cyc; vm.steps = steps; vm.varReads += vr; vm.varWrites += vw; return 0;`;
    this.emit(s);
  }

  /**
   * The operation's cost, added after its guards (an exit before it does not count it) and before
   * its effects, as the interpreter adds it; a local's symbol-table scan (frameScan) is a separate
   * addition, as there.
   */
  protected charge(pc: number, steps = 1, scans = 0): void {
    this.emit(`cyc += ${lit(this.input.cost[pc]!)};`);
    if (scans === 1) this.emit("cyc += fs;");
    else if (scans === 2) this.emit("cyc += 2 * fs;");
    this.steps += steps;
  }

  // --- tags ----------------------------------------------------------------------------------

  /** A JavaScript condition that the entry's tag is t (folded when the tag is known). */
  protected is(e: Entry, t: number): string {
    return typeof e.t === "number" ? String(e.t === t) : `${e.t} === ${t}`;
  }

  /** int or real (the interpreter's `tag <= REAL`) */
  protected isNumber(e: Entry): string {
    return typeof e.t === "number" ? String(e.t <= REAL) : `${e.t} <= ${REAL}`;
  }

  /** The value as a single-precision operand (an int is rounded, as ePython's real arithmetic does). */
  protected single(e: Entry): string {
    return e.t === REAL ? e.v : `Math.fround(${e.v})`;
  }

  protected falsy(e: Entry): string {
    if (typeof e.t === "number") {
      if (e.t === INT || e.t === REAL || e.t === BOOL) return `${e.v} === 0`;
      if (e.t === NONE) return "true";
      return `isFalsy(image, heap, ${e.t}, ${e.v})`;
    }
    return `(${e.t} <= ${REAL} || ${e.t} === ${BOOL} ? ${e.v} === 0 : isFalsy(image, heap, ${e.t}, ${e.v}))`;
  }

  /** Emit `if (!cond) exit` unless cond is known true; returns false when it is known false (the exit always happens). */
  protected guard(cond: string, pc: number, spec: 0 | 1 = 0): boolean {
    if (cond === "true") return true;
    this.emit(cond === "false" ? this.exit(pc, spec) : `if (!(${cond})) ${this.exit(pc, spec)}`);
    return cond !== "false";
  }


  protected replaceTop(k: number, e: Entry): void {
    this.stack.length -= k;
    this.stack.push(e);
  }


  /** Two successors with the same stack: `cond` true goes to `target`. */
  protected branch(cond: string, target: number, next: number): void {
    const s = this.snapshot();
    this.emit(`if (${cond}) {`);
    this.leave(target);
    this.emit("}");
    this.restore(s);
    this.leave(next);
  }
}
