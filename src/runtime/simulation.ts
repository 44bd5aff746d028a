/**
 * ePython's parallel runtime on the simulated chip: one VM per process, driven by the kernel
 * (src/machine/kernel.ts), with the runtime's clients serving what the byte code asks for:
 * host services (host-services.ts), remote variables (remote-memory.ts), messages and collectives on the postboxes (operations.ts,
 * postbox.ts, collectives.ts), the barrier (barrier.ts), and the reports when a run cannot go on
 * (reports.ts).
 *
 * Scheduling is conservative discrete-event simulation run sequentially: a core executes byte
 * code on its own clock until it makes a request; the request is handled when every event before
 * it has been (the kernel's queue is keyed on (time, sequence)). Cores interact only through
 * requests, so no core ever sees shared state before it has been simulated up to that time.
 *
 * The step and cycle limits are per core: a core that reaches its limit stops there and the others
 * go on until each completes, reaches its own, or waits for good (the run then ends as a limit,
 * naming who waits on the stopped cores). An error (or an interrupt) ends the whole run at once.
 */
import { type ProgramImage, codeBytes, SYMBOL_ENTRY_BYTES, symbolEntries, lineAt } from "../lang/image.js";
import type { RunConfig } from "../config/run-config.js";
import { type ChipSpec, chipSpec } from "../machine/chip.js";
import { SHARED_SLICE_CYCLES } from "../machine/costs.js";
import { Kernel } from "../machine/kernel.js";
import { type CoreLayout, layoutCore, stackCells as scalarStackCells } from "../machine/memory-map.js";
import { Mesh } from "../machine/mesh.js";
import { Prng } from "../machine/prng.js";
import { CoreState, NULL_SINK, type TraceSink } from "../trace/sink.js";
import { compilingTier, DEFAULT_EXECUTION, type Execution, Status, Vm } from "../vm/vm.js";
import { Barrier } from "./barrier.js";
import type { RuntimeContext } from "./context.js";
import { HostServices } from "./host-services.js";
import { Messaging } from "./operations.js";
import { Postbox } from "./postbox.js";
import { Proc, Result, WaitKind } from "./process.js";
import { RemoteMemory } from "./remote-memory.js";
import { deadlockReport, isWaiting, limitReport, waitingFor } from "./reports.js";
import { type CoreIds, coreIdsOf, planStartup } from "./runtime-calls.js";
import type { HostIo, ProcEnd, SimError, SimResult } from "./run-result.js";
import { deviceVmCosts, hostVmCosts } from "./vm-costs.js";

// kernel events, all for one process (the event's `a`)
/** resume the VM */
const EV_RUN = 0;
/** handle the VM's pending request */
const EV_REQ = 1;
/** continue the process's operation sequence */
const EV_CONT = 2;

/** Host virtual cores interpret on the ARM with far more memory than a core's SRAM. GUESS sizes. */
const HOST_HEAP_BYTES = 1 << 20;
const HOST_STACK_CELLS = 1 << 16;
/** Random streams of host virtual core t are number HOST_STREAM_BASE + t (device cores: their id). */
const HOST_STREAM_BASE = 100000;

/**
 * Drives a process from outside instead of by its byte code (src/offload: a CPython program acting
 * as a host process): whenever that process would run byte code (its start, the end of a request)
 * the simulation calls run(p, t) instead; the driver sets a request on p's VM (req, reqTagA/ValA,
 * reqTagB/ValB) and hands it to serveRequest, or calls pauseForDriver to wait for outside input.
 */
export interface ProcDriver {
  run(p: Proc, t: number): void;
}

