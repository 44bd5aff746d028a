/**
 * Offload: what copying data to the cores on every kernel launch costs, against keeping it on the
 * cores (ePython's tutorial 7), over the data size and the core count; the report's sentences
 * (the fitted costs per real, the crossover, the scaling with cores, the break-even) are computed
 * from the rows, so they say what this run's CSV says.
 *
 * A real CPython program (offload.py) drives one simulation through `epython python`: every point runs the built command in a child process (spawnSync, so the grid
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
import { type LinePanel, renderChart } from "../lib/plot.js";
import { projectRoot } from "../lib/run.js";
import { fixed, INT, type Row, type Study, TEXT } from "../lib/study.js";

const MODES = ["resident", "args", "roundtrip"] as const;
type Mode = (typeof MODES)[number];
const ITERS = 3;

interface Point {
  mode: Mode;
  elements: number;
  cores: number;
  [k: string]: string | number;
}

interface Result {
  mode: string;
  n: number;
  iters: number;
  start: number;
  end: number;
  setup: number;
  back: number;
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
const MODE_NAMES: Record<Mode, string> = { resident: "device-resident data", args: "copied in as an argument", roundtrip: "copied in and returned" };

function runPoint(point: Point): Result {
  const python = process.env["EPYTHON_PYTHON"] ?? "python3";
  const args = [join(projectRoot(), "bin", "epython.js"), "python", "--chip", "e16", "-d", String(point.cores), join(projectRoot(), "experiments", "offload", "offload.py"), point.mode, String(point.elements), String(ITERS)];
  const r = spawnSync(process.execPath, args, { cwd: projectRoot(), encoding: "utf8", env: { ...process.env, EPYTHON_PYTHON: python }, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("RESULT "));
  if (r.status !== 0 || line === undefined) {
    throw new Error(`epython python -d ${point.cores} experiments/offload/offload.py ${point.mode} ${point.elements} ${ITERS} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ""}): ${(r.stderr || r.stdout || "").trim().slice(-600)}`);
  }
  return JSON.parse(line.slice("RESULT ".length)) as Result;
}

function costChart(rows: readonly Row[]): { id: string; title: string; svg: string } {
  const cores = [...new Set(rows.map((r) => num(r, "cores")))];
  const most = Math.max(...cores);
  const time: LinePanel = {
    kind: "line",
    title: `simulated time per iteration, ${most} cores`,
    x: { label: "reals per core", scale: "log2" },
    y: { label: "microseconds", scale: "log10" },
    series: MODES.map((mode, i) => ({ name: MODE_NAMES[mode], color: i, points: rows.filter((r) => r["mode"] === mode && r["cores"] === most).map((r) => [num(r, "elements"), num(r, "us_per_iteration")]) })),
  };
  const slowdown: LinePanel = {
    kind: "line",
    title: "against device-resident data, by cores",
    x: { label: "reals per core", scale: "log2" },
    y: { label: "time / resident time", scale: "log10" },
    series: cores.flatMap((c, i) =>
      (["args", "roundtrip"] as const).map((mode) => ({
        name: `${mode === "args" ? "in" : "in and out"}, ${coresText(c)}`,
        color: i + 3,
        dashed: mode === "roundtrip",
        points: rows.filter((r) => r["mode"] === mode && r["cores"] === c).map((r) => [num(r, "elements"), num(r, "slowdown")] as [number, number]),
      })),
    ),
  };
  const chart = { title: "One kernel launch on every core per iteration, from CPython", panels: [time, slowdown] };
  return { id: "cost", title: "Time per iteration against data size and core count, by where the data lives", svg: renderChart(chart) };
}

/** Least squares y = a + b x over `points`, and the largest relative distance of a point from the line. */
export function linearFit(points: readonly [number, number][]): { a: number; b: number; worst: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const b = sxx === 0 ? 0 : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  const a = my - b * mx;
  const worst = Math.max(...points.map(([x, y]) => Math.abs(a + b * x - y) / y));
  return { a, b, worst };
}

const us = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const times = (v: number) => `x${v.toFixed(1)}`;
const reals = (n: number) => `${n} real${n === 1 ? "" : "s"}`;
const coresText = (c: number) => `${c} core${c === 1 ? "" : "s"}`;

/** Where copying the argument first costs more than the whole device-resident iteration (slowdown above 2) on `cores` cores. */
function crossover(rows: readonly Row[], cores: number): string {
  const line = rows.filter((r) => r["mode"] === "args" && r["cores"] === cores);
  const i = line.findIndex((r) => num(r, "slowdown") > 2);
  const n = (k: number) => num(line[k]!, "elements");
  if (i < 0) return `not within the grid on ${coresText(cores)} (x${num(line.at(-1)!, "slowdown").toFixed(2)} at ${n(line.length - 1)} reals)`;
  if (i === 0) return `already at ${reals(n(0))} per core on ${cores} (x${num(line[0]!, "slowdown").toFixed(2)})`;
  return `between ${n(i - 1)} and ${n(i)} reals per core on ${cores} (x${num(line[i - 1]!, "slowdown").toFixed(2)}, then x${num(line[i]!, "slowdown").toFixed(2)})`;
}

