/**
 * One offload session (issue 17): the kernels' ePython program compiled once, one simulation of
 * the chip for the whole life of the CPython program, and the Python side's commands turned into
 * the host's runtime requests (host-driver.ts). The commands and replies are JSON objects, one a
 * line (python/epython/PROTOCOL.md); this file knows nothing of pipes or processes.
 *
 * What a command costs is what ePython's host does for it: a launch is ePython's task-farm
 * protocol from the host (the number of arguments, the function, then for each argument its
 * length and its scalar or elements, every one a blocking send), a result is the reply protocol
 * (a count, then the scalar or the elements), a probe is probe(). The host's own Python work
 * (marshalling, its scheduler) takes no simulated time.
 */
import type { RunConfig } from "../config/run-config.js";
import type { ProgramImage } from "../lang/image.js";
import type { Execution, HostIo, SimResult } from "../runtime/simulate.js";
import { DEFAULT_EXECUTION, Simulation } from "../runtime/simulate.js";
import { NULL_SINK, type TraceSink } from "../trace/sink.js";
import { ReduceOp } from "../lang/opcodes.js";
import { Tag } from "../vm/values.js";
import { type Got, HostDriver, type HostProgram, type HostStep, ValueError, type Wire, wireOf } from "./host-driver.js";

export interface Command {
  op: string;
  [key: string]: unknown;
}

export class OffloadSession {
  readonly sim: Simulation;
  readonly driver: HostDriver;
  /** the device cores' pids (ePython's process ids), ascending */
  readonly devices: number[];
  readonly hostPid: number;
  private readonly functions = new Map<string, number>();
  /** the image's string constants by text, with those the host program has sent (see `scalar`) */
  private readonly strings = new Map<string, number>();
  result: SimResult | null = null;

  constructor(
    readonly image: ProgramImage,
    readonly config: RunConfig,
    io: HostIo,
    sink?: TraceSink,
    execution: Execution = DEFAULT_EXECUTION,
  ) {
    if (config.hostCores !== 1) throw new Error("an offload session has exactly one host process");
    this.sim = new Simulation(image, config, io, sink, execution);
    const host = this.sim.procs.find((p) => p.isHost)!;
    this.hostPid = host.pid;
    this.devices = this.sim.procs.filter((p) => !p.isHost).map((p) => p.pid);
    image.functions.forEach((f, i) => this.functions.set(f.name.toLowerCase(), i));
    image.strings.forEach((s, i) => this.strings.has(s) || this.strings.set(s, i));
    this.driver = new HostDriver(this.sim, host);
  }

  /** Seconds of simulated time at `cycles`. */
  seconds(cycles: number): number {
    return cycles / this.sim.spec.clockHz;
  }

  /**
   * Note `cmd` in the trace (a `command` event of the host process at its time, where the command
   * starts), so a session's trace shows what the host program asked for and when.
   */
  record(cmd: Command): void {
    // an untraced session: no text to build (a launch's arguments can be long)
    if (this.sim.sink !== NULL_SINK) this.sim.sink.command(this.driver.time, this.driver.proc.idx, JSON.stringify(cmd));
  }