export class Simulation implements RuntimeContext {
  readonly spec: ChipSpec;
  readonly mesh: Mesh;
  readonly kernel = new Kernel();
  readonly procs: Proc[] = [];
  readonly layout: CoreLayout;
  readonly warnings: string[] = [];
  private readonly messaging: Messaging;
  /** the active cores as ePython's runtime loops see them */
  private readonly cores: CoreIds;
  private readonly hostServices: HostServices;
  private readonly remoteMemory: RemoteMemory;
  private error: SimError | null = null;
  /** the first core to reach its step or cycle limit (the earliest in simulated time), as the run's error would name it */
  private firstLimit: SimError | null = null;
  private readonly maxSteps: number;
  private readonly maxCycles: number;
  /**
   * Byte-code operations a core may run before the simulation pauses inside the event, so that a
   * caller running in slices (advance()) regains control even from a core that loops without a
   * request; Infinity (the default): never. Pauses change nothing in the run.
   */
  quantumSteps = Infinity;
  /** the byte-code run that paused (see quantumSteps), resumed by the next advance() */
  private paused: { p: Proc; t: number; limit: number; sliceLimit: number; stepsBefore: number; phase: 1 | 2 } | null = null;
  /** the process driven from outside (drive()), -1 for none: every existing run has none */
  private drivenIdx = -1;
  private driver: ProcDriver | null = null;

  constructor(
    readonly image: ProgramImage,
    readonly config: RunConfig,
    io: HostIo,
    readonly sink: TraceSink = NULL_SINK,
    /** how the byte code is executed (a speed choice: no run's results depend on it) */
    private readonly execution: Execution = DEFAULT_EXECUTION,
  ) {
    const spec = chipSpec(config.chip);
    if (!spec) throw new Error(`unknown chip ${config.chip}`);
    this.spec = spec;
    const scales = config.costScales ?? {};
    this.mesh = new Mesh(spec, scales);
    const nProcs = config.cores.length + config.hostCores;
    this.layout = layoutCore(spec, {
      codeBytes: codeBytes(image),
      symbolBytes: symbolEntries(image) * SYMBOL_ENTRY_BYTES,
      activeCores: Math.max(16, nProcs),
      codeShared: config.codeShared,
      codeCore: config.codeCore,
      dataShared: config.dataShared,
    });
    this.warnings.push(...this.layout.warnings);
    this.createProcs();
    this.cores = coreIdsOf(spec, this.procs);
    const postbox = new Postbox(spec, this.mesh, this.procs.map((p) => p.core));
    const firstDevice = this.procs.find((p) => !p.isHost) ?? null;
    const barrier = new Barrier(config.barrier, this.procs, this, firstDevice, (p, t) => this.messaging.wake(p, t));
    this.messaging = new Messaging(this, this.mesh, postbox, this.cores, config.reduce, barrier);
    this.hostServices = new HostServices(this, spec, this.messaging, io);
    postbox.localScale = scales.runtime ?? 1; // the C runtime's local work, in the postboxes and the engine
    this.hostServices.serviceScale = scales.host ?? 1;
    this.remoteMemory = new RemoteMemory(this, this.mesh);
    this.maxSteps = config.maxSteps > 0 ? config.maxSteps : Infinity;
    this.maxCycles = config.maxCycles > 0 ? config.maxCycles : Infinity;
    this.kernel.onEvent((kind, a) => {
      const p = this.procs[a]!;
      if (kind === EV_RUN) {
        if (a === this.drivenIdx) this.driver!.run(p, this.kernel.now);
        else this.runProc(p, this.kernel.now);
      }
      else if (kind === EV_REQ) this.handleRequest(p, this.kernel.now);
      else this.messaging.continue(p, this.kernel.now);
    });
  }

