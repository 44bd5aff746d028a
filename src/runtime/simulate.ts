/**
 * ePython's parallel runtime on the simulated chip: drives one VM per process, serves their
 * requests (print, input, host services, messages, collectives, barriers) at the simulated times
 * the machine model gives, and detects deadlock.
 *
 * Scheduling is conservative discrete-event simulation run sequentially: a core executes byte
 * code on its own clock until it makes a request; the request is handled when every event before
 * it has been (the queue is keyed on (time, sequence)). Cores interact only through requests, so
 * no core ever sees shared state before it has been simulated up to that time.
 *
 * Messages follow ePython's protocol (device/device-functions.c:628-919, semantics 3.4): the
 * sender writes a 6-byte record byte by byte into its slot of the receiver's postbox (posted
 * writes on the cMesh), then polls that slot remotely (rMesh round trips) until the receiver has
 * acknowledged; the receiver spins on its local slot, consumes, acknowledges. One message per
 * ordered pair may be in flight.
 */
import { type ProgramImage, codeBytes, SYMBOL_ENTRY_BYTES, symbolEntries, lineAt } from "../lang/image.js";
import { ReduceOp } from "../lang/opcodes.js";
import { type ChipSpec, chipSpec, fromReferenceCycles, hops as meshHops } from "../machine/chip.js";
import * as C from "../machine/costs.js";
import { EventQueue } from "../machine/event-queue.js";
import { type CoreLayout, layoutCore } from "../machine/memory-map.js";
import { Mesh } from "../machine/mesh.js";
import { Prng } from "../machine/prng.js";
import { CoreState, HostKind, NULL_SINK, type TraceSink } from "../trace/sink.js";
import { HOST_CONCAT, Req, Status, Vm } from "../vm/vm.js";
import { Tag } from "../vm/values.js";
import * as R from "./runtime-costs.js";
import { deviceVmCosts, hostVmCosts } from "./vm-costs.js";
import type { RunConfig } from "../config/run-config.js";

/** The host side of a run: where printed lines go and where input lines come from. */
export interface HostIo {
  output(line: string): void;
  /** a line typed at a prompt, or null at end of input */
  input(prompt: string | null, label: string): string | null;
}

export interface ProcSummary {
  /** ePython's process id (what coreid() returns) */
  pid: number;
  kind: "device" | "host";
  /** logical core on the mesh, or -1 for a host virtual core */
  core: number;
  /** label used in output: `device 3` or `host 0` */
  label: string;
  finishCycles: number;
  steps: number;
  gcCount: number;
  maxStackCells: number;
}

export interface SimError {
  kind: "runtime" | "deadlock" | "limit" | "config";
  message: string;
  /** process index and its label, when one core is to blame */
  proc: number;
  label: string;
  file: string;
  line: number;
  time: number;
}

export interface SimResult {
  ok: boolean;
  error: SimError | null;
  procs: ProcSummary[];
  /** simulated cycles until the last process finished (or the failure) */
  totalCycles: number;
  clockHz: number;
  messages: number;
  messageBytes: number;
  events: number;
  /** length of the windows in which the link load was reported (TraceSink.link) */
  linkWindowCycles: number;
  layout: CoreLayout;
  warnings: string[];
}

/**
 * Probes in a row of a finished core that has nothing in the prober's postbox, with no message
 * received in between, after which the run stops as a livelock. Such a probe can never succeed;
 * a million in a row is no real program's way of waiting (a choice, not hardware).
 */
const LIVELOCK_PROBES = 1_000_000;

// process wait states
const W_NONE = 0;
const W_RECV = 1; // waiting for a message from waitOn
const W_ACK = 2; // waiting for waitOn to consume my message
const W_SLOT = 3; // waiting for my previous message to waitOn to be consumed before writing
const W_BARRIER = 4;
const W_DONE = 5;

// events
const EV_RUN = 0; // resume the VM
const EV_REQ = 1; // handle the VM's pending request
const EV_CONT = 2; // continue the process's runtime operation sequence

// runtime operations (a collective is a sequence of these, run without returning to byte code)
const OP_SEND = 1;
const OP_NBSEND = 2;
const OP_RECV = 3;
const OP_WAITACK = 4;
const OP_COMBINE = 5; // acc = acc (op) got
const OP_CUR_GOT = 6; // cur = got
const OP_ACC_GOT = 7; // acc = got
const OP_PROBE = 8;
const OP_TESTSENT = 9;
const OP_BARRIER = 10;
const OP_CUR_ACC = 11; // cur = acc

// what the finished sequence hands back to the byte code
const RES_NONE = 0;
const RES_GOT = 1;
const RES_ACC = 2;

const MSG_BYTES = 6; // [type:u8][payload:4][seq:u8] (semantics 3.4)
const STORE_ISSUE_CYCLES = 1; // GUESS: one byte store issued per cycle by the sending core

