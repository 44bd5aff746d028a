/** What a run gives back, and what it needs from the host (the types of simulate()'s API). */
import type { CoreLayout } from "../machine/memory-map.js";

/** The host side of a run: where printed lines go and where input lines come from. */
export interface HostIo {
  output(line: string): void;
  /** a line typed at a prompt, or null at end of input */
  input(prompt: string | null, label: string): string | null;
}

/**
 * How a core's run ended (ProcSummary.end):
 * - `completed`: it ran its program to the end;
 * - `step limit` / `cycle limit`: it reached its own limit (--max-steps, --max-cycles are per core)
 *   and stopped there, while the other cores went on;
 * - `error`: the run's error (a runtime error, a livelock) was this core's;
 * - `waiting`: blocked (receive, send, acknowledgement, sync()) when the run ended, whatever ended
 *   it: ProcSummary.waitingFor says for what;
 * - `interrupted`: still running when the run was stopped from outside (Simulation.interrupt);
 * - `cut short`: still running when another core's error ended the run.
 */
export type ProcEnd = "completed" | "step limit" | "cycle limit" | "error" | "waiting" | "interrupted" | "cut short";

export interface ProcSummary {
  /** ePython's process id (what coreid() returns) */
  pid: number;
  kind: "device" | "host";
  /** logical core on the mesh, or -1 for a host virtual core */
  core: number;
  /** label used in output: `device 3` or `host 0` */
  label: string;
  /** when it finished, or, if it did not (the run ended first), how far it had got */
  finishCycles: number;
  /** did it run to its end? false when it did not (its limit, an error, a deadlock): end says why */
  finished: boolean;
  /** how its run ended; `completed` exactly when `finished` */
  end: ProcEnd;
  /** for a core that ended `waiting`, what for: "to receive from device 1", "at sync()"; else null */
  waitingFor: string | null;
  steps: number;
  gcCount: number;
  maxStackCells: number;
}

export interface SimError {
  /** interrupted: stopped from outside (Ctrl-C, SIGTERM) before it ended */
  kind: "runtime" | "deadlock" | "limit" | "config" | "interrupted";
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
  /** the run's per-core limits (RunConfig maxSteps and maxCycles; 0: none) */
  limits: { steps: number; cycles: number };
  clockHz: number;
  messages: number;
  messageBytes: number;
  events: number;
  /** length of the windows in which the link load was reported (TraceSink.link) */
  linkWindowCycles: number;
  layout: CoreLayout;
  warnings: string[];
}
