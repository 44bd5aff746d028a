/**
 * A trace sink that keeps only sums: per process, cycles spent in each core state; message
 * latencies; garbage collections. Studies need totals, not timelines, so nothing per event is
 * stored and a 1024-core run costs a few arrays.
 */
import { CoreState, NullSink } from "../../src/index.js";

const STATES = 8; // CoreState values are 0..7 (CORE_STATE_NAMES)

export interface MessageStats {
  count: number;
  bytes: number;
  /** sum over messages of (became visible at the receiver - left the sender) */
  latencySum: number;
  firstSend: number;
  lastArrive: number;
  /** latency of the first message (-1 if none) */
  firstLatency: number;
}

export interface GcStats {
  count: number;
  pauseSum: number;
  pauseMax: number;
  /** bytes freed, summed over collections */
  reclaimed: number;
}

export class SummarySink extends NullSink {
  /** cycles per (process, state), process-major */
  readonly stateCycles: Float64Array;
  /** the state each process is in, and since when */
  private readonly cur: Int8Array;
  private readonly since: Float64Array;
  /** when each process finished (or failed), -1 while it runs */
  readonly finish: Float64Array;
  /** when each process last left each state (-1 if never) */
  readonly lastExit: Float64Array;
  readonly messages: MessageStats = { count: 0, bytes: 0, latencySum: 0, firstSend: -1, lastArrive: -1, firstLatency: -1 };
  readonly gcs: GcStats = { count: 0, pauseSum: 0, pauseMax: 0, reclaimed: 0 };
  /** smallest heap use right after a collection: the live set (plus whatever was in flight) */
  liveAfterGcMin = Infinity;

  /** entries into each (process, state) so far */
  private readonly entries: Int32Array;

  /** `skipFirst`: leave out of stateCycles each process's first so many stretches in each state (warm-up calls) */
  constructor(
    readonly procs: number,
    private readonly skipFirst = 0,
  ) {
    super();
    this.entries = new Int32Array(procs * STATES);
    this.stateCycles = new Float64Array(procs * STATES);
    this.cur = new Int8Array(procs).fill(-1);
    this.since = new Float64Array(procs);
    this.finish = new Float64Array(procs).fill(-1);
    this.lastExit = new Float64Array(procs * STATES).fill(-1);
  }

  override coreState(time: number, proc: number, state: number): void {
    const c = this.cur[proc]!;
    // each process's own events come in time order (its VM runs ahead of the others, so the
    // sink sees processes interleaved out of global order, which is why sums are per process)
    if (c >= 0) {
      if (this.entries[proc * STATES + c]! > this.skipFirst) this.stateCycles[proc * STATES + c]! += time - this.since[proc]!;
      this.lastExit[proc * STATES + c] = time;
    }
    this.cur[proc] = state;
    this.since[proc] = time;
    this.entries[proc * STATES + state]!++;
    if (state === CoreState.Done || state === CoreState.Failed) this.finish[proc] = time;
  }

  override message(sendTime: number, arriveTime: number, _src: number, _dst: number, _hops: number, bytes: number): void {
    const m = this.messages;
    if (m.count === 0) {
      m.firstSend = sendTime;
      m.firstLatency = arriveTime - sendTime;
    }
    m.count++;
    m.bytes += bytes;
    m.latencySum += arriveTime - sendTime;
    if (arriveTime > m.lastArrive) m.lastArrive = arriveTime;
  }

  override gc(_time: number, _proc: number, usedBefore: number, usedAfter: number, pauseCycles: number): void {
    const g = this.gcs;
    g.count++;
    g.pauseSum += pauseCycles;
    if (pauseCycles > g.pauseMax) g.pauseMax = pauseCycles;
    g.reclaimed += usedBefore - usedAfter;
    if (usedAfter < this.liveAfterGcMin) this.liveAfterGcMin = usedAfter;
  }

  // host services, printed lines (they reach the run's HostIo), errors, links and heap use: nothing to sum

  /** When process `proc` last left `state`, or -1. */
  lastTime(proc: number, state: number): number {
    return this.lastExit[proc * STATES + state]!;
  }

  /** Cycles process `proc` spent in `state` (closed intervals only: call after the run). */
  cycles(proc: number, state: number): number {
    return this.stateCycles[proc * STATES + state]!;
  }

  /**
   * Core-time split of a finished run of `total` cycles over all processes: running byte code,
   * anything else before the process finished (messages, collectives, barriers, host services:
   * communicating or waiting), and idle after it finished while others still ran; `host` is the
   * part of `comm` spent on host services (print, maths, random numbers, string operations).
   */
  split(total: number): { compute: number; comm: number; idle: number; host: number } {
    let compute = 0;
    let comm = 0;
    let idle = 0;
    let host = 0;
    for (let p = 0; p < this.procs; p++) {
      for (let s = 0; s < STATES; s++) {
        if (s === CoreState.Done || s === CoreState.Failed) continue;
        const c = this.cycles(p, s);
        if (s === CoreState.Running) compute += c;
        else comm += c;
        if (s === CoreState.Host) host += c;
      }
      idle += this.finish[p]! >= 0 ? total - this.finish[p]! : 0;
    }
    return { compute, comm, idle, host };
  }
}
