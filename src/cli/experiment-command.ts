/**
 * `epython experiment NAME|all [--quick] [--jobs N] [--out DIR]`: run performance studies
 * (experiments/NAME) over worker threads and write NAME.csv, NAME-*.svg and NAME.md.
 * With --slurm, --collect or --resubmit the grid runs as a Slurm job array instead (slurm.ts).
 * The studies themselves are plain code; this file adds the console, the file system, the wall
 * clock (only for progress on stderr, never in the results) and the mapping to exit codes.
 */
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Effect } from "effect";
import { existsSync, readFileSync } from "node:fs";
import { GridPointError, finishRows, maxJobs, runGrid, runVariants } from "../../experiments/lib/grid.js";
import { type Artifact, type SensitivityNote, studyArtifacts } from "../../experiments/lib/report.js";
import { compareConclusions, conclusionTable, noConclusionsLine, sensitivityArtifacts, sensitivityVariants, verdict } from "../../experiments/lib/sensitivity.js";
import { projectRoot } from "../../experiments/lib/run.js";
import { parsePoints } from "../../experiments/lib/slurm-sweep.js";
import type { AnyStudy, Row } from "../../experiments/lib/study.js";
import { findStudy, STUDIES, studyNames } from "../../experiments/studies.js";
import { writeFileSet } from "../util/file-set.js";
import { type CliError, InputFileError, ProgramError, UsageError } from "./errors.js";
import type { Out } from "./out.js";
import { collectSweep, DEFAULT_TASKS, resubmitSweep, runSliceTask, type SlurmOptions, submitSweep, sweepStudy, validSlurmTime } from "./slurm.js";

export const EXPERIMENT_USAGE = `usage: epython experiment NAME [--quick] [--sensitivity] [--jobs N] [--out DIR]
       epython experiment all [--quick] [--sensitivity] [--jobs N] [--out DIR]
       epython experiment --list
       epython experiment NAME [--quick] --slurm [--partition P] [--tasks K] [--time T]
                          [--throttle N] [--out DIR] [--dry-run]
       epython experiment [NAME] --collect DIR [--out RESULTS]
       epython experiment [NAME] --resubmit DIR [--partition P] [--tasks K] [--time T]
                          [--throttle N] [--dry-run]

Runs the study in experiments/NAME and writes NAME.csv, NAME-*.svg and NAME.md
to experiments/results (or DIR). Results are deterministic: the same command
writes the same bytes. A study's files are replaced as one set: a run stopped
at any moment leaves all the old files or all the new ones (the names are links
into DIR/.result-sets).

  --quick    a small grid (minutes rather than the full study)
  --sensitivity
             run the grid 9 times: the central model, then each group of
             uncertain cost constants (dram, runtime, interpreter, host) at
             the low and the high end of its range; writes NAME.* as usual
             plus NAME-sensitivity.csv, NAME-sensitivity.md and a band plot,
             and prints the range of each of the study's conclusions
  --jobs N   worker threads (default and maximum: ${maxJobs()} on this machine)
  --out DIR  where to write the results
  --list     list the studies

Sweeps on a Slurm cluster (DIR on a file system the compute nodes share):
  --slurm        split the grid into K slices, write a batch script with
                 #SBATCH --array into DIR and submit it with sbatch; prints
                 the job id and the command that collects
  --partition P  the Slurm partition (default: the cluster's default)
  --tasks K      array tasks (default ${DEFAULT_TASKS}, at most one per grid point)
  --time T       time limit per task, in Slurm's format (e.g. 30, 1:00:00)
  --throttle N   run at most N array tasks at once (#SBATCH --array=...%N)
  --out DIR      with --slurm: the sweep directory
                 (default experiments/results/slurm/NAME, or NAME-quick)
  --dry-run      print the batch script; write and submit nothing
  --collect DIR  merge the tasks' results into NAME.csv, NAME-*.svg and
                 NAME.md (the same bytes as a local run) in experiments/results
                 or --out; lists missing and failed points if there are any
  --resubmit DIR submit a new array over the missing and failed points only`;

