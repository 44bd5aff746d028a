/**
 * Trace commands: `replay`, `diff`, `export` and `view`. The binary format and the analyses live in
 * src/trace (plain TypeScript, no I/O) and recording a run in src/pipeline; this file adds what
 * only the CLI may do: files, the console, exit codes.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { Effect, Schema } from "effect";
import { compileProgram } from "../lang/compiler.js";
import { EpySyntaxError, type SourceFile } from "../lang/errors.js";
import { decodeImage, ImageFormatError } from "../lang/image.js";
import { MAX_HOST_CORES } from "../config/run-config.js";
import { chipSpec } from "../machine/chip.js";
import { MemoryMapError } from "../machine/memory-map.js";
import { storedResolver } from "../pipeline/modules.js";
import { endSlice, recordedInput, startRecording, type ToolInfo, toolInfo } from "../pipeline/recording.js";
import { recordedCommands, replaySession, replayStop, SessionReplayError } from "./session-replay.js";
import type { ProgramImage } from "../lang/image.js";
import { DEFAULT_EXECUTION, type Execution, type HostIo, INTERPRETER_ONLY, runSlices, Simulation } from "../runtime/simulate.js";
import { NullSink } from "../trace/sink.js";
import { firstDivergence, footerDifferences, formatDivergence, formatSummaryTable, headerDifferences, summarize } from "../trace/compare.js";
import { TraceFormatError } from "../trace/format.js";
import { playInto } from "../trace/events.js";
import { footerJson, headerJson, sourceHashInput } from "../trace/header.js";
import { sha256Hex } from "../trace/checksum.js";
import { exportOtlp } from "../trace/otlp.js";
import { exportPerfetto } from "../trace/perfetto.js";
import { checkTraceMeaning, readTrace, type Trace } from "../trace/reader.js";
import { viewModelOf } from "../pipeline/view-model-of.js";
import { type CliError, InputFileError, ProgramError, UsageError } from "./errors.js";
import { readBytes, sameFile, temporaryName, writeFileAtomic } from "./files.js";
import type { Out } from "./out.js";
import { byteSize, ProgressLine, progressWanted, wallMs } from "./progress.js";
import { parseViewArgs, showView } from "./view-command.js";

// --- reading ---------------------------------------------------------------------------------------

/**
 * What a header can say that no run of this simulator can have: cores off its chip, or twice,
 * more host cores than a run may add, a clock other than the chip's, a footer with another
 * number of processes. Returns the problem, or null.
 */
function impossibleRun(trace: Trace): string | null {
  const { config, clockHz } = trace.header;
  const spec = chipSpec(config.chip)!;
  const total = spec.rows * spec.cols;
  for (let i = 0; i < config.cores.length; i++) {
    const c = config.cores[i]!;
    if (c >= total) return `core ${c} is not on the ${config.chip}, which has ${total} cores`;
    if (i > 0 && c <= config.cores[i - 1]!) return `the cores are not in ascending order without repeats (${config.cores[i - 1]} then ${c})`;
  }
  if (config.hostCores > MAX_HOST_CORES) return `${config.hostCores} host cores, more than a run may add (${MAX_HOST_CORES})`;
  if (clockHz !== spec.clockHz) return `a clock of ${clockHz} Hz, but the ${config.chip} runs at ${spec.clockHz} Hz`;
  const procs = config.cores.length + config.hostCores;
  if (trace.footer.procs.length !== 0 && trace.footer.procs.length !== procs) return `the footer reports ${trace.footer.procs.length} processes, the header ${procs}`;
  return null;
}

/** A trace with more events than this shows its progress (on a terminal): about a second to read and check. */
const BIG_TRACE_EVENTS = 1_000_000;
/** Before its events are counted, a file this large is taken for a big trace (about 7 bytes an event on the E16). */
const BIG_TRACE_BYTES = 8_000_000;

/**
 * The progress of a command on a big trace: one line on stderr (progress.ts: on a terminal, or
 * with EPYTHON_PROGRESS=1), saying what it does now. Cleared before the command prints anything.
 */
export class TraceProgress {
  private readonly line = new ProgressLine(progressWanted());
  private readonly start = wallMs();
  private last = -Infinity;
  /** whether the trace is big enough for progress (set once its size or event count is known) */
  big = false;

