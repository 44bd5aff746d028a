/**
 * A study's grid as a sweep of Slurm array tasks, minus Slurm itself: how the grid is cut into
 * slices, the files a sweep leaves in its directory, running one slice, and reading the directory
 * back into rows keyed by grid index (plus what is missing or failed, and why).
 *
 * The directory DIR of a sweep of study NAME holds
 *   NAME.manifest.json     what was submitted: study, grid (size and hash), rounds of array tasks
 *   NAME.rR.sbatch         the batch script of round R (round 0 is the first submission)
 *   NAME.rR.task-T.json    the results of array task T of round R, rewritten after every point
 *   logs/NAME.rR.task-T.log  what the task printed (Slurm's --output)
 * Every JSON file is written to a temporary name and renamed into place, so a reader (or a task
 * killed part-way) never sees half a file. A task file holds rows keyed by grid index and the
 * error of every point that failed; collecting is a union over all task files.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Schema } from "effect";
import { isTemporaryName, writeFileAtomicSync } from "../../src/index.js";
import { GridPointError, runGrid } from "./grid.js";
import { projectRoot } from "./run.js";
import { type AnyStudy, describePoint, type Row, type Value } from "./study.js";

export const MANIFEST_FORMAT = "epython-sweep-manifest/1";
export const TASK_FORMAT = "epython-sweep-task/1";

// ---------------------------------------------------------------------------------------------
// Rows as JSON, exactly: JSON has no NaN, infinities or -0, and a merged table must equal the
// table of a local run bit for bit, so those few numbers are spelled out.

const SPECIAL = ["NaN", "Infinity", "-Infinity", "-0"] as const;
type EncodedValue = number | string | null | { readonly float: (typeof SPECIAL)[number] };

function encodeValue(v: Value): EncodedValue {
  if (typeof v !== "number") return v;
  if (Number.isNaN(v)) return { float: "NaN" };
  if (v === Infinity) return { float: "Infinity" };
  if (v === -Infinity) return { float: "-Infinity" };
  if (Object.is(v, -0)) return { float: "-0" };
  return v;
}

function decodeValue(v: EncodedValue): Value {
  if (v === null || typeof v !== "object") return v;
  return v.float === "NaN" ? NaN : v.float === "Infinity" ? Infinity : v.float === "-Infinity" ? -Infinity : -0;
}

export const encodeRow = (row: Row): Record<string, EncodedValue> => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encodeValue(v)]));
export const decodeRow = (row: Readonly<Record<string, EncodedValue>>): Row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, decodeValue(v)]));

// ---------------------------------------------------------------------------------------------
// File formats

const EncodedValueSchema = Schema.Union([Schema.Number, Schema.String, Schema.Null, Schema.Struct({ float: Schema.Literals(SPECIAL) })]);
const Index = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)));

const RoundSchema = Schema.Struct({
  round: Index,
  /** Slurm's job id, null until sbatch has answered (or for a dry run) */
  jobId: Schema.NullOr(Schema.String),
  /** grid indices of each array task, by task id */
  tasks: Schema.Array(Schema.Array(Index)),
  partition: Schema.NullOr(Schema.String),
  time: Schema.NullOr(Schema.String),
  throttle: Schema.NullOr(Schema.Int),
});
export type Round = typeof RoundSchema.Type;

const ManifestSchema = Schema.Struct({
  format: Schema.Literal(MANIFEST_FORMAT),
  study: Schema.String,
  quick: Schema.Boolean,
  gridSize: Index,
  gridHash: Schema.String,
  rounds: Schema.Array(RoundSchema),
});
export type Manifest = typeof ManifestSchema.Type;

const TaskFileSchema = Schema.Struct({
  format: Schema.Literal(TASK_FORMAT),
  study: Schema.String,
  quick: Schema.Boolean,
  gridHash: Schema.String,
  round: Index,
  task: Index,
  jobId: Schema.NullOr(Schema.String),
  points: Schema.Array(Index),
  /** false while the task runs (the file is rewritten after every point); true at its end */
  complete: Schema.Boolean,
  /** fingerprint of the code that measured the rows (see codeHash) */
  codeHash: Schema.String,
  rows: Schema.Array(Schema.Struct({ point: Index, row: Schema.Record(Schema.String, EncodedValueSchema) })),
  errors: Schema.Array(Schema.Struct({ point: Index, message: Schema.String })),
});
export type TaskFile = typeof TaskFileSchema.Type;

