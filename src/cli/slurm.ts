/**
 * `epython experiment NAME --slurm | --collect DIR | --resubmit DIR`: a study's grid as a Slurm
 * job array. This file talks to Slurm (sbatch, sinfo, squeue) and turns what can go wrong into
 * typed errors with a hint; the sweep's files and the slicing are in experiments/lib/slurm-sweep.ts.
 * Array tasks run `epython experiment NAME --slurm-task DIR --round R --points LIST` (hidden).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { Effect } from "effect";
import { projectRoot } from "../../experiments/lib/run.js";
import {
  batchScript,
  codeHash,
  gridHash,
  type Manifest,
  manifestName,
  manifestsIn,
  newManifest,
  type PointProblem,
  readManifest,
  readSweep,
  type Round,
  runTask,
  scriptName,
  shellQuote,
  slices,
  SweepFileError,
  type SweepState,
  unsafeForSbatch,
  writeManifest,
} from "../../experiments/lib/slurm-sweep.js";
import type { AnyStudy, Row } from "../../experiments/lib/study.js";
import { describePoint } from "../../experiments/lib/study.js";
import { findStudy } from "../../experiments/studies.js";
import { writeFileAtomicSync } from "../util/atomic-file.js";
import { type CliError, InputFileError, ProgramError, UsageError } from "./errors.js";
import type { Out } from "./out.js";

export interface SlurmOptions {
  partition: string | null;
  tasks: number | null;
  time: string | null;
  throttle: number | null;
  dryRun: boolean;
}

/** Default number of array tasks: enough to spread a grid over a few nodes, not one per point. */
export const DEFAULT_TASKS = 8;

/** Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or no limit. */
export function validSlurmTime(t: string): boolean {
  return /^([0-9]+(:[0-9]{1,2}){0,2}|[0-9]+-[0-9]+(:[0-9]{1,2}){0,2}|unlimited|infinite)$/i.test(t);
}

