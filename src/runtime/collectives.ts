/**
 * The collectives as operation sequences: bcast as ePython does it, and reduce by the algorithm
 * the configuration names. Each reduce algorithm is a row of REDUCE_PLANS, keyed by the names in
 * src/config/names.ts (the compiler insists on a row for every name and a name for every row).
 * A plan appends to the calling process's sequence; the result ends in `acc` on every process.
 *
 * `members` are the processes taking part, in id order: every active process, host virtual cores
 * included (ePython's device code loops over device cores only, which hangs mixed runs).
 */
import type { ReduceAlgorithm } from "../config/names.js";
import { ReduceOp } from "../lang/opcodes.js";
import { Tag } from "../vm/values.js";
import { OpCode, type OpSequence } from "./process.js";

/** Append the reduce of the process at `rank` in `members` to its sequence. */
export type ReducePlan = (seq: OpSequence, rank: number, members: readonly number[]) => void;

export const REDUCE_PLANS = {
  // every core exchanges its own value with every other core in ascending id order
  // (device-functions.c:882-919)
  epython(seq, rank, members) {
    const self = members[rank]!;
    for (const q of members) {
      if (q === self) continue;
      seq.add(OpCode.NbSend, q);
      seq.add(OpCode.Recv, q);
      seq.add(OpCode.WaitAck, q);
      seq.add(OpCode.Combine, 0);
    }
  },
  // pass the values around the ring, n - 1 steps, each core combining what it receives
  ring(seq, rank, members) {
    const n = members.length;
    const right = members[(rank + 1) % n]!;
    const left = members[(rank - 1 + n) % n]!;
    for (let i = 1; i < n; i++) {
      seq.add(OpCode.NbSend, right);
      seq.add(OpCode.Recv, left);
      seq.add(OpCode.WaitAck, right);
      seq.add(OpCode.Combine, 0);
      seq.add(OpCode.CurGot, 0);
    }
  },
  // binomial reduce to rank 0, then binomial broadcast of the result
  tree(seq, rank, members) {
    const n = members.length;
    let mask = 1;
    for (; mask < n; mask <<= 1) {
      if (rank & mask) {
        seq.add(OpCode.CurAcc, 0);
        seq.add(OpCode.Send, members[rank - mask]!);
        break;
      } else if (rank + mask < n) {
        seq.add(OpCode.Recv, members[rank + mask]!);
        seq.add(OpCode.Combine, 0);
      }
    }
    let top = 1;
    while (top * 2 < n) top *= 2;
    for (let m = top; m >= 1; m >>= 1) {
      if (rank % (2 * m) === 0 && rank + m < n) {
        seq.add(OpCode.CurAcc, 0);
        seq.add(OpCode.Send, members[rank + m]!);
      } else if (rank % (2 * m) === m) {
        seq.add(OpCode.Recv, members[rank - m]!);
        seq.add(OpCode.AccGot, 0);
      }
    }
  },
} satisfies Record<ReduceAlgorithm, ReducePlan>;

/** Plan a reduce with `algorithm`; a single member has nothing to do. */
export function planReduce(algorithm: ReduceAlgorithm, seq: OpSequence, self: number, members: readonly number[]): void {
  if (members.length === 1) return;
  REDUCE_PLANS[algorithm](seq, members.indexOf(self), members);
}

/**
 * bcast from `root`: the root sends to each active core in id order (device-functions.c:863-877)
 * and returns its own value; the others receive. Returns what the call hands back.
 */
export function planBcast(seq: OpSequence, self: number, root: number, members: readonly number[]): "acc" | "got" {
  if (self === root) {
    for (const q of members) if (q !== root) seq.add(OpCode.Send, q);
    return "acc";
  }
  seq.add(OpCode.Recv, root);
  return "got";
}

/** acc = acc (op) got; the local value's type decides (device-functions.c:882-919). */
export function combine(seq: OpSequence): void {
  const op = seq.reduceOp;
  const a = seq.accVal;
  const b = seq.gotVal;
  if (seq.accTag === Tag.Int || seq.accTag === Tag.Bool) {
    const bi = seq.gotTag === Tag.Real ? Math.trunc(b) | 0 : b;
    seq.accTag = Tag.Int;
    seq.accVal = op === ReduceOp.sum ? (a + bi) | 0 : op === ReduceOp.prod ? Math.imul(a, bi) : op === ReduceOp.min ? Math.min(a, bi) : Math.max(a, bi);
  } else {
    const x = Math.fround(a);
    const y = Math.fround(b);
    seq.accVal = op === ReduceOp.sum ? Math.fround(x + y) : op === ReduceOp.prod ? Math.fround(x * y) : op === ReduceOp.min ? Math.min(x, y) : Math.max(x, y);
  }
}

/**
 * Run one of the operations that only move values between the registers (Combine, CurGot,
 * AccGot, CurAcc); false for any other code (those talk to other processes).
 */
export function applyLocal(seq: OpSequence, op: number): boolean {
  switch (op) {
    case OpCode.Combine:
      combine(seq);
      return true;
    case OpCode.CurGot:
      seq.curTag = seq.gotTag;
      seq.curVal = seq.gotVal;
      return true;
    case OpCode.AccGot:
      seq.accTag = seq.gotTag;
      seq.accVal = seq.gotVal;
      return true;
    case OpCode.CurAcc:
      seq.curTag = seq.accTag;
      seq.curVal = seq.accVal;
      return true;
    default:
      return false;
  }
}