  /** The program that carries out `cmd`, or a reply at once (a bad command). */
  program(cmd: Command): HostProgram | Record<string, unknown> {
    const core = (v: unknown): number => {
      if (typeof v !== "number" || !this.devices.includes(v)) throw new ValueError(`core ${String(v)} is not a device core (they are ${this.devices.join(", ")})`);
      return v;
    };
    const list = (v: unknown, what: string): unknown[] => {
      if (!Array.isArray(v)) throw new ValueError(`${cmd.op}: '${what}' must be a list, not ${JSON.stringify(v) ?? String(v)}`);
      return v;
    };
    try {
      switch (cmd.op) {
        case "launch": {
          const fn = this.functions.get(String(cmd.fn).toLowerCase());
          if (fn === undefined) return { ok: false, error: "NameError", message: `no kernel named ${String(cmd.fn)} on the device` };
          const args = list(cmd.args, "args") as Wire[];
          // check every argument before the first send: a bad one launches nothing
          const encoded = args.map((a) => this.encodeArgument(a));
          return this.launch(core(cmd.core), fn, encoded);
        }
        case "result":
          return this.receiveResult(core(cmd.core));
        case "probe":
          return this.probe(core(cmd.core));
        case "send": {
          // ePython's host send: a list goes element by element, each a blocking send
          const v = cmd.value as Wire;
          const items = Array.isArray(v) ? v.map((x) => this.scalar(x, true)) : [this.scalar(v, false)];
          return this.sendValues(core(cmd.core), items);
        }
        case "recv": {
          const count = cmd.count ?? null;
          if (count !== null && (typeof count !== "number" || !Number.isInteger(count) || count < 1)) return { ok: false, error: "ValueError", message: `recv: the number of values must be 1 or more, not ${String(count)}` };
          return this.receive(core(cmd.core), count);
        }
        case "sendrecv":
          return this.sendRecv(core(cmd.core), this.scalar(cmd.value as Wire, false));
        case "bcast": {
          // the root: a device core, or the host program itself (which then sends `value`)
          const root = cmd.root === this.hostPid ? this.hostPid : core(cmd.root);
          const v = root === this.hostPid ? this.scalar(cmd.value as Wire, false) : { tag: Tag.None, val: 0 };
          return this.collective({ req: "bcast", root, tag: v.tag, val: v.val });
        }
        case "reduce": {
          const op = REDUCE_OPS[String(cmd.operator)];
          if (op === undefined) return { ok: false, error: "ValueError", message: `reduce: operator ${String(cmd.operator)} is not sum, min, max or prod` };
          const v = this.scalar(cmd.value as Wire, false);
          if (v.tag !== Tag.Int && v.tag !== Tag.Real) throw new ValueError("reduce takes an int or a float");
          return this.collective({ req: "reduce", op, tag: v.tag, val: v.val });
        }
        case "sync":
          return this.collective({ req: "sync" });
        case "waitany":
          return this.waitAny(list(cmd.cores, "cores").map(core));
        case "exit":
          return this.shutdown();
        default:
          return { ok: false, error: "ValueError", message: `unknown command '${cmd.op}'` };
      }
    } catch (e) {
      if (e instanceof ValueError) return { ok: false, error: "TypeError", message: e.message };
      throw e;
    }
  }

  private *launch(pid: number, fn: number, args: { tag: number; val: number }[][]): HostProgram {
    yield send(pid, Tag.Int, args.length);
    yield send(pid, Tag.Fn, fn);
    for (const a of args) {
      for (const v of a) yield send(pid, v.tag, v.val);
    }
    return { ok: true, time: this.seconds(this.driver.time) };
  }

  /**
   * A received value as JSON; one that can not cross is noted in `bad` (and stands as null) so
   * that the rest of the message sequence is still taken and the channel stays in step.
   */
  private wire(got: Got, bad: string[]): Wire {
    try {
      return wireOf(got, this.image, this.sim.procs, this.procOf);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      bad.push(e.message);
      return null;
    }
  }

  /** The reply, or a TypeError for the first value that could not cross (every value was received). */
  private replyWith(value: Wire, bad: string[]): Record<string, unknown> {
    if (bad.length > 0) return { ok: false, error: "TypeError", message: bad[0], time: this.seconds(this.driver.time) };
    return { ok: true, value, time: this.seconds(this.driver.time) };
  }

  private *receiveResult(pid: number): HostProgram {
    const count: Got = yield { req: "recv", pid };
    let value: Wire;
    const bad: string[] = [];
    if (count.tag !== Tag.Int) throw new ValueError(`core ${pid} did not follow the task farm's reply protocol`);
    if (count.val < 0) value = null;
    else if (count.val === 0) value = this.wire(yield { req: "recv", pid }, bad);
    else {
      const items: Wire[] = [];
      for (let i = 0; i < count.val; i++) items.push(this.wire(yield { req: "recv", pid }, bad));
      value = items;
    }
    return this.replyWith(value, bad);
  }

  private procOf = (q: number): number => this.sim.procs.findIndex((p) => p.pid === q);

  private *sendValues(pid: number, items: { tag: number; val: number }[]): HostProgram {
    for (const v of items) yield send(pid, v.tag, v.val);
    return { ok: true, time: this.seconds(this.driver.time) };
  }

  /** recv(pid): one value, or `count` values in a row as a list. */
  private *receive(pid: number, count: number | null): HostProgram {
    const values: Wire[] = [];
    const bad: string[] = [];
    for (let i = 0; i < (count ?? 1); i++) values.push(this.wire(yield { req: "recv", pid }, bad));
    return this.replyWith(count === null ? values[0]! : values, bad);
  }

