/**
 * Turns the event stream into what timelines draw: per-core activity slices (from one state change
 * to the next), with the host service named on host slices, plus point events. Shared by the
 * Perfetto and OpenTelemetry exporters so both show the same picture. A sink fed by playInto.
 */
import { playInto } from "./events.js";
import type { Trace } from "./reader.js";
import { CoreState, NullSink, type TraceSink } from "./sink.js";

/** What the exporters draw: slices and terminal states made here, the point events as the trace has them. */
export interface ActivityHandler extends Pick<TraceSink, "gc" | "output" | "error" | "link" | "heap"> {
  /** core `proc` was in `state` from `start` to `end`; `service` is the host service kind or -1 */
  slice(proc: number, state: number, start: number, end: number, line: number, service: number): void;
  /** the core reached done or failed */
  terminal(proc: number, state: number, time: number, line: number): void;
  /** the n-th message of the trace (n from 0) */
  message(n: number, sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void;
}

class ActivitySink extends NullSink {
  /** per process: the open slice's state (-1: none), start, line and host service (-1: none) */
  private readonly state: number[] = [];
  private readonly start: number[] = [];
  private readonly line: number[] = [];
  private readonly service: number[] = [];
  private messages = 0;

  constructor(private readonly h: ActivityHandler) {
    super();
  }

  private open(p: number): void {
    while (this.state.length <= p) {
      this.state.push(-1);
      this.start.push(0);
      this.line.push(0);
      this.service.push(-1);
    }
  }

  private close(p: number, end: number): void {
    const s = this.state[p]!;
    if (s >= 0) this.h.slice(p, s, this.start[p]!, Math.max(end, this.start[p]!), this.line[p]!, this.service[p]!);
    this.state[p] = -1;
  }

  /** slices still open at the end close at the run's last cycle */
  closeAll(end: number): void {
    for (let p = 0; p < this.state.length; p++) this.close(p, end);
  }

  override coreState(time: number, proc: number, state: number, line: number): void {
    this.open(proc);
    this.close(proc, time);
    if (state === CoreState.Done || state === CoreState.Failed) this.h.terminal(proc, state, time, line);
    else {
      this.state[proc] = state;
      this.start[proc] = time;
      this.line[proc] = line;
      this.service[proc] = -1;
    }
  }

  override host(start: number, end: number, proc: number, kind: number): void {
    this.open(proc);
    // the runtime reports the Host state, then the service it asked for, at the same cycle
    if (this.state[proc] === CoreState.Host && this.start[proc] === start && this.service[proc] === -1) this.service[proc] = kind;
    else this.h.slice(proc, CoreState.Host, start, end, 0, kind);
  }

  override message(sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void {
    this.h.message(this.messages++, sendTime, arriveTime, src, dst, hops, bytes);
  }

  override gc(time: number, proc: number, usedBefore: number, usedAfter: number, pauseCycles: number): void {
    this.h.gc(time, proc, usedBefore, usedAfter, pauseCycles);
  }
  override output(time: number, proc: number, text: string): void {
    this.h.output(time, proc, text);
  }
  override error(time: number, proc: number, line: number, message: string): void {
    this.h.error(time, proc, line, message);
  }
  override link(time: number, mesh: number, from: number, to: number, busyCycles: number): void {
    this.h.link(time, mesh, from, to, busyCycles);
  }
  override heap(time: number, proc: number, usedBytes: number): void {
    this.h.heap(time, proc, usedBytes);
  }
}

/** Walk the trace; slices still open at the end close at the run's last cycle. */
export function walkActivities(trace: Trace, h: ActivityHandler): void {
  const sink = new ActivitySink(h);
  playInto(trace, sink);
  sink.closeAll(trace.footer.totalCycles);
}
