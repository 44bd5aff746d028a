/**
 * The grid runner: measure chosen points of a study, in worker threads or in this thread, and
 * hand back rows keyed by grid index. It is the one code path for every way of running a grid
 * (the CLI, tests, and later Slurm array tasks that each take a slice): indices are stable, a
 * point's row depends only on the point, and merging slices is a union of maps.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CostScales } from "../../src/index.js";
import { projectRoot, setCostScales } from "./run.js";
import { type AnyStudy, describePoint, type Row } from "./study.js";

export class GridPointError extends Error {
  constructor(
    readonly study: string,
    readonly index: number,
    readonly point: string,
    readonly detail: string,
  ) {
    super(`${study}: grid point ${index} (${point}) failed: ${detail}`);
    this.name = "GridPointError";
  }
}

export interface GridOptions {
  /** worker threads; 0 or 1 runs in this thread; capped at availableParallelism() */
  jobs?: number;
  /** called after each point (in completion order, which varies; the rows do not) */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Measure one point in this thread, with `scales` on the uncertain cost groups (null: the model
 * as it is). The scales are this thread's setting only while the point runs.
 */
export function measurePoint(study: AnyStudy, quick: boolean, index: number, scales: CostScales | null = null): Row {
  const points = study.grid(quick);
  const p = points[index];
  if (p === undefined) throw new Error(`${study.name}: no grid point ${index} (the ${quick ? "quick" : "full"} grid has ${points.length})`);
  setCostScales(scales);
  try {
    return study.measure(p, index);
  } catch (e) {
    throw new GridPointError(study.name, index, describePoint(p), e instanceof Error ? e.message : String(e));
  } finally {
    setCostScales(null);
  }
}

/**
 * Where the built worker is: next to this file when built, else in dist/ (tests run sources); its
 * bundle (scripts/bundle.mjs) when the build made one, which starts several times faster.
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const dir = here.endsWith(".js") ? join(here, "..") : join(projectRoot(), "dist", "experiments", "lib");
  const bundled = join(dir, "worker.bundle.cjs");
  if (existsSync(bundled)) return bundled;
  const built = join(dir, "worker.js");
  if (!existsSync(built)) throw new Error(`worker threads need the built code: run 'npm run build' (missing ${built})`);
  return built;
}

export function maxJobs(): number {
  return availableParallelism();
}

/** One unit of work: grid point `index` under cost-scale variant `variant`. */
export interface Task {
  index: number;
  variant: number;
}

interface Reply extends Task {
  row?: Row;
  error?: { message: string; point?: string; detail?: string };
}

/**
 * Measure `indices` of the study's grid; resolves to rows keyed by grid index. The first failing
 * point rejects with a GridPointError (the others are abandoned: a study is all or nothing).
 */
export async function runGrid(study: AnyStudy, quick: boolean, indices: readonly number[], opts: GridOptions = {}): Promise<Map<number, Row>> {
  return (await runVariants(study, quick, indices, [null], opts))[0]!;
}

/**
 * Measure `indices` under each of `variants` (cost scales; null is the model as it is) in one
 * pool of workers, so the long points of every variant start first; resolves to one row map per
 * variant, in the order given. Each row depends only on its point and its variant.
 */
export async function runVariants(
  study: AnyStudy,
  quick: boolean,
  indices: readonly number[],
  variants: readonly (CostScales | null)[],
  opts: GridOptions = {},
): Promise<Map<number, Row>[]> {
  const total = study.grid(quick).length;
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= total) throw new Error(`${study.name}: no grid point ${i} (the grid has ${total})`);
  }
  const todo = [...new Set(indices)].sort((a, b) => a - b);
  const tasks: Task[] = variants.flatMap((_, variant) => todo.map((index) => ({ index, variant })));
  const rows = variants.map(() => new Map<number, Row>());
  let done = 0;
  const jobs = Math.min(Math.max(1, Math.floor(opts.jobs ?? maxJobs())), maxJobs(), tasks.length);
  if (jobs <= 1) {
    for (const t of tasks) {
      rows[t.variant]!.set(t.index, measurePoint(study, quick, t.index, variants[t.variant]!));
      opts.onProgress?.(++done, tasks.length);
    }
    return rows;
  }
  // big points first, so one long run does not start last and hold up the whole grid; any
  // order gives the same rows
  const points = study.grid(quick);
  const cost = (t: Task) => study.cost?.(points[t.index]) ?? 0;
  const queue = [...tasks].sort((a, b) => cost(b) - cost(a) || a.index - b.index || a.variant - b.variant);
  return poolRun(study, quick, variants, queue, jobs, (t, row) => {
    rows[t.variant]!.set(t.index, row);
    opts.onProgress?.(++done, tasks.length);
  }).then(() => rows);
}

/** Run `queue` over `jobs` worker threads; `take` receives each row; resolves when all are in. */
function poolRun(
  study: AnyStudy,
  quick: boolean,
  variants: readonly (CostScales | null)[],
  queue: Task[],
  jobs: number,
  take: (t: Task, row: Row) => void,
): Promise<void> {
  const file = workerFile();
  const total = queue.length;
  let received = 0;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    // workers we stopped ourselves (terminate() makes a worker exit with code 1)
    const stopped = new Set<Worker>();
    let failed = false;
    const stop = (w: Worker) => {
      stopped.add(w);
      void w.terminate();
    };
    const stopAll = () => workers.forEach(stop);
    const feed = (w: Worker) => {
      const next = queue.shift();
      if (next === undefined) {
        stop(w);
        return;
      }
      w.postMessage(next);
    };
    for (let k = 0; k < jobs; k++) {
      const w = new Worker(file, { workerData: { study: study.name, quick, variants } });
      workers.push(w);
      w.on("message", (m: Reply) => {
        if (failed) return;
        if (m.error) {
          failed = true;
          stopAll();
          const e = m.error;
          reject(e.point !== undefined ? new GridPointError(study.name, m.index, e.point, e.detail ?? e.message) : new Error(e.message));
          return;
        }
        take(m, m.row!);
        if (++received === total) {
          stopAll();
          resolve();
        } else feed(w);
      });
      w.on("error", (e) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(e);
      });
      w.on("exit", (code) => {
        // a worker that ends on its own before the grid is done has crashed
        if (!failed && !stopped.has(w) && received < total) {
          failed = true;
          stopAll();
          reject(new Error(`${study.name}: a worker thread exited with code ${code}`));
        }
      });
      feed(w);
    }
  });
}

/**
 * Merge measured rows (from one run or several slices) into the final table: every grid index
 * must be present exactly once; rows in grid order; derived columns added.
 */
export function finishRows(study: AnyStudy, quick: boolean, measured: ReadonlyMap<number, Row>): Row[] {
  const points = study.grid(quick);
  const missing: number[] = [];
  for (let i = 0; i < points.length; i++) if (!measured.has(i)) missing.push(i);
  if (missing.length > 0) throw new Error(`${study.name}: grid points not measured: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", ..." : ""}`);
  const rows = points.map((_, i) => ({ point: i, ...measured.get(i)! }));
  return study.derive ? study.derive(rows, points) : rows;
}