class Proc {
  /** runs in short slices, its shared-DRAM traffic booked on the eLink after each (see runProc) */
  sliced = false;
  /** the last slice ended at its slice limit: the next run continues the same running state */
  midSlice = false;
  /** shared-DRAM words the byte code had read and written when the last slice was booked */
  readsBooked = 0;
  writesBooked = 0;
  /** probes in a row of a finished core with an empty postbox, with nothing received since */
  hopelessProbes = 0;
  waitKind = W_NONE;
  waitOn = -1;
  waitStart = 0;
  /** time the VM's clock starts from: process time = base + vm.cycles */
  base = 0;
  ops = new Int32Array(64);
  nops = 0;
  opPos = 0;
  resKind = RES_NONE;
  reduceOp = 0;
  curTag = 0;
  curVal = 0;
  accTag = 0;
  accVal = 0;
  gotTag = 0;
  gotVal = 0;
  finish = -1;
  barrierEntry = 0;
  /** heap bytes in use last reported to the trace */
  heapReported = 0;
  constructor(
    readonly idx: number,
    readonly pid: number,
    readonly core: number,
    readonly isHost: boolean,
    readonly label: string,
    readonly vm: Vm,
    readonly rng: Prng,
  ) {}
  addOp(code: number, arg: number): void {
    if (this.nops + 2 > this.ops.length) {
      const n = new Int32Array(this.ops.length * 2);
      n.set(this.ops);
      this.ops = n;
    }
    this.ops[this.nops++] = code;
    this.ops[this.nops++] = arg;
  }
}

export class Simulation {
  readonly spec: ChipSpec;
  readonly mesh: Mesh;
  readonly queue = new EventQueue();
  readonly procs: Proc[] = [];
  /** pid -> process index (-1 when the pid is not active) */
  private readonly procOfPid: Int32Array;
  /**
   * Processes that take part in bcast and reduce: every active process, host virtual cores
   * included (ePython's device code loops over device cores only, which hangs mixed runs).
   */
  private readonly members: number[] = [];
  readonly layout: CoreLayout;
  readonly warnings: string[] = [];
  private readonly P: number;
  // postbox slots, one per ordered pair (sender * P + receiver)
  private readonly slotFull: Uint8Array;
  private readonly slotTag: Uint8Array;
  private readonly slotVal: Float64Array;
  private readonly slotVisible: Float64Array;
  /** time the receiver consumed the last message of the pair (its acknowledgement), -1 if never */
  private readonly slotAck: Float64Array;
  private readonly readRtByHops: Float64Array;
  private barrierCount = 0;
  private error: SimError | null = null;
  messages = 0;
  messageBytes = 0;
  private events = 0;
  private readonly maxSteps: number;
  private readonly msgCallCycles: number;
  private readonly maxCycles: number;
  private readonly hostCycles: { print: number; input: number; concat: number; maths: number };