/** A sweep file that can not be used, with the reason (the caller decides how loud to be). */
export class SweepFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = "SweepFileError";
  }
}

function readJson<T>(path: string, schema: Schema.Decoder<T>, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SweepFileError(path, (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SweepFileError(path, `not JSON, so not ${what}`);
  }
  try {
    return Schema.decodeUnknownSync(schema)(json);
  } catch (e) {
    throw new SweepFileError(path, `not ${what}: ${(e as Error).message.replace(/\s+/g, " ")}`);
  }
}

/** Write JSON to a temporary file next to `path` and rename it into place (atomic on POSIX). */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomicSync(path, JSON.stringify(value, null, 1) + "\n");
}

export const manifestName = (study: string) => `${study}.manifest.json`;
export const scriptName = (study: string, round: number) => `${study}.r${round}.sbatch`;
export const taskFileName = (study: string, round: number, task: number) => `${study}.r${round}.task-${task}.json`;
export const logName = (study: string, round: number, task: number | "%a") => `${study}.r${round}.task-${task}.log`;

export function readManifest(dir: string, study: string): Manifest {
  return readJson(join(dir, manifestName(study)), ManifestSchema, "a sweep manifest");
}

export function writeManifest(dir: string, m: Manifest): void {
  writeJsonAtomic(join(dir, manifestName(m.study)), m);
}

/** The studies that have a manifest in `dir`. */
export function manifestsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^(.+)\.manifest\.json$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

// ---------------------------------------------------------------------------------------------
// The grid and its slices

/**
 * A fingerprint of the code that measures: the simulator and studies as they run here (the built
 * .js under dist/ when running built, else the .ts sources) and the study programs (.py). Rows
 * measured by different code must not be merged into one table.
 */
export function codeHash(): string {
  const root = projectRoot();
  const built = fileURLToPath(import.meta.url).endsWith(".js");
  const base = built ? join(root, "dist") : root;
  const files: string[] = [];
  const walk = (dir: string, keep: (f: string) => boolean) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "results" && e.name !== "node_modules") walk(p, keep);
      } else if (keep(e.name)) files.push(p);
    }
  };
  const code = (f: string) => (built ? f.endsWith(".js") : f.endsWith(".ts") && !f.endsWith(".d.ts"));
  walk(join(base, "src"), code);
  walk(join(base, "experiments"), code);
  walk(join(root, "experiments"), (f) => f.endsWith(".py"));
  const h = createHash("sha256");
  for (const f of files.sort()) h.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex").slice(0, 16);
}

/** A fingerprint of the grid's points: a sweep refuses task files from a different grid. */
export function gridHash(study: AnyStudy, quick: boolean): string {
  return createHash("sha256").update(JSON.stringify(study.grid(quick))).digest("hex").slice(0, 16);
}

/**
 * Deal `indices` out to at most `k` slices round-robin (index j to slice j mod k): neighbouring
 * grid points are often alike in cost (same program, growing core counts), so each slice gets a
 * mix. Deterministic; no slice is empty.
 */
export function slices(indices: readonly number[], k: number): number[][] {
  const n = Math.max(1, Math.min(Math.floor(k), indices.length));
  const out: number[][] = Array.from({ length: n }, () => []);
  indices.forEach((i, j) => out[j % n]!.push(i));
  return indices.length === 0 ? [] : out;
}

export function newManifest(study: AnyStudy, quick: boolean): Manifest {
  return { format: MANIFEST_FORMAT, study: study.name, quick, gridSize: study.grid(quick).length, gridHash: gridHash(study, quick), rounds: [] };
}