  constructor(private readonly command: string) {}

  /** Show what is being done now. */
  stage(text: string): void {
    if (!this.big) return;
    const t = wallMs();
    this.line.show(`epython ${this.command}: ${text} [${Math.floor((t - this.start) / 1000)} s]`);
    this.last = t;
  }

  /** The same, at most 4 times a second; `text` is made only when it is shown. */
  tick(text: () => string): void {
    if (this.big && this.line.enabled && wallMs() - this.last >= 250) this.stage(text());
  }

  clear(): void {
    this.line.clear();
  }
}

const count = (n: number): string => n.toLocaleString("en-US");

/** Read and check a trace file; a damaged or impossible file is an InputFileError naming the file (exit 2). */
export const loadTrace = (path: string, progress?: TraceProgress) =>
  Effect.gen(function* () {
    const bytes = yield* readBytes(path);
    if (progress !== undefined && bytes.length >= BIG_TRACE_BYTES) {
      progress.big = true;
      progress.stage(`reading ${path} (${byteSize(bytes.length)})`);
    }
    return yield* Effect.try({
      try: () => {
        const trace = readTrace(bytes);
        const problem = impossibleRun(trace);
        if (problem !== null) throw new TraceFormatError(`not a run of this simulator: ${problem}`);
        if (progress !== undefined && trace.eventCount > BIG_TRACE_EVENTS) {
          progress.big = true;
          progress.stage(`checking ${count(trace.eventCount)} events`);
        }
        checkTraceMeaning(trace);
        if (!trace.complete) {
          progress?.clear();
          process.stderr.write(`epython: '${path}': ${trace.footer.error!.message}; using the ${trace.eventCount} events it holds\n`);
        }
        return trace;
      },
      catch: (e) => (e instanceof TraceFormatError ? new InputFileError({ message: `trace file '${path}': ${e.message}` }) : e),
    }).pipe(Effect.catch((e) => (e instanceof InputFileError ? Effect.fail(e) : Effect.die(e))));
  });

/** The program a trace was recorded from: recompiled from its stored sources, or its stored byte code. */
const programOf = (trace: Trace, path: string) =>
  Effect.gen(function* () {
    const { header } = trace;
    if (sha256Hex(sourceHashInput(header.sources)) !== header.sourceHash) {
      return yield* new InputFileError({ message: `trace file '${path}': the stored sources do not match the source hash in its header` });
    }
    if (header.sources.length === 0) {
      if (header.image === null) return yield* new InputFileError({ message: `trace file '${path}': holds neither sources nor byte code` });
      const image = yield* Effect.try({
        try: () => decodeImage(Uint8Array.from(atob(header.image!), (ch) => ch.charCodeAt(0))),
        catch: (e) => new InputFileError({ message: `trace file '${path}': its byte code can not be read: ${e instanceof ImageFormatError ? e.message : String(e)}` }),
      });
      return { image, files: [] as SourceFile[] };
    }
    const main = header.sources[0]!;
    return yield* Effect.try({
      try: () => {
        const r = compileProgram(main.text, main.name, storedResolver(header.sources));
        return { image: r.image, files: r.files };
      },
      catch: (e) =>
        new ProgramError({ message: `replay FAILED: the recorded sources no longer compile:\n${e instanceof EpySyntaxError ? e.format() : String(e)}` }),
    });
  });

// --- argument helpers ------------------------------------------------------------------------------

const REPLAY_USAGE = "usage: epython replay TRACE [--no-jit]   (re-runs the recorded program and checks every event is the same)";
const DIFF_USAGE = "usage: epython diff TRACE_A TRACE_B   (exit 0: same events, 1: they differ, 2: bad input)";
const EXPORT_USAGE = "usage: epython export --format perfetto|otlp TRACE [-o OUT.json] [--base-ns UNIX_NANOS]";
const VIEW_USAGE = "usage: epython view TRACE [--html OUT.html] [--port N]";

