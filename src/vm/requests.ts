/**
 * What the VM hands back to the runtime: why run() stopped (Status) and, when it is blocked, what
 * it asks of the world outside the core (Req). Both are closed unions, so a `switch` over them is
 * checked for exhaustiveness.
 */

/** Why run() stopped. 0 is never returned (it means "keep going" inside the loop). */
export const Status = { Blocked: 1, Budget: 2, Error: 3, Done: 4 } as const;
export type Status = (typeof Status)[keyof typeof Status];

/** Inside the VM: 0 ("keep going") or why to stop. */
export type StepResult = 0 | Status;

/** What a blocked VM asks of the runtime. Arguments are in reqTagA/reqValA, reqTagB/reqValB. */
export const Req = {
  None: 0,
  /** reqText: the line to print */
  Print: 1,
  /** reqText: the prompt, or null; answer with pushInput() */
  Input: 2,
  /** a host round trip whose result the VM already has: reqValA is HOST_CONCAT or HOST_MATHS */
  Host: 3,
  /** answer with push(Int, random) */
  Rand: 4,
  /** A = value, B = pid */
  Send: 5,
  /** B = pid; answer with push(tag, value) */
  Recv: 6,
  SendRecv: 7,
  Probe: 8,
  NbSend: 9,
  TestSent: 10,
  WaitSent: 11,
  /** A = value, B = root */
  Bcast: 12,
  /** A = value, B = operator (ReduceOp) */
  Reduce: 13,
  Sync: 14,
  /** an access to another core's variable (concurrency module): the details are in vm.remote (references.ts) */
  Remote: 15,
} as const;
export type Req = (typeof Req)[keyof typeof Req];

/** Kinds of Req.Host: ePython's host builds concatenated strings and computes maths functions. */
export const HOST_CONCAT = 0;
export const HOST_MATHS = 1;
