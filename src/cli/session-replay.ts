/**
 * Replay of an offload session's trace (`epython python --trace`): the recorded host commands
 * (its `command` events) carried out again in order on a new session, without Python, recorded
 * to memory with the same chunk rules, so `epython replay` compares its events and footer with
 * the recorded ones as for any run.
 */
import type { SourceFile } from "../lang/errors.js";
import type { ProgramImage } from "../lang/image.js";
import { endSlice, type Recording, startRecording, type ToolInfo } from "../pipeline/recording.js";
import { type Execution, interruptionMessage, parseInterruption, QUANTUM_STEPS, type Simulation, SLICE_EVENTS } from "../runtime/simulate.js";
import { playInto } from "../trace/events.js";
import { readTrace, type Trace } from "../trace/reader.js";
import { NullSink } from "../trace/sink.js";
import { type Command, OffloadSession } from "../offload/session.js";

/** A recorded command that the session could never have been given (a damaged or forged trace). */
export class SessionReplayError extends Error {}

function parseCommand(text: string): Command {
  let cmd: unknown;
  try {
    cmd = JSON.parse(text);
  } catch {
    throw new SessionReplayError(`a recorded command is not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof cmd !== "object" || cmd === null || Array.isArray(cmd)) throw new SessionReplayError(`a recorded command is not a JSON object: ${text.slice(0, 80)}`);
  return cmd as Command;
}

/** The commands a session's trace holds, in order (their JSON texts); none in a trace of an ordinary run. */
export function recordedCommands(trace: Trace): string[] {
  const texts: string[] = [];
  playInto(trace, Object.assign(new NullSink(), { command: (_t: number, _p: number, text: string) => texts.push(text) }));
  return texts;
}

/**
 * Where a replay of `recorded` stops, asked after each slice: the cause it was interrupted by after
 * that many slices (slices.ts); for an incomplete trace (epython itself was killed), once the
 * re-run has passed its events or gone well past its last time; otherwise null, go on.
 */
export function replayStop(recorded: Trace, recording: Recording, sim: Simulation): (slices: number) => string | null {
  const fa = recorded.footer;
  const stop = fa.error?.kind === "interrupted" ? parseInterruption(fa.error.message) : null;
  const enough = (): boolean => !recorded.complete && (recording.events() > recorded.eventCount || sim.now > 2 * fa.totalCycles + 1e7);
  return (slices) => (stop !== null && slices === stop.slices ? stop.cause : enough() ? "replay (the recorded trace ends here)" : null);
}

/**
 * Carry out `commands` again on a new session of `image` (as `epython python` serves them) and
 * record it. The slices are counted as the server counts them, so an interrupted session (its
 * host program died, or a signal) stops after the same slice, with the message the server gives
 * (its cycle too, so the footer checks it); an incomplete trace is re-run until it has passed the
 * recorded events.
 */
export function replaySession(recorded: Trace, image: ProgramImage, files: SourceFile[], info: ToolInfo, commands: readonly string[], execution: Execution): Trace {
  const config = recorded.header.config;
  const recording = startRecording(image, files, config, info);
  const session = new OffloadSession(image, config, { output: () => {}, input: () => null }, recording.sink, execution);
  const { sim, driver } = session;
  const stopAt = replayStop(recorded, recording, sim);
  let slices = 0;
  const interrupt = (cause: string): void => sim.interrupt(interruptionMessage(cause, slices, sim.now));
  sim.quantumSteps = QUANTUM_STEPS;
  sim.start();
  let ended = false;
  // as the server's loop: until the host waits for its next command, or the run is over
  const runUntilHost = (): void => {
    for (;;) {
      const cause = stopAt(slices);
      if (cause !== null) {
        interrupt(cause);
        ended = true;
        return;
      }
      const over = sim.advance(SLICE_EVENTS);
      slices++;
      endSlice(recording);
      // in the server's order: a failure, the host waiting for its reply, the end
      if (sim.failed()) {
        ended = true;
        return;
      }
      if (driver.waiting) {
        driver.reply = null;
        return;
      }
      if (over) {
        ended = true;
        return;
      }
    }
  };
  runUntilHost();
  for (const text of commands) {
    if (ended) break;
    const cmd = parseCommand(text);
    session.record(cmd);
    const prog = session.program(cmd);
    if (typeof (prog as Generator).next !== "function") continue;
    driver.command(prog as Parameters<typeof driver.command>[0]);
    runUntilHost();
  }
  // the host program went without its shutdown: stopped where it was, as the server stops it
  if (!ended) {
    const fa = recorded.footer;
    interrupt((fa.error?.kind === "interrupted" ? parseInterruption(fa.error.message)?.cause : undefined) ?? "the host program closing its link without shutting the device down");
  }
  return readTrace(recording.finish(sim.finish()));
}
