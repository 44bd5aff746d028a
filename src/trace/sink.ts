/**
 * What the simulation tells a trace: one method per event kind, numbers only (no objects on the
 * hot path). The runtime pushes into a sink; the recorder writes a binary trace; NULL_SINK drops all.
 * Times are simulated chip cycles (float64, exact binary fractions such as 1.5).
 */

/** Core states, as drawn on a timeline. */
export const CoreState = {
  Running: 0,
  BlockedRecv: 1,
  BlockedSend: 2,
  Barrier: 3,
  Host: 4,
  Done: 5,
  Failed: 6,
  Collective: 7,
} as const;
export const CORE_STATE_NAMES = ["running", "recv", "send", "barrier", "host", "done", "failed", "collective"] as const;

/** Host service kinds. */
export const HostKind = { Print: 0, Input: 1, Concat: 2, Maths: 3, Rand: 4 } as const;
export const HOST_KIND_NAMES = ["print", "input", "string", "maths", "rand"] as const;

export interface TraceSink {
  /** a core (process index) changed state at `time`; `line` is the source line it is at */
  coreState(time: number, proc: number, state: number, line: number): void;
  /** a message left `src` at `sendTime` and became visible at `dst` at `arriveTime` */
  message(sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void;
  /** a garbage collection on `proc`: heap bytes in use before and after, pause in cycles */
  gc(time: number, proc: number, usedBefore: number, usedAfter: number, pauseCycles: number): void;
  /** the host served a request of `kind` for `proc` between `start` and `end` */
  host(start: number, end: number, proc: number, kind: number): void;
  /** a line printed by `proc` */
  output(time: number, proc: number, text: string): void;
  /** the run failed on `proc` */
  error(time: number, proc: number, line: number, message: string): void;
  /**
   * busy cycles of one mesh link (mesh: 0 c, 1 r, 2 x; -1 ends are off-chip) in the time window
   * that starts at `time` (the window length is in the run's result); reported at the end of the
   * run, windows in time order
   */
  link(time: number, mesh: number, from: number, to: number, busyCycles: number): void;
  /** heap bytes `proc` has in use (both arenas), reported when it changed since the last report (optional: added in trace format 1 after the others) */
  heap?(time: number, proc: number, usedBytes: number): void;
}

export const NULL_SINK: TraceSink = {
  coreState() {},
  message() {},
  gc() {},
  host() {},
  output() {},
  error() {},
  link() {},
  heap() {},
};