interface ExperimentArgs {
  names: string[];
  quick: boolean;
  sensitivity: boolean;
  jobs: number;
  out: string | null;
  list: boolean;
  help: boolean;
  slurm: boolean;
  collect: string | null;
  resubmit: string | null;
  slurmOptions: SlurmOptions;
  /** the hidden array-task mode: `--slurm-task DIR --round R --points LIST [--task I]` */
  task: { dir: string | null; round: number | null; points: number[] | null; id: number | null };
}

const VALUED = new Set(["--jobs", "--out", "--partition", "--tasks", "--time", "--throttle", "--collect", "--resubmit", "--slurm-task", "--round", "--points", "--task"]);

/** `--flag N` for a whole number of at least `min`. */
function wholeNumber(flag: string, v: string, min: number): number | UsageError {
  if (!/^[0-9]+$/.test(v) || Number(v) < min) return new UsageError({ message: `experiment: ${flag} must be a whole number of at least ${min}, not '${v}'` });
  return Number(v);
}

function available(): string {
  return `${studyNames().join(", ")} (or all)`;
}

const parseArgs = (argv: readonly string[]) =>
  Effect.gen(function* () {
    const a: ExperimentArgs = {
      names: [],
      quick: false,
      sensitivity: false,
      jobs: maxJobs(),
      out: null,
      list: false,
      help: false,
      slurm: false,
      collect: null,
      resubmit: null,
      slurmOptions: { partition: null, tasks: null, time: null, throttle: null, dryRun: false },
      task: { dir: null, round: null, points: null, id: null },
    };
    const o = a.slurmOptions;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === "--quick") a.quick = true;
      else if (arg === "--sensitivity") a.sensitivity = true;
      else if (arg === "--list") a.list = true;
      else if (arg === "--slurm") a.slurm = true;
      else if (arg === "--dry-run") o.dryRun = true;
      else if (arg === "--help" || arg === "-help" || arg === "-h") a.help = true;
      else if (VALUED.has(arg)) {
        const v = argv[++i];
        if (v === undefined || v.startsWith("--")) return yield* new UsageError({ message: `experiment: ${arg} needs a value` });
        const num = (min: number) => {
          const n = wholeNumber(arg, v, min);
          return n instanceof UsageError ? Effect.fail(n) : Effect.succeed(n);
        };
        switch (arg) {
          case "--out":
            a.out = v;
            break;
          case "--jobs":
            // never more threads than the machine runs at once
            a.jobs = Math.min(yield* num(1), maxJobs());
            break;
          case "--partition":
            if (!/^[A-Za-z0-9_.-]+$/.test(v)) return yield* new UsageError({ message: `experiment: '${v}' is not a partition name (see sinfo)` });
            o.partition = v;
            break;
          case "--tasks":
            o.tasks = yield* num(1);
            break;
          case "--throttle":
            o.throttle = yield* num(1);
            break;
          case "--time":
            if (!validSlurmTime(v)) return yield* new UsageError({ message: `experiment: --time '${v}' is not a Slurm time: use minutes (30), HH:MM:SS (1:00:00) or D-HH:MM:SS` });
            o.time = v;
            break;
          case "--collect":
            a.collect = v;
            break;
          case "--resubmit":
            a.resubmit = v;
            break;
          case "--slurm-task":
            a.task.dir = v;
            break;
          case "--round":
            a.task.round = yield* num(0);
            break;
          case "--task":
            a.task.id = yield* num(0);
            break;
          case "--points": {
            const p = parsePoints(v);
            if (typeof p === "string") return yield* new UsageError({ message: `experiment: --points: ${p}` });
            a.task.points = p;
            break;
          }
        }
      } else if (arg.startsWith("-")) return yield* new UsageError({ message: `experiment: unknown flag '${arg}' (see epython experiment --help)` });
      else a.names.push(arg);
    }
    // flags that only mean something together
    const modes = [a.slurm && "--slurm", a.collect !== null && "--collect", a.resubmit !== null && "--resubmit", a.task.dir !== null && "--slurm-task"].filter((m) => m !== false);
    if (modes.length > 1) return yield* new UsageError({ message: `experiment: ${modes.join(" and ")} can not be combined` });
    const submits = a.slurm || a.resubmit !== null;
    const given = (flag: string) => argv.includes(flag);
    for (const f of ["--partition", "--tasks", "--time", "--throttle", "--dry-run"]) {
      if (given(f) && !submits) return yield* new UsageError({ message: `experiment: ${f} goes with --slurm or --resubmit` });
    }
    if ((given("--round") || given("--points") || given("--task")) && a.task.dir === null) {
      return yield* new UsageError({ message: "experiment: --round, --points and --task go with --slurm-task" });
    }
    if (a.task.dir !== null && (a.task.round === null || a.task.points === null)) {
      return yield* new UsageError({ message: "experiment: --slurm-task DIR needs --round R and --points LIST (the batch script passes them)" });
    }
    if (modes.length > 0 && a.sensitivity) return yield* new UsageError({ message: `experiment: --sensitivity runs locally; it can not be combined with ${modes.join(" and ")}` });
    if (modes.length > 0 && given("--jobs")) return yield* new UsageError({ message: "experiment: --jobs is for local runs; a Slurm array task measures its points in one thread" });
    if (a.resubmit !== null && given("--out")) return yield* new UsageError({ message: "experiment: --resubmit DIR reuses the sweep directory DIR; --out does not apply" });
    if ((a.collect !== null || a.resubmit !== null) && a.quick) {
      return yield* new UsageError({ message: "experiment: the sweep directory records whether the grid is quick; leave --quick out with --collect and --resubmit" });
    }
    return a;
  });

