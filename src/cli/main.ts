/**
 * The `epython` command: the only place that touches the console, the file system and the clock.
 * Runs as an Effect program; typed errors become exit codes (see errors.ts).
 */
import { dirname } from "node:path";
import { Cause, Effect, Exit, Option } from "effect";
import { compileProgram } from "../lang/compiler.js";
import { disassemble } from "../lang/disasm.js";
import { EpySyntaxError, type SourceFile, lineOf } from "../lang/errors.js";
import { codeBytes, decodeImage, encodeImage, ImageFormatError, type ProgramImage, SYMBOL_ENTRY_BYTES, symbolEntries } from "../lang/image.js";
import { calibrate, formatCalibration } from "../machine/calibrate.js";
import { formatRuntimeFigures, runtimeFigures } from "../pipeline/runtime-figures.js";
import { chipSpec } from "../machine/chip.js";
import { layoutCore, MemoryMapError } from "../machine/memory-map.js";
import { CHIP_NAMES } from "../config/names.js";
import { DEFAULT_CONFIG } from "../config/run-config.js";
import { DEFAULT_EXECUTION, INTERPRETER_ONLY, type SimError, type SimResult } from "../runtime/simulate.js";
import { checkTracePath, configFromArgs, parseRunArgs, type RunArgs, USAGE } from "./args.js";
import { type CliError, EXIT_CODE, EXIT_INTERNAL, InputFileError, Interrupted, ProgramError, UsageError } from "./errors.js";
import { moduleResolver } from "../pipeline/modules.js";
import { readBytes, readText, sameFile, writeFileAtomic } from "./files.js";
import { Out } from "./out.js";
import { experimentCommand } from "./experiment-command.js";
import { validateCommand } from "./validate-command.js";
import { pythonCommand } from "./python-command.js";
import { SIGNAL_EXIT, type StopSignal } from "./live-run.js";
import { runProgram } from "./run-program.js";
import { toolInfo } from "../pipeline/recording.js";
import { diffCommand, exportCommand, replayCommand, viewCommand } from "./trace-commands.js";

interface Loaded {
  image: ProgramImage;
  files: SourceFile[];
  preprocessed: string;
  warnings: string[];
}

const load = (args: RunArgs) =>
  Effect.gen(function* () {
    if (args.load !== undefined) {
      const bytes = yield* readBytes(args.load);
      const image = yield* Effect.try({
        try: () => decodeImage(bytes),
        catch: (e) => new InputFileError({ message: `'${args.load}': ${e instanceof ImageFormatError ? e.message : String(e)}` }),
      });
      return { image, files: [], preprocessed: "", warnings: [] } satisfies Loaded;
    }
    const file = args.file!;
    const source = yield* readText(file);
    return yield* Effect.try({
      try: () => compileProgram(source, file, moduleResolver(dirname(file))) as Loaded,
      catch: (e) => e,
    }).pipe(Effect.catch((e) => (e instanceof EpySyntaxError ? Effect.fail(new ProgramError({ message: e.format() })) : Effect.die(e))));
  });

function describeFailure(result: SimResult, files: SourceFile[]): string {
  const e = result.error!;
  if (e.kind === "deadlock") return `Deadlock after ${Math.round(result.totalCycles)} cycles: ${e.message.replace(/^deadlock: /, "")}`;
  if (e.kind === "interrupted") return `Interrupted at cycle ${Math.round(e.time)}: ${e.message}`;
  const src = files.find((f) => f.name === e.file);
  const text = src && e.line > 0 ? `\n  ${e.line} | ${lineOf(src, e.line).trim()}` : "";
  const what = e.kind === "limit" ? "Stopped" : "Error";
  // a limit's message goes on with a line per core that did not complete: after the source line
  const nl = e.message.indexOf("\n");
  const [head, rest] = nl < 0 ? [e.message, ""] : [e.message.slice(0, nl), e.message.slice(nl)];
  return `${what} on ${e.label} at ${e.file}:${e.line}: ${head}${text}${rest}`;
}

/**
 * The run's end, for a core it stopped: "the run ended: error on device 2", "the run ended:
 * deadlock", "the run was interrupted"; plain "the run ended" when nothing was left to do but wait
 * on cores that stopped at their limits (their own lines say so).
 */
