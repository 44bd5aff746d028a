/**
 * One ePython process as the runtime sees it: its VM and random stream, and the runtime's state
 * for it in four small parts, each owned by one client: where its clock stands (the simulation),
 * how its shared-DRAM traffic is sliced (the eLink booking), what it waits for (messaging, the
 * barrier, the deadlock report) and the collective operation sequence it is running.
 */
import { grown } from "../util/typed-arrays.js";
import type { Prng } from "../machine/prng.js";
import { Tag } from "../vm/values.js";
import type { Vm } from "../vm/vm.js";

/** What a process waits for (Wait.kind). */
export const WaitKind = {
  None: 0,
  /** a message from `on` */
  Recv: 1,
  /** `on` to consume my message (its acknowledgement) */
  Ack: 2,
  /** my previous message to `on` to be consumed before I can write the next */
  Slot: 3,
  Barrier: 4,
  Done: 5,
} as const;
export type WaitKind = (typeof WaitKind)[keyof typeof WaitKind];

export class Wait {
  kind: WaitKind = WaitKind.None;
  /** process index waited on, -1 for none */
  on = -1;
  /** simulated time the wait (or the spinning) began */
  start = 0;
}

/** Slicing of a core whose byte code reaches shared DRAM (see Simulation.runProc). */
export class SliceState {
  /** runs in short slices, its shared-DRAM traffic booked on the eLink after each */
  sliced = false;
  /** the last slice ended at its slice limit: the next run continues the same running state */
  midSlice = false;
  /** shared-DRAM words the byte code had read and written when the last slice was booked */
  readsBooked = 0;
  writesBooked = 0;
}

/**
 * The runtime operations a messaging or collective call is made of (OpSequence.add(code, peer)).
 * The peer is a process index; value-register moves ignore it.
 */
export const OpCode = {
  /** write cur to peer's postbox and wait for its acknowledgement */
  Send: 1,
  /** write cur to peer's postbox and go on */
  NbSend: 2,
  /** wait for peer's message; its value goes to got */
  Recv: 3,
  /** wait for peer to acknowledge my outstanding message */
  WaitAck: 4,
  /** acc = acc (reduce op) got */
  Combine: 5,
  /** cur = got */
  CurGot: 6,
  /** acc = got */
  AccGot: 7,
  /** got = is a message from peer there */
  Probe: 8,
  /** got = has peer taken my last message */
  TestSent: 9,
  /** sync() */
  Barrier: 10,
  /** cur = acc */
  CurAcc: 11,
  /** one blocking load of a word of shared DRAM (ePython's `sharedData->...`, R = epiphany-runtime.c) */
  DramRead: 12,
  /** one posted byte store to shared DRAM */
  DramStore: 13,
  /** the C runtime's own work on the core: the operand is its cycles */
  Local: 14,
  /** a long run of back-to-back DRAM reads (the operand: how many), booked on the eLink as one demand */
  DramReads: 23,
  /** write the acknowledgement of peer's message, taken by the last Recv, back into my slot */
  Ack: 15,
  /** barrier, not the root: set my flag in the root's barrier array (peer: the root) */
  FlagRoot: 16,
  /** barrier root: spin until peer's flag is set */
  WaitFlag: 17,
  /** barrier root: set peer's release flag */
  Release: 18,
  /** barrier, not the root: spin until the root releases me */
  WaitRelease: 19,
  /** a request to the host (print, input, maths, ...): the operand is the HostKind */
  HostCall: 20,
  /** sync() with host processes: the device root asks the host (command 8), host processes wait for it */
  HostSync: 21,
  /** sync() with host processes: the device root, done with the device cores, lets the host processes go */
  HostRelease: 22,
} as const;

/** What a finished operation sequence hands back to the byte code. */
export const Result = { None: 0, Got: 1, Acc: 2, Host: 3, Start: 4 } as const;
export type Result = (typeof Result)[keyof typeof Result];

/**
 * A messaging or collective call as a sequence of runtime operations (pairs of code and peer),
 * run without returning to byte code, and the value registers it works on: `cur` is sent, `got`
 * is the last value received, `acc` the running result.
 *
 * A long plan (ePython's all-pairs reduce: a sendrecv with each of up to 1,023 other cores) may
 * end in a `rest` that appends its operations a part at a time as the sequence runs (follow()):
 * the operations are the same, but each core holds a few dozen of them instead of tens of
 * thousands (on 1,024 cores those were 250 MB, and a cache miss on every event).
 */
