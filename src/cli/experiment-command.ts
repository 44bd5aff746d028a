/**
 * `epython experiment NAME|all [--quick] [--jobs N] [--out DIR]`: run performance studies
 * (experiments/NAME) over worker threads and write NAME.csv, NAME-*.svg and NAME.md.
 * The studies themselves are plain code; this file adds the console, the file system, the wall
 * clock (only for progress on stderr, never in the results) and the mapping to exit codes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Effect } from "effect";
import { GridPointError, finishRows, maxJobs, runGrid } from "../../experiments/lib/grid.js";
import { studyArtifacts } from "../../experiments/lib/report.js";
import { projectRoot } from "../../experiments/lib/run.js";
import type { AnyStudy } from "../../experiments/lib/study.js";
import { findStudy, STUDIES, studyNames } from "../../experiments/studies.js";
import { type CliError, InputFileError, ProgramError, UsageError } from "./errors.js";
import type { Out } from "./out.js";

export const EXPERIMENT_USAGE = `usage: epython experiment NAME [--quick] [--jobs N] [--out DIR]
       epython experiment all [--quick] [--jobs N] [--out DIR]
       epython experiment --list

Runs the study in experiments/NAME and writes NAME.csv, NAME-*.svg and NAME.md
to experiments/results (or DIR). Results are deterministic: the same command
writes the same bytes.

  --quick    a small grid (minutes rather than the full study)
  --jobs N   worker threads (default and maximum: ${maxJobs()} on this machine)
  --out DIR  where to write the results
  --list     list the studies`;

interface ExperimentArgs {
  names: string[];
  quick: boolean;
  jobs: number;
  out: string | null;
  list: boolean;
  help: boolean;
}

function available(): string {
  return `${studyNames().join(", ")} (or all)`;
}

const parseArgs = (argv: readonly string[]) =>
  Effect.gen(function* () {
    const a: ExperimentArgs = { names: [], quick: false, jobs: maxJobs(), out: null, list: false, help: false };
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === "--quick") a.quick = true;
      else if (arg === "--list") a.list = true;
      else if (arg === "--help" || arg === "-help" || arg === "-h") a.help = true;
      else if (arg === "--jobs" || arg === "--out") {
        const v = argv[++i];
        if (v === undefined) return yield* new UsageError({ message: `experiment: ${arg} needs a value` });
        if (arg === "--out") a.out = v;
        else {
          if (!/^[0-9]+$/.test(v) || Number(v) < 1) return yield* new UsageError({ message: `experiment: --jobs must be a whole number of at least 1, not '${v}'` });
          // never more threads than the machine runs at once
          a.jobs = Math.min(Number(v), maxJobs());
        }
      } else if (arg.startsWith("-")) return yield* new UsageError({ message: `experiment: unknown flag '${arg}' (see epython experiment --help)` });
      else a.names.push(arg);
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
    const files = yield* Effect.try({
      try: () => studyArtifacts(study, args.quick, finishRows(study, args.quick, measured)),
      catch: (e) => new ProgramError({ message: `${study.name}: ${e instanceof Error ? e.message : String(e)}` }),
    });
    for (const f of files) {
      const path = join(outDir, f.name);
      yield* Effect.try({
        try: () => writeFileSync(path, f.text),
        catch: (e) => new InputFileError({ message: `can not write '${path}': ${(e as Error).message}` }),
      });
      const shown = relative(process.cwd(), path);
      out.line(`wrote ${shown.startsWith("..") ? path : shown}`);
    }
    // wall time goes to stderr only: it must never reach the result files
    process.stderr.write(`${study.name}: ${total} points in ${seconds.toFixed(1)} s (${args.jobs} worker${args.jobs === 1 ? "" : "s"})\n`);
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
    const studies = yield* resolveStudies(args.names);
    const outDir = args.out === null ? join(projectRoot(), "experiments", "results") : resolve(args.out);
    yield* Effect.try({
      try: () => mkdirSync(outDir, { recursive: true }),
      catch: (e) => new InputFileError({ message: `can not create '${outDir}': ${(e as Error).message}` }),
    });
    for (const s of studies) {
      yield* runStudy(s, args, outDir, out);
      out.flush();
    }
  });
