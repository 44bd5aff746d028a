/**
 * The barrier algorithms (src/runtime/barrier.ts), driven directly with real Proc objects (the
 * algorithms read only barrierEntry, isHost and core; the VM is never touched). Every row of
 * BARRIERS is tested, so a new algorithm is covered as it is added.
 */
import { describe, expect, it } from "vitest";
import type { BarrierAlgorithm } from "../../src/config/names.js";
import { CHIPS, type ChipSpec } from "../../src/machine/chip.js";
import { Mesh } from "../../src/machine/mesh.js";
import { Prng } from "../../src/machine/prng.js";
import { BARRIERS, Barrier } from "../../src/runtime/barrier.js";
import { Proc } from "../../src/runtime/process.js";
import type { Vm } from "../../src/vm/vm.js";

const ALGORITHMS = Object.keys(BARRIERS) as BarrierAlgorithm[];

/** Processes on `cores` (-1: a host virtual core), indexed 0.. in that order. */
function procs(cores: readonly number[]): Proc[] {
  const noVm = null as unknown as Vm; // never used by the barrier
  return cores.map((c, i) => new Proc(i, i, c, c < 0, c < 0 ? `host ${i}` : `device ${c}`, noVm, new Prng(i + 1)));
}

function machine(spec: ChipSpec = CHIPS.e16): { spec: ChipSpec; mesh: Mesh } {
  return { spec, mesh: new Mesh(spec) };
}

/** Small deterministic generator for entry times. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Layout {
  name: string;
  spec: ChipSpec;
  cores: number[];
}

const LAYOUTS: Layout[] = [
  { name: "one core", spec: CHIPS.e16, cores: [3] },
  { name: "two neighbours", spec: CHIPS.e16, cores: [0, 1] },
  { name: "all 16 of e16", spec: CHIPS.e16, cores: Array.from({ length: 16 }, (_, i) => i) },
  { name: "spread, not from 0", spec: CHIPS.e16, cores: [2, 7, 8, 13, 15] },
  { name: "devices and host virtual cores", spec: CHIPS.e16, cores: [0, 5, 10, -1, -1] },
  { name: "host first", spec: CHIPS.e16, cores: [-1, 4, 9] },
  { name: "host only", spec: CHIPS.e16, cores: [-1, -1, -1] },
  { name: "e64 corners", spec: CHIPS.e64, cores: [0, 7, 56, 63, 27] },
];

/** Entry-time patterns for n processes. */
function entryPatterns(n: number): { name: string; times: number[] }[] {
  const rnd = lcg(n * 7919 + 1);
  return [
    { name: "together", times: Array(n).fill(500) },
    { name: "ascending", times: Array.from({ length: n }, (_, i) => 100 + 37 * i) },
    { name: "descending (root last)", times: Array.from({ length: n }, (_, i) => 100 + 37 * (n - i)) },
    { name: "root much later", times: Array.from({ length: n }, (_, i) => (i === 0 ? 1e5 : 10 * i)) },
    { name: "one straggler", times: Array.from({ length: n }, (_, i) => (i === n - 1 ? 9e4 + 0.5 : 1000 + i)) },
    { name: "random", times: Array.from({ length: n }, () => Math.floor(rnd() * 1e5) / 4) },
  ];
}

