/**
 * Garbage-collection pressure: one core churns through short-lived arrays while a live set of
 * growing size (relative to the core's heap, which the memory map fixes) stays reachable. Two
 * heap sizes: the e16's 32 KB SRAM and the e1024's 64 KB.
 */
import type { ChipName } from "../../src/index.js";
import { type LinePanel, renderChart, type Series } from "../lib/plot.js";
import { runProgram } from "../lib/run.js";
import { type ChartSpec, type Conclusion, fixed, INT, type Row, type Study, TEXT } from "../lib/study.js";

const FILE = "gc/churn.py";
const TEMP = 32;
const CHURN = 300;
/**
 * Approximate heap bytes of an n-element array (a 4-byte value and a 1-byte type per element,
 * plus a header), used only to choose LIVE for a target fraction; the live bytes reported are
 * the collector's own measurement.
 */
const liveElementsFor = (bytes: number) => Math.max(0, Math.floor((bytes - 20) / 5));

interface Point {
  chip: ChipName;
  live_target: number;
  [k: string]: string | number;
}

const num = (r: Row, k: string) => r[k] as number;

/** The main plot: collections, mean pause and the share of the run collecting, vs the live set. */
function pressureChart(rows: readonly Row[]): ChartSpec {
  const chips = [...new Set(rows.map((r) => r["chip"] as string))];
  const panel = (key: string, title: string, label: string): LinePanel => ({
    kind: "line",
    title,
    x: { label: "live set / core heap", scale: "linear", domain: [0, 1] },
    y: { label, scale: "linear" },
    series: chips.map(
      (chip, i): Series => ({
        name: `${chip} (heap ${num(rows.find((r) => r["chip"] === chip)!, "heap_bytes")} B)`,
        color: i,
        points: rows.filter((r) => r["chip"] === chip).map((r) => [num(r, "live_target"), num(r, key)]),
      }),
    ),
  });
  return {
    id: "pressure",
    title: "Collections, pauses and run time vs live-set size",
    chart: {
      title: `GC pressure: ${CHURN} temporary ${TEMP}-element arrays on one core`,
      panels: [panel("collections", "collections", "collections"), panel("pause_mean", "mean pause", "cycles per collection"), panel("gc_share", "share of run time collecting", "pause cycles / run cycles")],
    },
  };
}

/** A claim that a number stays on the central run's side of `threshold`. */
function sameSide(central: number, threshold: number): (v: number | string) => boolean {
  return central > threshold ? (v) => (v as number) > threshold : (v) => (v as number) <= threshold;
}

/**
 * What the study concludes, per chip at the fullest heap: the mean pause grows with the live set,
 * collecting takes a sizeable share of the run, and how many collections that takes; on the full
 * grid, that the bigger heap pauses longer.
 */
function gcConclusions(rows: readonly Row[]): Conclusion[] {
  const chips = [...new Set(rows.map((r) => r["chip"] as string))];
  const out: Conclusion[] = [];
  for (const chip of chips) {
    const mine = rows.filter((r) => r["chip"] === chip);
    const a = mine[0]!;
    const b = mine[mine.length - 1]!;
    const full = `${(num(b, "live_target") * 100).toFixed(0)}%`;
    if (num(a, "pause_mean") > 0) {
      const growth = num(b, "pause_mean") / num(a, "pause_mean");
      out.push({ id: `pause-growth:${chip}`, text: `on the ${chip} the mean pause at a ${full} live set is ${growth > 1.5 ? "over" : "at most"} 1.5 times that with none`, value: growth, kind: "number", holds: sameSide(growth, 1.5) });
    }
    const share = num(b, "gc_share");
    out.push({ id: `gc-share:${chip}`, text: `on the ${chip} collecting takes ${share > 0.1 ? "over" : "at most"} 10% of the run at a ${full} live set`, value: share, digits: 4, kind: "number", holds: sameSide(share, 0.1) });
    out.push({ id: `collections:${chip}`, text: `collections on the ${chip} at a ${full} live set`, value: num(b, "collections"), digits: 0, kind: "number" });
  }
  if (chips.length > 1) {
    const first = (chip: string) => rows.find((r) => r["chip"] === chip && num(r, "collections") > 0);
    const x = first(chips[0]!);
    const y = first(chips[1]!);
    if (x && y) {
      const ratio = num(y, "pause_mean") / num(x, "pause_mean");
      out.push({ id: "bigger-heap-pauses", text: `the ${chips[1]}'s bigger heap pauses ${ratio > 1 ? "longer" : "no longer"} than the ${chips[0]}'s (ratio of their first mean pauses)`, value: ratio, kind: "number", holds: sameSide(ratio, 1) });
    }
  }
  return out;
}