  constructor(
    readonly image: ProgramImage,
    readonly config: RunConfig,
    readonly io: HostIo,
    readonly sink: TraceSink = NULL_SINK,
  ) {
    const spec = chipSpec(config.chip);
    if (!spec) throw new Error(`unknown chip ${config.chip}`);
    this.spec = spec;
    this.mesh = new Mesh(spec);
    const nDevice = config.cores.length;
    this.P = nDevice + config.hostCores;
    const symbolBytes = symbolEntries(image) * SYMBOL_ENTRY_BYTES;
    this.layout = layoutCore(spec, {
      codeBytes: codeBytes(image),
      symbolBytes,
      activeCores: Math.max(16, this.P),
      codeShared: config.codeShared,
      codeCore: config.codeCore,
      dataShared: config.dataShared,
    });
    this.warnings.push(...this.layout.warnings);
    const L = this.layout;
    const deviceCosts = deviceVmCosts(spec, { codeOnCore: L.codeOnCore, dataShared: config.dataShared });
    const hostCosts = hostVmCosts();
    const stackCells = Math.floor((L.stackBytes + L.sharedStackBytes) / SYMBOL_ENTRY_BYTES);
    const maxPid = Math.max(nDevice > 0 ? config.cores[nDevice - 1]! + 1 : 0, nDevice) + config.hostCores;
    this.procOfPid = new Int32Array(maxPid + 1).fill(-1);
    const numCores = this.P;
    config.cores.forEach((core, i) => {
      const vm = new Vm(image, { coreId: core, numCores, isHost: false, heapBytes: L.heapBytes, sharedHeapBytes: L.sharedHeapBytes, stackCells }, deviceCosts);
      const p = new Proc(i, core, core, false, `device ${core}`, vm, Prng.forStream(config.seed, core));
      // every operation of such a core reaches shared DRAM: slice it from the start
      p.sliced = !L.codeOnCore || config.dataShared;
      this.procs.push(p);
      this.members.push(i);
      this.procOfPid[core] = i;
    });
    // host virtual cores take the pids after the device cores (host/main.c:193-221)
    for (let t = 0; t < config.hostCores; t++) {
      const pid = nDevice + t;
      const vm = new Vm(image, { coreId: pid, numCores, isHost: true, heapBytes: 1 << 20, sharedHeapBytes: 1 << 20, stackCells: 1 << 16 }, hostCosts);
      const p = new Proc(this.procs.length, pid, -1, true, `host ${t}`, vm, Prng.forStream(config.seed, 100000 + t));
      this.procs.push(p);
      this.members.push(p.idx);
      if (this.procOfPid[pid] !== -1) throw new Error(`process id ${pid} is taken twice`);
      this.procOfPid[pid] = p.idx;
    }
    for (const p of this.procs) {
      const idx = p.idx;
      p.vm.gcHook = (cycle, before, after, pause) => this.sink.gc(p.base + cycle, idx, before, after, pause);
    }
    const PP = this.P * this.P;
    this.slotFull = new Uint8Array(PP);
    this.slotTag = new Uint8Array(PP);
    this.slotVal = new Float64Array(PP);
    this.slotVisible = new Float64Array(PP);
    this.slotAck = new Float64Array(PP).fill(-1);
    // zero-load remote read round trips by hop count, measured on a scratch mesh
    const scratch = new Mesh(spec);
    const maxH = spec.rows + spec.cols;
    this.readRtByHops = new Float64Array(maxH + 1);
    for (let h = 0; h <= maxH; h++) {
      scratch.reset();
      const r = Math.min(h, spec.cols - 1);
      const d = Math.min(h - r, spec.rows - 1);
      this.readRtByHops[h] = scratch.read(0, d * spec.cols + r, 4, 0);
    }
    this.msgCallCycles = R.RUNTIME_MESSAGE_CALL_CYCLES; // core cycles: the same on every chip
    this.maxSteps = config.maxSteps > 0 ? config.maxSteps : Infinity;
    this.maxCycles = config.maxCycles > 0 ? config.maxCycles : Infinity;
    this.hostCycles = {
      print: fromReferenceCycles(spec, C.HOST_SERVICE_CYCLES),
      input: fromReferenceCycles(spec, C.HOST_INPUT_SERVICE_CYCLES),
      concat: fromReferenceCycles(spec, C.HOST_CONCAT_SERVICE_CYCLES),
      maths: fromReferenceCycles(spec, C.HOST_MATH_SERVICE_CYCLES),
    };
  }

  // --- the event loop ----------------------------------------------------------------------------

  run(): SimResult {
    for (const p of this.procs) this.queue.push(0, EV_RUN, p.idx, 0);
    const q = this.queue;
    while (this.error === null && q.pop()) {
      this.events++;
      const p = this.procs[q.a]!;
      const t = q.time;
      if (q.kind === EV_RUN) this.runProc(p, t);
      else if (q.kind === EV_REQ) this.handleRequest(p, t);
      else this.continueOps(p, t);
    }
    if (this.error === null) this.checkDeadlock();
    let total = 0;
    for (const p of this.procs) total = Math.max(total, p.finish >= 0 ? p.finish : this.procTime(p));
    if (this.error) total = Math.max(total, this.error.time);
    // where the traffic went when: every link's busy cycles per time window
    const { windowCycles, windows } = this.mesh.linkLoadWindows();
    windows.forEach((links, w) => {
      for (const l of links) this.sink.link(w * windowCycles, l.mesh === "c" ? 0 : l.mesh === "r" ? 1 : 2, l.from, l.to, l.busyCycles);
    });
    return {
      ok: this.error === null,
      error: this.error,
      procs: this.procs.map((p) => ({
        pid: p.pid,
        kind: p.isHost ? "host" : "device",
        core: p.core,
        label: p.label,
        finishCycles: p.finish >= 0 ? p.finish : this.procTime(p),
        steps: p.vm.steps,
        gcCount: p.vm.heap.collections,
        maxStackCells: p.vm.maxSp,
      })),
      totalCycles: total,
      clockHz: this.spec.clockHz,
      messages: this.messages,
      messageBytes: this.messageBytes,
      events: this.events,
      linkWindowCycles: windowCycles,
      layout: this.layout,
      warnings: this.warnings,
    };
  }

  private procTime(p: Proc): number {
    return p.base + p.vm.cycles;
  }

  /**
   * Schedule `kind` for p at t. Always through the queue (never a nested call), so chains of
   * wake-ups cannot grow the JavaScript stack; ties keep insertion order.
   */
  private at(p: Proc, t: number, kind: number): void {
    if (this.error === null) this.queue.push(t, kind, p.idx, 0);
  }

