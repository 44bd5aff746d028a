/**
 * The byte buffer of one unit (the main program or one function), with the fix-ups the linker
 * applies when it places the unit in the program's code: jump targets, function indices and
 * string-table indices are written relative to the unit and renumbered at link time.
 */
import type { Pos } from "./ast.js";
import { FUSED_I8, Op } from "./opcodes.js";

const FUSED_BY_BASE = new Map<number, number>(Object.entries(FUSED_I8).map(([f, b]) => [b, Number(f)]));

export class Emitter {
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
  /** Emit a u16 jump target to patch later (after the opcode and any other operands); returns its offset. */
  target(target = 0): number {
    const at = this.here;
    this.jumpFixups.push(at);
    this.u16(target);
    return at;
  }
  /** emit a jump-like op with a target to patch later; returns the operand offset */
  jump(o: number, target = 0): number {
    this.op(o);
    return this.target(target);
  }
  patch(at: number, target: number): void {
    this.labels.add(target);
    this.setU16(at, target);
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
  /** Rewrite the u16 operands at `offsets` (one kind of fix-up) through `renumber`. */
  relocate(offsets: number[], renumber: (old: number) => number): void {
    for (const at of offsets) this.setU16(at, renumber(this.bytes[at]! | (this.bytes[at + 1]! << 8)));
  }
  private setU16(at: number, v: number): void {
    this.bytes[at] = v & 0xff;
    this.bytes[at + 1] = (v >> 8) & 0xff;
  }
}
