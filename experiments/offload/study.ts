/**
 * Offload: what copying data to the cores on every kernel launch costs, against keeping it on the
 * cores (ePython's tutorial 7). A real CPython program (offload.py) drives one simulation through
 * `epython python`: every point runs the built command in a child process (spawnSync, so the grid
 * runner's worker threads drive python3 as they drive any measurement) and reads the host
 * program's simulated clock from its RESULT line. Only simulated times reach the CSV; python3's
 * own wall time is never part of the simulation (the simulation pauses while the host program
 * decides), so the numbers are the same on every run.
 *
 * Why a child process rather than the session in this thread: the point of the study is the
 * path a user's program takes (the Python package's launches and copies, the command protocol,
 * the host's postbox traffic), so it runs that path, not a TypeScript imitation of it. The price:
 * the study needs the build (bin/epython.js) and python3, and `--sensitivity` has nothing to
 * vary in the child, so the study declares no conclusions for it.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { type LinePanel, renderChart, type Series } from "../lib/plot.js";
import { projectRoot } from "../lib/run.js";
import { fixed, INT, type Row, type Study, TEXT } from "../lib/study.js";

const MODES = ["resident", "args", "roundtrip"] as const;
type Mode = (typeof MODES)[number];
const CORES = 16;
const ITERS = 3;

interface Point {
  mode: Mode;
  elements: number;
  [k: string]: string | number;
}

interface Result {
  mode: string;
  n: number;
  iters: number;
  start: number;
  end: number;
  check: number | null;
}

/** Values the host sends and receives per core per iteration in ePython's task-farm protocol. */
function hostWords(mode: Mode, n: number): number {
  const launch = 2; // the number of arguments, the function
  const arg = mode === "resident" ? 0 : 1 + n; // its length, its elements
  const reply = mode === "roundtrip" ? 1 + n : 1; // the count, the elements (or -1: None)
  return launch + arg + reply;
}

const num = (r: Row, k: string) => r[k] as number;

