/**
 * Command-line flags of `epython FILE`: ePython's own single-dash flags (case-insensitive, as in
 * host/configuration.c) plus epython-sim's double-dash ones. argv is scanned by hand (ePython's
 * `-pp` and `-help` are multi-letter single-dash flags that option libraries split into letters)
 * and the result is validated with an Effect Schema.
 */
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Effect, Schema } from "effect";
import { BARRIER_ALGORITHMS, BARRIER_NAMES, CHIP_NAMES, type ChipName, REDUCE_ALGORITHMS, REDUCE_NAMES } from "../config/names.js";
import { DEFAULT_CONFIG, MAX_HOST_CORES, MAX_SEED, parsePlacement, RunConfig } from "../config/run-config.js";
import { CHIPS, chipSpec, describeChip } from "../machine/chip.js";
import { UsageError } from "./errors.js";

const NonNegative = (what: string) =>
  Schema.Number.pipe(Schema.check(Schema.isInt({ message: `${what} must be a whole number` }), Schema.isGreaterThanOrEqualTo(0, { message: `${what} must be 0 or more` })));

export const RunArgs = Schema.Struct({
  file: Schema.optionalKey(Schema.String),
  // 0 is allowed with -h: only host virtual cores run (ePython's host/configuration.c does the same)
  deviceCores: Schema.optionalKey(Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1024 }, { message: "-d must be a whole number from 0 to 1024" })))),
  hostCores: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: MAX_HOST_CORES }, { message: `-h must be a whole number from 0 to ${MAX_HOST_CORES}` }))),
  placement: Schema.optionalKey(Schema.String),
  chip: RunConfig.fields.chip,
  reduce: RunConfig.fields.reduce,
  barrier: RunConfig.fields.barrier,
  seed: RunConfig.fields.seed,
  maxSteps: NonNegative("--max-steps"),
  maxCycles: NonNegative("--max-cycles"),
  timing: Schema.Boolean,
  stats: Schema.Boolean,
  preprocess: Schema.Boolean,
  disasm: Schema.Boolean,
  help: Schema.Boolean,
  version: Schema.Boolean,
  output: Schema.optionalKey(Schema.String),
  load: Schema.optionalKey(Schema.String),
  trace: Schema.optionalKey(Schema.String),
  codeShared: Schema.Boolean,
  codeCore: Schema.Boolean,
  dataShared: Schema.Boolean,
  noJit: Schema.Boolean,
});
export type RunArgs = typeof RunArgs.Type;

/** Flags that take a value, by spelling (lower case). */
const VALUE_FLAGS: Record<string, string> = {
  "-d": "deviceCores", "-h": "hostCores", "-c": "placement", "-o": "output", "-l": "load",
  "--chip": "chip", "--reduce": "reduce", "--barrier": "barrier", "--seed": "seed",
  "--max-steps": "maxSteps", "--max-cycles": "maxCycles", "--trace": "trace",
};
const NUMERIC = new Set(["deviceCores", "hostCores", "seed", "maxSteps", "maxCycles"]);
/** Flags with a fixed set of values, checked here so the message names the flag. */
const CHOICES: Record<string, readonly string[]> = {
  chip: CHIP_NAMES, reduce: REDUCE_NAMES, barrier: BARRIER_NAMES,
};
const SWITCHES: Record<string, string> = {
  // -v: flags are matched in lower case, so that -V (as many tools spell it) is the version too
  "-t": "timing", "-s": "stats", "-pp": "preprocess", "-help": "help", "--help": "help", "--version": "version", "-v": "version",
  "--disasm": "disasm", "-codeshared": "codeShared", "-codecore": "codeCore", "-datashared": "dataShared",
  // the spellings of ePython's documentation (docs/documentation.html:267-268), which its own
  // parser does not accept (host/configuration.c:96-99): taken as the same flags
  "-coreshared": "codeShared", "-corecode": "codeCore",
  "--no-jit": "noJit",
};
/** ePython flags that only matter on real hardware: accepted and ignored. */
const IGNORED = new Set(["-elf", "-srec"]);

/** Every spelling parseRunArgs accepts (lower case), and those that take a value: the help must name them all. */
export const RUN_FLAGS: readonly string[] = [...Object.keys(VALUE_FLAGS), ...Object.keys(SWITCHES), ...IGNORED];
export const RUN_VALUE_FLAGS: readonly string[] = Object.keys(VALUE_FLAGS);

