/** What a run gives back, and what it needs from the host (the types of simulate()'s API). */
import type { CoreLayout } from "../machine/memory-map.js";

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
  /** when it finished, or, if it did not (the run ended first), how far it had got */
  finishCycles: number;
  /** did it run to its end? false when the run ended first (an error, a limit, a deadlock) */
  finished: boolean;
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
  clockHz: number;
  messages: number;
  messageBytes: number;
  events: number;
  /** length of the windows in which the link load was reported (TraceSink.link) */
  linkWindowCycles: number;
  layout: CoreLayout;
  warnings: string[];
}
