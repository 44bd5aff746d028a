/**
 * Collective algorithms from 4 to 1024 cores: reduce as ePython does it (every core exchanges
 * with every other), as a binomial tree and as a ring; the barrier as ePython does it
 * (centralised on the lowest core) and with the Epiphany's hardware wired-AND.
 */
import type { BarrierAlgorithm, ReduceAlgorithm } from "../../src/index.js";
import { CoreState } from "../../src/index.js";
import { type LinePanel, renderChart, type Series } from "../lib/plot.js";
import { firstCores, runProgram } from "../lib/run.js";
import { type ChartSpec, type Conclusion, fixed, INT, type Row, type Study, TEXT } from "../lib/study.js";

const REPS = 2;

const OPS = [
  { id: "reduce-epython", op: "reduce", alg: "epython" },
  { id: "reduce-tree", op: "reduce", alg: "tree" },
  { id: "reduce-ring", op: "reduce", alg: "ring" },
  { id: "barrier-epython", op: "barrier", alg: "epython" },
  { id: "barrier-wand", op: "barrier", alg: "wand" },
] as const;

interface Point {
  collective: string;
  cores: number;
  [k: string]: string | number;
}

const num = (r: Row, k: string) => r[k] as number;

/** The main plot: cycles per call against the core count, reduce and barrier side by side. */
function costChart(rows: readonly Row[]): ChartSpec {
  const mk = (op: string, title: string): LinePanel => ({
    kind: "line",
    title,
    x: { label: "cores", scale: "log2" },
    y: { label: "cycles per call (mean over cores)", scale: "log10" },
    series: OPS.filter((o) => o.op === op).map(
      (o, i): Series => ({
        name: o.alg,
        color: op === "reduce" ? i : i + 3,
        points: rows.filter((r) => r["collective"] === o.id).map((r) => [num(r, "cores"), num(r, "cycles_per_op")]),
      }),
    ),
  });
  return {
    id: "cost",
    title: "Cost of one collective call",
    chart: { title: "Collectives on the e1024: cycles per call", panels: [mk("reduce", "reduce(x, \"sum\")"), mk("barrier", "sync()")], columns: 2 },
  };
}

/**
 * What the study concludes: the fastest reduce at 16 cores and at the most cores, with how much
 * faster it is than ePython's; the cheaper barrier at the fewest and the most cores, and from
 * which core count the wired-AND wins.
 */
function collectiveConclusions(rows: readonly Row[]): Conclusion[] {
  const coreList = [...new Set(rows.map((r) => num(r, "cores")))];
  const lo = Math.min(...coreList);
  const hi = Math.max(...coreList);
  const get = (c: string, n: number) => num(rows.find((r) => r["collective"] === c && r["cores"] === n)!, "cycles_per_op");
  const out: Conclusion[] = [];
  for (const n of [...new Set([16, hi])].filter((x) => coreList.includes(x))) {
    const algs = OPS.filter((o) => o.op === "reduce");
    const best = algs.reduce((a, b) => (get(b.id, n) < get(a.id, n) ? b : a));
    out.push({ id: `fastest-reduce:${n}`, text: `the ${best.alg} reduce is the fastest on ${n} cores`, value: best.alg, kind: "category" });
    out.push({ id: `reduce-gain:${n}`, text: `ePython's reduce takes this many times as long as the fastest (${best.alg}) on ${n} cores`, value: get("reduce-epython", n) / get(best.id, n), kind: "number" });
  }
  for (const n of [lo, hi]) {
    const wand = get("barrier-wand", n) < get("barrier-epython", n);
    out.push({ id: `cheaper-barrier:${n}`, text: `the ${wand ? "wired-AND" : "ePython"} barrier is the cheaper on ${n} cores`, value: wand ? "wand" : "epython", kind: "category" });
  }
  const cross = [...coreList].sort((a, b) => a - b).find((n) => get("barrier-wand", n) < get("barrier-epython", n));
  out.push({
    id: "barrier-crossover",
    text: cross === undefined ? "the wired-AND barrier never beats ePython's" : `the wired-AND barrier beats ePython's from ${cross} cores on the grid`,
    value: cross === undefined ? "never" : String(cross),
    unit: cross === undefined ? undefined : "cores",
    kind: "category",
  });
  return out;
}