describe("barrier algorithms", () => {
  it("covers every algorithm name", () => {
    expect(ALGORITHMS).toEqual(expect.arrayContaining(["epython", "wand"]));
  });

  for (const alg of ALGORITHMS) {
    describe(alg, () => {
      for (const layout of LAYOUTS) {
        it(`${layout.name}: each process released once, none before the last arrival`, () => {
          for (const { name, times } of entryPatterns(layout.cores.length)) {
            const parts = procs(layout.cores);
            parts.forEach((p, i) => (p.barrierEntry = times[i]!));
            const released = new Map<Proc, number[]>();
            BARRIERS[alg](parts, machine(layout.spec), (p, t) => {
              released.set(p, [...(released.get(p) ?? []), t]);
            });
            const last = Math.max(...times);
            expect(released.size, `${alg} ${name}`).toBe(parts.length);
            for (const p of parts) {
              const ts = released.get(p)!;
              expect(ts, `${alg} ${layout.name} ${name}: process ${p.idx} released ${ts?.length ?? 0} times`).toHaveLength(1);
              expect(Number.isFinite(ts[0]!)).toBe(true);
              expect(ts[0]!, `${alg} ${layout.name} ${name}: process ${p.idx} released before the last arrival`).toBeGreaterThanOrEqual(last);
              expect(ts[0]!).toBeGreaterThanOrEqual(p.barrierEntry);
            }
            // the algorithm reads the entry times, it does not change them
            parts.forEach((p, i) => expect(p.barrierEntry).toBe(times[i]));
          }
        });
      }

      it("a later last arrival never releases anyone earlier", () => {
        const release = (last: number): number[] => {
          const parts = procs([0, 3, 6, 9, 12]);
          parts.forEach((p, i) => (p.barrierEntry = i === 2 ? last : 100 * i));
          const out: number[] = [];
          BARRIERS[alg](parts, machine(), (p, t) => (out[p.idx] = t));
          return out;
        };
        const early = release(1000);
        const late = release(5000);
        for (let i = 0; i < 5; i++) {
          expect(late[i]!).toBeGreaterThanOrEqual(early[i]!);
          expect(late[i]!).toBeGreaterThanOrEqual(5000);
        }
      });
    });
  }

  it("wand releases everyone together, a fixed time after the last arrival", () => {
    const parts = procs([0, 5, 15, -1]);
    [10, 400, 30, 20].forEach((t, i) => (parts[i]!.barrierEntry = t));
    const out: number[] = [];
    BARRIERS.wand(parts, machine(), (p, t) => (out[p.idx] = t));
    expect(new Set(out).size).toBe(1);
    expect(out[0]).toBeGreaterThan(400);
  });

  it("epython releases the others in id order, the root last of all", () => {
    const parts = procs([1, 2, 6, 11, 14]);
    parts.forEach((p) => (p.barrierEntry = 100));
    const order: number[] = [];
    BARRIERS.epython(parts, machine(), (p) => order.push(p.idx));
    expect(order).toEqual([1, 2, 3, 4, 0]);
  });
});

describe("Barrier", () => {
  for (const alg of ALGORITHMS) {
    it(`${alg}: triggers only on the last arrival and resets for the next round`, () => {
      const parts = procs([0, 2, 9, -1, 15]);
      const releases: { round: number; idx: number; t: number }[] = [];
      let round = 0;
      const b = new Barrier(alg, parts, machine(), (p, t) => releases.push({ round, idx: p.idx, t }));
      const arrivals = [
        [400, 100, 300, 250, 50],
        [900, 1200, 1100, 5000, 1000],
        [6000, 6000, 6000, 6000, 6000],
      ];
      // arrival order differs from process order (and from time order)
      const arrivalOrder = [
        [4, 1, 3, 2, 0],
        [0, 4, 2, 1, 3],
        [2, 0, 1, 4, 3],
      ];
      for (round = 0; round < arrivals.length; round++) {
        const order = arrivalOrder[round]!;
        for (let i = 0; i < order.length; i++) {
          const p = parts[order[i]!]!;
          b.enter(p, arrivals[round]![p.idx]!);
          expect(p.barrierEntry).toBe(arrivals[round]![p.idx]);
          const thisRound = releases.filter((r) => r.round === round);
          expect(thisRound, `round ${round}: released after ${i + 1} of ${parts.length} arrivals`).toHaveLength(i === order.length - 1 ? parts.length : 0);
        }
        const thisRound = releases.filter((r) => r.round === round);
        expect(new Set(thisRound.map((r) => r.idx)).size).toBe(parts.length);
        const last = Math.max(...arrivals[round]!);
        for (const r of thisRound) expect(r.t).toBeGreaterThanOrEqual(last);
      }
      expect(releases).toHaveLength(parts.length * arrivals.length);
    });
  }

  it("a barrier of one releases at every entry", () => {
    for (const alg of ALGORITHMS) {
      const parts = procs([7]);
      const ts: number[] = [];
      const b = new Barrier(alg, parts, machine(), (_p, t) => ts.push(t));
      b.enter(parts[0]!, 10);
      b.enter(parts[0]!, 20);
      expect(ts).toHaveLength(2);
      expect(ts[0]!).toBeGreaterThanOrEqual(10);
      expect(ts[1]!).toBeGreaterThanOrEqual(20);
    }
  });
});