/** Parse a `--points` list: `0,4,8` (grid indices, no duplicates). */
export function parsePoints(text: string): number[] | string {
  if (!/^[0-9]+(,[0-9]+)*$/.test(text)) return `expected grid indices separated by commas, not '${text}'`;
  const pts = text.split(",").map(Number);
  if (new Set(pts).size !== pts.length) return `a grid index appears twice in '${text}'`;
  return pts;
}

// ---------------------------------------------------------------------------------------------
// One array task

export interface TaskSpec {
  study: AnyStudy;
  quick: boolean;
  dir: string;
  round: number;
  task: number;
  points: readonly number[];
  jobId: string | null;
}

export interface TaskOutcome {
  file: string;
  measured: number;
  /** rows taken over from an earlier run of the same task (a re-run measures only the rest) */
  reused: number;
  errors: { point: number; message: string }[];
}

/**
 * Measure a slice, one point at a time with the grid runner (in this thread), rewriting the task
 * file atomically after each point: a task killed part-way leaves its finished points in a whole
 * file. A task run again (requeued, or by hand) keeps the rows a previous run of it measured and
 * measures the rest; failed points are tried again.
 */
export async function runTask(spec: TaskSpec, onPoint?: (index: number, error: string | null) => void): Promise<TaskOutcome> {
  const { study, quick, dir, round, task, points, jobId } = spec;
  const hash = gridHash(study, quick);
  const code = codeHash();
  const grid = study.grid(quick);
  for (const i of points) if (!Number.isInteger(i) || i < 0 || i >= grid.length) throw new Error(`${study.name}: no grid point ${i} (the ${quick ? "quick" : "full"} grid has ${grid.length})`);
  const file = join(dir, taskFileName(study.name, round, task));
  const rows = new Map<number, Row>();
  if (existsSync(file)) {
    try {
      const old = readJson(file, TaskFileSchema, "a sweep task file");
      if (old.gridHash === hash && old.codeHash === code && old.study === study.name && old.quick === quick) {
        for (const r of old.rows) if (points.includes(r.point)) rows.set(r.point, decodeRow(r.row));
      }
    } catch {
      // an unreadable old file is simply measured again
    }
  }
  const reused = rows.size;
  const errors = new Map<number, string>();
  const save = (complete: boolean) =>
    writeJsonAtomic(file, {
      format: TASK_FORMAT,
      study: study.name,
      quick,
      gridHash: hash,
      round,
      task,
      jobId,
      points: [...points],
      complete,
      codeHash: code,
      rows: [...rows].sort((a, b) => a[0] - b[0]).map(([point, row]) => ({ point, row: encodeRow(row) })),
      errors: [...errors].sort((a, b) => a[0] - b[0]).map(([point, message]) => ({ point, message })),
    } satisfies TaskFile);
  save(false);
  for (const i of points) {
    if (rows.has(i)) continue;
    let error: string | null = null;
    try {
      // the runner a local run uses, on a one-point slice in this thread
      const got = await runGrid(study, quick, [i], { jobs: 1 });
      rows.set(i, got.get(i)!);
    } catch (e) {
      error = e instanceof GridPointError ? e.detail : e instanceof Error ? e.message : String(e);
      errors.set(i, error);
    }
    save(false);
    // reported once it is on disk
    onPoint?.(i, error);
  }
  save(true);
  return { file, measured: rows.size - reused, reused, errors: [...errors].map(([point, message]) => ({ point, message })) };
}

// ---------------------------------------------------------------------------------------------
// Reading a sweep back

export interface PointProblem {
  index: number;
  /** `program=pi chip=e16 cores=8` */
  point: string;
  /** where it was last assigned: round and array task, or null if no round holds it */
  round: number | null;
  task: number | null;
  /** failed: the task's error; missing: what is known about the task */
  reason: string;
}

export interface SweepState {
  manifest: Manifest;
  measured: Map<number, Row>;
  failed: PointProblem[];
  missing: PointProblem[];
  /** task files that could not be used, with the reason */
  badFiles: string[];
  /** temporary files left by writers that were killed mid-write (ignored) */
  leftovers: string[];
  taskFiles: number;
  /** the code fingerprints the task files were measured with, and which files */
  codes: Map<string, string[]>;
}