/** What `COMMAND --help` (and `epython help COMMAND`) prints: the usage line, then what it does. */
const REPLAY_HELP = `${REPLAY_USAGE}

Re-runs the program a trace was recorded from (its stored sources, or its byte
code), with the same configuration, seed and input lines, and checks that the
header, every event and the footer are identical. An incomplete trace (a killed
run) is checked up to its last whole chunk; an interrupted one (Ctrl-C) is
stopped at the same point. A trace of \`epython python --trace\` is re-driven by
its recorded host commands, in order, on a new session (no Python). Exit 0:
identical; 1: it diverges (the first difference is shown); 2: the file is not a
readable trace. --no-jit re-runs it with the interpreter alone (a trace recorded
with hot loops compiled must replay identically without them).`;

const DIFF_HELP = `${DIFF_USAGE}

Compares two traces: their configurations, the first event where they diverge,
and per-core time, messages and bytes side by side.`;

const EXPORT_HELP = `${EXPORT_USAGE}

Converts a trace to JSON for other tools:
  --format perfetto   Chrome trace events, for ui.perfetto.dev and chrome://tracing
  --format otlp       OpenTelemetry spans (OTLP/JSON)
  -o, --output FILE   where to write (default: standard output, also -o -);
                      a file is written whole or not at all, and reported on
                      stderr with its size
  --base-ns N         otlp: the Unix time in nanoseconds of cycle 0 (default 0)`;

const VIEW_HELP = `${VIEW_USAGE}

The trace explorer: one lane per core, messages, the mesh's load, heap use and
the program's output. Serves it on 127.0.0.1 and prints the URL (until Ctrl-C).
  --html OUT.html  write it as one self-contained file that opens offline
  --port N         the port to serve on (default: any free one)`;

function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === "--help" || a === "-help" || a === "-h");
}

function positionals(argv: readonly string[], usage: string, count: number) {
  return Effect.gen(function* () {
    const flag = argv.find((a) => a.startsWith("-") && a !== "-");
    if (flag !== undefined) return yield* new UsageError({ message: `unknown flag '${flag}'\n${usage}` });
    if (argv.length !== count) return yield* new UsageError({ message: `${count === 1 ? "one trace file" : `${count} trace files`} needed, got ${argv.length}\n${usage}` });
    return argv;
  });
}

// --- replay ----------------------------------------------------------------------------------------

export const replayCommand = (argv: readonly string[], out: Out): Effect.Effect<void, CliError> => {
  const progress = new TraceProgress("replay");
  return replay(argv, out, progress).pipe(Effect.ensuring(Effect.sync(() => progress.clear())));
};