export class OpSequence {
  ops = new Int32Array(64);
  length = 0;
  pos = 0;
  /** the plan's lazily appended tail: each next() appends its next part; null when all is planned */
  private rest: Iterator<unknown> | null = null;
  result: Result = Result.None;
  reduceOp = 0;
  curTag = 0;
  curVal = 0;
  accTag = 0;
  accVal = 0;
  gotTag = 0;
  gotVal = 0;
  /** when the last DramStore of the sequence lands in DRAM (a host request is seen from then) */
  storeLanded = 0;

  /** Start a new sequence whose value registers hold (tag, val). */
  reset(tag: number, val: number): void {
    this.length = 0;
    this.pos = 0;
    this.curTag = tag;
    this.curVal = val;
    this.accTag = tag;
    this.accVal = val;
    this.gotTag = Tag.None;
    this.gotVal = 0;
    this.result = Result.None;
    this.storeLanded = 0;
    this.rest = null;
  }

  /**
   * The rest of the plan comes from `rest`, a part per next() (a generator that yields after each
   * part): the last thing a plan does, nothing may be added after it.
   */
  follow(rest: Iterator<unknown>): void {
    this.rest = rest;
  }

  /** Plan everything now (for looking at a whole plan, as tests do); the running sequence does not need it. */
  planAll(): void {
    const rest = this.rest;
    this.rest = null;
    if (rest !== null) while (!rest.next().done) {
      // each next() appends its part
    }
  }

  /** Append `n` copies of an operation. */
  addN(code: number, peer: number, n: number): void {
    for (let i = 0; i < n; i++) this.add(code, peer);
  }

  add(code: number, peer: number): void {
    if (this.length + 2 > this.ops.length) this.ops = grown(this.ops, this.length + 2);
    this.ops[this.length++] = code;
    this.ops[this.length++] = peer;
  }

  /**
   * Every operation has run. When the planned ones have but a lazy rest is left, its next part
   * replaces them (from position 0), so `ops[pos]` is the next operation whenever this is false.
   */
  get done(): boolean {
    return this.pos >= this.length && !this.refill();
  }

  /** Replace the operations run so far by the rest's next non-empty part; false when there is none. */
  private refill(): boolean {
    const rest = this.rest;
    if (rest === null) return false;
    this.length = 0;
    this.pos = 0;
    while (this.length === 0) {
      if (rest.next().done) {
        this.rest = null;
        return this.length > 0;
      }
    }
    return true;
  }
}

/**
 * Why a process stopped for good before its end: its own step or cycle limit (the others go on),
 * or the run's error, which was its own (a runtime error, a livelock).
 */
export type Stop = "step limit" | "cycle limit" | "error";

export class Proc {
  /** time the VM's clock starts from: process time = base + vm.cycles */
  base = 0;
  /** simulated time the process finished, -1 while it runs (and if it never completes) */
  finish = -1;
  /** set when it stopped for good without completing (its own limit, its own error); null otherwise */
  stopped: Stop | null = null;
  /**
   * how far it has been simulated: the latest time of an event scheduled for it (or of its error).
   * Its VM clock (`time`) stays where its byte code last stopped while it runs operation sequences.
   */
  reached = 0;
  /** heap bytes in use last reported to the trace */
  heapReported = 0;
  /** probes in a row of a finished core with an empty postbox, with nothing received since */
  hopelessProbes = 0;
  readonly wait = new Wait();
  readonly slice = new SliceState();
  readonly seq = new OpSequence();

  constructor(
    /** index in the run's process list (trace track) */
    readonly idx: number,
    /** ePython's process id (what coreid() returns) */
    readonly pid: number,
    /** logical core on the mesh, -1 for a host virtual core */
    readonly core: number,
    readonly isHost: boolean,
    /** `device 3` or `host 0`, as output lines are prefixed */
    readonly label: string,
    readonly vm: Vm,
    readonly rng: Prng,
  ) {}

  /** The process's own clock. */
  get time(): number {
    return this.base + this.vm.cycles;
  }
}
