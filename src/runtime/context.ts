/**
 * What the runtime's clients (messaging, host services, ...) may ask of the simulation that
 * drives them: the processes, the trace sink, scheduling a process on the kernel, and failing
 * the run. Kept narrow so each client can be read (and tested) on its own.
 */
import type { ProgramImage } from "../lang/image.js";
import type { TraceSink } from "../trace/sink.js";
import type { Proc } from "./process.js";
import type { SimError } from "./run-result.js";

export interface RuntimeContext {
  readonly image: ProgramImage;
  readonly procs: readonly Proc[];
  readonly sink: TraceSink;
  /** run p's byte code again from t */
  resume(p: Proc, t: number): void;
  /** continue p's operation sequence at t */
  continueAt(p: Proc, t: number): void;
  /** time of the next scheduled event (Infinity if none) */
  nextEventTime(): number;
  /** the run has failed: clients stop at once */
  failed(): boolean;
  /** fail the run on p at t; `pc` locates the line */
  fail(p: Proc, t: number, kind: SimError["kind"], message: string, pc: number): void;
}
