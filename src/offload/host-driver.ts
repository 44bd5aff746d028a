/**
 * The CPython host program as a process of the simulation (issue 17): ePython's `-fullpython`
 * proxy. The host process (pid = number of device cores) runs no byte code; each command that
 * comes from the Python side (protocol: python/epython/PROTOCOL.md) becomes a sequence of the
 * runtime requests ePython's host would make for it (send, recv, probe), served by the simulation
 * exactly as a host virtual core's requests are (postboxes, host link, costs). While the driver
 * waits for the next command the simulation is paused at the host's time, so no event after it
 * is processed before the host has said what it does then: the run is a deterministic function of
 * the sequence of commands, whatever the Python program's own wall time.
 */
import type { ProgramImage } from "../lang/image.js";
import type { Proc, ProcDriver, Simulation } from "../runtime/simulate.js";
import { CoreState } from "../trace/sink.js";
import { stringValue } from "../vm/text.js";
import { aTag, Tag } from "../vm/values.js";
import { Req } from "../vm/vm.js";

/** A value as it crosses the pipe (JSON): ePython's scalars, or a list of them. */
export type Wire = number | boolean | null | string | { real: number } | Wire[];

/**
 * A runtime request of the host process: send a value to `pid` (blocking), send it and receive one
 * back (sendrecv), receive from / probe `pid`; the collectives with the device cores: broadcast
 * from `root`, reduce with ePython's operator number `op` (0 sum, 1 min, 2 max, 3 prod), sync.
 */
export type HostStep =
  | { req: "send" | "sendrecv"; pid: number; tag: number; val: number }
  | { req: "recv" | "probe"; pid: number }
  | { req: "bcast"; root: number; tag: number; val: number }
  | { req: "reduce"; op: number; tag: number; val: number }
  | { req: "sync" };

/** What a received message held: a value tag and payload (the sender's, for a string). */
export interface Got {
  tag: number;
  val: number;
  from: number;
}

/** A command being carried out: yields the host's requests, gets their results, returns the reply. */
export type HostProgram = Generator<HostStep, Record<string, unknown>, Got>;

export class ValueError extends Error {}

export class HostDriver implements ProcDriver {
  /** the host is waiting for its next command (the simulation is paused) */
  waiting = false;
  /** the reply to the last command, to be written to the Python side */
  reply: Record<string, unknown> | null = null;
  /** the host has finished (after the exit command): the simulation runs to its end */
  finished = false;
  private program: HostProgram | null = null;
  private expectResult = false;
  /** the process the current request receives from (-1: none, or every core) */
  private from = -1;
  private at = 0;

  constructor(
    private readonly sim: Simulation,
    readonly proc: Proc,
  ) {
    sim.drive(proc, this);
  }

  /** The host process's clock: where the last command left it. */
  get time(): number {
    return this.at;
  }

  run(p: Proc, t: number): void {
    let got: Got = { tag: Tag.None, val: 0, from: -1 };
    if (this.expectResult) {
      const vm = p.vm;
      vm.sp--;
      got = { tag: vm.tags[vm.sp]!, val: vm.vals[vm.sp]!, from: this.from };
      this.expectResult = false;
    }
    if (this.program === null) return this.idle(t);
    this.step(p, t, got);
  }

  /** Start carrying out a command at the host's time (the simulation must be waiting: `waiting`). */
  command(program: HostProgram): void {
    if (!this.waiting) throw new Error("internal: a host command while the host is busy");
    this.waiting = false;
    this.reply = null;
    this.program = program;
    this.step(this.proc, this.at, { tag: Tag.None, val: 0, from: -1 });
  }

  /** The host ends (ePython's shutdown is done by the command's program): the cores run to their end. */
  finish(t: number): void {
    const p = this.proc;
    p.finish = t;
    p.wait.kind = 5; // WaitKind.Done
    this.finished = true;
    this.sim.sink.coreState(t, p.idx, CoreState.Done, 0);
  }

  private step(p: Proc, t: number, got: Got): void {
    this.at = t;
    let r: IteratorResult<HostStep, Record<string, unknown>>;
    try {
      r = this.program!.next(got);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      r = { done: true, value: { ok: false, error: "TypeError", message: e.message } };
    }
    if (r.done) {
      this.program = null;
      this.reply = r.value;
      if (!this.finished) this.idle(t);
      return;
    }
    const s = r.value;
    const vm = p.vm;
    // the request as the native would set it (src/vm/natives.ts): value in A, pid / root / operator in B
    switch (s.req) {
      case "send":
      case "sendrecv":
        vm.req = s.req === "send" ? Req.Send : Req.SendRecv;
        setRequest(vm, s.tag, s.val, Tag.Int, s.pid);
        break;
      case "recv":
      case "probe":
        vm.req = s.req === "recv" ? Req.Recv : Req.Probe;
        setRequest(vm, Tag.Int, s.pid, Tag.None, 0);
        break;
      case "bcast":
        vm.req = Req.Bcast;
        setRequest(vm, s.tag, s.val, Tag.Int, s.root);
        break;
      case "reduce":
        vm.req = Req.Reduce;
        setRequest(vm, s.tag, s.val, Tag.Int, s.op);
        break;
      case "sync":
        vm.req = Req.Sync;
        setRequest(vm, Tag.None, 0, Tag.None, 0);
        break;
    }
    this.from = s.req === "bcast" ? s.root : s.req === "reduce" || s.req === "sync" ? -1 : s.pid;
    this.expectResult = true;
    this.sim.serveRequest(p, t);
  }

  private idle(t: number): void {
    this.at = t;
    this.waiting = true;
    this.sim.sink.coreState(t, this.proc.idx, CoreState.Host, 0);
    this.sim.pauseForDriver();
  }
}

function setRequest(vm: Proc["vm"], tagA: number, valA: number, tagB: number, valB: number): void {
  vm.reqTagA = tagA;
  vm.reqValA = valA;
  vm.reqTagB = tagB;
  vm.reqValB = valB;
}

/** A received value as a JSON value; strings are read from the sender's heap at the moment they arrive. */
export function wireOf(got: Got, image: ProgramImage, procs: readonly Proc[], procOfPid: (pid: number) => number): Wire {
  switch (got.tag) {
    case Tag.Int:
      return got.val;
    case Tag.Real:
      return { real: got.val };
    case Tag.Bool:
      return got.val !== 0;
    case Tag.None:
      return null;
    case Tag.Str: {
      const q = procOfPid(got.from);
      return stringValue(image, procs[q]!.vm.heap, got.val);
    }
    default:
      throw new ValueError(`core ${got.from} sent the host program ${aTag(got.tag)}, which can not cross to Python (ints, reals, booleans, none and strings can)`);
  }
}