function runEnd(e: SimError | null): string {
  if (e === null || e.kind === "limit") return "the run ended";
  if (e.kind === "interrupted") return "the run was interrupted";
  if (e.kind === "deadlock") return "the run ended: deadlock";
  return `the run ended: ${e.kind === "runtime" ? "error" : e.kind} on ${e.label}`;
}

/**
 * `-t`: each core's simulated run time, and how it ended (ProcSummary.end). Only a core that ran
 * to its end "completed"; every other one says when it stopped and why: its own step or cycle
 * limit, its error, what it was waiting for, or the run's end (an interrupt, another core's error).
 */
function timingLines(result: SimResult): string[] {
  const secs = (cycles: number) => (cycles / result.clockHz).toFixed(6);
  const e = result.error;
  return result.procs.map((p, i) => {
    if (p.end === "completed") return `Core ${p.pid} completed in ${secs(p.finishCycles)} seconds`;
    let why: string;
    switch (p.end) {
      case "step limit":
        why = `step limit of ${result.limits.steps} operations`;
        break;
      case "cycle limit":
        why = `cycle limit of ${result.limits.cycles} cycles`;
        break;
      case "error":
        // its own error: a runtime error, or the livelock of its probes (kind deadlock)
        why = e !== null && e.proc === i ? `${e.kind === "runtime" ? "error" : /^livelock/.test(e.message) ? "livelock" : e.kind} at line ${e.line}` : "error";
        break;
      case "waiting":
        why = `waiting${p.waitingFor ? ` ${p.waitingFor}` : ""} when ${runEnd(e)}`;
        break;
      case "interrupted":
        why = "interrupted";
        break;
      default:
        why = runEnd(e);
    }
    return `Core ${p.pid} stopped at ${secs(p.finishCycles)} seconds (${why})`;
  });
}

const runCommand = (argv: readonly string[], out: Out) =>
  Effect.gen(function* () {
    const args = yield* parseRunArgs(argv);
    if (args.help) {
      out.line(USAGE);
      return;
    }
    if (args.version) {
      out.line(versionText());
      return;
    }
    if (args.file === undefined && args.load === undefined) return yield* new UsageError({ message: "you must supply a file to run as an argument, see epython --help" });
    const config = yield* configFromArgs(args);
    if (args.trace !== undefined) yield* checkTracePath(args.trace, [args.file, args.load]);
    const loaded = yield* load(args);
    const { image } = loaded;
    for (const w of loaded.warnings) process.stderr.write(`warning: ${w}\n`);
    if (args.preprocess) {
      out.write(loaded.preprocessed);
      return;
    }
    if (args.disasm) {
      out.write(disassemble(image));
      return;
    }
    if (args.output !== undefined) {
      for (const input of [args.file, args.load]) {
        if (input !== undefined && sameFile(input, args.output)) return yield* new UsageError({ message: `-o '${args.output}' would overwrite the program it compiles` });
      }
      yield* writeFileAtomic(args.output, encodeImage(image));
      return;
    }
    if (args.stats) {
      const spec = chipSpec(config.chip)!;
      const entries = symbolEntries(image);
      const layout = yield* Effect.try({
        try: () => layoutCore(spec, { codeBytes: codeBytes(image), symbolBytes: entries * SYMBOL_ENTRY_BYTES, activeCores: Math.max(16, config.cores.length + config.hostCores), codeShared: config.codeShared, codeCore: config.codeCore, dataShared: config.dataShared }),
        catch: (e) => new ProgramError({ message: e instanceof MemoryMapError ? e.message : String(e) }),
      });
      const free = layout.heapBytes;
      out.line(`${codeBytes(image)} bytes for code, ${entries * SYMBOL_ENTRY_BYTES} bytes for symbol table (${entries} entries), ${free} bytes free`);
    }
    const { result, traceFile } = yield* runProgram(image, loaded.files, config, args.trace, out, args.noJit ? INTERPRETER_ONLY : DEFAULT_EXECUTION);
    for (const w of result.warnings) process.stderr.write(`Warning: ${w.replace(/^Warning: /, "")}\n`);
    if (args.timing) {
      for (const line of timingLines(result)) out.line(line);
    }
    if (result.error?.kind === "interrupted") {
      const sig: StopSignal = /SIGTERM/.test(result.error.message) ? "SIGTERM" : "SIGINT";
      out.flush();
      process.stderr.write(`${describeFailure(result, loaded.files)}${traceFile ? `\nThe trace '${traceFile.path}' holds the run up to there.` : ""}\n`);
      return yield* new Interrupted({ exitCode: SIGNAL_EXIT[sig] });
    }
    if (!result.ok) return yield* new ProgramError({ message: describeFailure(result, loaded.files) });
  });

