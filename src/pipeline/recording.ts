/**
 * Recording a run: the trace recorder wired to a simulation, with the tool and Node versions in
 * its header and the lines `input()` read kept for replay. Used by the CLI (`--trace`, `replay`),
 * the experiments, the benchmarks and the property suites, so it lives under all of them.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunConfig } from "../config/run-config.js";
import type { SourceFile } from "../lang/errors.js";
import { encodeImage, type ProgramImage } from "../lang/image.js";
import { chipSpec } from "../machine/chip.js";
import { type Execution, type HostIo, runSlices, type SimResult, Simulation } from "../runtime/simulate.js";
import type { TraceFooter } from "../trace/header.js";
import { makeHeader, TraceRecorder, type TraceOutput } from "../trace/recorder.js";
import type { TraceSink } from "../trace/sink.js";

/** Who records: written into every trace header. */
export interface ToolInfo {
  toolVersion: string;
  nodeMajor: number;
}

let cachedInfo: ToolInfo | null = null;

/**
 * epython-sim's version (package.json, found from this file in src/pipeline or dist/src/pipeline) and Node's
 * major version. Synchronous, unlike the rest of the CLI's I/O, because startRecording() is called
 * from plain code too (benchmarks, tests); read once and cached.
 */
export function toolInfo(): ToolInfo {
  if (cachedInfo) return cachedInfo;
  const here = dirname(fileURLToPath(import.meta.url));
  let toolVersion = "unknown";
  for (const candidate of [join(here, "..", "..", "package.json"), join(here, "..", "..", "..", "package.json")]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "epython-sim" && typeof pkg.version === "string") {
        toolVersion = pkg.version;
        break;
      }
    } catch {
      // not this candidate
    }
  }
  cachedInfo = { toolVersion, nodeMajor: Number(process.versions.node.split(".")[0]) };
  return cachedInfo;
}

export interface Recording {
  sink: TraceSink;
  /** hand the events recorded so far to the output now (before the process may block or die) */
  flush(): void;
  /** events recorded so far */
  events(): number;
  /** end the trace with the run's result (also for failed runs); the file's bytes when recording to memory */
  finish(result: SimResult): Uint8Array;
  /** end the trace of a run that ended without a result (it could not start, or epython-sim failed) */
  abandon(kind: "config" | "internal", message: string): Uint8Array;
}

function footerOf(result: SimResult): TraceFooter {
  const e = result.error;
  return {
    ok: result.ok,
    error: e === null ? null : { kind: e.kind, message: e.message, proc: e.proc, label: e.label, file: e.file, line: e.line, time: e.time },
    totalCycles: result.totalCycles,
    messages: result.messages,
    messageBytes: result.messageBytes,
    simEvents: result.events,
    linkWindowCycles: result.linkWindowCycles,
    procs: result.procs.map((p) => ({ pid: p.pid, label: p.label, finishCycles: p.finishCycles, steps: p.steps, gcCount: p.gcCount, maxStackCells: p.maxStackCells })),
  };
}

/**
 * Start the trace of a run: its header at once, its events as the run goes, to `output` (a file
 * the CLI writes as the run goes) or to memory.
 */
export function startRecording(image: ProgramImage, files: SourceFile[], config: RunConfig, info: ToolInfo = toolInfo(), output?: TraceOutput): Recording {
  const spec = chipSpec(config.chip);
  if (!spec) throw new Error(`unknown chip ${config.chip}`);
  const header = makeHeader({
    toolVersion: info.toolVersion,
    nodeMajor: info.nodeMajor,
    clockHz: spec.clockHz,
    sources: files.map((f) => ({ name: f.name, text: f.text })),
    // a run of `epython -l FILE` has no sources: keep the byte code so replay can run it
    image: files.length === 0 ? encodeImage(image) : null,
    config,
  });
  const recorder = new TraceRecorder(header, output);
  return {
    sink: recorder,
    flush: () => recorder.flush(),
    events: () => recorder.events,
    finish: (result) => recorder.finish(footerOf(result)),
    abandon: (kind, message) =>
      recorder.finish({
        ok: false,
        error: { kind, message, proc: -1, label: "", file: "", line: 0, time: 0 },
        totalCycles: 0,
        messages: 0,
        messageBytes: 0,
        simEvents: 0,
        linkWindowCycles: 0,
        procs: [],
      }),
  };
}

/**
 * Run and record without printing: the trace's bytes. For benchmarks and tests. `input()` reads
 * the given lines, then end of input; `ended` is shown the finished simulation (its cores' VMs).
 */
export function recordRun(
  image: ProgramImage,
  files: SourceFile[],
  config: RunConfig,
  options: { info?: ToolInfo; inputs?: readonly (string | null)[]; execution?: Execution; ended?: (sim: Simulation) => void } = {},
): Uint8Array {
  const recording = startRecording(image, files, config, options.info);
  const feed = options.inputs ?? [];
  let next = 0;
  const io: HostIo = { output: () => {}, input: () => recordedInput(recording, () => (next < feed.length ? feed[next++]! : null)) };
  const sim = new Simulation(image, config, io, recording.sink, options.execution);
  runSlices(sim, () => endSlice(recording));
  const bytes = recording.finish(sim.finish());
  options.ended?.(sim);
  return bytes;
}

/**
 * The chunk rules that depend on the run (FORMAT.md): a chunk ends after each slice of the run and
 * before input() reads a line. Every recorder of a run (the CLI, recordRun, replay) follows them,
 * so they all write the same bytes. endSlice is a runSlices hook: it never stops the run.
 */
export function endSlice(recording: Recording): null {
  recording.flush();
  return null;
}

/** Read an input line for a recorded run: its events so far go out first (the read may block, the process be killed). */
export function recordedInput(recording: Recording, read: () => string | null): string | null {
  recording.flush();
  return read();
}
