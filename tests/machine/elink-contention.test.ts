/**
 * Byte code that reaches shared DRAM competes for the eLink: alone a core is charged the measured
 * zero-load costs; many cores at once are slowed once their demand passes what the eLink carries.
 */
import { describe, expect, it } from "vitest";
import { CHIPS } from "../../src/machine/chip.js";
import { Mesh } from "../../src/machine/mesh.js";
import { runSource } from "../helpers/run.js";

const loop = (n: number): string => `import util\ns=0\nfor i in range(0,${n}):\n\ts+=i\nprint s\n`;
/**
 * Cycles core 0 spends in a 300-iteration loop: its finish time less that of the same program
 * with an empty loop (which takes out the start-up, whose code copy also contends for the eLink).
 */
const finish = (chip: "e16" | "e64", n: number, dataShared: boolean): number => {
  const at = (iterations: number): number => {
    const r = runSource(loop(iterations), { chip, cores: Array.from({ length: n }, (_, i) => i), dataShared });
    expect(r.result.ok, r.result.error?.message).toBe(true);
    return r.result.procs[0]!.finishCycles;
  };
  return at(300) - at(0);
};

describe("eLink contention of shared-memory byte code", () => {
  it("the eLink keeps up with one core, and its traffic shows in the link load", () => {
    const m = new Mesh(CHIPS.e16!);
    expect(m.elinkTraffic(0, 10_000, 10, 10)).toBe(0);
    const kinds = m.linkLoad().map((l) => l.kind);
    expect(kinds).toEqual(["elink-tx", "elink-rx"]);
  });

  it("two demands that do not fit in the same interval: the second is late by the excess", () => {
    const m = new Mesh(CHIPS.e16!);
    const n = 300; // writes: each holds the outbound path about 9.7 cycles
    expect(m.elinkTraffic(0, 3000, 0, n)).toBe(0);
    const late = m.elinkTraffic(0, 3000, 0, n);
    expect(late).toBeGreaterThan(0);
    expect(late).toBeCloseTo(2 * n * (600e6 * 8) / (493 * 1024 * 1024) - 3000, 6);
  });

  it("-datashared on all 64 cores of an e64 runs much longer than on one; on the e16 it barely changes", () => {
    const one = finish("e64", 1, true);
    // 64 cores' variable traffic is more than the eLink carries: clearly slower (by about 30% with
    // ePython's measured interpreter costs, whose byte-code work spaces the accesses out)
    expect(finish("e64", 64, true)).toBeGreaterThan(1.2 * one);
    const e16one = finish("e16", 1, true);
    expect(finish("e16", 16, true)).toBeLessThan(1.05 * e16one);
    // data on the cores: no eLink traffic from the loop (only the host's print is shared)
    expect(finish("e64", 64, false)).toBeLessThan(1.05 * finish("e64", 1, false));
  });

  it("a sliced core still stops at a cycle limit smaller than one operation (no endless re-slicing)", () => {
    const r = runSource(loop(300), { cores: [0, 1], codeShared: true, maxCycles: 12 });
    expect(r.result.ok).toBe(false);
    // each core stops at its own limit: the report names the first, then both
    expect(r.result.error?.message).toBe("time limit of 12 cycles reached\n  device 0 (line 2) stopped at its cycle limit\n  device 1 (line 2) stopped at its cycle limit");
    expect(r.result.procs.map((p) => p.end)).toEqual(["cycle limit", "cycle limit"]);
  });
});
