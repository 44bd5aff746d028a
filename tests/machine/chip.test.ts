import { describe, expect, it } from "vitest";
import {
  CHIPS,
  chipSpec,
  coreCol,
  coreRow,
  fromReferenceCycles,
  globalAddress,
  hardwareCoreId,
  hops,
} from "../../src/machine/chip.js";

describe("chip presets", () => {
  it("has the three presets with the facts' numbers", () => {
    const e16 = chipSpec("e16")!;
    expect([e16.rows, e16.cols, e16.cores, e16.clockHz, e16.sramBytes, e16.hopCycles]).toEqual([
      4, 4, 16, 600e6, 32768, 1.5,
    ]);
    const e64 = chipSpec("e64")!;
    expect([e64.rows, e64.cols, e64.clockHz, e64.sramBytes, e64.hopCycles]).toEqual([8, 8, 800e6, 32768, 1]);
    const e1024 = chipSpec("e1024")!;
    expect([e1024.rows, e1024.cols, e1024.cores, e1024.clockHz, e1024.sramBytes]).toEqual([
      32, 32, 1024, 1e9, 65536,
    ]);
    expect(chipSpec("e32")).toBeUndefined();
    expect(chipSpec("toString")).toBeUndefined();
    expect(Object.keys(CHIPS).sort()).toEqual(["e1024", "e16", "e64"]);
  });

  it("numbers cores like the Parallella", () => {
    const e16 = CHIPS.e16!;
    expect(hardwareCoreId(e16, 0)).toBe(0x808);
    expect([coreRow(e16, 5), coreCol(e16, 5)]).toEqual([1, 1]);
    expect(hardwareCoreId(e16, 5)).toBe(0x849);
    expect(hardwareCoreId(e16, 15)).toBe((35 << 6) | 11);
    expect(globalAddress(e16, 0, 0)).toBe(0x80800000);
    expect(globalAddress(e16, 5, 0x6000)).toBe(0x84906000);
    // e1024's ids still fit 6-bit fields and are all distinct
    const e1024 = CHIPS.e1024!;
    const ids = new Set<number>();
    for (let k = 0; k < e1024.cores; k++) ids.add(hardwareCoreId(e1024, k));
    expect(ids.size).toBe(1024);
    expect(Math.max(...ids)).toBeLessThan(4096);
  });

  it("counts X/Y hops as Manhattan distance", () => {
    const e16 = CHIPS.e16!;
    expect(hops(e16, 0, 0)).toBe(0);
    expect(hops(e16, 0, 1)).toBe(1);
    expect(hops(e16, 0, 4)).toBe(1);
    expect(hops(e16, 0, 5)).toBe(2);
    expect(hops(e16, 0, 15)).toBe(6);
    expect(hops(e16, 3, 12)).toBe(6);
    expect(hops(e16, 12, 3)).toBe(6);
    expect(hops(CHIPS.e1024!, 0, 1023)).toBe(62);
  });

  it("scales reference-clock cycles by the clock", () => {
    expect(fromReferenceCycles(CHIPS.e16!, 600)).toBe(600);
    expect(fromReferenceCycles(CHIPS.e64!, 600)).toBe(800);
    expect(fromReferenceCycles(CHIPS.e1024!, 600)).toBe(1000);
  });
});