function resolveStudies(names: readonly string[]): Effect.Effect<AnyStudy[], UsageError> {
  if (names.length === 0) return Effect.fail(new UsageError({ message: `experiment: name a study: ${available()}` }));
  if (names.includes("all")) {
    if (names.length > 1) return Effect.fail(new UsageError({ message: "experiment: 'all' runs every study; name no others with it" }));
    return Effect.succeed([...STUDIES]);
  }
  const found: AnyStudy[] = [];
  for (const n of names) {
    const s = findStudy(n);
    if (!s) return Effect.fail(new UsageError({ message: `experiment: unknown study '${n}'; available: ${available()}` }));
    if (!found.includes(s)) found.push(s);
  }
  return Effect.succeed(found);
}

/** Progress on stderr: a redrawn bar on a terminal, else a plain line every tenth of the grid. */
function progressReporter(label: string): { update: (done: number, total: number) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastTenth = 0;
  let drawn = false;
  return {
    update(done, total) {
      if (tty) {
        const width = 30;
        const full = Math.round((done / total) * width);
        process.stderr.write(`\r${label} [${"#".repeat(full)}${"-".repeat(width - full)}] ${done}/${total}`);
        drawn = true;
      } else {
        const tenth = Math.floor((done * 10) / total);
        if (tenth > lastTenth || done === total) {
          lastTenth = tenth;
          process.stderr.write(`${label}: ${done}/${total} points\n`);
        }
      }
    },
    end() {
      if (drawn) process.stderr.write("\n");
    },
  };
}

/**
 * Whether outDir holds a sensitivity report of the same grid (quick or full), for the study
 * report's line about it. Read only to link it: its contents do not reach the report.
 */
function existingSensitivity(study: AnyStudy, quick: boolean, outDir: string): SensitivityNote {
  const file = join(outDir, `${study.name}-sensitivity.md`);
  try {
    return existsSync(file) && readFileSync(file, "utf8").includes(`Grid: ${quick ? "quick" : "full"},`) ? { verdict: null } : null;
  } catch {
    return null;
  }
}

/** A finished grid's files (the same bytes whichever way the rows were measured). */
const studyFiles = (study: AnyStudy, quick: boolean, measured: ReadonlyMap<number, Row>, outDir: string, sensitivity?: SensitivityNote) => () =>
  studyArtifacts(study, quick, finishRows(study, quick, measured), sensitivity === undefined ? existingSensitivity(study, quick, outDir) : sensitivity);

/** Write a finished grid's files as the study's result set. */
const writeStudyFiles = (study: AnyStudy, quick: boolean, measured: ReadonlyMap<number, Row>, outDir: string, out: Out) =>
  writeFiles(study, outDir, out, studyFiles(study, quick, measured, outDir));