const replay = (argv: readonly string[], out: Out, progress: TraceProgress): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    if (wantsHelp(argv)) return out.line(REPLAY_HELP);
    const execution = argv.includes("--no-jit") ? INTERPRETER_ONLY : DEFAULT_EXECUTION;
    const [path] = yield* positionals(argv.filter((a) => a !== "--no-jit"), REPLAY_USAGE, 1);
    const recorded = yield* loadTrace(path!, progress);
    const { image, files } = yield* programOf(recorded, path!);
    const info = toolInfo();
    const h = recorded.header;
    const fa = recorded.footer;
    // a trace of `epython python --trace`: its host program's commands are carried out again
    const commands = recordedCommands(recorded);
    progress.stage(commands.length > 0 ? `re-running the session's ${count(commands.length)} commands` : `re-running the program`);
    const replayed = yield* Effect.try({
      try: () =>
        commands.length > 0 ? replaySession(recorded, image, files, info, commands, execution) : replayRun(recorded, image, files, info, execution, (events) =>
          progress.tick(() => `re-running the program: ${count(events)} of ${count(recorded.eventCount)} events (${Math.min(100, Math.floor((100 * events) / Math.max(1, recorded.eventCount)))}%)`),
        ),
      catch: (e) => e,
    }).pipe(
      Effect.catch((e) =>
        e instanceof MemoryMapError
          ? Effect.succeed(e)
          : e instanceof SessionReplayError
            ? Effect.fail(new ProgramError({ message: `replay FAILED: '${path}': ${e.message}` }))
            : Effect.die(e),
      ),
    );
    if (replayed instanceof MemoryMapError) {
      // a run that could not start: a faithful replay fails to start in the same way
      if (fa.error?.kind === "config" && fa.error.message === replayed.message) {
        return out.line(`replay OK: ${path}: the program does not fit the core, as recorded (${replayed.message})`);
      }
      return yield* new ProgramError({ message: `replay FAILED: the program no longer fits: ${replayed.message}` });
    }
    if (h.node !== info.nodeMajor || h.toolVersion !== info.toolVersion) {
      out.line(`note: recorded by epython-sim ${h.toolVersion} on Node ${h.node}, replayed by epython-sim ${info.toolVersion} on Node ${info.nodeMajor}`);
    }
    // every recorded header value but who recorded must be what this run has
    const differences = headerDifferences(recorded.header, { ...replayed.header, toolVersion: h.toolVersion, node: h.node });
    if (h.clockHz !== replayed.header.clockHz) differences.push(`clock: ${h.clockHz} Hz vs ${replayed.header.clockHz} Hz`);
    if (headerJson(recorded.header) !== headerJson({ ...replayed.header, toolVersion: h.toolVersion, node: h.node }) && differences.length === 0) differences.push("the header's stored sources or byte code");
    if (differences.length > 0) {
      return yield* new ProgramError({ message: [`replay FAILED: '${path}': its header records another run than this one (recorded vs replayed):`, ...differences.map((d) => `  ${d}`)].join("\n") });
    }
    progress.stage(`comparing ${count(recorded.eventCount)} events`);
    const d = firstDivergence(recorded, replayed, recorded.complete ? Infinity : recorded.eventCount);
    progress.clear();
    if (d !== null) {
      const at = d.a && "time" in d.a ? d.a.time : d.b && "time" in d.b ? d.b.time : null;
      return yield* new ProgramError({
        message: [
          `replay FAILED: '${path}' diverges at event #${d.index}${at === null ? "" : ` (cycle ${at})`} of ${recorded.eventCount}`,
          ...formatDivergence(d, recorded, replayed, ["recorded", "replayed"]),
        ].join("\n"),
      });
    }
    if (!recorded.complete) {
      return out.line(
        `replay OK: ${path}: ${fa.error!.message}; all ${recorded.eventCount} events up to its end identical (${h.sources[0]?.name ?? "byte code"}, up to cycle ${cycles(fa.totalCycles)})`,
      );
    }
    const fb = replayed.footer;
    if (footerJson(fa) !== footerJson(fb)) {
      return yield* new ProgramError({
        message: [
          `replay FAILED: '${path}': all ${recorded.eventCount} events agree but the footer differs (recorded vs replayed):`,
          ...footerDifferences(fa, fb).map((line) => `  ${line}`),
        ].join("\n"),
      });
    }
    out.line(`replay OK: ${path}: all ${recorded.eventCount} events and the footer identical (${h.sources[0]?.name ?? "byte code"}, ${fa.ok ? "ran ok" : `failed as recorded: ${fa.error?.kind}`}, ${cycles(fa.totalCycles)} cycles)`);
  });

/**
 * Run a trace's program again, recording to memory, with the recorded inputs: to its end, or for
 * an incomplete trace until it has passed the recorded events, or for an interrupted one to the
 * same slice (slices.ts).
 */
function replayRun(recorded: Trace, image: ProgramImage, files: SourceFile[], info: ToolInfo, execution: Execution, onSlice: (events: number) => void = () => {}): Trace {
  const inputs = recordedInputs(recorded);
  let next = 0;
  const recording = startRecording(image, files, recorded.header.config, info);
  const io: HostIo = { output: () => {}, input: () => recordedInput(recording, () => (next < inputs.length ? inputs[next++]! : null)) };
  const sim = new Simulation(image, recorded.header.config, io, recording.sink, execution);
  const stopAt = replayStop(recorded, recording, sim);
  runSlices(sim, (slices) => {
    endSlice(recording);
    onSlice(recording.events());
    return stopAt(slices);
  });
  return readTrace(recording.finish(sim.finish()));
}

/** The lines input() read in a recorded run (null: end of input), from its input events. */
function recordedInputs(trace: Trace): (string | null)[] {
  const lines: (string | null)[] = [];
  playInto(trace, Object.assign(new NullSink(), { input: (_t: number, _p: number, eof: number, text: string) => lines.push(eof ? null : text) }));
  return lines;
}

// --- diff ------------------------------------------------------------------------------------------