export function parseRunArgs(argv: readonly string[]): Effect.Effect<RunArgs, UsageError> {
  return Effect.gen(function* () {
    const raw: Record<string, unknown> = {
      hostCores: DEFAULT_CONFIG.hostCores, chip: DEFAULT_CONFIG.chip, reduce: DEFAULT_CONFIG.reduce, barrier: DEFAULT_CONFIG.barrier,
      seed: DEFAULT_CONFIG.seed, maxSteps: DEFAULT_CONFIG.maxSteps, maxCycles: DEFAULT_CONFIG.maxCycles,
      timing: false, stats: false, preprocess: false, disasm: false, help: false, version: false, codeShared: false, codeCore: false, dataShared: false, noJit: false,
    };
    const files: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
      const flag = (eq > 0 ? arg.slice(0, eq) : arg).toLowerCase();
      if (flag in VALUE_FLAGS) {
        const key = VALUE_FLAGS[flag]!;
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) return yield* new UsageError({ message: `${flag} needs a value` });
        if (NUMERIC.has(key)) {
          if (!/^[0-9]+$/.test(value)) return yield* new UsageError({ message: `${flag} needs a whole number, not '${value}'` });
          const n = Number(value);
          if (key === "seed" && n > MAX_SEED) return yield* new UsageError({ message: `--seed must be from 0 to ${MAX_SEED}, not ${value}` });
          if (!Number.isSafeInteger(n)) return yield* new UsageError({ message: `${flag} ${value} is too large` });
          raw[key] = n;
        } else if (key in CHOICES) {
          const choice = value.toLowerCase();
          if (!CHOICES[key]!.includes(choice)) return yield* new UsageError({ message: `unknown ${flag} '${value}': use ${CHOICES[key]!.join(", ")}` });
          raw[key] = choice;
        } else raw[key] = value;
      } else if (flag in SWITCHES) raw[SWITCHES[flag]!] = true;
      else if (IGNORED.has(flag)) continue;
      else if (arg.startsWith("-") && arg.length > 1) return yield* new UsageError({ message: `unknown flag '${arg}' (see epython --help)` });
      else files.push(arg);
    }
    if (files.length > 1) return yield* new UsageError({ message: `only one file name can be given, got ${files.join(", ")}` });
    if (files.length === 1) raw.file = files[0];
    const args = yield* Schema.decodeUnknownEffect(RunArgs)(raw).pipe(
      Effect.mapError((e) => new UsageError({ message: e.message.split("\n")[0]! })),
    );
    if (args.placement !== undefined && args.deviceCores !== undefined) return yield* new UsageError({ message: "-d and -c can not be combined: -c already says which cores run" });
    if (args.load !== undefined && args.file !== undefined) return yield* new UsageError({ message: `-l runs the byte code in '${args.load}': a source file ('${args.file}') can not be given too` });
    if (args.codeShared && args.codeCore) return yield* new UsageError({ message: "-codeshared and -codecore can not be combined" });
    return args;
  });
}

/** The simulation configuration the flags describe. */
export function configFromArgs(args: RunArgs): Effect.Effect<RunConfig, UsageError> {
  return Effect.gen(function* () {
    const spec = chipSpec(args.chip)!;
    let cores: number[];
    if (args.placement !== undefined) {
      if (args.hostCores > 0) return yield* new UsageError({ message: "-c can not be combined with -h (as in ePython)" });
      const p = parsePlacement(args.placement, spec.cores);
      if (typeof p === "string") return yield* new UsageError({ message: p });
      cores = p;
    } else {
      const n = args.deviceCores ?? spec.cores;
      if (n > spec.cores) return yield* new UsageError({ message: `-d ${n}: the ${spec.name} chip has ${spec.cores} cores` });
      if (n === 0 && args.hostCores === 0) return yield* new UsageError({ message: "-d 0 leaves no core to run on: add host virtual cores with -h N" });
      cores = Array.from({ length: n }, (_, i) => i);
    }
    return {
      chip: args.chip as ChipName,
      cores,
      hostCores: args.hostCores,
      seed: args.seed,
      maxSteps: args.maxSteps,
      maxCycles: args.maxCycles,
      reduce: args.reduce,
      barrier: args.barrier,
      codeShared: args.codeShared,
      codeCore: args.codeCore,
      dataShared: args.dataShared,
    };
  });
}

/**
 * Check before a long run that its trace can be written afterwards: the folder exists, the path is
 * not a folder, and it is not one of the run's own input files (which it would overwrite).
 */
