import { describe, expect, it } from "vitest";
import { calibrate, calibrationTargets, formatCalibration } from "../../src/machine/calibrate.js";

function within(model: number, target: number, frac: number): void {
  expect(Math.abs(model - target) / target).toBeLessThanOrEqual(frac);
}

describe("calibration against epiphany-facts.md (E16)", () => {
  const r = calibrate("e16");
  const tg = calibrationTargets("e16");

  it("remote reads are 18 + 3 * hops within 10%", () => {
    expect(r.remote_read_cycles).toHaveLength(6);
    r.remote_read_cycles.forEach((v, i) => within(v, 18 + 3 * (i + 1), 0.1));
  });

  it("ping-pong matches 14.5 / 15.9 / 17.2 / (18.7) / (20.2) / 21.7 within 10%", () => {
    const want = [14.5, 15.9, 17.2, 18.7, 20.2, 21.7];
    expect(r.pingpong_cycles).toHaveLength(6);
    r.pingpong_cycles.forEach((v, i) => within(v, want[i]!, 0.1));
    // and it grows with distance
    for (let i = 1; i < 6; i++) expect(r.pingpong_cycles[i]).toBeGreaterThan(r.pingpong_cycles[i - 1]!);
  });

  it("shared DRAM: ~546 cycles per read, ~16 per write", () => {
    within(r.shared_read_cycles_per_word, 546, 0.1);
    within(r.shared_write_cycles_per_word, 16, 0.1);
  });

  it("DMA: ~2.3 bytes/cycle, 4 KB in ~2075 cycles, ~2647 with three competing streams", () => {
    within(r.dma_bytes_per_cycle, 2.3, 0.1);
    within(r.dma_4k_cycles, 2075, 0.1);
    within(r.dma_4k_contended_cycles, 2647, 0.1);
    expect(r.dma_4k_contended_cycles).toBeGreaterThan(r.dma_4k_cycles);
  });

  it("formats a table with every figure and its difference", () => {
    const s = formatCalibration(r);
    expect(s).toContain("remote read, 6 hops");
    expect(s).toContain("ping-pong (one way), 3 hops");
    expect(s).toMatch(/shared DRAM read.*546/);
    expect(s.split("\n").length).toBeGreaterThan(18);
    expect(tg.pingpong_cycles[3]).toBeCloseTo(18.7, 5);
  });

  it("is deterministic and runs on every preset", () => {
    expect(calibrate("e16")).toEqual(r);
    const big = calibrate("e1024");
    expect(big.chip).toBe("e1024");
    expect(big.remote_read_cycles[0]).toBeLessThan(r.remote_read_cycles[0]!); // 1 cycle/hop
    expect(big.shared_read_cycles_per_word).toBeGreaterThan(r.shared_read_cycles_per_word); // 1 GHz clock
    expect(() => calibrate("e2")).toThrow(/unknown chip/);
  });
});