/** Simulated time for people: whole cycles (the model keeps fractions of a cycle internally). */
function cycles(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function describeRun(t: Trace): string {
  const h = t.header;
  const c = h.config;
  return `${h.sources[0]?.name ?? "(byte code)"}, ${c.chip}, ${c.cores.length} device core${c.cores.length === 1 ? "" : "s"}${c.hostCores ? ` + ${c.hostCores} host` : ""}, ${t.footer.ok ? "ok" : `failed (${t.footer.error?.kind})`}, ${cycles(t.footer.totalCycles)} cycles, ${t.eventCount} events`;
}

export const diffCommand = (argv: readonly string[], out: Out): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    if (wantsHelp(argv)) return out.line(DIFF_HELP);
    const [pa, pb] = yield* positionals(argv, DIFF_USAGE, 2);
    const a = yield* loadTrace(pa!);
    const b = yield* loadTrace(pb!);
    out.line(`A: ${pa}: ${describeRun(a)}`);
    out.line(`B: ${pb}: ${describeRun(b)}`);
    for (const line of headerDifferences(a.header, b.header)) out.line(`  ${line}`);
    const d = firstDivergence(a, b);
    if (d === null) out.line(`events: all ${a.eventCount} identical`);
    else {
      const at = d.a && "time" in d.a ? d.a.time : d.b && "time" in d.b ? d.b.time : null;
      out.line(`first divergence at event #${d.index}${at === null ? "" : ` (cycle ${at})`}:`);
      for (const line of formatDivergence(d, a, b, ["A", "B"])) out.line(line);
    }
    out.line("");
    for (const line of formatSummaryTable(summarize(a), summarize(b), ["A", "B"])) out.line(line);
    if (d !== null || a.footer.ok !== b.footer.ok || a.footer.totalCycles !== b.footer.totalCycles) {
      return yield* new ProgramError({ message: "epython diff: the traces differ" });
    }
  });

// --- export ----------------------------------------------------------------------------------------

const ExportArgs = Schema.Struct({
  format: Schema.Literals(["perfetto", "otlp"]),
  file: Schema.String,
  output: Schema.optionalKey(Schema.String),
  baseNs: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isPattern(/^[0-9]{1,30}$/, { message: "--base-ns needs a whole number of nanoseconds" })))),
});

const parseExportArgs = (argv: readonly string[]) =>
  Effect.gen(function* () {
    const raw: Record<string, unknown> = {};
    const files: string[] = [];
    const flags: Record<string, string> = { "--format": "format", "-f": "format", "-o": "output", "--output": "output", "--base-ns": "baseNs" };
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
      const flag = eq > 0 ? arg.slice(0, eq) : arg;
      if (flag in flags) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) return yield* new UsageError({ message: `${flag} needs a value\n${EXPORT_USAGE}` });
        raw[flags[flag]!] = value;
      } else if (arg.startsWith("-") && arg !== "-") return yield* new UsageError({ message: `unknown flag '${arg}'\n${EXPORT_USAGE}` });
      else files.push(arg);
    }
    if (raw.format === undefined) return yield* new UsageError({ message: `--format is required (perfetto or otlp)\n${EXPORT_USAGE}` });
    if (files.length !== 1) return yield* new UsageError({ message: `one trace file needed, got ${files.length}\n${EXPORT_USAGE}` });
    raw.file = files[0];
    return yield* Schema.decodeUnknownEffect(ExportArgs)(raw).pipe(
      Effect.mapError((e) => new UsageError({ message: `${e.message.split("\n")[0]!.replace(/^Expected "perfetto" \| "otlp".*/, `unknown format '${String(raw.format)}': use perfetto or otlp`)}\n${EXPORT_USAGE}` })),
    );
  });

/**
 * Write chunks to a file (or stdout for "-"): a file is written under a temporary name beside it
 * and renamed when complete, so a failed or killed export never leaves a truncated file.
 */
const writeStreamed = (path: string, produce: (write: (chunk: string) => void) => void) => {
  if (path === "-") return streamTo("-", "-", produce);
  const tmp = temporaryName(path);
  return streamTo(tmp, path, produce).pipe(
    Effect.andThen(
      Effect.try({
        try: () => renameSync(tmp, path),
        catch: (e) => new InputFileError({ message: `can not write '${path}': ${(e as Error).message}` }),
      }),
    ),
    Effect.ensuring(Effect.sync(() => rmSync(tmp, { force: true }))),
  );
};

