/**
 * The slice schedule of a run that is driven from outside (the CLI's runs, replay): the simulation
 * advances SLICE_EVENTS scheduler events at a time, and a core that loops without any request
 * pauses every QUANTUM_STEPS byte-code operations, so the driver regains control (to flush output,
 * look at signals, show progress). Slices change nothing in the run itself.
 *
 * A run stopped by a signal stops between two slices. Its error message says after how many, so
 * that replay can stop the re-run at exactly the same point: the schedule is part of what an
 * interrupted trace means, and changing these constants makes older interrupted traces replay
 * differently (everything else replays as before).
 */
import type { Simulation } from "./simulation.js";

/** Scheduler events per slice: a few milliseconds of simulation (a choice). */
export const SLICE_EVENTS = 20_000;
/** Byte-code operations before a looping core pauses: tens of milliseconds (a choice). */
export const QUANTUM_STEPS = 2_000_000;

/** The error message of a run stopped after `slices` slices by `cause` (e.g. "SIGINT (Ctrl-C)"). */
export function interruptionMessage(cause: string, slices: number, cycle: number): string {
  return `interrupted by ${cause} after ${slices} slice${slices === 1 ? "" : "s"} of the run, at cycle ${Math.round(cycle)}`;
}

/** The cause and slice count an interruption message holds, or null for another message. */
export function parseInterruption(message: string): { cause: string; slices: number } | null {
  const m = /^interrupted by (.+) after (\d+) slices? of the run, at cycle \d+$/.exec(message);
  return m ? { cause: m[1]!, slices: Number(m[2]) } : null;
}

/**
 * Run `sim` from its start, a slice at a time; after each slice that did not end the run,
 * `between(slices)` may return a cause to stop it there ("interrupted"). Synchronous drivers use
 * this; the CLI's live run (which must let the event loop turn) follows the same schedule.
 */
export function runSlices(sim: Simulation, between: (slices: number) => string | null): void {
  sim.quantumSteps = QUANTUM_STEPS;
  sim.start();
  for (let slices = 1; !sim.advance(SLICE_EVENTS); slices++) {
    const cause = between(slices);
    if (cause !== null) {
      sim.interrupt(interruptionMessage(cause, slices, sim.now));
      return;
    }
  }
}
