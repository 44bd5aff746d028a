/**
 * The reduce algorithms as operation sequences, keyed by the names in src/config/names.ts (the
 * compiler insists on a row for every name and a name for every row). A plan appends to the
 * calling process's sequence; the result ends in `acc` on every process. ePython's own is the
 * all-pairs exchange of reduceData (runtime-calls.ts planEpythonReduce); the others are built
 * from ePython's send, recv and wait_for_send (each with the C runtime's accesses), as a runtime
 * that offered them would do.
 *
 * The processes taking part are every active process, host virtual cores included (ePython's
 * device code loops over device cores only, which hangs mixed runs).
 */
import type { ReduceAlgorithm } from "../config/names.js";
import { ReduceOp } from "../lang/opcodes.js";
import { Tag } from "../vm/values.js";
import { REDUCE_COMBINE_CYCLES } from "./c-runtime.js";
import { OpCode, type OpSequence } from "./process.js";
import { type CoreIds, planEpythonReduce, planRecv, planSend, planTestOrWait } from "./runtime-calls.js";

/** Append the reduce of process `self` to its sequence. */
export type ReducePlan = (seq: OpSequence, self: number, cores: CoreIds, nProcs: number) => void;

/** The processes in id order: device cores by id, then host virtual cores. */
function members(cores: CoreIds): number[] {
  const m: number[] = [];
  for (const q of cores.ids) if (q >= 0) m.push(q);
  return m.concat(cores.hostProcs);
}

function planCombine(seq: OpSequence): void {
  seq.add(OpCode.Local, REDUCE_COMBINE_CYCLES);
  seq.add(OpCode.Combine, 0);
}

export const REDUCE_PLANS = {
  epython: planEpythonReduce,
  // pass the values around the ring, n - 1 steps, each core combining what it receives
  ring(seq, self, cores) {
    const m = members(cores);
    const n = m.length;
    const rank = m.indexOf(self);
    const right = m[(rank + 1) % n]!;
    const left = m[(rank - 1 + n) % n]!;
    for (let i = 1; i < n; i++) {
      planSend(seq, right, false, cores);
      planRecv(seq, left, cores);
      planTestOrWait(seq, right, true, cores);
      planCombine(seq);
      seq.add(OpCode.CurGot, 0);
    }
  },
  // binomial reduce to rank 0, then binomial broadcast of the result
  tree(seq, self, cores) {
    const m = members(cores);
    const n = m.length;
    const rank = m.indexOf(self);
    let mask = 1;
    for (; mask < n; mask <<= 1) {
      if (rank & mask) {
        seq.add(OpCode.CurAcc, 0);
        planSend(seq, m[rank - mask]!, true, cores);
        break;
      } else if (rank + mask < n) {
        planRecv(seq, m[rank + mask]!, cores);
        planCombine(seq);
      }
    }
    let top = 1;
    while (top * 2 < n) top *= 2;
    for (let b = top; b >= 1; b >>= 1) {
      if (rank % (2 * b) === 0 && rank + b < n) {
        seq.add(OpCode.CurAcc, 0);
        planSend(seq, m[rank + b]!, true, cores);
      } else if (rank % (2 * b) === b) {
        planRecv(seq, m[rank - b]!, cores);
        seq.add(OpCode.AccGot, 0);
      }
    }
  },
} satisfies Record<ReduceAlgorithm, ReducePlan>;

/**
 * Plan a reduce with `algorithm`. A single process has nothing to exchange; ePython's loop still
 * reads its own `active` flag and copies the value (R:886-918), the others do nothing.
 */
export function planReduce(algorithm: ReduceAlgorithm, seq: OpSequence, self: number, cores: CoreIds, nProcs: number): void {
  if (nProcs === 1 && algorithm !== "epython") return;
  REDUCE_PLANS[algorithm](seq, self, cores, nProcs);
}

/** acc = acc (op) got; the local value's type decides (epiphany-runtime.c:896-908). */
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
