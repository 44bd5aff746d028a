import { describe, expect, it } from "vitest";
import { Prng } from "../../src/machine/prng.js";

function take(p: Prng, n: number): number[] {
  return Array.from({ length: n }, () => p.nextU32());
}

describe("Prng", () => {
  it("is deterministic for a seed and stream", () => {
    expect(take(Prng.forStream(42, 3), 100)).toEqual(take(Prng.forStream(42, 3), 100));
    expect(take(new Prng(7), 10)).toEqual(take(Prng.forStream(7, 0), 10));
  });

  it("gives different sequences for different seeds and streams", () => {
    const a = take(Prng.forStream(42, 0), 64);
    const b = take(Prng.forStream(42, 1), 64);
    const c = take(Prng.forStream(43, 0), 64);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
    // streams share no early values
    const sa = new Set(a);
    expect(b.filter((x) => sa.has(x)).length).toBe(0);
  });

  it("streams are uncorrelated", () => {
    const n = 20000;
    const p = Prng.forStream(1, 0);
    const q = Prng.forStream(1, 1);
    let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
    for (let i = 0; i < n; i++) {
      const x = p.nextFloat();
      const y = q.nextFloat();
      sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
    }
    const cov = sxy / n - (sx / n) * (sy / n);
    const r = cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    expect(Math.abs(r)).toBeLessThan(0.03);
    expect(Math.abs(sx / n - 0.5)).toBeLessThan(0.01);
  });

  it("keeps values in range", () => {
    const p = Prng.forStream(9, 9);
    let maxInt = 0;
    for (let i = 0; i < 10000; i++) {
      const u = p.nextU32();
      expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).toBe(true);
      const k = p.nextInt31();
      expect(k >= 0 && k <= 0x7fffffff && Number.isInteger(k)).toBe(true);
      if (k > maxInt) maxInt = k;
      const f = p.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const b = p.nextBelow(6);
      expect(b >= 0 && b < 6 && Number.isInteger(b)).toBe(true);
    }
    expect(maxInt).toBeGreaterThan(2 ** 30); // uses the high bit range too
  });

  it("nextBelow is roughly uniform", () => {
    const p = Prng.forStream(3, 0);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 50000; i++) counts[p.nextBelow(10)]++;
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(300);
  });
});