interface Ran {
  notFound: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: readonly string[]): Ran {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    return { notFound: code === "ENOENT", status: null, stdout: "", stderr: code === "ENOENT" ? "" : r.error.message };
  }
  return { notFound: false, status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

const firstLines = (text: string, n = 4) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(0, n)
    .join("; ");

/** How to print a path: relative to the working directory when below it. */
function shown(path: string): string {
  const r = relative(process.cwd(), path);
  return r === "" ? "." : r.startsWith("..") ? path : r;
}

const cmdLine = (study: string, flag: string, dir: string) => `npx epython experiment ${study} ${flag} ${shellQuote(shown(dir))}`;

// ---------------------------------------------------------------------------------------------
// Slurm's commands

const NO_SBATCH =
  "experiment: 'sbatch' is not on the PATH, so the sweep can not be submitted: run this on a machine with Slurm " +
  "(a login node) or load it (e.g. 'module load slurm'); --dry-run prints the batch script without submitting";

/** The cluster's partitions (sinfo), or null if sinfo is not there or does not answer. */
function partitions(): string[] | null {
  const r = run("sinfo", ["-h", "-o", "%P"]);
  if (r.notFound || r.status !== 0) return null;
  return [...new Set(r.stdout.split("\n").map((l) => l.trim().replace(/\*$/, "")).filter((l) => l !== ""))];
}

const checkPartition = (partition: string | null): Effect.Effect<void, UsageError> => {
  if (partition === null) return Effect.void;
  const known = partitions();
  if (known === null || known.includes(partition)) return Effect.void;
  return Effect.fail(
    new UsageError({
      message: `experiment: unknown partition '${partition}': this cluster has ${known.length === 0 ? "no partitions" : known.join(", ")} (see sinfo); pass one of them with --partition, or leave it out for the default`,
    }),
  );
};

/** What sbatch's refusal means, as a hint on what to change. */
function sbatchHint(stderr: string, o: SlurmOptions): string {
  if (/partition/i.test(stderr)) return `check --partition${o.partition ? ` '${o.partition}'` : ""} against sinfo`;
  if (/time limit|--time/i.test(stderr)) return `check --time${o.time ? ` '${o.time}'` : ""}: the partition's limit (sinfo) and Slurm's formats (minutes, HH:MM:SS, D-HH:MM:SS)`;
  if (/array/i.test(stderr)) return "the cluster may limit array sizes (MaxArraySize): try fewer --tasks";
  if (/contact|connect|controller|munge|authentication/i.test(stderr)) return "Slurm's controller did not answer: is the cluster up? ('sinfo' shows it)";
  return "the batch script it was given is printed by the same command with --dry-run";
}

/** Job ids of the manifest's rounds with array tasks still pending or running; null if squeue is absent. */
export function queued(m: Manifest): { jobId: string; pending: number; running: number }[] | null {
  const out: { jobId: string; pending: number; running: number }[] = [];
  for (const r of m.rounds) {
    if (r.jobId === null) continue;
    const q = run("squeue", ["-h", "-r", "-j", r.jobId, "-o", "%T"]);
    if (q.notFound) return null;
    // a job squeue no longer knows ("Invalid job id") has left the queue
    if (q.status !== 0) continue;
    const states = q.stdout.split("\n").map((s) => s.trim()).filter((s) => s !== "");
    const pending = states.filter((s) => s === "PENDING").length;
    const running = states.length - pending - states.filter((s) => /^(COMPLETED|CANCELLED|FAILED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|PREEMPTED|BOOT_FAIL|DEADLINE)$/.test(s)).length;
    if (pending + running > 0) out.push({ jobId: r.jobId, pending, running });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Submitting

const fileError = (what: string, e: unknown) => new InputFileError({ message: `experiment: can not ${what}: ${e instanceof Error ? e.message : String(e)}` });

/**
 * Write the manifest with the new round, write its batch script, and sbatch it. On refusal the
 * directory is left as it was (the round removed again), so nothing half-submitted remains.
 */
const submitRound = (study: AnyStudy, dir: string, before: Manifest | null, manifest: Manifest, round: Round, o: SlurmOptions, out: Out) =>
  Effect.gen(function* () {
    if (unsafeForSbatch(dir)) {
      return yield* new UsageError({ message: `experiment: the sweep directory '${dir}' holds a space, quote, '%', '$' or backslash, which #SBATCH lines can not carry: choose another --out` });
    }
    const script = batchScript({
      study: study.name,
      quick: manifest.quick,
      dir,
      round: round.round,
      tasks: round.tasks,
      partition: round.partition,
      time: round.time,
      throttle: round.throttle,
      node: process.execPath,
      root: projectRoot(),
    });
    const points = round.tasks.reduce((a, t) => a + t.length, 0);
    if (o.dryRun) {
      out.write(script);
      process.stderr.write(`dry run: ${round.tasks.length} array task${round.tasks.length === 1 ? "" : "s"} over ${points} points; nothing written or submitted\n`);
      return;
    }
    // sbatch first: with no Slurm, nothing is written
    const probe = run("sbatch", ["--version"]);
    if (probe.notFound) return yield* new UsageError({ message: NO_SBATCH });
    yield* checkPartition(round.partition);
    const made = [dir, join(dir, "logs")].filter((d) => !existsSync(d));
    yield* Effect.try({ try: () => mkdirSync(join(dir, "logs"), { recursive: true }), catch: (e) => fileError(`create '${dir}'`, e) });
    const scriptPath = join(dir, scriptName(study.name, round.round));
    const undo = () => {
      rmSync(scriptPath, { force: true });
      if (before === null) rmSync(join(dir, manifestName(study.name)), { force: true });
      else writeManifest(dir, before);
      // directories this call made, if still empty
      for (const d of made.reverse()) {
        try {
          rmdirSync(d);
        } catch {
          // not empty: keep it
        }
      }
    };
    yield* Effect.try({
      try: () => {
        writeManifest(dir, { ...manifest, rounds: [...manifest.rounds, round] });
        // like every file of the sweep: a temporary name and a rename, never a half-written script
        writeFileAtomicSync(scriptPath, script, { mode: 0o755 });
      },
      catch: (e) => {
        undo();
        return fileError(`write the sweep files in '${dir}'`, e);
      },
    });
    const r = run("sbatch", ["--parsable", scriptPath]);
    const jobId = r.status === 0 ? /^([0-9]+)/.exec(r.stdout.trim())?.[1] : undefined;
    if (jobId === undefined) {
      undo();
      if (r.notFound) return yield* new UsageError({ message: NO_SBATCH });
      const said = firstLines(r.stderr) || firstLines(r.stdout) || `exit status ${r.status}`;
      return yield* new UsageError({ message: `experiment: sbatch refused the job: ${said}. What to do: ${sbatchHint(r.stderr, o)}. Nothing was submitted.` });
    }
    yield* Effect.try({
      try: () => writeManifest(dir, { ...manifest, rounds: [...manifest.rounds, { ...round, jobId }] }),
      catch: (e) => fileError(`record job ${jobId} in '${dir}' (the job is submitted: 'scancel ${jobId}' to stop it)`, e),
    });
    out.line(`submitted job ${jobId}: ${round.tasks.length} array task${round.tasks.length === 1 ? "" : "s"} over ${points} of the ${manifest.gridSize} points of ${study.name}${manifest.quick ? " (quick grid)" : ""}`);
    out.line(`results: ${shown(dir)}`);
    out.line(`watch:   squeue -j ${jobId}`);
    out.line(`collect: ${cmdLine(study.name, "--collect", dir)}`);
  });

export const submitSweep = (study: AnyStudy, quick: boolean, dir: string, o: SlurmOptions, out: Out): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    if (existsSync(join(dir, manifestName(study.name)))) {
      return yield* new UsageError({
        message: `experiment: '${shown(dir)}' already holds a sweep of ${study.name}: collect it (--collect), submit its missing points (--resubmit), or choose another --out`,
      });
    }
    const manifest = newManifest(study, quick);
    const all = Array.from({ length: manifest.gridSize }, (_, i) => i);
    const round: Round = {
      round: 0,
      jobId: null,
      tasks: slices(all, o.tasks ?? DEFAULT_TASKS),
      partition: o.partition,
      time: o.time,
      throttle: o.throttle,
    };
    yield* submitRound(study, dir, null, manifest, round, o, out);
  });

// ---------------------------------------------------------------------------------------------
// Reading a sweep directory

/** The study of a sweep directory: the one named, or the only one with a manifest there. */
export const sweepStudy = (name: string | null, dir: string): Effect.Effect<AnyStudy, CliError> =>
  Effect.gen(function* () {
    if (!existsSync(dir)) return yield* new InputFileError({ message: `experiment: no sweep directory '${dir}'` });
    const here = manifestsIn(dir);
    let chosen = name;
    if (chosen === null) {
      if (here.length === 0) return yield* new InputFileError({ message: `experiment: '${dir}' holds no sweep (no NAME.manifest.json): give the --out DIR the sweep was submitted with` });
      if (here.length > 1) return yield* new UsageError({ message: `experiment: '${dir}' holds sweeps of ${here.join(", ")}: name the study` });
      chosen = here[0]!;
    } else if (!here.includes(chosen)) {
      return yield* new InputFileError({
        message: `experiment: '${dir}' holds no sweep of ${chosen}${here.length > 0 ? ` (it holds ${here.join(", ")})` : ""}: give the --out DIR the sweep was submitted with`,
      });
    }
    const study = findStudy(chosen);
    if (!study) return yield* new InputFileError({ message: `experiment: '${dir}' holds a sweep of '${chosen}', which is not a study of this checkout` });
    return study;
  });

const readState = (study: AnyStudy, dir: string) =>
  Effect.try({
    try: () => readSweep(dir, study),
    catch: (e) => (e instanceof SweepFileError ? new InputFileError({ message: `experiment: ${e.message}` }) : fileError(`read the sweep in '${dir}'`, e)),
  });

function describeProblems(state: SweepState): string[] {
  const lines: string[] = [];
  const cap = 25;
  // missing points: one line per task and reason (a cancelled task loses all its points at once)
  const groups = new Map<string, PointProblem[]>();
  for (const p of state.missing) {
    const key = `${p.round}/${p.task}/${p.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const ps of groups.values()) {
    const p = ps[0]!;
    const where = p.round === null ? "" : `round ${p.round} array task ${p.task}: `;
    const which = ps.length === 1 ? `point ${p.index} (${p.point})` : `points ${ps.map((q) => q.index).join(", ")}`;
    lines.push(`  missing ${which}: ${where}${p.reason}`);
  }
  for (const p of state.failed) lines.push(`  failed point ${p.index} (${p.point}): round ${p.round} array task ${p.task}: ${p.reason}`);
  if (lines.length > cap) return [...lines.slice(0, cap), `  ... and ${lines.length - cap} more`];
  return lines;
}

/**
 * The measured rows of a finished sweep (for the caller to write like a local run's), or a
 * ProgramError listing the missing and failed points and what to do; finished points stay.
 */
export const collectSweep = (study: AnyStudy, dir: string): Effect.Effect<{ quick: boolean; measured: Map<number, Row> }, CliError> =>
  Effect.gen(function* () {
    const state = yield* readState(study, dir);
    const m = state.manifest;
    for (const b of state.badFiles) process.stderr.write(`warning: ${join(shown(dir), b)}\n`);
    if (state.codes.size > 1) {
      const which = [...state.codes].map(([h, files]) => `  build ${h}: ${files.join(", ")}`);
      return yield* new ProgramError({
        message: [
          `${study.name}: the task files in ${shown(dir)} were measured by different builds of epython-sim (the code changed during the sweep), so their rows do not make one table:`,
          ...which,
          "Submit a fresh sweep into a new directory.",
        ].join("\n"),
      });
    }
    const code = [...state.codes.keys()][0];
    if (code !== undefined && code !== codeHash()) {
      process.stderr.write(`warning: the sweep was measured by another build of epython-sim (${code}) than this checkout's (${codeHash()}): its results are those of that build\n`);
    }
    if (state.leftovers.length > 0) process.stderr.write(`note: ${state.leftovers.length} temporary file(s) of interrupted writes in ${shown(dir)} were ignored\n`);
    if (state.missing.length === 0 && state.failed.length === 0) {
      process.stderr.write(`${study.name}: collected ${m.gridSize} points from ${state.taskFiles} task file(s) in ${shown(dir)}\n`);
      return { quick: m.quick, measured: state.measured };
    }
    const q = queued(m) ?? [];
    const lines = [
      `${study.name}: ${state.measured.size} of ${m.gridSize} grid points measured in ${shown(dir)}; ${state.missing.length} missing, ${state.failed.length} failed:`,
      ...describeProblems(state),
    ];
    if (q.length > 0) {
      lines.push(
        `Still in the queue: ${q.map((j) => `job ${j.jobId} (${j.running} running, ${j.pending} pending)`).join(", ")}: wait for it (squeue -j ${q.map((j) => j.jobId).join(",")}) and collect again.`,
      );
    } else {
      lines.push(`The ${state.measured.size} finished points are kept. Measure the others with:`, `  ${cmdLine(study.name, "--resubmit", dir)}`);
    }
    return yield* new ProgramError({ message: lines.join("\n") });
  });