  /** One process per device core (pid = core id), then the host virtual cores (host/main.c:193-221). */
  private createProcs(): void {
    const { config, image, layout: L } = this;
    const nDevice = config.cores.length;
    const numCores = nDevice + config.hostCores;
    const scales = config.costScales ?? {};
    const deviceCosts = deviceVmCosts(this.spec, { codeOnCore: L.codeOnCore, dataShared: config.dataShared, interpreterScale: scales.interpreter ?? 1, dramScale: scales.dram ?? 1 });
    const stackCells = scalarStackCells(L); // ePython's 4-byte cells (memory-map.ts)
    const deviceTier = compilingTier(image, deviceCosts, this.execution);
    config.cores.forEach((core, i) => {
      const vm = new Vm(image, { coreId: core, numCores, isHost: false, heapBytes: L.heapBytes, sharedHeapBytes: L.sharedHeapBytes, stackCells }, deviceCosts);
      vm.tier = deviceTier;
      const p = new Proc(i, core, core, false, `device ${core}`, vm, Prng.forStream(config.seed, core));
      // every operation of such a core reaches shared DRAM: slice it from the start
      p.slice.sliced = !L.codeOnCore || config.dataShared;
      this.procs.push(p);
    });
    // host virtual cores take the pids after the device cores
    const hostCosts = hostVmCosts(scales.interpreter ?? 1);
    const hostTier = config.hostCores > 0 ? compilingTier(image, hostCosts, this.execution) : null;
    for (let t = 0; t < config.hostCores; t++) {
      const pid = nDevice + t;
      const vm = new Vm(image, { coreId: pid, numCores, isHost: true, heapBytes: HOST_HEAP_BYTES, sharedHeapBytes: HOST_HEAP_BYTES, stackCells: HOST_STACK_CELLS }, hostCosts);
      vm.tier = hostTier;
      this.procs.push(new Proc(this.procs.length, pid, -1, true, `host ${t}`, vm, Prng.forStream(config.seed, HOST_STREAM_BASE + t)));
    }
    for (const p of this.procs) {
      const idx = p.idx;
      p.vm.gcHook = (cycle, before, after, pause) => this.sink.gc(p.base + cycle, idx, before, after, pause);
    }
  }

  // --- a process driven from outside (src/offload) -------------------------------------------------

  /** From now on host process p runs by `driver` rather than by its byte code (call before start()). */
  drive(p: Proc, driver: ProcDriver): void {
    if (!p.isHost) throw new Error("only a host process can be driven from outside");
    this.drivenIdx = p.idx;
    this.driver = driver;
    // the driver reads a string a device core sends it from that core's heap (host-driver.ts)
    for (const q of this.procs) if (!q.isHost) q.vm.stringSink = p.pid;
  }

  /** Serve the request a driver set on p's VM at t, as a request of its byte code would be. */
  serveRequest(p: Proc, t: number): void {
    this.handleRequest(p, t);
  }

  /** A driver waits for outside input: stop after the current event (advance() returns; call it again to go on). */
  pauseForDriver(): void {
    this.kernel.stop();
  }

  // --- RuntimeContext: what the clients may ask ---------------------------------------------------

  /**
   * Schedule p's next step at t. Always through the kernel (never a nested call), so chains of
   * wake-ups cannot grow the JavaScript stack; ties keep insertion order.
   */
  resume(p: Proc, t: number): void {
    this.schedule(p, t, EV_RUN);
  }

  continueAt(p: Proc, t: number): void {
    this.schedule(p, t, EV_CONT);
  }

  /** An event for p at t, unless the run has failed; p has been simulated up to t. */
  private schedule(p: Proc, t: number, kind: number): void {
    if (this.error !== null) return;
    p.reached = Math.max(p.reached, t);
    this.kernel.at(t, kind, p.idx);
  }

  nextEventTime(): number {
    return this.kernel.nextTime();
  }

  failed(): boolean {
    return this.error !== null;
  }

  /** The run fails on p at `time`: it ends at once (an error, a livelock), whatever the other cores are doing. */
  fail(p: Proc, time: number, kind: SimError["kind"], message: string, pc: number): void {
    const where = lineAt(this.image, p.vm.userPc(pc));
    this.error = { kind, message, proc: p.idx, label: p.label, file: where.file, line: where.line, time };
    p.stopped = "error";
    p.reached = Math.max(p.reached, time);
    this.kernel.stop();
    this.sink.coreState(time, p.idx, CoreState.Failed, where.line);
    this.sink.error(time, p.idx, where.line, message);
  }