export const checkTracePath = (path: string, inputs: readonly (string | undefined)[]) =>
  Effect.gen(function* () {
    for (const input of inputs) {
      if (input !== undefined && resolve(input) === resolve(path)) return yield* new UsageError({ message: `--trace '${path}' would overwrite the program it runs` });
    }
    const kind = (p: string) => {
      try {
        return statSync(p).isDirectory() ? "folder" : "file";
      } catch {
        return "missing";
      }
    };
    if (kind(path) === "folder") return yield* new UsageError({ message: `--trace '${path}' is a folder, not a file name` });
    if (kind(dirname(resolve(path))) !== "folder") return yield* new UsageError({ message: `--trace '${path}': the folder '${dirname(path)}' does not exist` });
  });

const chipList = CHIP_NAMES.map((n) => describeChip(CHIPS[n]) + (n === DEFAULT_CONFIG.chip ? " default" : "")).join(", ").replace(") default", ", default)");
const algList = (table: Record<string, string>, dflt: string) =>
  Object.entries(table).map(([n, d]) => (n === dflt ? `${n} (${d}, default)` : `${n} (${d})`)).join(", ");

export const USAGE = `epython-sim: ePython on a simulated Adapteva Epiphany

usage: epython [flags] FILE.py      run an ePython program (its flags are below)
       epython COMMAND [ARGS]       one of the commands below
       epython help [COMMAND]       this text, or a command's own (also COMMAND --help)
       epython --version            the version of epython-sim (also -V)

commands:
  calibrate [--chip ${CHIP_NAMES.join("|")}] [--json]
                    the machine model's microbenchmarks against the hardware facts
  replay TRACE      re-run a trace's program and check every event is identical
  diff TRACE_A TRACE_B
                    first divergence and per-core times side by side
  export --format perfetto|otlp TRACE [-o OUT.json] [--base-ns UNIX_NANOS]
                    the trace as Perfetto (Chrome trace events) or OpenTelemetry JSON
  view TRACE [--html OUT.html] [--port N]
                    the trace explorer in a browser, or as one offline HTML file
  experiment NAME|all [--quick] [--sensitivity] [--jobs N] [--out DIR]
                    reproducible performance studies (--list names them)
  validate [--case ID ...] [--list] [--json]
                    the model against published measurements
  python [FLAGS] SCRIPT.py [ARGS]
                    a CPython program offloading @offload kernels to the simulated cores

ePython's flags:
  -d N            run on device cores 0..N-1 (default: all of the chip; 0 with -h: host cores only)
  -c SPEC         run on the cores SPEC names: 3, 1,2,5, 2:9 (inclusive) or all
  -h N            add N host virtual cores
  -t              print each core's simulated run time, or where and why it stopped
  -s              print code and symbol table sizes
  -pp             print the pre-processed source (modules included) and stop
  -o FILE         write the byte code to FILE and stop
  -l FILE         run byte code from FILE
  -codeshared     keep the byte code in shared memory (also -coreshared, as ePython's docs spell it)
  -codecore       keep the byte code on the cores even if it is large (also -corecode)
  -datashared     keep all data (stack and heap) in shared memory
  -help           this text (also --help)
  -elf, -srec     accepted and ignored (they only matter on the hardware)

epython-sim's flags:
  --chip NAME     ${chipList}
  --seed N        seed of the per-core random numbers (default ${DEFAULT_CONFIG.seed})
  --max-steps N   at most N byte-code operations per core: a core that reaches it
                  stops; the others go on (the run then fails, naming who waits on it)
  --max-cycles N  at most N simulated cycles per core, the same way
  --reduce ALG    reduce algorithm: ${algList(REDUCE_ALGORITHMS, DEFAULT_CONFIG.reduce)}
  --barrier ALG   barrier: ${algList(BARRIER_ALGORITHMS, DEFAULT_CONFIG.barrier)}
  --trace FILE    record a trace of the run, written as it goes (a killed run
                  leaves an incomplete trace that replay checks up to its end)
  --disasm        print the byte code and stop
  --no-jit        interpret every loop (by default hot loops are compiled to
                  JavaScript; the results, times and traces are the same)

Ctrl-C stops a run and keeps its trace (a second one, a second later, at once).
Exit codes: 0 success, 1 the program failed, 2 bad command line or input file, 70 internal error,
130 stopped by Ctrl-C (SIGINT), 143 stopped by SIGTERM.`;
