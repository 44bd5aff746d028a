/**
 * What the simulation tells a trace: one method per event kind, numbers only (no objects on the
 * hot path). The runtime pushes into a sink; the recorder writes a binary trace; NULL_SINK drops all.
 * Times are simulated chip cycles (float64, exact binary fractions such as 1.5).
 *
 * The methods are the rows of the event table (kinds.ts): the check at the end of this file fails
 * to compile when the two disagree on a method, its arguments or their types.
 */
import { EVENT_KINDS, type TableSink } from "./kinds.js";

export { CORE_STATE_NAMES, CoreState, HOST_KIND_NAMES, HostKind, MESH_LETTERS, MESH_NAMES, meshCode, type MeshLetter } from "./vocab.js";

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
  /** `input()` on `proc` read the line `text`, or (eof 1, text "") the end of input */
  input(time: number, proc: number, eof: number, text: string): void;
  /** the run failed on `proc` */
  error(time: number, proc: number, line: number, message: string): void;
  /**
   * busy cycles of one mesh link (mesh: meshCode(), 0 c, 1 r, 2 x; -1 ends are off-chip) in the
   * time window that starts at `time` (the window length is in the run's result); reported at the
   * end of the run, windows in time order
   */
  link(time: number, mesh: number, from: number, to: number, busyCycles: number): void;
  /** the host program of an offload session (process `proc`) starts carrying out a command, its JSON `text` */
  command(time: number, proc: number, text: string): void;
  /** heap bytes `proc` has in use (both arenas), reported when it changed since the last report */
  heap(time: number, proc: number, usedBytes: number): void;
}

/**
 * A sink that ignores every event: NULL_SINK, and a base class for sinks that want only some
 * kinds (they override those methods, and a new kind needs nothing from them).
 */
export interface NullSink extends TraceSink {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the methods are made from the event table
export class NullSink {
  static {
    const noop = (): void => {};
    for (const k of EVENT_KINDS) Object.defineProperty(NullSink.prototype, k.sink, { value: noop, writable: true, configurable: true });
  }
}

export const NULL_SINK: TraceSink = new NullSink();

// --- the compile-time check that TraceSink and the event table agree -----------------------------
type ArgsOf<S> = { [K in keyof S]-?: S[K] extends (...args: infer A) => void ? A : never };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** does not compile (false is not true) when a TraceSink method and its row in kinds.ts differ */
export const SINK_MATCHES_TABLE: Same<ArgsOf<TraceSink>, ArgsOf<TableSink>> = true;