/** The report's sentences, every number from the rows (the CSV's). */
function explainRows(rows: readonly Row[]): string {
  const cores = [...new Set(rows.map((r) => num(r, "cores")))].sort((x, y) => x - y);
  const sizes = [...new Set(rows.map((r) => num(r, "elements")))].sort((x, y) => x - y);
  const few = cores[0]!;
  const most = cores.at(-1)!;
  const small = sizes[0]!;
  const big = sizes.at(-1)!;
  const at = (mode: Mode, n: number, c: number) => rows.find((r) => r["mode"] === mode && r["elements"] === n && r["cores"] === c)!;
  const fits = Object.fromEntries(MODES.map((m) => [m, linearFit(rows.filter((r) => r["mode"] === m && r["cores"] === most).map((r) => [num(r, "elements"), num(r, "us_per_iteration")]))])) as Record<Mode, ReturnType<typeof linearFit>>;
  const worst = Math.max(...MODES.map((m) => fits[m].worst));
  const per = fits.args.b - fits.resident.b;
  const fitText = (m: Mode) => `${us(fits[m].a)} + ${fits[m].b.toFixed(2)}·N us`;
  const size =
    `**Data size.** On ${most} cores an iteration's simulated time grows ${worst < 0.05 ? "linearly" : "far from linearly"} with the reals per core N (least-squares lines over N = ${sizes.join(", ")}, ` +
    `each point within ${(worst * 100).toFixed(1)}% of its line): ${fitText("resident")} with device-resident data, ${fitText("args")} copied in as the argument, ` +
    `${fitText("roundtrip")} copied in and returned. The kernel's own loop costs ${fits.resident.b.toFixed(2)} us per real (the cores run it side by side); ` +
    `copying one more real per core in adds ${per.toFixed(2)} us, ${(per / most).toFixed(2)} us for each value that crosses the host link (every value is a message of its own, ` +
    `sent to one core after another), and returning it ${(fits.roundtrip.b - fits.args.b).toFixed(2)} us more. So the copies cost ${times(fits.args.b / fits.resident.b)} ` +
    `(in) and ${times(fits.roundtrip.b / fits.resident.b)} (in and out) the kernel's time per real, which is what the slowdown tends to as N grows: ` +
    `on ${most} cores it is ${times(num(at("args", small, most), "slowdown"))} and ${times(num(at("roundtrip", small, most), "slowdown"))} at ${reals(small)}, ` +
    `${times(num(at("args", big, most), "slowdown"))} and ${times(num(at("roundtrip", big, most), "slowdown"))} at ${big}.`;
  const grows = cores.every((c, i) => i === 0 || num(at("args", big, c), "slowdown") > num(at("args", big, cores[i - 1]!), "slowdown"));
  const ratio = (m: Mode) => num(at(m, big, most), "us_per_iteration") / num(at(m, big, few), "us_per_iteration");
  const scale =
    few === most
      ? ""
      : `**Core count.** From ${few} to ${most} cores (x${(most / few).toFixed(0)}) at ${big} reals per core, an iteration with device-resident data takes ` +
        `${times(ratio("resident"))} as long (the launches go to one core after another, the kernels run side by side), copied in ${times(ratio("args"))} and copied in and out ` +
        `${times(ratio("roundtrip"))} (the host link carries every core's data in turn): the slowdown of copying in ${grows ? "grows" : "does not grow"} with the cores, ` +
        cores.map((c) => `${times(num(at("args", big, c), "slowdown"))} on ${c}`).join(", ") +
        ` (the slowdown over the core count: ${cores.map((c) => (num(at("args", big, c), "slowdown") / c).toFixed(2)).join(", ")}).`;
  const cross =
    `**Crossover.** Copying the argument costs more than the whole device-resident iteration (launch and kernel: a slowdown above x2) ` +
    `${cores.map((c) => crossover(rows, c)).join("; ")}.`;
  const evens = (mode: Mode) => rows.filter((r) => r["mode"] === mode && r["breakeven_iterations"] !== null);
  // the range over the grid, and where its ends are
  const range = (mode: Mode) => {
    const v = evens(mode).sort((x, y) => num(x, "breakeven_iterations") - num(y, "breakeven_iterations"));
    const where = (r: Row) => `${num(r, "breakeven_iterations").toFixed(2)} (${reals(num(r, "elements"))} on ${coresText(num(r, "cores"))})`;
    return `${where(v[0]!)} to ${where(v.at(-1)!)}`;
  };
  const trip = evens("roundtrip").map((r) => num(r, "breakeven_iterations"));
  const even =
    `**Break-even.** Device-resident data pays once for what copying pays at every launch: allocating the array and copy_to_device before the iterations, ` +
    `copy_from_device after them (${us(num(at("resident", big, most), "us_setup"))} and ${us(num(at("resident", big, most), "us_back"))} us at ${big} reals on ${most} cores). ` +
    `Against copying in and out at every launch that is paid back after ${range("roundtrip")} iterations, so from iteration ${Math.ceil(Math.max(...trip))} on ` +
    `the device-resident program is ahead at every size and core count measured; against copying in only (the results left on the cores), after ${range("args")}. ` +
    (fits.args.b > 2 * fits.resident.b
      ? `That is tutorial 7's point: the transfers, not the kernels, dominate, and data that stays on the cores removes them from the loop.`
      : `Here the transfers cost less than the kernels themselves, so tutorial 7's point holds only weakly.`);
  return [size, scale, cross, even].filter((p) => p !== "").join("\n\n");
}