/** The last line a task printed, if its log exists (tells why a task died). */
function lastLogLine(dir: string, study: string, round: number, task: number): string | null {
  const path = join(dir, "logs", logName(study, round, task));
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.length === 0 ? "" : lines[lines.length - 1]!;
}

/**
 * Read every task file of the sweep of `study` in `dir`. Throws SweepFileError if the manifest
 * is unusable or is for another grid than the study's current one.
 */
export function readSweep(dir: string, study: AnyStudy): SweepState {
  const manifest = readManifest(dir, study.name);
  const mpath = join(dir, manifestName(study.name));
  if (manifest.study !== study.name) throw new SweepFileError(mpath, `it is a sweep of '${manifest.study}', not '${study.name}'`);
  const grid = study.grid(manifest.quick);
  if (manifest.gridSize !== grid.length || manifest.gridHash !== gridHash(study, manifest.quick)) {
    throw new SweepFileError(mpath, `the sweep was submitted for a different ${study.name} grid than this checkout's (the study changed since); submit it again into a new directory`);
  }
  const measured = new Map<number, Row>();
  const rowSource = new Map<number, string>();
  const errorOf = new Map<number, { message: string; round: number; task: number }>();
  const badFiles: string[] = [];
  const leftovers: string[] = [];
  const conflicts: PointProblem[] = [];
  const fileState = new Map<string, TaskFile>();
  const codes = new Map<string, string[]>();
  const names = readdirSync(dir).sort();
  const taskRe = new RegExp(`^${study.name.replace(/[^A-Za-z0-9_-]/g, "\\$&")}\\.r([0-9]+)\\.task-([0-9]+)\\.json$`);
  for (const f of names) {
    // an interrupted write: `.FILE.tmp-PID` (and `.FILE.PID.tmp` from earlier versions)
    if (f.startsWith(`.${study.name}.`) && (isTemporaryName(f) || f.endsWith(".tmp"))) {
      leftovers.push(f);
      continue;
    }
    if (!taskRe.test(f)) continue;
    let tf: TaskFile;
    try {
      tf = readJson(join(dir, f), TaskFileSchema, "a sweep task file");
    } catch (e) {
      badFiles.push(e instanceof SweepFileError ? `${f}: ${e.reason}` : `${f}: ${String(e)}`);
      continue;
    }
    if (tf.study !== study.name || tf.quick !== manifest.quick || tf.gridHash !== manifest.gridHash) {
      badFiles.push(`${f}: results of a different grid (study ${tf.study}${tf.quick ? ", quick" : ""}, grid ${tf.gridHash}); ignored`);
      continue;
    }
    fileState.set(`${tf.round}/${tf.task}`, tf);
    if (tf.rows.length > 0) codes.set(tf.codeHash, [...(codes.get(tf.codeHash) ?? []), f]);
    for (const { point, row } of tf.rows) {
      if (point >= grid.length) continue;
      const text = JSON.stringify(row);
      const before = rowSource.get(point);
      if (before === undefined) {
        measured.set(point, decodeRow(row));
        rowSource.set(point, text);
      } else if (before !== text) {
        conflicts.push({ index: point, point: describePoint(grid[point]!), round: tf.round, task: tf.task, reason: `two task files give different rows (${f} and an earlier one); the simulator should be deterministic: report this` });
      }
    }
    for (const { point, message } of tf.errors) if (point < grid.length) errorOf.set(point, { message, round: tf.round, task: tf.task });
  }
  for (const c of conflicts) measured.delete(c.index);
  // where each point was last sent
  const assigned = new Map<number, { round: number; task: number }>();
  for (const r of manifest.rounds) r.tasks.forEach((pts, task) => pts.forEach((i) => assigned.set(i, { round: r.round, task })));
  const failed: PointProblem[] = [...conflicts];
  const missing: PointProblem[] = [];
  const conflicted = new Set(conflicts.map((c) => c.index));
  for (let i = 0; i < grid.length; i++) {
    if (measured.has(i) || conflicted.has(i)) continue;
    const point = describePoint(grid[i]!);
    const at = assigned.get(i);
    const err = errorOf.get(i);
    // an error counts unless the point was sent again in a later round (then that round decides)
    if (err && (!at || err.round >= at.round)) {
      failed.push({ index: i, point, round: err.round, task: err.task, reason: err.message });
      continue;
    }
    if (!at) {
      missing.push({ index: i, point, round: null, task: null, reason: "not in any submitted array task" });
      continue;
    }
    const tf = fileState.get(`${at.round}/${at.task}`);
    let reason: string;
    if (tf) {
      reason = tf.complete
        ? "its task finished without it (the task file does not list it)"
        : `its task stopped after ${tf.rows.length + tf.errors.length} of ${tf.points.length} points (killed, timed out, or still running)`;
    } else {
      const last = lastLogLine(dir, study.name, at.round, at.task);
      reason =
        last === null
          ? "its task wrote nothing and has no log (cancelled before it started, or still pending)"
          : `its task wrote no results; the last line of its log: ${last === "" ? "(empty)" : last}`;
    }
    missing.push({ index: i, point, round: at.round, task: at.task, reason });
  }
  failed.sort((a, b) => a.index - b.index);
  return { manifest, measured, failed, missing, badFiles, leftovers, taskFiles: fileState.size, codes };
}

