/**
 * The explorer's data without a browser: the view model's bytes (src/trace/view-model.ts) decoded
 * by the page's own decoder (viz/view-data.js, run here as the page runs it) give back the
 * trace's intervals and messages; the time per state it computes for any span is the brute-force
 * overlap of the intervals; splitting a lane's columns into pixels keeps each state's total.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NullSink, playInto, readTrace, type Trace } from "../../src/trace/index.js";
import { describeRunError, VIEW_TIME_SCALE } from "../../src/trace/view-model.js";
import { viewModelOf } from "../../src/pipeline/view-model-of.js";
import { ROOT } from "../helpers/cli.js";

interface Lane {
  k: number;
  t: Float64Array;
  st: Uint8Array;
  ln: Uint32Array;
}
interface EpyViewApi {
  STATES: number;
  NONE: number;
  decodeView(meta: unknown, bytes: Uint8Array): { lanes: Lane[]; msgs: Record<string, Float64Array> & { length: number }; heap: { length: number }; intervals: number };
  accumulate(lane: Lane, t0: number, t1: number, cols: number, acc: Float64Array): number;
  laneTotals(lane: Lane, a: number, b: number): Float64Array;
  intervalAt(lane: Lane, x: number): number;
  splitColumn(acc: Float64Array, c: number, w: number, h: number, err: Float64Array, counts: Int32Array): void;
  base64ToBytes(s: string): Uint8Array;
}

/** viz/view-data.js as the page loads it: a plain script that sets EpyView on its global object. */
function loadViewData(): EpyViewApi {
  const g: { EpyView?: EpyViewApi } = {};
  new Function("window", readFileSync(join(ROOT, "viz", "view-data.js"), "utf8"))(g);
  return g.EpyView!;
}

function modelOf(trace: Trace) {
  return viewModelOf(trace);
}

/** Every core's state changes, straight from the trace's events. */
function stateChanges(trace: Trace, nprocs: number): { time: number; state: number; line: number }[][] {
  const out = Array.from({ length: nprocs }, () => [] as { time: number; state: number; line: number }[]);
  playInto(trace, Object.assign(new NullSink(), { coreState: (time: number, proc: number, state: number, line: number) => out[proc]!.push({ time, state, line }) }));
  return out;
}

const E = loadViewData();
const q = (t: number): number => Math.round(t * VIEW_TIME_SCALE) / VIEW_TIME_SCALE;