/** Submit a new round over the points that are missing or failed. */
export const resubmitSweep = (study: AnyStudy, dir: string, o: SlurmOptions, out: Out): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    const state = yield* readState(study, dir);
    const m = state.manifest;
    const todo = [...state.missing, ...state.failed].map((p) => p.index).sort((a, b) => a - b);
    if (todo.length === 0) {
      out.line(`nothing to resubmit: all ${m.gridSize} points of ${study.name} are measured; collect with: ${cmdLine(study.name, "--collect", dir)}`);
      return;
    }
    const code = [...state.codes.keys()];
    if (code.length > 1 || (code.length === 1 && code[0] !== codeHash())) {
      return yield* new UsageError({
        message: `experiment: the code changed since the sweep in '${shown(dir)}' was measured (build ${code.join(", ")}; now ${codeHash()}): new points would not match the old ones; submit a fresh sweep into a new directory`,
      });
    }
    const q = o.dryRun ? [] : (queued(m) ?? []);
    if (q.length > 0) {
      const ids = q.map((j) => j.jobId).join(",");
      return yield* new UsageError({
        message: `experiment: job ${ids} of this sweep is still in the queue, and its tasks may yet measure the missing points: wait for it (squeue -j ${ids}) or cancel it (scancel ${ids}), then resubmit`,
      });
    }
    const last = m.rounds[m.rounds.length - 1];
    const round: Round = {
      round: m.rounds.length,
      jobId: null,
      tasks: slices(todo, o.tasks ?? last?.tasks.length ?? DEFAULT_TASKS),
      partition: o.partition ?? last?.partition ?? null,
      time: o.time ?? last?.time ?? null,
      throttle: o.throttle ?? last?.throttle ?? null,
    };
    process.stderr.write(`${study.name}: resubmitting ${todo.length} point(s) (${state.missing.length} missing, ${state.failed.length} failed): ${todo.join(", ")}\n`);
    yield* submitRound(study, dir, m, m, round, o, out);
  });