export const collectives: Study<Point> = {
  name: "collectives",
  title: "Collectives: reduce (epython, tree, ring) and barrier (epython, wand), 4 to 1024 cores",
  question:
    "How do ePython's all-pairs reduce and centralised barrier grow with the core count, and what would a binomial-tree " +
    "or ring reduce and the hardware wired-AND barrier give instead? All runs are on the e1024 (1 GHz), so only the core count changes.",
  seed: 1,
  grid(quick) {
    const coreList = quick ? [4, 16, 64] : [4, 8, 16, 32, 64, 128, 256, 512, 1024];
    return OPS.flatMap((o) => coreList.map((cores) => ({ collective: o.id, cores })));
  },
  cost: (p) => (p.collective === "reduce-epython" || p.collective === "reduce-ring" ? p.cores * p.cores : p.cores),
  measure(point) {
    const o = OPS.find((x) => x.id === point.collective)!;
    const config = {
      chip: "e1024" as const,
      cores: firstCores(point.cores),
      seed: 1,
      reduce: (o.op === "reduce" ? o.alg : "epython") as ReduceAlgorithm,
      barrier: (o.op === "barrier" ? o.alg : "epython") as BarrierAlgorithm,
    };
    // one warm-up call first, left out of the timing: it absorbs the cores' staggered start (ePython's
    // start-up barrier lets its root go last, after it has scanned every core id)
    const run = runProgram(`collectives/${o.op}.py`, { REPS: REPS + 1 }, config, { skipFirstInState: 1 });
    if (o.op === "reduce") {
      const want = `sum ${(point.cores * (point.cores - 1)) / 2}`;
      if (run.output[0] !== want) throw new Error(`reduce gave '${run.output[0]}', expected '${want}'`);
    }
    const state = o.op === "reduce" ? CoreState.Collective : CoreState.Barrier;
    let inOp = 0;
    for (let p = 0; p < point.cores; p++) inOp += run.sink.cycles(p, state);
    const perOp = inOp / point.cores / REPS;
    return {
      collective: point.collective,
      cores: point.cores,
      cycles_per_op: perOp,
      us_per_op: (perOp / run.result.clockHz) * 1e6,
      messages_per_op: run.result.messages / (REPS + 1),
      total_cycles: run.result.totalCycles,
    };
  },
  columns: [
    { key: "point", format: INT, doc: "grid index" },
    { key: "collective", format: TEXT, doc: "operation and algorithm (--reduce / --barrier)" },
    { key: "cores", format: INT, doc: "device cores 0..cores-1 of the e1024 (32 per mesh row)" },
    { key: "cycles_per_op", format: fixed(1), doc: `mean over cores of the cycles spent inside reduce() or sync(), per call (${REPS} calls after a warm-up call that is not timed)` },
    { key: "us_per_op", format: fixed(3), doc: "the same in microseconds at 1 GHz" },
    { key: "messages_per_op", format: INT, doc: "postbox messages per call (the wired-AND and ePython's barrier use flags, not messages)" },
    { key: "total_cycles", format: fixed(1), doc: "whole run, including start-up and core 0's final print" },
  ],
  mainChart: costChart,
  conclusions: collectiveConclusions,
  plots(rows) {
    const c = costChart(rows);
    return [{ id: c.id, title: c.title, svg: renderChart(c.chart) }];
  },
  explain(rows) {
    const coreList = [...new Set(rows.map((r) => num(r, "cores")))];
    const lo = Math.min(...coreList);
    const hi = Math.max(...coreList);
    const get = (c: string, n: number) => num(rows.find((r) => r["collective"] === c && r["cores"] === n)!, "cycles_per_op");
    const k = (v: number) => (v >= 1e4 ? `${(v / 1000).toFixed(0)}k` : v.toFixed(0));
    const growth = (c: string) => get(c, hi) / get(c, lo);
    return [
      `From ${lo} to ${hi} cores ePython's all-pairs reduce grows from ${k(get("reduce-epython", lo))} to ${k(get("reduce-epython", hi))} cycles per call (x${growth("reduce-epython").toFixed(0)}), ` +
        `the ring from ${k(get("reduce-ring", lo))} to ${k(get("reduce-ring", hi))} (x${growth("reduce-ring").toFixed(0)}): both take a step per other core, ` +
        `while the binomial tree needs 2 log2(p) steps and grows only from ${k(get("reduce-tree", lo))} to ${k(get("reduce-tree", hi))}.`,
      `ePython's centralised barrier costs ${k(get("barrier-epython", lo))} cycles on ${lo} cores and ${k(get("barrier-epython", hi))} on ${hi}, since its root reads every core's \`active\` flag from shared DRAM three times per call, for all of the chip's cores whether they run or not (ePython's loops run to TOTAL_CORES); ` +
        (k(get("barrier-wand", lo)) === k(get("barrier-wand", hi))
          ? `the wired-AND barrier costs ${k(get("barrier-wand", lo))} cycles at every size.`
          : `the wired-AND barrier costs ${k(get("barrier-wand", lo))} to ${k(get("barrier-wand", hi))} cycles.`) +
        " Each figure leaves out a first, warm-up call, which absorbs the cores' staggered start.",
    ].join(" ");
  },
};