export const offloadStudy: Study<Point> = {
  name: "offload",
  title: "Offload: copying kernel arguments per launch against device-resident data",
  question:
    `What does a CPython program pay per iteration when a kernel's data travels with every launch (as an argument, and back as its result) ` +
    `instead of staying on the cores (define_on_device), as ePython's tutorial 7 argues, and how does that scale with the data and the core count? ` +
    `One blocking launch on every device core of the e16 per iteration, each core updating N reals; the host program is real python3 driving the simulation.`,
  seed: 1,
  grid(quick) {
    const sizes = quick ? [4, 64, 256] : [1, 4, 16, 64, 128, 256, 512];
    const cores = quick ? [4, 16] : [1, 4, 16];
    return cores.flatMap((c) => sizes.flatMap((elements) => MODES.map((mode) => ({ mode, elements, cores: c }))));
  },
  cost(point) {
    return point.elements * point.cores * (point.mode === "resident" ? 1 : 2);
  },
  measure(point) {
    const r = runPoint(point);
    if (r.mode !== point.mode || r.n !== point.elements || r.iters !== ITERS) throw new Error(`offload.py measured ${r.mode} ${r.n} ${r.iters}, not the point asked for`);
    const seconds = (r.end - r.start) / ITERS;
    const words = hostWords(point.mode, point.elements);
    return {
      mode: point.mode,
      elements: point.elements,
      cores: point.cores,
      iterations: ITERS,
      us_per_iteration: seconds * 1e6,
      host_words: words * point.cores,
      us_per_host_word: (seconds * 1e6) / (words * point.cores),
      us_setup: point.mode === "resident" ? r.setup * 1e6 : null,
      us_back: point.mode === "resident" ? r.back * 1e6 : null,
      check: r.check,
    };
  },
  derive(rows) {
    return rows.map((r) => {
      const base = rows.find((b) => b["mode"] === "resident" && b["elements"] === r["elements"] && b["cores"] === r["cores"]);
      // the data ends the same whichever way it travelled (resident and roundtrip both report it)
      if (r["mode"] === "roundtrip" && base && r["check"] !== base["check"]) throw new Error(`offload: roundtrip and resident data differ at ${String(r["elements"])} elements`);
      const { check: _check, ...rest } = r;
      const saved = base ? num(r, "us_per_iteration") - num(base, "us_per_iteration") : 0;
      // the iterations after which resident data's one-off copies (in; and out, against a mode that returns the data) are paid back
      const once = base === undefined || r["mode"] === "resident" ? null : num(base, "us_setup") + (r["mode"] === "roundtrip" ? num(base, "us_back") : 0);
      return {
        ...rest,
        slowdown: base ? num(r, "us_per_iteration") / num(base, "us_per_iteration") : null,
        breakeven_iterations: once === null || saved <= 0 ? null : once / saved,
      };
    });
  },
  columns: [
    { key: "point", format: INT, doc: "grid index" },
    { key: "mode", format: TEXT, doc: "resident: data kept on the cores; args: sent as the argument every launch; roundtrip: sent and returned every launch" },
    { key: "elements", format: INT, doc: "reals each core updates per iteration (N)" },
    { key: "cores", format: INT, doc: "device cores the kernel runs on (-d; the e16's first ones)" },
    { key: "iterations", format: INT, doc: "timed iterations (after one untimed)" },
    { key: "us_per_iteration", format: fixed(3), doc: "the host program's simulated time per iteration (launch, kernel, results), microseconds" },
    { key: "host_words", format: INT, doc: "values the host sends and receives per iteration over all cores (ePython's task-farm protocol)" },
    { key: "us_per_host_word", format: fixed(3), doc: "us_per_iteration / host_words" },
    { key: "slowdown", format: fixed(2), doc: "us_per_iteration / that of device-resident data at the same size and core count" },
    { key: "us_setup", format: fixed(3), doc: "resident only: the one-off cost before the iterations (allocating the array on every core, copy_to_device), microseconds" },
    { key: "us_back", format: fixed(3), doc: "resident only: the one-off copy_from_device from every core after them, microseconds" },
    { key: "breakeven_iterations", format: fixed(2), doc: "args and roundtrip: iterations after which device-resident data, with its one-off copies (in; and out against roundtrip), has cost less" },
  ],
  plots(rows) {
    return [costChart(rows)];
  },
  explain: explainRows,
};