const CALIBRATE_USAGE = `usage: epython calibrate [--chip ${CHIP_NAMES.join("|")}] [--json]

Runs microbenchmarks on the machine model (remote reads, ping-pong, shared DRAM,
DMA, the host's print) and on ePython's runtime calls, and prints each figure
beside the hardware fact or hand count it is checked against.

  --chip NAME  the chip to measure (default ${DEFAULT_CONFIG.chip})
  --json       the figures as JSON`;

const calibrateCommand = (argv: readonly string[], out: Out) =>
  Effect.gen(function* () {
    let chip: string = DEFAULT_CONFIG.chip;
    let json = false;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === "--help" || a === "-help" || a === "-h") return out.line(CALIBRATE_USAGE);
      if (a === "--json") json = true;
      else if (a === "--chip") chip = argv[++i] ?? "";
      else return yield* new UsageError({ message: `calibrate: unknown argument '${a}' (use --chip NAME and --json)` });
    }
    if (!chipSpec(chip)) return yield* new UsageError({ message: `unknown chip '${chip}': use ${CHIP_NAMES.join(", ")}` });
    const r = calibrate(chip);
    const f = runtimeFigures(chip);
    out.line(json ? JSON.stringify({ ...r, runtime: f }) : `${formatCalibration(r)}\n\n${formatRuntimeFigures(f)}`);
  });

/** The commands `epython COMMAND` runs; anything else is a program to run (`epython [flags] FILE`). */
const COMMANDS = ["calibrate", "replay", "diff", "export", "view", "experiment", "validate", "python"] as const;

/** `epython --version`: this tool's version (package.json) and the Node it runs on (traces record both). */
function versionText(): string {
  return `epython-sim ${toolInfo().toolVersion} (Node ${process.versions.node})`;
}

/** `epython help [COMMAND]`: the usage, or COMMAND's own (the same as `epython COMMAND --help`). */
const helpCommand = (argv: readonly string[], out: Out): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    if (argv.length === 0 || (argv.length === 1 && ["help", "--help", "-help"].includes(argv[0]!))) return out.line(USAGE);
    const name = argv[0]!;
    if (argv.length > 1) return yield* new UsageError({ message: `help takes one command name, got ${argv.join(" ")}` });
    if (!(COMMANDS as readonly string[]).includes(name)) {
      return yield* new UsageError({ message: `help: there is no command '${name}': the commands are ${COMMANDS.join(", ")}; epython --help shows the flags of a run` });
    }
    return yield* program([name, "--help"], out);
  });

export function program(argv: readonly string[], out: Out): Effect.Effect<void, CliError> {
  const [first, ...rest] = argv;
  switch (first) {
    case "help":
      return helpCommand(rest, out);
    case "calibrate":
      return calibrateCommand(rest, out);
    case "replay":
      return replayCommand(rest, out);
    case "diff":
      return diffCommand(rest, out);
    case "export":
      return exportCommand(rest, out);
    case "view":
      return viewCommand(rest, out);
    case "experiment":
      return experimentCommand(rest, out);
    case "validate":
      return validateCommand(rest, out);
    case "python":
      return pythonCommand(rest, out);
  }
  return runCommand(argv, out);
}

export async function main(argv: readonly string[]): Promise<number> {
  const out = new Out();
  const exit = await Effect.runPromiseExit(program(argv, out));
  out.flush();
  if (Exit.isSuccess(exit)) return 0;
  const err = Cause.findErrorOption(exit.cause);
  if (Option.isSome(err)) {
    const e = err.value;
    if (e._tag === "Interrupted") return e.exitCode;
    // the program's own errors (syntax, runtime, deadlock) are reported in its terms, unprefixed
    process.stderr.write(e._tag === "ProgramError" ? `${e.message}\n` : `epython: ${e.message}\n`);
    return EXIT_CODE[e._tag];
  }
  process.stderr.write(`epython: internal error (a bug in epython-sim, please report it):\n${Cause.pretty(exit.cause)}\n`);
  return EXIT_INTERNAL;
}