/** Write chunks to `file` (stdout for "-"), opened and closed around `produce`; errors name `shown`. */
const streamTo = (file: string, shown: string, produce: (write: (chunk: string) => void) => void) =>
  Effect.acquireUseRelease(
    Effect.try({
      try: () => (file === "-" ? 1 : openSync(file, "w")),
      catch: (e) => new InputFileError({ message: `can not write '${shown}': ${(e as Error).message.split(file).join(shown)}` }),
    }),
    (fd) =>
      Effect.try({
        try: () => {
          let closed = false;
          produce((chunk) => {
            if (closed) return;
            try {
              writeSync(fd, chunk);
            } catch (e) {
              // a reader that stops early (`| head`) is not an error
              if (fd === 1 && (e as NodeJS.ErrnoException).code === "EPIPE") closed = true;
              else throw e;
            }
          });
        },
        catch: (e) => (e instanceof Error && "code" in e ? new InputFileError({ message: `can not write '${shown}': ${e.message}` }) : e),
      }).pipe(Effect.catch((e) => (e instanceof InputFileError ? Effect.fail(e) : Effect.die(e)))),
    (fd) => Effect.sync(() => (fd === 1 ? undefined : closeSync(fd))),
  );

export const exportCommand = (argv: readonly string[], out: Out): Effect.Effect<void, CliError> => {
  const progress = new TraceProgress("export");
  return exportTrace(argv, out, progress).pipe(Effect.ensuring(Effect.sync(() => progress.clear())));
};

const exportTrace = (argv: readonly string[], out: Out, progress: TraceProgress): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    if (wantsHelp(argv)) return out.line(EXPORT_HELP);
    const args = yield* parseExportArgs(argv);
    const trace = yield* loadTrace(args.file, progress);
    const target = args.output ?? "-";
    if (target !== "-" && sameFile(args.file, target)) return yield* new UsageError({ message: `export: -o '${target}' would overwrite the trace it exports` });
    // stdout is shared with Out: flush what it holds before writing around it
    out.flush();
    // no progress line between the lines of JSON on a terminal
    const toTerminal = target === "-" && process.stdout.isTTY === true;
    if (toTerminal) progress.clear();
    let bytes = 0;
    const counted = (write: (chunk: string) => void) => (chunk: string) => {
      write(chunk);
      bytes += Buffer.byteLength(chunk);
      if (!toTerminal) progress.tick(() => `${byteSize(bytes)} of ${args.format} JSON written, from ${count(trace.eventCount)} events`);
    };
    if (args.format === "perfetto") yield* writeStreamed(target, (write) => exportPerfetto(trace, counted(write)));
    else {
      const baseUnixNanos = args.baseNs === undefined ? 0n : BigInt(args.baseNs);
      yield* writeStreamed(target, (write) => exportOtlp(trace, counted(write), { baseUnixNanos }));
    }
    progress.clear();
    // what was written where, unless it went to stdout (where it is the output)
    if (target !== "-") process.stderr.write(`wrote ${target} (${byteSize(bytes)}, ${count(trace.eventCount)} events)\n`);
  });

// --- view ------------------------------------------------------------------------------------------

/** `epython view TRACE`: the trace explorer (src/cli/view-command.ts) over the trace's view model. */
export const viewCommand = (argv: readonly string[], out: Out): Effect.Effect<void, CliError> => {
  const progress = new TraceProgress("view");
  return view(argv, out, progress).pipe(
    Effect.ensuring(
      Effect.sync(() => {
        progress.clear();
        out.beforeWrite = null;
      }),
    ),
  );
};

const view = (argv: readonly string[], out: Out, progress: TraceProgress): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    // view-command.ts parses the rest; it knows no help flag
    if (wantsHelp(argv)) return out.line(VIEW_HELP);
    // what showView prints (the URL, "wrote FILE") clears the progress line first
    out.beforeWrite = () => progress.clear();
    const args = yield* parseViewArgs(argv);
    const trace = yield* loadTrace(args.file, progress);
    progress.stage(`building the view of ${count(trace.eventCount)} events`);
    const model = viewModelOf(trace);
    progress.stage(args.html === null ? "preparing the page" : "making the page");
    const write = (path: string, data: string) => {
      progress.stage(`writing ${path} (${byteSize(Buffer.byteLength(data))})`);
      return writeFileAtomic(path, data);
    };
    yield* showView(args, model, out, write);
  });
