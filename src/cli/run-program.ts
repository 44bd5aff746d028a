/**
 * Running a program from the command line: the simulation driven a slice at a time (live-run.ts)
 * with the program's output written as it comes, input from stdin, a progress line on a terminal
 * (progress.ts), Ctrl-C and SIGTERM, and the trace written to disk as the run goes
 * (trace-file.ts), so that a run that fails, is stopped or is killed leaves what it did.
 */
import { Effect } from "effect";
import type { RunConfig } from "../config/run-config.js";
import type { SourceFile } from "../lang/errors.js";
import type { ProgramImage } from "../lang/image.js";
import { chipSpec } from "../machine/chip.js";
import { MemoryMapError } from "../machine/memory-map.js";
import { endSlice, recordedInput, startRecording, toolInfo } from "../pipeline/recording.js";
import { DEFAULT_EXECUTION, type Execution, type HostIo, Simulation } from "../runtime/simulate.js";
import { InputFileError, ProgramError } from "./errors.js";
import { runLive, SIGNAL_EXIT, StopSignals } from "./live-run.js";
import type { Out } from "./out.js";
import { ProgressLine, progressWanted, RunProgress, wallMs } from "./progress.js";
import { StdinLines } from "./stdin.js";
import { TraceFile } from "./trace-file.js";

/** Wall milliseconds after which a line of program output is written at once rather than at the slice's end (a choice). */
const OUTPUT_LATENCY_MS = 50;

/** Run `image` to its end (or its interruption); the trace, if `tracePath` is given, is finished and closed. */
export const runProgram = (image: ProgramImage, files: SourceFile[], config: RunConfig, tracePath: string | undefined, out: Out, execution: Execution = DEFAULT_EXECUTION) =>
  Effect.gen(function* () {
    const stdin = new StdinLines();
    // the trace goes to disk as the run goes (trace-file.ts): a killed run leaves what it did
    const traceFile = tracePath === undefined ? null : yield* openTraceFile(tracePath);
    const recording = traceFile ? startRecording(image, files, config, toolInfo(), traceFile) : null;
    const spec = chipSpec(config.chip)!;
    // on a terminal, a progress line on stderr (progress.ts), cleared before any output
    const progress = new RunProgress(new ProgressLine(progressWanted()), spec.clockHz);
    // program output is written after each slice; a line that comes after a pause of more than
    // OUTPUT_LATENCY_MS (wall clock, which changes only when bytes are written, never which) is
    // written at once: a slice of a many-core run can take seconds
    let lastWrite = wallMs();
    out.beforeWrite = () => {
      lastWrite = wallMs();
      progress.beforeOutput();
    };
    const signals = new StopSignals((sig) => {
      // a second Ctrl-C: stop now, with the trace as far as it was written
      progress.end();
      out.flush();
      recording?.flush();
      traceFile?.close();
      process.stderr.write(`epython: stopped by a second ${sig}${traceFile ? `; the trace '${traceFile.path}' is incomplete` : ""}\n`);
      process.exit(SIGNAL_EXIT[sig]);
    });
    let outputLines = 0;
    const io: HostIo = {
      output: (line) => {
        out.line(line);
        outputLines++;
        if (wallMs() - lastWrite >= OUTPUT_LATENCY_MS) out.flush();
      },
      input: (prompt, label) => {
        out.write(prompt === null ? `${label}> ` : `[${label}] ${prompt}`);
        out.flush();
        // everything so far on disk before the process blocks (it may be killed at the prompt)
        const read = () => signals.whileBlocked(() => stdin.next());
        return recording ? recordedInput(recording, read) : read();
      },
    };
    const result = yield* Effect.tryPromise({
      try: async () => {
        const running = new Simulation(image, config, io, recording?.sink, execution);
        return await runLive(running, signals, {
          afterSlice: () => {
            out.flush();
            if (recording) endSlice(recording);
            progress.update(running.now, () => ({ events: running.kernel.processed, ops: running.procs.reduce((n, p) => n + p.vm.steps, 0) }));
          },
          outputCount: () => outputLines,
          limited: config.maxSteps > 0 || config.maxCycles > 0,
          clockHz: spec.clockHz,
          notice: (text) => {
            progress.beforeOutput();
            out.flush();
            process.stderr.write(`${text}\n`);
          },
        });
      },
      catch: (e) => e,
    }).pipe(
      Effect.catch((e) =>
        Effect.gen(function* () {
          // nothing lost: even a run that could not start (the program does not fit the core) or
          // that hit a bug of ours leaves its trace up to that point, flagged as failed
          const unfit = e instanceof MemoryMapError;
          if (recording) {
            recording.abandon(unfit ? "config" : "internal", e instanceof Error ? e.message : String(e));
            yield* closeTraceFile(traceFile!);
          }
          return yield* unfit ? Effect.fail(new ProgramError({ message: e.message })) : Effect.die(e);
        }),
      ),
      Effect.ensuring(
        Effect.sync(() => {
          signals.dispose();
          progress.end();
          out.beforeWrite = null;
        }),
      ),
    );
    // the trace is finished whether the run succeeded or not (flagged as failed in its footer)
    if (recording) {
      recording.finish(result);
      yield* closeTraceFile(traceFile!);
    }
    return { result, traceFile };
  });

/** `--trace FILE`: open the file the trace is written to as the run goes (an InputFileError when it can not be). */
const openTraceFile = (path: string) =>
  Effect.try({
    try: () => new TraceFile(path),
    catch: (e) => new InputFileError({ message: (e as Error).message }),
  });

/** Close the trace file; a write that failed during the run (a full disk) is reported now. */
const closeTraceFile = (file: TraceFile) =>
  Effect.gen(function* () {
    file.close();
    if (file.failure !== null) return yield* new InputFileError({ message: file.failure });
  });