/**
 * The test hook of result sets: with EPYTHON_TEST_SET_PAUSE_MS=N, say each step of writing a set
 * on stderr and wait N ms before doing it, so that a test can kill the run between any two steps
 * (tests/cli/experiment-atomic.test.ts). Not for users: it only slows the run down.
 */
function setStepPause(): ((what: string) => void) | undefined {
  const ms = Number(process.env.EPYTHON_TEST_SET_PAUSE_MS);
  if (!(ms > 0)) return undefined;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  let n = 0;
  return (what) => {
    process.stderr.write(`result set step ${n++}: ${what}\n`);
    Atomics.wait(cell, 0, 0, ms);
  };
}

/**
 * Make the artifacts (a failure is the study's) and write them into outDir as one set: a run
 * killed at any moment leaves all of the study's old files or all of its new ones
 * (src/util/file-set.ts).
 */
const writeFiles = (study: AnyStudy, outDir: string, out: Out, make: () => Artifact[]) =>
  Effect.gen(function* () {
    yield* Effect.try({
      try: () => mkdirSync(outDir, { recursive: true }),
      catch: (e) => new InputFileError({ message: `can not create '${outDir}': ${(e as Error).message}` }),
    });
    const files = yield* Effect.try({
      try: make,
      catch: (e) => new ProgramError({ message: `${study.name}: ${e instanceof Error ? e.message : String(e)}` }),
    });
    yield* Effect.try({
      try: () => writeFileSet(outDir, study.name, files, { beforeStep: setStepPause() }),
      catch: (e) => new InputFileError({ message: `can not write the results of ${study.name} into '${outDir}': ${(e as Error).message}` }),
    });
    for (const f of files) {
      const path = join(outDir, f.name);
      const shown = relative(process.cwd(), path);
      out.line(`wrote ${shown.startsWith("..") ? path : shown}`);
    }
  });

const runStudy = (study: AnyStudy, args: ExperimentArgs, outDir: string, out: Out) =>
  Effect.gen(function* () {
    const total = study.grid(args.quick).length;
    const indices = Array.from({ length: total }, (_, i) => i);
    const progress = progressReporter(`${study.name}${args.quick ? " (quick)" : ""}`);
    const started = performance.now();
    const measured = yield* Effect.tryPromise({
      try: () => runGrid(study, args.quick, indices, { jobs: args.jobs, onProgress: progress.update }),
      catch: (e) => e,
    }).pipe(
      Effect.ensuring(Effect.sync(() => progress.end())),
      Effect.catch((e) => (e instanceof GridPointError ? Effect.fail(new ProgramError({ message: e.message })) : Effect.die(e))),
    );
    const seconds = (performance.now() - started) / 1000;
    yield* writeStudyFiles(study, args.quick, measured, outDir, out);
    // wall time goes to stderr only: it must never reach the result files
    process.stderr.write(`${study.name}: ${total} points in ${seconds.toFixed(1)} s (${args.jobs} worker${args.jobs === 1 ? "" : "s"})\n`);
  });

/**
 * `--sensitivity`: the grid under every variant (central, each group low and high) in one pool of
 * workers; the central run's files as a normal run writes them (with the verdict), the
 * sensitivity files, and the conclusion table on stdout.
 */