// ---------------------------------------------------------------------------------------------
// One array task (run by the batch script)

export const runSliceTask = (study: AnyStudy, quick: boolean, dir: string, round: number, points: readonly number[], taskArg: number | null, out: Out): Effect.Effect<void, CliError> =>
  Effect.gen(function* () {
    const env = process.env.SLURM_ARRAY_TASK_ID;
    const task = taskArg ?? (env !== undefined && /^[0-9]+$/.test(env) ? Number(env) : null);
    if (task === null) return yield* new UsageError({ message: "experiment: --slurm-task needs the array task id: run it from the batch script (SLURM_ARRAY_TASK_ID) or pass --task I" });
    const manifest = yield* Effect.try({
      try: () => readManifest(dir, study.name),
      catch: (e) => new InputFileError({ message: `experiment: ${e instanceof Error ? e.message : String(e)}: an array task runs in a directory made by --slurm` }),
    });
    if (manifest.quick !== quick || manifest.gridHash !== gridHash(study, quick)) {
      return yield* new InputFileError({
        message: `experiment: the sweep in '${dir}' was submitted for a different ${study.name} grid than this checkout's (${manifest.quick ? "quick" : "full"} grid ${manifest.gridHash}): its results would not merge`,
      });
    }
    const grid = study.grid(quick);
    const bad = points.find((i) => i >= grid.length);
    if (bad !== undefined) return yield* new UsageError({ message: `experiment: no grid point ${bad} (the ${quick ? "quick" : "full"} ${study.name} grid has ${grid.length})` });
    const label = `${study.name} round ${round} task ${task}`;
    const outcome = yield* Effect.tryPromise({
      try: () =>
        runTask({ study, quick, dir, round, task, points, jobId: process.env.SLURM_ARRAY_JOB_ID ?? null }, (i, err) => {
          out.line(`${label}: point ${i} (${describePoint(grid[i]!)}) ${err === null ? "done" : `FAILED: ${err}`}`);
          out.flush();
        }),
      catch: (e) => fileError(`run ${label}`, e),
    });
    out.line(`${label}: wrote ${outcome.file} (${outcome.measured} measured, ${outcome.reused} kept from an earlier run, ${outcome.errors.length} failed)`);
    if (outcome.errors.length > 0) {
      return yield* new ProgramError({ message: `${label}: ${outcome.errors.length} of ${points.length} points failed (recorded in ${outcome.file}): ${outcome.errors.map((e) => e.point).join(", ")}` });
    }
  });