  /**
   * p reached its own step or cycle limit at `time`: it stops there (its trace state `failed`),
   * and the other cores go on. The run's error is left to its end (finish), which names the first
   * core to reach a limit and who waits on the stopped cores; the trace's one `error` event is
   * written then, for the whole run.
   */
  private stopAtLimit(p: Proc, time: number, stop: "step limit" | "cycle limit", message: string, pc: number): void {
    const where = lineAt(this.image, p.vm.userPc(pc));
    p.stopped = stop;
    this.sink.coreState(time, p.idx, CoreState.Failed, where.line);
    if (this.firstLimit === null || time < this.firstLimit.time) {
      this.firstLimit = { kind: "limit", message, proc: p.idx, label: p.label, file: where.file, line: where.line, time };
    }
  }

  // --- the run -------------------------------------------------------------------------------------

  run(): SimResult {
    this.start();
    while (!this.advance(Infinity)) {
      // a pause (quantumSteps): go on
    }
    return this.finish();
  }

  /** Start every process at time 0 (the first part of run(), for a caller that runs in slices). */
  start(): void {
    this.startCores();
  }

  /**
   * Process at most `maxEvents` scheduler events; true when the run is over (call finish()). The
   * slices change nothing in the run: the same events in the same order as one run().
   */
  advance(maxEvents: number): boolean {
    const paused = this.paused;
    if (paused !== null) {
      this.paused = null;
      this.runByteCode(paused.p, paused.t, paused.limit, paused.sliceLimit, paused.stepsBefore, paused.phase);
      if (this.paused !== null) return false;
    }
    if (this.error !== null) return true;
    const over = this.kernel.runFor(maxEvents);
    return this.paused === null && (over || this.error !== null);
  }

  /** Simulated time the run has reached: the last event processed, or a paused core's clock. */
  get now(): number {
    return this.paused === null ? this.kernel.now : Math.max(this.kernel.now, this.paused.p.time);
  }

  /**
   * Stop the run from outside (Ctrl-C, SIGTERM) between two events: the run ends as "interrupted"
   * at the time it had reached, and finish() reports it like any run that did not complete.
   */
  interrupt(message: string): void {
    if (this.error !== null) return;
    this.error = { kind: "interrupted", message, proc: -1, label: "", file: "", line: 0, time: this.kernel.now };
    this.kernel.stop();
  }

  /**
   * The run's end: nothing is left to do (or it failed, or was interrupted). When cores stopped at
   * their limits, the run ends as a limit (limitReport: the first to stop, and who waits on the
   * stopped ones); else as a deadlock if processes still wait. Then the link load, the result.
   * A trace gets one `error` event per run at most: an error's at the moment it happens (fail),
   * a limit's or deadlock's here, at the end.
   */
  finish(): SimResult {
    if (this.error === null) {
      this.error = this.firstLimit ? limitReport(this.procs, this.image, this.firstLimit) : deadlockReport(this.procs, this.image);
      if (this.error) this.sink.error(this.error.time, this.error.proc, this.error.line, this.error.message);
    }
    return this.result(this.reportLinkLoad());
  }

  /**
   * Every process starts at time 0: a device core with ePython's start-up (runtime-calls.ts
   * planStartup: the launch handshake, the byte code's copy into SRAM, the start-up barrier), a
   * host virtual core with its byte code.
   */
  private startCores(): void {
    const codeCopyBytes = this.layout.codeOnCore ? codeBytes(this.image) : 0;
    for (const p of this.procs) {
      if (p.isHost) {
        this.kernel.at(0, EV_RUN, p.idx);
        continue;
      }
      p.seq.reset(0, 0);
      planStartup(p.seq, p.idx, this.messaging.barrierRoot, this.cores, codeCopyBytes);
      p.seq.result = Result.Start;
      this.sink.coreState(0, p.idx, CoreState.Host, p.vm.line());
      this.kernel.at(0, EV_CONT, p.idx);
    }
  }

  /** Where the traffic went when: every link's busy cycles per time window; returns the window length. */
  private reportLinkLoad(): number {
    const { windowCycles, windows } = this.mesh.linkLoadWindows();
    windows.forEach((links, w) => {
      for (const l of links) this.sink.link(w * windowCycles, l.mesh, l.from, l.to, l.busyCycles);
    });
    return windowCycles;
  }

