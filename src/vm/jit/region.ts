/**
 * The byte code a compiled region covers, cut into basic blocks: a loop, from its header (the
 * target of a backward JUMP) to that JUMP, or a function's body, from its entry to its last
 * instruction. Control that leaves the range goes back to the interpreter.
 */
import { Op } from "../../lang/opcodes.js";
import { INSTRUCTION_LENGTH } from "../operands.js";

export interface Region {
  /** the backward JUMP that closes the loop: the last instruction */
  last: number;
  /** instruction starts in [head, last], ascending */
  pcs: number[];
  /** the block index of each leader pc (the first instruction of a block) */
  blockAt: Map<number, number>;
  /** leader pcs, ascending (block i starts at leaders[i]) */
  leaders: number[];
}

/** Opcodes after which control does not fall through to the next instruction in compiled code. */
const ENDS_BLOCK = new Set<number>([Op.JUMP, Op.JUMP_IF_FALSE, Op.AND_JUMP, Op.OR_JUMP, Op.FOR_ITER]);

/**
 * The region from `head` to the instruction at `last` (a loop's closing JUMP, a function's last
 * instruction), or null when a jump inside it lands between instruction starts (a forged image:
 * the interpreter copes).
 */
export function loopRegion(code: Uint8Array, arg: Int32Array, head: number, last: number): Region | null {
  const pcs: number[] = [];
  const starts = new Set<number>();
  for (let pc = head; pc <= last; pc += INSTRUCTION_LENGTH[code[pc]!]!) {
    pcs.push(pc);
    starts.add(pc);
  }
  if (pcs[pcs.length - 1] !== last) return null;
  const leaders = new Set<number>([head]);
  for (const pc of pcs) {
    const op = code[pc]!;
    const next = pc + INSTRUCTION_LENGTH[op]!;
    if (ENDS_BLOCK.has(op)) {
      const target = arg[pc]!;
      if (target >= head && target <= last) {
        if (!starts.has(target)) return null;
        leaders.add(target);
      }
    }
    // after a branch, and after an operation that always leaves compiled code, a new block starts
    if ((ENDS_BLOCK.has(op) || !inlineOp(op)) && next <= last) leaders.add(next);
  }
  const sorted = [...leaders].sort((a, b) => a - b);
  return { last, pcs, leaders: sorted, blockAt: new Map(sorted.map((pc, i) => [pc, i])) };
}

/**
 * Operations compiled code carries out itself (each with guards that hand the operation back to
 * the interpreter when its operands are not the fast case). Every other operation is always
 * carried out by the interpreter: compiled code stops before it.
 */
export function inlineOp(op: number): boolean {
  return INLINE[op] === 1;
}

const INLINE = new Uint8Array(256);
for (const op of [
  Op.PUSH_I8, Op.PUSH_INT, Op.PUSH_REAL, Op.PUSH_STR, Op.PUSH_TRUE, Op.PUSH_FALSE, Op.PUSH_NONE, Op.PUSH_FN,
  Op.LOAD_GLOBAL, Op.STORE_GLOBAL, Op.LOAD_LOCAL, Op.STORE_LOCAL, Op.POP, Op.DUPN,
  Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.NEG, Op.NOT, Op.EQ, Op.NE, Op.LT, Op.GT, Op.LE, Op.GE,
  Op.JUMP, Op.JUMP_IF_FALSE, Op.AND_JUMP, Op.OR_JUMP, Op.FOR_ITER, Op.INDEX, Op.STORE_INDEX,
  Op.INC_LOCAL, Op.INC_GLOBAL, Op.ADD_I8, Op.SUB_I8, Op.MUL_I8, Op.MOD_I8, Op.EQ_I8, Op.NE_I8,
  Op.LT_I8, Op.GT_I8, Op.LE_I8, Op.GE_I8,
]) INLINE[op] = 1;