// ---------------------------------------------------------------------------------------------
// The batch script

export interface ScriptSpec {
  study: string;
  quick: boolean;
  dir: string;
  round: number;
  tasks: readonly (readonly number[])[];
  partition: string | null;
  time: string | null;
  throttle: number | null;
  /** absolute paths of node and of this checkout */
  node: string;
  root: string;
}

/** Single-quote a word for bash. */
export const shellQuote = (s: string): string => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * Characters a path in an `#SBATCH` line can not hold: sbatch splits those lines on white space,
 * and `%` starts one of its file-name patterns.
 */
export const unsafeForSbatch = (path: string): boolean => /[\s'"%\\$`]/.test(path);

export function batchScript(s: ScriptSpec): string {
  const n = s.tasks.length;
  const points = s.tasks.reduce((a, t) => a + t.length, 0);
  const cli = join(s.root, "bin", "epython.js");
  const collect = `${shellQuote(s.node)} ${shellQuote(cli)} experiment ${s.study} --collect ${shellQuote(s.dir)}`;
  const lines = [
    "#!/bin/bash",
    `# epython-sim sweep: study ${s.study} (${s.quick ? "quick" : "full"} grid), round ${s.round}: ${n} array task${n === 1 ? "" : "s"} over ${points} grid point${points === 1 ? "" : "s"}.`,
    `# Each task measures its points with the grid runner of a local run and writes`,
    `# ${join(s.dir, taskFileName(s.study, s.round, 0).replace(/-0\.json$/, "-<task>.json"))} atomically after every point.`,
    `# Collect with: ${collect}`,
    `#SBATCH --job-name=epython-${s.study}`,
    `#SBATCH --array=0-${n - 1}${s.throttle !== null ? `%${s.throttle}` : ""}`,
    "#SBATCH --ntasks=1",
    "#SBATCH --cpus-per-task=1",
    ...(s.partition !== null ? [`#SBATCH --partition=${s.partition}`] : []),
    ...(s.time !== null ? [`#SBATCH --time=${s.time}`] : []),
    `#SBATCH --output=${join(s.dir, "logs", logName(s.study, s.round, "%a"))}`,
    "set -euo pipefail",
    `cd ${shellQuote(s.root)}`,
    "# the grid indices of each array task, by task id",
    "POINTS=(",
    ...s.tasks.map((t) => `  ${t.join(",")}`),
    ")",
    `exec ${shellQuote(s.node)} ${shellQuote(cli)} experiment ${s.study}${s.quick ? " --quick" : ""} --slurm-task ${shellQuote(s.dir)} --round ${s.round} --points "\${POINTS[$SLURM_ARRAY_TASK_ID]}"`,
    "",
  ];
  return lines.join("\n");
}