  private runProc(p: Proc, t: number): void {
    const vm = p.vm;
    p.base = t - vm.cycles;
    if (!p.midSlice) this.sink.coreState(t, p.idx, CoreState.Running, vm.line());
    p.midSlice = false;
    const limit = this.maxCycles - p.base;
    const sliceLimit = p.sliced ? Math.min(limit, vm.cycles + C.SHARED_SLICE_CYCLES) : limit;
    const stepsBefore = vm.steps;
    let st = vm.run(sliceLimit, this.maxSteps);
    // stopped by the slice, not by a limit of the run (a slice always gets at least one operation)
    let sliceEnd = st === Status.Budget && !vm.outOfSteps && sliceLimit < limit;
    if (sliceEnd && vm.steps === stepsBefore) {
      st = vm.run(limit, this.maxSteps);
      sliceEnd = false;
    }
    let now = this.procTime(p);
    if (!p.isHost) now += this.bookSharedTraffic(p, t, now);
    const used = vm.heap.usedBytes();
    if (used !== p.heapReported) {
      p.heapReported = used;
      this.sink.heap?.(now, p.idx, used);
    }
    switch (st) {
      case Status.Done:
        p.finish = now;
        p.waitKind = W_DONE;
        this.sink.coreState(now, p.idx, CoreState.Done, vm.line());
        return;
      case Status.Error:
        this.fail(p, now, "runtime", vm.error, vm.errorPc);
        return;
      case Status.Budget: {
        if (sliceEnd) {
          // the end of a slice, not a limit: go on when everything due before has happened
          p.midSlice = true;
          this.at(p, now, EV_RUN);
          return;
        }
        const what = vm.outOfSteps ? `step limit of ${this.config.maxSteps} byte-code operations` : `time limit of ${this.config.maxCycles} cycles`;
        this.fail(p, now, "limit", `${what} reached`, vm.pc);
        return;
      }
      default:
        // nothing else is due before `now`: serve the request right away
        if (now <= this.queue.peekTime()) this.handleRequest(p, now);
        else this.at(p, now, EV_REQ);
    }
  }

  /**
   * Book the shared-DRAM words p's byte code read and wrote since the last booking (code fetches
   * when the code is in shared memory, variables under -datashared, arrays in the shared heap)
   * on the eLink; returns the cycles p stalled because the eLink was busy, which p's clock takes.
   */
  private bookSharedTraffic(p: Proc, t0: number, t1: number): number {
    const vm = p.vm;
    const reads = (this.layout.codeOnCore ? 0 : vm.steps) + (this.config.dataShared ? vm.varReads : 0) + vm.sharedReads;
    const writes = (this.config.dataShared ? vm.varWrites : 0) + vm.sharedWrites;
    const r = reads - p.readsBooked;
    const w = writes - p.writesBooked;
    if (r === 0 && w === 0) return 0;
    p.readsBooked = reads;
    p.writesBooked = writes;
    p.sliced = true;
    const late = this.mesh.elinkTraffic(t0, t1, r, w);
    vm.cycles += late;
    return late;
  }

  private fail(p: Proc, time: number, kind: SimError["kind"], message: string, pc: number): void {
    const where = lineAt(this.image, p.vm.userPc(pc));
    this.error = { kind, message, proc: p.idx, label: p.label, file: where.file, line: where.line, time };
    this.sink.coreState(time, p.idx, CoreState.Failed, where.line);
    this.sink.error(time, p.idx, where.line, message);
  }

  // --- requests --------------------------------------------------------------------------------

  private hostService(p: Proc, t: number, cycles: number, kind: number): number {
    const end = p.isHost ? t + cycles * R.HOST_LOCAL_SERVICE_FRACTION : this.mesh.hostRoundTrip(p.core, t, cycles);
    this.sink.coreState(t, p.idx, CoreState.Host, p.vm.line());
    this.sink.host(t, end, p.idx, kind);
    return end;
  }

  private handleRequest(p: Proc, t: number): void {
    const vm = p.vm;
    switch (vm.req) {
      case Req.Print: {
        const end = this.hostService(p, t, this.hostCycles.print, HostKind.Print);
        const text = vm.reqText ?? "";
        this.io.output(`[${p.label}] ${text}`);
        this.sink.output(end, p.idx, text);
        return this.at(p, end, EV_RUN);
      }
      case Req.Host: {
        const concat = vm.reqValA === HOST_CONCAT;
        const end = this.hostService(p, t, concat ? this.hostCycles.concat : this.hostCycles.maths, concat ? HostKind.Concat : HostKind.Maths);
        return this.at(p, end, EV_RUN);
      }
      case Req.Rand: {
        const end = this.hostService(p, t, this.hostCycles.maths, HostKind.Rand);
        vm.push(Tag.Int, p.rng.nextInt31());
        return this.at(p, end, EV_RUN);
      }
      case Req.Input: {
        const end = this.hostService(p, t, this.hostCycles.input, HostKind.Input);
        const line = this.io.input(vm.reqText, p.label);
        if (!vm.pushInput(line ?? "")) return this.fail(p, end, "runtime", vm.error, vm.pc);
        return this.at(p, end, EV_RUN);
      }
      default:
        return this.startOps(p, t);
    }
  }