  /**
   * When p finished, or how far it got: for a core that did not complete, the latest of its VM
   * clock, the events it had been given, and the start of the wait it was in.
   */
  private endTime(p: Proc): number {
    if (p.finish >= 0) return p.finish;
    return Math.max(p.time, p.reached, p.stopped === null && isWaiting(p) ? p.wait.start : 0);
  }

  private result(linkWindowCycles: number): SimResult {
    let total = 0;
    for (const p of this.procs) total = Math.max(total, this.endTime(p));
    if (this.error) total = Math.max(total, this.error.time);
    return {
      ok: this.error === null,
      error: this.error,
      procs: this.procs.map((p) => ({
        pid: p.pid,
        kind: p.isHost ? "host" : "device",
        core: p.core,
        label: p.label,
        finishCycles: this.endTime(p),
        finished: p.finish >= 0,
        end: this.endOf(p),
        waitingFor: p.finish < 0 && p.stopped === null && isWaiting(p) ? waitingFor(p, this.procs, false) : null,
        steps: p.vm.steps,
        gcCount: p.vm.heap.collections,
        maxStackCells: p.vm.maxSp,
      })),
      totalCycles: total,
      limits: { steps: this.config.maxSteps, cycles: this.config.maxCycles },
      clockHz: this.spec.clockHz,
      messages: this.messaging.messages,
      messageBytes: this.messaging.messageBytes,
      events: this.kernel.processed,
      linkWindowCycles,
      layout: this.layout,
      warnings: this.warnings,
    };
  }

  /** How p's run ended (ProcEnd), once the run is over. */
  private endOf(p: Proc): ProcEnd {
    if (p.finish >= 0) return "completed";
    if (p.stopped !== null) return p.stopped;
    if (isWaiting(p)) return "waiting";
    return this.error?.kind === "interrupted" ? "interrupted" : "cut short";
  }

  /**
   * Run p's byte code from t until it finishes, fails, blocks on a request or reaches its budget.
   * A core whose byte code reaches shared DRAM runs in slices of SHARED_SLICE_CYCLES, after each
   * of which its DRAM traffic is booked on the eLink (bookSharedTraffic).
   */
  private runProc(p: Proc, t: number): void {
    const vm = p.vm;
    const slice = p.slice;
    p.base = t - vm.cycles;
    if (!slice.midSlice) this.sink.coreState(t, p.idx, CoreState.Running, vm.line());
    slice.midSlice = false;
    const limit = this.maxCycles - p.base;
    const sliceLimit = slice.sliced ? Math.min(limit, vm.cycles + SHARED_SLICE_CYCLES) : limit;
    this.runByteCode(p, t, limit, sliceLimit, vm.steps, 1);
  }

  /**
   * runProc's byte-code run: phase 1 up to the slice's end, phase 2 (a slice that could not take
   * one operation) up to the run's limit. Either may pause after quantumSteps operations and go
   * on in the next advance(), inside the same kernel event: the run is the same as without pauses.
   */
  private runByteCode(p: Proc, t: number, limit: number, sliceLimit: number, stepsBefore: number, phase: 1 | 2): void {
    const vm = p.vm;
    let st: Status;
    let sliceEnd = false;
    if (phase === 1) {
      const cap = this.stepCap(vm);
      st = vm.run(sliceLimit, cap);
      if (this.pausedAt(vm, st, cap)) return this.pause(p, t, limit, sliceLimit, stepsBefore, 1);
      // stopped by the slice, not by a limit of the run (a slice always gets at least one operation)
      sliceEnd = st === Status.Budget && !vm.outOfSteps && sliceLimit < limit;
      if (sliceEnd && vm.steps === stepsBefore) phase = 2;
    }
    if (phase === 2) {
      const cap = this.stepCap(vm);
      st = vm.run(limit, cap);
      if (this.pausedAt(vm, st, cap)) return this.pause(p, t, limit, sliceLimit, stepsBefore, 2);
      sliceEnd = false;
    }
    this.afterByteCode(p, t, st!, sliceEnd);
  }

