/**
 * A worker thread of the grid runner: measures the (grid index, cost-scale variant) tasks it is
 * sent, one at a time, and posts each row back. The study, the grid and the variants come from
 * workerData; the grid is recomputed here rather than sent, since grids are deterministic and
 * points are small.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CostScales } from "../../src/index.js";
import { findStudy } from "../studies.js";
import { GridPointError, measurePoint, type Task } from "./grid.js";

const { study: name, quick, variants } = workerData as { study: string; quick: boolean; variants: (CostScales | null)[] };
const study = findStudy(name);
if (!study || !parentPort) throw new Error(`grid worker started without a known study (${name})`);
const port = parentPort;

port.on("message", ({ index, variant }: Task) => {
  try {
    port.postMessage({ index, variant, row: measurePoint(study, quick, index, variants[variant] ?? null) });
  } catch (e) {
    const error =
      e instanceof GridPointError ? { message: e.message, point: e.point, detail: e.detail } : { message: e instanceof Error ? e.message : String(e) };
    port.postMessage({ index, variant, error });
  }
});