  /** Check a pid named by a request; records the error and returns -1 when it is not active. */
  private target(p: Proc, t: number, pid: number, what: string): number {
    const q = pid >= 0 && pid < this.procOfPid.length ? this.procOfPid[pid]! : -1;
    if (q < 0) {
      const active = this.describeActive();
      this.fail(p, t, "runtime", `attempting to ${what} core ${pid}, which is not an active core (active: ${active})`, p.vm.pc);
    }
    return q;
  }

  private describeActive(): string {
    const pids = this.procs.map((p) => p.pid);
    const ranges: string[] = [];
    let i = 0;
    while (i < pids.length) {
      let j = i;
      while (j + 1 < pids.length && pids[j + 1] === pids[j]! + 1) j++;
      ranges.push(j > i ? `${pids[i]}-${pids[j]}` : `${pids[i]}`);
      i = j + 1;
    }
    return ranges.join(", ");
  }

  /** Turn a messaging or collective request into a sequence of runtime operations and start it. */
  private startOps(p: Proc, t: number): void {
    const vm = p.vm;
    p.nops = 0;
    p.opPos = 0;
    p.curTag = vm.reqTagA;
    p.curVal = vm.reqValA;
    p.accTag = vm.reqTagA;
    p.accVal = vm.reqValA;
    p.gotTag = Tag.None;
    p.gotVal = 0;
    p.resKind = RES_NONE;
    switch (vm.req) {
      case Req.Send:
      case Req.NbSend:
      case Req.SendRecv: {
        const q = this.target(p, t, vm.reqValB, vm.req === Req.SendRecv ? "sendrecv with" : "send to");
        if (q < 0) return;
        if (vm.req === Req.Send) p.addOp(OP_SEND, q);
        else if (vm.req === Req.NbSend) p.addOp(OP_NBSEND, q);
        else {
          // write to q, receive from q, then wait for q's acknowledgement (device-functions.c:798-818)
          p.addOp(OP_NBSEND, q);
          p.addOp(OP_RECV, q);
          p.addOp(OP_WAITACK, q);
          p.resKind = RES_GOT;
        }
        break;
      }
      case Req.Recv:
      case Req.Probe:
      case Req.TestSent:
      case Req.WaitSent: {
        const what = vm.req === Req.Recv ? "receive from" : vm.req === Req.Probe ? "probe" : "test a send to";
        const q = this.target(p, t, vm.reqValA, what);
        if (q < 0) return;
        const op = vm.req === Req.Recv ? OP_RECV : vm.req === Req.Probe ? OP_PROBE : vm.req === Req.TestSent ? OP_TESTSENT : OP_WAITACK;
        p.addOp(op, q);
        p.resKind = vm.req === Req.WaitSent ? RES_NONE : RES_GOT;
        break;
      }
      case Req.Bcast: {
        const root = this.target(p, t, vm.reqValB, "broadcast from");
        if (root < 0) return;
        if (p.idx === root) {
          // the root sends to each active core in id order (device-functions.c:863-877)
          for (const q of this.members) if (q !== root) p.addOp(OP_SEND, q);
          p.resKind = RES_ACC;
        } else {
          p.addOp(OP_RECV, root);
          p.resKind = RES_GOT;
        }
        break;
      }
      case Req.Reduce:
        p.reduceOp = vm.reqValB;
        this.planReduce(p);
        p.resKind = RES_ACC;
        break;
      case Req.Sync:
        p.addOp(OP_BARRIER, 0);
        break;
      default:
        return this.fail(p, t, "runtime", `internal error: unknown request ${vm.req}`, vm.pc);
    }
    this.sink.coreState(t, p.idx, vm.req === Req.Reduce || vm.req === Req.Bcast ? CoreState.Collective : vm.req === Req.Sync ? CoreState.Barrier : vm.req === Req.Recv ? CoreState.BlockedRecv : CoreState.BlockedSend, vm.line());
    this.continueOps(p, t);
  }