const runSensitivity = (study: AnyStudy, args: ExperimentArgs, outDir: string, out: Out) =>
  Effect.gen(function* () {
    if (!study.conclusions) {
      out.line(noConclusionsLine(study));
      return;
    }
    const variants = sensitivityVariants();
    const total = study.grid(args.quick).length;
    const indices = Array.from({ length: total }, (_, i) => i);
    const progress = progressReporter(`${study.name}${args.quick ? " (quick)" : ""} sensitivity`);
    const started = performance.now();
    const measured = yield* Effect.tryPromise({
      try: () => runVariants(study, args.quick, indices, variants.map((v) => v.scales), { jobs: args.jobs, onProgress: progress.update }),
      catch: (e) => e,
    }).pipe(
      Effect.ensuring(Effect.sync(() => progress.end())),
      Effect.catch((e) => (e instanceof GridPointError ? Effect.fail(new ProgramError({ message: `${e.message} (sensitivity run)` })) : Effect.die(e))),
    );
    const seconds = (performance.now() - started) / 1000;
    const rows = yield* Effect.try({
      try: () => measured.map((m) => finishRows(study, args.quick, m)),
      catch: (e) => new ProgramError({ message: `${study.name}: ${e instanceof Error ? e.message : String(e)}` }),
    });
    const ranges = yield* Effect.try({
      try: () => compareConclusions(study, variants, rows)!,
      catch: (e) => new ProgramError({ message: `${study.name}: conclusions: ${e instanceof Error ? e.message : String(e)}` }),
    });
    // the central run's files and the sensitivity files: one set, switched together
    const central = studyFiles(study, args.quick, measured[0]!, outDir, { verdict: verdict(ranges) });
    yield* writeFiles(study, outDir, out, () => [...central(), ...sensitivityArtifacts(study, args.quick, variants, rows)]);
    out.line("");
    out.line(`${study.name}: conclusions across the band (${variants.length} runs: central, ${variants.slice(1).map((v) => v.id).join(", ")})`);
    out.line(conclusionTable(ranges, false).trimEnd());
    out.line(verdict(ranges));
    process.stderr.write(`${study.name}: ${total} points x ${variants.length} runs in ${seconds.toFixed(1)} s (${args.jobs} worker${args.jobs === 1 ? "" : "s"})\n`);
  });

const resultsDir = (args: ExperimentArgs) => (args.out === null ? join(projectRoot(), "experiments", "results") : resolve(args.out));

/** --slurm, --collect, --resubmit and the array task: one study each. */
const slurmCommand = (args: ExperimentArgs, out: Out) =>
  Effect.gen(function* () {
    if (args.names.includes("all") || args.names.length > 1) {
      return yield* new UsageError({ message: "experiment: a Slurm sweep is one study: name one (run one sweep per study for several)" });
    }
    const name = args.names[0] ?? null;
    const one = (n: string | null) => (n === null ? Effect.fail(new UsageError({ message: `experiment: name a study: ${studyNames().join(", ")}` })) : resolveStudies([n]).pipe(Effect.map((s) => s[0]!)));
    if (args.collect !== null) {
      const dir = resolve(args.collect);
      if (name !== null) yield* one(name);
      const study = yield* sweepStudy(name, dir);
      const { quick, measured } = yield* collectSweep(study, dir);
      yield* writeStudyFiles(study, quick, measured, resultsDir(args), out);
      return;
    }
    if (args.resubmit !== null) {
      const dir = resolve(args.resubmit);
      if (name !== null) yield* one(name);
      const study = yield* sweepStudy(name, dir);
      yield* resubmitSweep(study, dir, args.slurmOptions, out);
      return;
    }
    const study = yield* one(name);
    if (args.task.dir !== null) {
      yield* runSliceTask(study, args.quick, resolve(args.task.dir), args.task.round!, args.task.points!, args.task.id, out);
      return;
    }
    const dir = args.out === null ? join(projectRoot(), "experiments", "results", "slurm", `${study.name}${args.quick ? "-quick" : ""}`) : resolve(args.out);
    yield* submitSweep(study, args.quick, dir, args.slurmOptions, out);
  });

export const experimentCommand = (argv: readonly string[], out: Out): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    const args = yield* parseArgs(argv);
    if (args.help) {
      out.line(EXPERIMENT_USAGE);
      return;
    }
    if (args.list) {
      for (const s of STUDIES) out.line(`${s.name.padEnd(12)} ${s.title}`);
      return;
    }
    if (args.slurm || args.collect !== null || args.resubmit !== null || args.task.dir !== null) {
      yield* slurmCommand(args, out);
      return;
    }
    const studies = yield* resolveStudies(args.names);
    const outDir = resultsDir(args);
    yield* Effect.try({
      try: () => mkdirSync(outDir, { recursive: true }),
      catch: (e) => new InputFileError({ message: `can not create '${outDir}': ${(e as Error).message}` }),
    });
    for (const s of studies) {
      yield* (args.sensitivity ? runSensitivity(s, args, outDir, out) : runStudy(s, args, outDir, out));
      out.flush();
    }
  });