  /** sendrecv(value, pid): ePython's exchange, one value each way. */
  private *sendRecv(pid: number, v: { tag: number; val: number }): HostProgram {
    const got: Got = yield { req: "sendrecv", pid, tag: v.tag, val: v.val };
    const bad: string[] = [];
    return this.replyWith(this.wire(got, bad), bad);
  }

  /** A collective the host takes part in with every device core (each must make the same call in a kernel). */
  private *collective(step: HostStep): HostProgram {
    const got: Got = yield step;
    const bad: string[] = [];
    return this.replyWith(step.req === "sync" ? null : this.wire(got, bad), bad);
  }

  private *probe(pid: number): HostProgram {
    const got: Got = yield { req: "probe", pid };
    return { ok: true, value: got.val !== 0, time: this.seconds(this.driver.time) };
  }

  /** ePython's wait_any(): probe the running cores in turn until one has its result ready. */
  private *waitAny(pids: number[]): HostProgram {
    if (pids.length === 0) return { ok: false, error: "ValueError", message: "wait_any with no kernel running" };
    for (;;) {
      for (const pid of pids) {
        const got: Got = yield { req: "probe", pid };
        if (got.val !== 0) return { ok: true, value: pid, time: this.seconds(this.driver.time) };
      }
    }
  }

  /** ePython's shutdownEpython(): -1 to every device core (its worker() loop ends), then the host is done. */
  private *shutdown(): HostProgram {
    for (const pid of this.devices) yield send(pid, Tag.Int, -1);
    this.driver.finish(this.driver.time);
    return { ok: true, time: this.seconds(this.driver.time) };
  }

  /** An argument as the task farm sends it: its length (0 for a scalar), then the scalar or the elements. */
  private encodeArgument(a: Wire): { tag: number; val: number }[] {
    if (Array.isArray(a)) {
      if (a.length === 0) throw new ValueError("an empty list can not be passed to a kernel (ePython's task farm sends a length of 0 for a scalar)");
      return [{ tag: Tag.Int, val: a.length }, ...a.map((x) => this.scalar(x, true))];
    }
    return [{ tag: Tag.Int, val: 0 }, this.scalar(a, false)];
  }

  /**
   * A value as the host sends it. A string (an epython-sim extension: ePython's host sends numbers
   * and booleans only) becomes a string constant of the program, as if it were a literal of the
   * kernels: the payload of a constant is its index in the image's table (negative), which every
   * core reads as it reads its literals (src/vm/text.ts), so a kernel can print it, measure it,
   * compare and concatenate it (a new heap string) and send it back. The text is added to the
   * table once per session; its bytes are not counted in any core's memory (the layout was made
   * at the start), which is the model's simplification for this extension.
   */
  private scalar(x: Wire, inList: boolean): { tag: number; val: number } {
    if (typeof x === "string") {
      if (x.includes("\0")) throw new ValueError("a string holding a NUL character can not be sent to the device (ePython's strings end at NUL)");
      let i = this.strings.get(x);
      if (i === undefined) {
        i = this.image.strings.push(x) - 1;
        this.strings.set(x, i);
      }
      return { tag: Tag.Str, val: -i - 1 };
    }
    return scalar(x, inList);
  }
}

/** ePython's reduce operators (parallel.py's numbers). */
const REDUCE_OPS: Record<string, number> = { sum: ReduceOp.sum, min: ReduceOp.min, max: ReduceOp.max, prod: ReduceOp.prod };

function send(pid: number, tag: number, val: number): HostStep {
  return { req: "send", pid, tag, val };
}

function scalar(x: Wire, inList: boolean): { tag: number; val: number } {
  if (typeof x === "boolean") return { tag: Tag.Bool, val: x ? 1 : 0 };
  if (typeof x === "number" && Number.isInteger(x)) return { tag: Tag.Int, val: x | 0 };
  if (x === null) return { tag: Tag.None, val: 0 };
  if (typeof x === "object" && !Array.isArray(x) && typeof x.real === "number") return { tag: Tag.Real, val: Math.fround(x.real) };
  throw new ValueError(`${inList ? "a list element" : "an argument"} of type ${Array.isArray(x) ? "list (lists inside lists)" : typeof x} can not be sent to the device`);
}