  /** The reduce algorithm as a sequence of operations; the result ends in acc on every core. */
  private planReduce(p: Proc): void {
    const devs = this.members;
    const n = devs.length;
    const r = devs.indexOf(p.idx);
    if (n === 1) return;
    switch (this.config.reduce) {
      case "epython":
        // every core exchanges its own value with every other core in ascending id order
        for (const q of devs) {
          if (q === p.idx) continue;
          p.addOp(OP_NBSEND, q);
          p.addOp(OP_RECV, q);
          p.addOp(OP_WAITACK, q);
          p.addOp(OP_COMBINE, 0);
        }
        return;
      case "ring": {
        const right = devs[(r + 1) % n]!;
        const left = devs[(r - 1 + n) % n]!;
        for (let i = 1; i < n; i++) {
          p.addOp(OP_NBSEND, right);
          p.addOp(OP_RECV, left);
          p.addOp(OP_WAITACK, right);
          p.addOp(OP_COMBINE, 0);
          p.addOp(OP_CUR_GOT, 0);
        }
        return;
      }
      case "tree": {
        // binomial reduce to rank 0, then binomial broadcast of the result
        let mask = 1;
        for (; mask < n; mask <<= 1) {
          if (r & mask) {
            p.addOp(OP_CUR_ACC, 0);
            p.addOp(OP_SEND, devs[r - mask]!);
            break;
          } else if (r + mask < n) {
            p.addOp(OP_RECV, devs[r + mask]!);
            p.addOp(OP_COMBINE, 0);
          }
        }
        let top = 1;
        while (top * 2 < n) top *= 2;
        for (let m = top; m >= 1; m >>= 1) {
          if (r % (2 * m) === 0 && r + m < n) {
            p.addOp(OP_CUR_ACC, 0);
            p.addOp(OP_SEND, devs[r + m]!);
          } else if (r % (2 * m) === m) {
            p.addOp(OP_RECV, devs[r - m]!);
            p.addOp(OP_ACC_GOT, 0);
          }
        }
        return;
      }
    }
  }

  /** Run p's operation sequence from opPos at time t until it blocks or completes. */
  private continueOps(p: Proc, t: number): void {
    while (p.opPos < p.nops) {
      if (this.error !== null) return;
      const op = p.ops[p.opPos]!;
      const q = p.ops[p.opPos + 1]!;
      let next = t; // time the operation completes, or -1 when p now waits
      switch (op) {
        case OP_SEND:
        case OP_NBSEND:
        case OP_WAITACK: {
          if (op !== OP_WAITACK) {
            if (this.slotFull[p.idx * this.P + q]) {
              // my previous message to q has not been consumed: wait for it first
              p.waitKind = W_SLOT;
              p.waitOn = q;
              p.waitStart = t;
              return;
            }
            next = this.postMessage(p, q, t + this.msgCallCycles);
            if (op === OP_NBSEND) break;
          }
          const ack = this.slotAck[p.idx * this.P + q]!;
          if (this.slotFull[p.idx * this.P + q] || ack < 0) {
            if (!this.slotFull[p.idx * this.P + q]) break; // nothing outstanding
            p.waitKind = W_ACK;
            p.waitOn = q;
            p.waitStart = next;
            p.opPos += 2;
            return;
          }
          next = this.pollSeen(p, q, next, ack);
          break;
        }
        case OP_RECV: {
          const s = q * this.P + p.idx;
          const spinFrom = t + this.msgCallCycles;
          if (!this.slotFull[s]) {
            p.waitKind = W_RECV;
            p.waitOn = q;
            p.waitStart = spinFrom;
            p.opPos += 2;
            return;
          }
          next = this.consume(p, q, spinFrom);
          break;
        }
        case OP_COMBINE:
          this.combine(p);
          break;
        case OP_CUR_GOT:
          p.curTag = p.gotTag;
          p.curVal = p.gotVal;
          break;
        case OP_ACC_GOT:
          p.accTag = p.gotTag;
          p.accVal = p.gotVal;
          break;
        case OP_CUR_ACC:
          p.curTag = p.accTag;
          p.curVal = p.accVal;
          break;
        case OP_PROBE: {
          const s = q * this.P + p.idx;
          p.gotTag = Tag.Bool;
          p.gotVal = this.slotFull[s] && this.slotVisible[s]! <= t ? 1 : 0;
          next = t + C.POSTBOX_POLL_CYCLES;
          // a core spinning on probe() of a core that has finished, with nothing left in its
          // postbox, would spin forever: the deadlock check cannot see it, as the core runs
          if (p.gotVal === 0 && this.procs[q]!.finish >= 0 && !this.slotFull[s]) {
            if (++p.hopelessProbes >= LIVELOCK_PROBES) {
              const line = lineAt(this.image, p.vm.userPc()).line;
              const msg = `livelock: ${p.label} (line ${line}) has probed ${this.procs[q]!.label}, which has finished and sent nothing more, ${LIVELOCK_PROBES.toLocaleString("en-US")} times in a row`;
              this.fail(p, t, "deadlock", msg, p.vm.pc);
              return;
            }
          } else p.hopelessProbes = 0;
          break;
        }
        case OP_TESTSENT: {
          const s = p.idx * this.P + q;
          const rt = this.readRt(p, q);
          p.gotTag = Tag.Bool;
          p.gotVal = !this.slotFull[s] || (this.slotAck[s]! >= 0 && this.slotAck[s]! <= t + rt / 2) ? 1 : 0;
          next = t + rt;
          break;
        }
        case OP_BARRIER:
          p.opPos += 2;
          this.enterBarrier(p, t);
          return;
      }
      p.opPos += 2;
      if (next > t) {
        // time passes: let everything due before `next` happen first
        if (next > this.queue.peekTime()) {
          this.queue.push(next, EV_CONT, p.idx, 0);
          return;
        }
        t = next;
      }
    }
    this.finishOps(p, t);
  }

