/**
 * A worker thread of the grid runner: measures the grid indices it is sent, one at a time, and
 * posts each row back. The study and grid come from workerData; the grid is recomputed here
 * rather than sent, since grids are deterministic and points are small.
 */
import { parentPort, workerData } from "node:worker_threads";
import { findStudy } from "../studies.js";
import { GridPointError, measurePoint } from "./grid.js";

const { study: name, quick } = workerData as { study: string; quick: boolean };
const study = findStudy(name);
if (!study || !parentPort) throw new Error(`grid worker started without a known study (${name})`);
const port = parentPort;

port.on("message", (index: number) => {
  try {
    port.postMessage({ index, row: measurePoint(study, quick, index) });
  } catch (e) {
    const error =
      e instanceof GridPointError ? { message: e.message, point: e.point, detail: e.detail } : { message: e instanceof Error ? e.message : String(e) };
    port.postMessage({ index, error });
  }
});