describe("view data (viz/view-data.js over the view model)", () => {
  const trace = readTrace(new Uint8Array(readFileSync(join(ROOT, "traces", "collectives-d16.trace"))));
  const model = modelOf(trace);
  const meta = JSON.parse(JSON.stringify({ ...model, data: undefined }));
  const v = E.decodeView(meta, model.data);

  it("gives back every core's state intervals (times to 1/16 cycle), states and lines", () => {
    const changes = stateChanges(trace, model.procs.length);
    for (let p = 0; p < model.procs.length; p++) {
      const lane = v.lanes[p]!;
      const ch = changes[p]!;
      // the intervals run from each change to the next; the last to the run's end unless it is "done"
      const expected = ch.slice(0, -1).map((c, i) => ({ s: q(c.time), e: q(ch[i + 1]!.time), st: c.state, ln: c.line }));
      const lastChange = ch[ch.length - 1]!;
      if (lastChange.state !== 5 && lastChange.time < model.totalCycles) expected.push({ s: q(lastChange.time), e: q(model.totalCycles), st: lastChange.state, ln: lastChange.line });
      expect(lane.k, `lane ${p}`).toBe(expected.length);
      for (let i = 0; i < lane.k; i++) {
        expect([lane.t[i], lane.t[i + 1], lane.st[i], lane.ln[i]], `lane ${p} interval ${i}`).toEqual([expected[i]!.s, expected[i]!.e, expected[i]!.st, expected[i]!.ln]);
      }
    }
  });

  it("gives back every message, in send order", () => {
    const sent: number[][] = [];
    playInto(trace, Object.assign(new NullSink(), { message: (s: number, a: number, src: number, dst: number, hops: number, bytes: number) => sent.push([q(s), q(a), src, dst, hops, bytes]) }));
    sent.sort((x, y) => x[0]! - y[0]!);
    expect(v.msgs.length).toBe(sent.length);
    const got = Array.from({ length: v.msgs.length }, (_, i) => ["send", "arrive", "src", "dst", "hops", "bytes"].map((c) => v.msgs[c]![i]!));
    expect(got).toEqual(sent);
  });

  it("computes each state's time in any span as the intervals' overlap with it", () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 200; trial++) {
      const p = Math.floor(rnd() * model.procs.length);
      const lane = v.lanes[p]!;
      const a = rnd() * model.totalCycles * 1.05 - model.totalCycles * 0.02;
      const b = a + rnd() ** 3 * model.totalCycles;
      const cols = 1 + Math.floor(rnd() * 300);
      const acc = new Float64Array(cols * E.STATES);
      E.accumulate(lane, a, b, cols, acc);
      const w = (b - a) / cols;
      const brute = new Float64Array(cols * E.STATES);
      for (let i = 0; i < lane.k; i++) {
        for (let c = 0; c < cols; c++) {
          const lo = Math.max(lane.t[i]!, a + c * w);
          const hi = Math.min(lane.t[i + 1]!, c === cols - 1 ? b : a + (c + 1) * w);
          if (hi > lo) brute[c * E.STATES + lane.st[i]!] += hi - lo;
        }
      }
      for (let j = 0; j < acc.length; j++) expect(Math.abs(acc[j]! - brute[j]!), `trial ${trial} lane ${p} [${a}, ${b}) ${cols} columns, cell ${j}`).toBeLessThan(1e-6 * (b - a) + 1e-6);
    }
  });

  it("uses the block sums of a long lane, with the same result", () => {
    // a lane of 10,000 alternating states: whole blocks of 16, 256 and 4,096 fall within a column
    const k = 10_000;
    const t = new Float64Array(k + 1);
    for (let i = 0; i <= k; i++) t[i] = i * 10 + (i % 3);
    const st = new Uint8Array(k).map((_, i) => (i % 5 === 0 ? 4 : i % 2));
    const lane = { k, t, st, ln: new Uint32Array(k), sums: null as unknown };
    lane.sums = (E as unknown as { blockSums(l: unknown): unknown }).blockSums(lane);
    for (const cols of [1, 3, 7, 50, 999]) {
      const acc = new Float64Array(cols * E.STATES);
      const steps = E.accumulate(lane as unknown as Lane, 0, t[k]!, cols, acc);
      if (cols <= 7) expect(steps).toBeLessThan(k / 4);
      const w = t[k]! / cols;
      for (let c = 0; c < cols; c++) {
        const brute = new Float64Array(E.STATES);
        for (let i = 0; i < k; i++) {
          const lo = Math.max(t[i]!, c * w);
          const hi = Math.min(t[i + 1]!, (c + 1) * w);
          if (hi > lo) brute[st[i]!] += hi - lo;
        }
        for (let s = 0; s < E.STATES; s++) expect(acc[c * E.STATES + s]).toBeCloseTo(brute[s]!, 6);
      }
    }
  });

  it("splits columns into pixels so that each state's pixels add up to its time", () => {
    const cols = 1000;
    for (const h of [1, 2, 3, 16]) {
      const acc = new Float64Array(cols * E.STATES);
      const w = 100;
      // a state at 0.3% of every column, one at 30%, one in bursts, and some time with no state
      for (let c = 0; c < cols; c++) {
        acc[c * E.STATES + 0] = 0.3;
        acc[c * E.STATES + 4] = 30;
        acc[c * E.STATES + 1] = c % 50 < 5 ? 60 : 0;
        acc[c * E.STATES + 7] = 69.7 - acc[c * E.STATES + 1]! - (c % 10 === 0 ? 20 : 0);
      }
      const err = new Float64Array(E.STATES + 1);
      const counts = new Int32Array(E.STATES + 1);
      const total = new Float64Array(E.STATES + 1);
      for (let c = 0; c < cols; c++) {
        E.splitColumn(acc, c, w, h, err, counts);
        let sum = 0;
        for (let s = 0; s <= E.STATES; s++) {
          total[s] += counts[s]!;
          sum += counts[s]!;
        }
        expect(sum).toBe(h);
      }
      for (let s = 0; s < E.STATES; s++) {
        let time = 0;
        for (let c = 0; c < cols; c++) time += acc[c * E.STATES + s]!;
        expect(Math.abs(total[s]! - (time / w) * h), `h ${h} state ${s}`).toBeLessThanOrEqual(1.01);
      }
    }
  });

  it("is far smaller than the trace", () => {
    expect(model.data.length).toBeLessThan(readFileSync(join(ROOT, "traces", "collectives-d16.trace")).length);
    expect(E.base64ToBytes(Buffer.from(model.data).toString("base64"))).toEqual(model.data);
  });
});

describe("a failed run's error as the CLI prints it", () => {
  const sources = [{ name: "p.py", text: "a=1\nb = c + 1  \n" }];
  it("a deadlock, a line per core", () => {
    expect(describeRunError({ kind: "deadlock", message: "deadlock: every remaining core is waiting\n  device 0 (line 3) waits\n  device 1 (line 5) waits", proc: 0, label: "device 0", file: "p.py", line: 3, time: 10 }, sources, 1234.6)).toBe(
      "Deadlock after 1235 cycles: every remaining core is waiting\n  device 0 (line 3) waits\n  device 1 (line 5) waits",
    );
  });
  it("an error or a limit, with its source line, then the cores' lines", () => {
    expect(describeRunError({ kind: "runtime", message: "name c is not defined", proc: 1, label: "device 1", file: "p.py", line: 2, time: 5 }, sources, 9)).toBe(
      "Error on device 1 at p.py:2: name c is not defined\n  2 | b = c + 1",
    );
    expect(describeRunError({ kind: "limit", message: "step limit\n  device 0 (line 1) stopped", proc: 0, label: "device 0", file: "p.py", line: 1, time: 5 }, sources, 9)).toBe(
      "Stopped on device 0 at p.py:1: step limit\n  1 | a=1\n  device 0 (line 1) stopped",
    );
  });
});