  private stepCap(vm: Vm): number {
    // at least 2: a VM stopped by its cap at a backward jump gives that jump's step back, so a
    // quantum of 1 starting at the jump would never get past it
    return Math.min(this.maxSteps, vm.steps + Math.max(2, this.quantumSteps));
  }

  /**
   * The VM stopped at the step cap `cap` and that cap was the quantum's, not the run's step limit.
   * (A VM that stops at a backward jump leaves it for the resume: its steps are then one below the
   * cap, so the cap, not the steps, says which limit it was.)
   */
  private pausedAt(vm: Vm, st: Status, cap: number): boolean {
    return st === Status.Budget && vm.outOfSteps && cap < this.maxSteps;
  }

  private pause(p: Proc, t: number, limit: number, sliceLimit: number, stepsBefore: number, phase: 1 | 2): void {
    p.vm.outOfSteps = false;
    this.paused = { p, t, limit, sliceLimit, stepsBefore, phase };
    this.kernel.stop();
  }

  /** p's byte code stopped (done, failed, blocked on a request, at a slice's end or a limit) at p.time. */
  private afterByteCode(p: Proc, t: number, st: Status, sliceEnd: boolean): void {
    const vm = p.vm;
    const slice = p.slice;
    let now = p.time;
    if (!p.isHost) now += this.bookSharedTraffic(p, t, now);
    const used = vm.heap.usedBytes();
    if (used !== p.heapReported) {
      p.heapReported = used;
      this.sink.heap(now, p.idx, used);
    }
    switch (st) {
      case Status.Done:
        p.finish = now;
        p.wait.kind = WaitKind.Done;
        this.sink.coreState(now, p.idx, CoreState.Done, vm.line());
        return;
      case Status.Error:
        this.fail(p, now, "runtime", vm.error, vm.errorPc);
        return;
      case Status.Budget: {
        if (sliceEnd) {
          // the end of a slice, not a limit: go on when everything due before has happened
          slice.midSlice = true;
          this.resume(p, now);
          return;
        }
        // its own limit: it stops, the others go on
        const what = vm.outOfSteps ? `step limit of ${this.config.maxSteps} byte-code operations` : `time limit of ${this.config.maxCycles} cycles`;
        this.stopAtLimit(p, now, vm.outOfSteps ? "step limit" : "cycle limit", `${what} reached`, vm.pc);
        return;
      }
      default:
        // nothing else is due before `now`: serve the request right away
        if (now <= this.kernel.nextTime()) this.handleRequest(p, now);
        else this.schedule(p, now, EV_REQ);
    }
  }

  /**
   * Book the shared-DRAM words p's byte code read and wrote since the last booking (code fetches
   * when the code is in shared memory, variables under -datashared, arrays in the shared heap)
   * on the eLink; returns the cycles p stalled because the eLink was busy, which p's clock takes.
   */
  private bookSharedTraffic(p: Proc, t0: number, t1: number): number {
    const vm = p.vm;
    const slice = p.slice;
    const reads = (this.layout.codeOnCore ? 0 : vm.steps) + (this.config.dataShared ? vm.varReads : 0) + vm.sharedReads;
    const writes = (this.config.dataShared ? vm.varWrites : 0) + vm.sharedWrites;
    const r = reads - slice.readsBooked;
    const w = writes - slice.writesBooked;
    if (r === 0 && w === 0) {
      // a stretch without DRAM traffic: run unsliced again unless every operation reaches DRAM
      slice.sliced = !this.layout.codeOnCore || this.config.dataShared;
      return 0;
    }
    slice.readsBooked = reads;
    slice.writesBooked = writes;
    slice.sliced = true; // slice while it keeps reaching DRAM (cleared after a stretch without)
    const late = this.mesh.elinkTraffic(t0, t1, r, w);
    vm.cycles += late;
    return late;
  }

  /** p's VM stopped on a request at t: the host serves it, or the messaging client runs it. */
  private handleRequest(p: Proc, t: number): void {
    if (!this.hostServices.serve(p, t) && !this.remoteMemory.serve(p, t)) this.messaging.start(p, t);
  }
}