  private finishOps(p: Proc, t: number): void {
    p.waitKind = W_NONE;
    if (p.resKind === RES_GOT) p.vm.push(p.gotTag, p.gotVal);
    else if (p.resKind === RES_ACC) p.vm.push(p.accTag, p.accVal);
    else p.vm.push(Tag.None, 0);
    this.at(p, t, EV_RUN);
  }

  /** Resume a waiting process: its current operation has completed at t. */
  private wake(p: Proc, t: number): void {
    p.waitKind = W_NONE;
    this.at(p, t, EV_CONT);
  }

  /** Zero-load round trip of a remote read from p's core to q's core. */
  private readRt(p: Proc, q: number): number {
    const qc = this.procs[q]!;
    if (p.isHost || qc.isHost) return this.mesh.dramReadLatency(p.isHost ? Math.max(0, qc.core) : p.core);
    return this.readRtByHops[meshHops(this.spec, p.core, qc.core)]!;
  }

  /**
   * When p, polling q's postbox with back-to-back remote reads since `pollStart`, first sees the
   * acknowledgement that became visible at `ack`: a read samples the slot half-way through its
   * round trip; p resumes when that read returns.
   */
  private pollSeen(p: Proc, q: number, pollStart: number, ack: number): number {
    const rt = this.readRt(p, q);
    const period = rt + C.POSTBOX_POLL_CYCLES;
    const k = Math.max(0, Math.ceil((ack - pollStart - rt / 2) / period));
    // the k + 1 polls load the read mesh (and the replies the write mesh); at zero load, see readRt
    const qc = this.procs[q]!;
    if (!p.isHost && !qc.isHost) this.mesh.accountPolls(p.core, qc.core, pollStart, period, k + 1);
    return pollStart + k * period + rt;
  }

  /** Write p's message (its `cur` value) into q's postbox at t; returns when p's stores are issued. */
  private postMessage(p: Proc, q: number, t: number): number {
    const s = p.idx * this.P + q;
    const qp = this.procs[q]!;
    let visible = t;
    let hopCount = 0;
    if (p.isHost || qp.isHost) {
      // host virtual cores talk to device cores through shared DRAM (host-functions.c:524-610)
      const devCore = p.isHost ? qp.core : p.core;
      visible = devCore >= 0 ? this.mesh.dramWrite(devCore, MSG_BYTES, t) : t + fromReferenceCycles(this.spec, R.HOST_TO_HOST_MESSAGE_CYCLES);
    } else {
      // byte by byte: each store is its own cMesh packet; the sequence byte lands last
      for (let i = 0; i < MSG_BYTES; i++) visible = this.mesh.write(p.core, qp.core, 1, t + i * STORE_ISSUE_CYCLES);
      hopCount = meshHops(this.spec, p.core, qp.core);
    }
    this.slotFull[s] = 1;
    this.slotTag[s] = p.curTag;
    this.slotVal[s] = p.curVal;
    this.slotVisible[s] = visible;
    this.slotAck[s] = -1;
    this.messages++;
    this.messageBytes += MSG_BYTES;
    this.sink.message(t, visible, p.idx, q, hopCount, MSG_BYTES);
    // the receiver may already be spinning on this slot
    if (qp.waitKind === W_RECV && qp.waitOn === p.idx) {
      const c = this.consume(qp, p.idx, qp.waitStart);
      this.wake(qp, c);
    }
    return t + MSG_BYTES * STORE_ISSUE_CYCLES;
  }

  /**
   * p (spinning on its slot for q since `since`) consumes q's message; returns when p continues.
   * Wakes q if it waits for the acknowledgement or for the slot.
   */
  private consume(p: Proc, q: number, since: number): number {
    const s = q * this.P + p.idx;
    p.hopelessProbes = 0;
    const seen = localSpinResumeAt(since, this.slotVisible[s]!);
    p.gotTag = this.slotTag[s]!;
    p.gotVal = this.slotVal[s]!;
    this.slotFull[s] = 0;
    const ack = seen + C.LOCAL_WORD_ACCESS_CYCLES; // write the sequence byte back as the ACK
    this.slotAck[s] = ack;
    const sender = this.procs[q]!;
    if (sender.waitOn === p.idx && (sender.waitKind === W_ACK || sender.waitKind === W_SLOT)) {
      const seenAt = this.pollSeen(sender, p.idx, sender.waitStart, ack);
      this.wake(sender, seenAt);
    }
    return ack;
  }