function runPoint(point: Point): Result {
  const python = process.env["EPYTHON_PYTHON"] ?? "python3";
  const args = [join(projectRoot(), "bin", "epython.js"), "python", "--chip", "e16", "-d", String(CORES), join(projectRoot(), "experiments", "offload", "offload.py"), point.mode, String(point.elements), String(ITERS)];
  const r = spawnSync(process.execPath, args, { cwd: projectRoot(), encoding: "utf8", env: { ...process.env, EPYTHON_PYTHON: python }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("RESULT "));
  if (r.status !== 0 || line === undefined) {
    throw new Error(`epython python experiments/offload/offload.py ${point.mode} ${point.elements} ${ITERS} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ""}): ${(r.stderr || r.stdout || "").trim().slice(-600)}`);
  }
  return JSON.parse(line.slice("RESULT ".length)) as Result;
}

function costChart(rows: readonly Row[]): { id: string; title: string; svg: string } {
  const series = (key: string): Series[] =>
    MODES.map((mode, i) => ({
      name: mode === "resident" ? "device-resident data" : mode === "args" ? "copied in as an argument" : "copied in and returned",
      color: i,
      points: rows.filter((r) => r["mode"] === mode).map((r) => [num(r, "elements"), num(r, key)]),
    }));
  const panel = (key: string, title: string, label: string): LinePanel => ({
    kind: "line",
    title,
    x: { label: "reals per core", scale: "log2" },
    y: { label, scale: "log10" },
    series: series(key),
  });
  const chart = {
    title: `One kernel launch on ${CORES} cores per iteration, from CPython`,
    panels: [panel("us_per_iteration", "simulated time per iteration", "microseconds"), panel("slowdown", "against device-resident data", "time / resident time")],
  };
  return { id: "cost", title: "Time per iteration against data size, by where the data lives", svg: renderChart(chart) };
}

export const offloadStudy: Study<Point> = {
  name: "offload",
  title: "Offload: copying kernel arguments per launch against device-resident data",
  question:
    `What does a CPython program pay per iteration when a kernel's data travels with every launch (as an argument, and back as its result) ` +
    `instead of staying on the cores (define_on_device), as ePython's tutorial 7 argues? One blocking launch on all ${CORES} cores of the e16 per iteration, ` +
    `each core updating N reals; the host program is real python3 driving the simulation.`,
  seed: 1,
  grid(quick) {
    const sizes = quick ? [4, 64, 256] : [1, 4, 16, 64, 128, 256, 512];
    return sizes.flatMap((elements) => MODES.map((mode) => ({ mode, elements })));
  },
  cost(point) {
    return point.elements * (point.mode === "resident" ? 1 : 2);
  },
  measure(point) {
    const r = runPoint(point);
    if (r.mode !== point.mode || r.n !== point.elements || r.iters !== ITERS) throw new Error(`offload.py measured ${r.mode} ${r.n} ${r.iters}, not the point asked for`);
    const seconds = (r.end - r.start) / ITERS;
    const words = hostWords(point.mode, point.elements);
    return {
      mode: point.mode,
      elements: point.elements,
      cores: CORES,
      iterations: ITERS,
      us_per_iteration: seconds * 1e6,
      host_words: words * CORES,
      us_per_host_word: (seconds * 1e6) / (words * CORES),
      check: r.check,
    };
  },
  derive(rows) {
    return rows.map((r) => {
      const base = rows.find((b) => b["mode"] === "resident" && b["elements"] === r["elements"]);
      // the data ends the same whichever way it travelled (resident and roundtrip both report it)
      if (r["mode"] === "roundtrip" && base && r["check"] !== base["check"]) throw new Error(`offload: roundtrip and resident data differ at ${String(r["elements"])} elements`);
      const { check: _check, ...rest } = r;
      return { ...rest, slowdown: base ? num(r, "us_per_iteration") / num(base, "us_per_iteration") : null };
    });
  },
  columns: [
    { key: "point", format: INT, doc: "grid index" },
    { key: "mode", format: TEXT, doc: "resident: data kept on the cores; args: sent as the argument every launch; roundtrip: sent and returned every launch" },
    { key: "elements", format: INT, doc: "reals each core updates per iteration (N)" },
    { key: "cores", format: INT, doc: "device cores the kernel runs on (all of the e16's)" },
    { key: "iterations", format: INT, doc: "timed iterations (after one untimed)" },
    { key: "us_per_iteration", format: fixed(3), doc: "the host program's simulated time per iteration (launch, kernel, results), microseconds" },
    { key: "host_words", format: INT, doc: "values the host sends and receives per iteration over all cores (ePython's task-farm protocol)" },
    { key: "us_per_host_word", format: fixed(3), doc: "us_per_iteration / host_words" },
    { key: "slowdown", format: fixed(2), doc: "us_per_iteration / that of device-resident data at the same size" },
  ],
  plots(rows) {
    return [costChart(rows)];
  },
  explain(rows) {
    const sizes = [...new Set(rows.map((r) => num(r, "elements")))];
    const big = sizes[sizes.length - 1]!;
    const at = (mode: Mode, n: number) => rows.find((r) => r["mode"] === mode && r["elements"] === n)!;
    const small = sizes[0]!;
    const res = at("resident", big);
    const args = at("args", big);
    const trip = at("roundtrip", big);
    const us = (r: Row) => `${num(r, "us_per_iteration").toFixed(0)} us`;
    return (
      `With ${big} reals per core, an iteration takes ${us(res)} when the data stays on the cores, ${us(args)} when it is sent as the argument ` +
      `(x${num(args, "slowdown").toFixed(1)}) and ${us(trip)} when it is also returned (x${num(trip, "slowdown").toFixed(1)}); at ${small} reals the three are ` +
      `${us(at("resident", small))}, ${us(at("args", small))} and ${us(at("roundtrip", small))}. ` +
      `The copies grow with the data while the launch of device-resident data does not: every value crosses the host link as its own message, one core after another ` +
      `(about ${num(args, "us_per_host_word").toFixed(1)} us per value sent), which is tutorial 7's point that transfers, not the kernels, dominate an accelerator's time.`
    );
  },
};