export const gc: Study<Point> = {
  name: "gc",
  title: "GC pressure: live-set size relative to the core heap",
  question:
    `How do collections and their pauses grow as more of a core's small heap is held by live data? One core makes ${CHURN} temporary ` +
    `${TEMP}-element arrays while a live array fills a chosen share of the heap the memory map leaves (about 7 KB on the e16, more on the e1024's 64 KB cores).`,
  seed: 1,
  grid(quick) {
    const chips: ChipName[] = quick ? ["e16"] : ["e16", "e1024"];
    const fracs = quick ? [0, 0.3, 0.6, 0.9] : [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95];
    return chips.flatMap((chip) => fracs.map((live_target) => ({ chip, live_target })));
  },
  measure(point) {
    const config = { chip: point.chip, cores: [0], seed: 1 };
    // the heap does not depend on LIVE's value (same code and symbols), so size it from LIVE=0
    const probe = runProgram(FILE, { LIVE: 0, TEMP, CHURN }, config);
    const heap = probe.result.layout.heapBytes;
    const live = liveElementsFor(point.live_target * heap);
    const run = point.live_target === 0 ? probe : runProgram(FILE, { LIVE: live, TEMP, CHURN }, config);
    if (run.result.layout.heapBytes !== heap) throw new Error(`the heap changed with LIVE (${heap} -> ${run.result.layout.heapBytes} bytes)`);
    const g = run.sink.gcs;
    const gcCount = run.result.procs[0]!.gcCount;
    if (gcCount !== g.count) throw new Error(`gcCount ${gcCount} but the trace saw ${g.count} collections`);
    const total = run.result.totalCycles;
    return {
      chip: point.chip,
      heap_bytes: heap,
      live_target: point.live_target,
      live_elements: live,
      live_bytes: g.count > 0 ? run.sink.liveAfterGcMin : null,
      collections: gcCount,
      pause_cycles: g.pauseSum,
      pause_mean: g.count > 0 ? g.pauseSum / g.count : 0,
      pause_max: g.pauseMax,
      cycles: total,
      gc_share: g.pauseSum / total,
    };
  },
  derive(rows) {
    return rows.map((r) => {
      const base = rows.find((b) => b["chip"] === r["chip"] && b["live_target"] === 0);
      return { ...r, slowdown: base ? num(r, "cycles") / num(base, "cycles") : null };
    });
  },
  columns: [
    { key: "point", format: INT, doc: "grid index" },
    { key: "chip", format: TEXT, doc: "e16 (32 KB SRAM per core) or e1024 (64 KB)" },
    { key: "heap_bytes", format: INT, doc: "the core heap the memory map leaves for this program" },
    { key: "live_target", format: fixed(2), doc: "share of the heap the live array is sized to fill" },
    { key: "live_elements", format: INT, doc: "LIVE: elements of the live array" },
    { key: "live_bytes", format: INT, doc: "heap bytes still in use after the emptiest collection (the collector's measurement); empty without collections" },
    { key: "collections", format: INT, doc: "collections on the core (ProcSummary.gcCount)" },
    { key: "pause_cycles", format: INT, doc: "cycles spent collecting (sum of the trace's gc pauses)" },
    { key: "pause_mean", format: fixed(1), doc: "mean pause per collection" },
    { key: "pause_max", format: INT, doc: "longest pause" },
    { key: "cycles", format: fixed(1), doc: "simulated run time in cycles" },
    { key: "gc_share", format: fixed(4), doc: "pause_cycles / cycles" },
    { key: "slowdown", format: fixed(3), doc: "cycles / cycles with no live set (same chip)" },
  ],
  mainChart: pressureChart,
  conclusions: gcConclusions,
  plots(rows) {
    const c = pressureChart(rows);
    return [{ id: c.id, title: c.title, svg: renderChart(c.chart) }];
  },
  explain(rows) {
    const chips = [...new Set(rows.map((r) => r["chip"] as string))];
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const parts = chips.map((chip) => {
      const mine = rows.filter((r) => r["chip"] === chip);
      const a = mine[0]!;
      const b = mine[mine.length - 1]!;
      return (
        `on the ${chip} (heap ${num(a, "heap_bytes")} bytes), from no live set to ${(num(b, "live_target") * 100).toFixed(0)}% of the heap, collections rise from ` +
        `${num(a, "collections")} to ${num(b, "collections")}, the mean pause from ${num(a, "pause_mean").toFixed(0)} to ${num(b, "pause_mean").toFixed(0)} cycles and the share of the run spent collecting from ` +
        `${pct(num(a, "gc_share"))} to ${pct(num(b, "gc_share"))}`
      );
    });
    const out = [
      `Each collection marks the live array again and sweeps the whole heap, and a fuller heap leaves less room between collections: ${parts.join("; ")}. ` +
        `Collections grow at least like 1 / (free share of the heap), since each one frees only the room the live set leaves, so they climb steeply past about 80%.`,
    ];
    if (chips.length > 1) {
      const e16 = rows.filter((r) => r["chip"] === chips[0]);
      const big = rows.filter((r) => r["chip"] === chips[1]);
      const lastBig = big[big.length - 1]!;
      out.push(
        `The ${chips[1]}'s larger heap needs ${big[0]!["collections"]} collection${big[0]!["collections"] === 1 ? "" : "s"} instead of ${e16[0]!["collections"]} for the same churn with no live set, but its pauses are longer (a bigger heap to sweep); ` +
          `its run time grows more with the live-set share (x${num(lastBig, "slowdown").toFixed(2)}) mostly because building a live array of ${lastBig["live_elements"]} elements itself takes time, not because of collecting.`,
      );
    }
    return out.join(" ");
  },
};