  private combine(p: Proc): void {
    const op = p.reduceOp;
    const a = p.accVal;
    const b = p.gotVal;
    if (p.accTag === Tag.Int || p.accTag === Tag.Bool) {
      // the local value's type decides (device-functions.c:882-919)
      const bi = p.gotTag === Tag.Real ? Math.trunc(b) | 0 : b;
      p.accTag = Tag.Int;
      p.accVal = op === ReduceOp.sum ? (a + bi) | 0 : op === ReduceOp.prod ? Math.imul(a, bi) : op === ReduceOp.min ? Math.min(a, bi) : Math.max(a, bi);
    } else {
      const x = Math.fround(a);
      const y = Math.fround(b);
      p.accVal = op === ReduceOp.sum ? Math.fround(x + y) : op === ReduceOp.prod ? Math.fround(x * y) : op === ReduceOp.min ? Math.min(x, y) : Math.max(x, y);
    }
  }

  // --- barrier ---------------------------------------------------------------------------------

  private enterBarrier(p: Proc, t: number): void {
    p.waitKind = W_BARRIER;
    p.waitStart = t;
    p.barrierEntry = t;
    this.barrierCount++;
    if (this.barrierCount < this.procs.length) return;
    this.barrierCount = 0;
    const parts = this.procs;
    if (this.config.barrier === "wand") {
      let last = 0;
      for (const q of parts) last = Math.max(last, q.barrierEntry);
      const release = last + fromReferenceCycles(this.spec, C.BARRIER_WAND_CYCLES);
      for (const q of parts) this.releaseBarrier(q, release);
      return;
    }
    // ePython's flip-flop barrier rooted at the lowest active core (device/main.c:79-95):
    // each core sets its flag on the root with a posted write; the root spins until all are
    // set, then releases each core in id order with another posted write.
    const root = parts[0]!;
    let allIn = root.barrierEntry;
    for (const q of parts) {
      if (q === root) continue;
      const arrive = q.isHost || root.isHost ? q.barrierEntry + this.mesh.dramReadLatency(Math.max(0, root.core)) : this.mesh.write(q.core, root.core, 1, q.barrierEntry);
      allIn = Math.max(allIn, arrive);
    }
    let tRoot = localSpinResumeAt(root.barrierEntry, allIn);
    for (const q of parts) {
      if (q === root) continue;
      const arrive = q.isHost || root.isHost ? tRoot + this.mesh.dramReadLatency(Math.max(0, root.core)) : this.mesh.write(root.core, q.core, 1, tRoot);
      tRoot += STORE_ISSUE_CYCLES;
      this.releaseBarrier(q, localSpinResumeAt(q.barrierEntry, arrive));
    }
    this.releaseBarrier(root, tRoot);
  }

  private releaseBarrier(p: Proc, t: number): void {
    p.waitKind = W_NONE;
    if (p.opPos < p.nops) this.wake(p, t);
    else {
      // the barrier was the last operation: hand `none` back to the byte code
      p.vm.push(Tag.None, 0);
      this.at(p, t, EV_RUN);
    }
  }

  // --- deadlock ----------------------------------------------------------------------------------

  private checkDeadlock(): void {
    const stuck = this.procs.filter((p) => p.finish < 0);
    if (stuck.length === 0) return;
    const lines = stuck.map((p) => {
      const line = lineAt(this.image, p.vm.userPc()).line;
      const other = p.waitOn >= 0 ? this.procs[p.waitOn]! : null;
      const who = other ? `${other.label}${other.finish >= 0 ? " (which has finished)" : ""}` : "";
      switch (p.waitKind) {
        case W_RECV:
          return `${p.label} (line ${line}) waits to receive from ${who}`;
        case W_ACK:
          return `${p.label} (line ${line}) waits for ${who} to receive its message`;
        case W_SLOT:
          return `${p.label} (line ${line}) waits to send to ${who}, whose postbox still holds its previous message`;
        case W_BARRIER: {
          const done = this.procs.filter((q) => q.finish >= 0).map((q) => q.label);
          return `${p.label} (line ${line}) waits at sync()${done.length ? ` but ${done.join(", ")} ${done.length === 1 ? "has" : "have"} finished` : ""}`;
        }
        default:
          return `${p.label} (line ${line}) is blocked`;
      }
    });
    const first = stuck[0]!;
    let time = 0;
    for (const p of stuck) time = Math.max(time, p.waitStart);
    const where = lineAt(this.image, first.vm.userPc());
    this.error = {
      kind: "deadlock",
      message: `deadlock: every remaining core is waiting\n  ${lines.join("\n  ")}`,
      proc: first.idx,
      label: first.label,
      file: where.file,
      line: where.line,
      time,
    };
    this.sink.error(time, first.idx, where.line, this.error.message);
  }
}

function localSpinResumeAt(since: number, visible: number): number {
  return C.localSpinResume(since, visible);
}

/** Run a compiled program on the simulated chip. */
export function simulate(image: ProgramImage, config: RunConfig, io: HostIo, sink: TraceSink = NULL_SINK): SimResult {
  return new Simulation(image, config, io, sink).run();
}
