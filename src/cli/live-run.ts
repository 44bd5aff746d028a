/**
 * Running a simulation from the command line: in slices (src/runtime/slices.ts), so that between two slices the
 * program's output reaches the terminal, Ctrl-C (SIGINT) and SIGTERM can stop the run with its
 * trace complete, and a run that goes on for long without output says so on stderr. The slices
 * change nothing in the run (Simulation.advance): the same events, the same trace bytes.
 */
import type { SimResult, Simulation } from "../runtime/simulate.js";
import { interruptionMessage, QUANTUM_STEPS, SLICE_EVENTS } from "../runtime/simulate.js";
/** Simulated seconds without output after which a run with no limit says it is still going (a choice). */
const QUIET_SECONDS = 10;

export type StopSignal = "SIGINT" | "SIGTERM";

/** Exit codes of a run stopped by a signal: 128 + the signal's number, as shells report them. */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Catches SIGINT and SIGTERM while a run goes: the first asks the run to stop at the next slice
 * (the trace is finished as "interrupted"); a second one ends the process at once, leaving the
 * trace as far as it was written (an incomplete trace, still readable).
 */
export class StopSignals {
  received: StopSignal | null = null;
  /** wall-clock milliseconds of the first signal (the CLI may read the clock; the simulation never does) */
  private receivedAt = 0;
  private readonly handlers = new Map<StopSignal, () => void>();

  constructor(private readonly onSecond: (signal: StopSignal) => void) {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      const h = () => {
        // a second signal soon after the first is the same request (`timeout` and shells may send
        // one to the process and one to its group); one a second later means "stop now"
        if (this.received !== null && Date.now() - this.receivedAt > 1000) this.onSecond(sig);
        if (this.received === null) {
          this.received = sig;
          this.receivedAt = Date.now();
        }
      };
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
  }

  /**
   * Run `f` (a blocking read of stdin) with the signals' default action back: the process can not
   * look at a signal while it blocks, so Ctrl-C at a prompt ends it at once, as before it ran.
   */
  whileBlocked<T>(f: () => T): T {
    this.detach();
    try {
      return f();
    } finally {
      this.attach();
    }
  }

  private attach(): void {
    for (const [sig, h] of this.handlers) process.on(sig, h);
  }

  private detach(): void {
    for (const [sig, h] of this.handlers) process.off(sig, h);
  }

  dispose(): void {
    this.detach();
    this.handlers.clear();
  }
}

export interface LiveRunHooks {
  /** called after each slice (e.g. flush the program's output) */
  afterSlice(): void;
  /** how many lines the program has printed so far, for the quiet-run notice */
  outputCount(): number;
  /** whether the run has a step or cycle limit (then it ends by itself: no notice) */
  limited: boolean;
  clockHz: number;
  notice(text: string): void;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run `sim` to its end, a slice at a time; a caught signal ends it as interrupted. */
export async function runLive(sim: Simulation, signals: StopSignals, hooks: LiveRunHooks): Promise<SimResult> {
  sim.quantumSteps = QUANTUM_STEPS;
  sim.start();
  let quietNotices = 0;
  // Simulated time as the run reaches it: a core that computes without a request runs ahead of
  // the others in one event, so sim.now goes back and forth between slices; the furthest time
  // reached only grows. Quiet time is counted on it from the slice that printed last.
  let furthest = 0;
  let quietFrom = 0;
  let outputsSeen = 0;
  for (let slices = 1; ; slices++) {
    if (sim.advance(SLICE_EVENTS)) break;
    hooks.afterSlice();
    if (sim.now > furthest) furthest = sim.now;
    const outputs = hooks.outputCount();
    if (outputs !== outputsSeen) {
      outputsSeen = outputs;
      quietFrom = furthest;
      quietNotices = 0;
    }
    if (!hooks.limited) {
      // one notice after QUIET_SECONDS of simulated time without output, then after 10x, 100x ...
      const quiet = (furthest - quietFrom) / hooks.clockHz;
      if (quiet >= QUIET_SECONDS * 10 ** quietNotices) {
        quietNotices++;
        hooks.notice(
          `epython: no output for ${quiet >= 10 ? Math.floor(quiet) : quiet.toFixed(1)} s of simulated time (cycle ${Math.round(furthest).toLocaleString("en-US")}); ` +
            "the run goes on: Ctrl-C stops it and keeps its trace, --max-cycles or --max-steps bound it",
        );
      }
    }
    await nextTick();
    if (signals.received !== null) {
      // the same schedule and message as runSlices, so replay stops the re-run at the same point
      sim.interrupt(interruptionMessage(signals.received === "SIGINT" ? "SIGINT (Ctrl-C)" : "SIGTERM", slices, sim.now));
      break;
    }
  }
  return sim.finish();
}
