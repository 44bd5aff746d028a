/**
 * Turns the event stream into what timelines draw: per-core activity slices (from one state change
 * to the next), with the host service named on host slices, plus point events. Shared by the
 * Perfetto and OpenTelemetry exporters so both show the same picture.
 */
import { K_ERROR, K_GC, K_HEAP, K_HOST, K_LINK, K_MESSAGE, K_OUTPUT, K_STATE } from "./format.js";
import { EventCursor, type Trace } from "./reader.js";
import { CoreState } from "./sink.js";

export interface ActivityHandler {
  /** core `proc` was in `state` from `start` to `end`; `service` is the host service kind or -1 */
  slice(proc: number, state: number, start: number, end: number, line: number, service: number): void;
  /** the core reached done or failed */
  terminal(proc: number, state: number, time: number, line: number): void;
  /** the n-th message of the trace (n from 0) */
  message(n: number, src: number, dst: number, send: number, arrive: number, hops: number, bytes: number): void;
  gc(proc: number, time: number, before: number, after: number, pause: number): void;
  output(proc: number, time: number, text: string): void;
  error(proc: number, time: number, line: number, message: string): void;
  link(time: number, mesh: number, from: number, to: number, busy: number): void;
  heap(proc: number, time: number, used: number): void;
}

/** Walk the trace; slices still open at the end close at the run's last cycle. */
export function walkActivities(trace: Trace, h: ActivityHandler): void {
  const state: number[] = [];
  const start: number[] = [];
  const line: number[] = [];
  const service: number[] = [];
  const open = (p: number): void => {
    while (state.length <= p) {
      state.push(-1);
      start.push(0);
      line.push(0);
      service.push(-1);
    }
  };
  const close = (p: number, end: number): void => {
    if (state[p]! >= 0) h.slice(p, state[p]!, start[p]!, Math.max(end, start[p]!), line[p]!, service[p]!);
    state[p] = -1;
  };
  let messages = 0;
  const c = new EventCursor(trace);
  while (c.next()) {
    switch (c.kind) {
      case K_STATE:
        open(c.proc);
        close(c.proc, c.t);
        if (c.a === CoreState.Done || c.a === CoreState.Failed) h.terminal(c.proc, c.a, c.t, c.b);
        else {
          state[c.proc] = c.a;
          start[c.proc] = c.t;
          line[c.proc] = c.b;
          service[c.proc] = -1;
        }
        break;
      case K_HOST:
        open(c.proc);
        // the runtime reports the Host state, then the service it asked for, at the same cycle
        if (state[c.proc] === CoreState.Host && start[c.proc] === c.t && service[c.proc] === -1) service[c.proc] = c.a;
        else h.slice(c.proc, CoreState.Host, c.t, c.t2, 0, c.a);
        break;
      case K_MESSAGE:
        h.message(messages++, c.proc, c.a, c.t, c.t2, c.b, c.c);
        break;
      case K_GC:
        h.gc(c.proc, c.t, c.a, c.b, c.t2);
        break;
      case K_OUTPUT:
        h.output(c.proc, c.t, c.text);
        break;
      case K_ERROR:
        h.error(c.proc, c.t, c.a, c.text);
        break;
      case K_LINK:
        h.link(c.t, c.proc, c.a, c.b, c.t2);
        break;
      case K_HEAP:
        h.heap(c.proc, c.t, c.a);
        break;
    }
  }
  const end = trace.footer.totalCycles;
  for (let p = 0; p < state.length; p++) close(p, end);
}
