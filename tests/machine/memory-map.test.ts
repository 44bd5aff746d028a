import { describe, expect, it } from "vitest";
import { CHIPS } from "../../src/machine/chip.js";
import { MemoryMapError, layoutCore } from "../../src/machine/memory-map.js";

const e16 = CHIPS.e16!;

describe("layoutCore", () => {
  it("puts hello on the core", () => {
    const l = layoutCore(e16, { codeBytes: 45, symbolBytes: 96, activeCores: 16 });
    expect(l.interpreterBytes).toBe(0x6000);
    expect(l.symbolBase).toBe(0x6000);
    expect(l.codeOnCore).toBe(true);
    expect(l.codeBase).toBeGreaterThanOrEqual(0x6000 + 96);
    expect(l.postboxBase).toBeGreaterThanOrEqual(l.codeBase + 45);
    expect(l.postboxBytes).toBe(100);
    expect(l.stackBytes).toBe(1024);
    expect(l.stackBase).toBeGreaterThanOrEqual(l.postboxBase + 100);
    expect(l.heapBase).toBe(l.stackBase + 1024);
    expect(l.heapBase + l.heapBytes).toBe(32768);
    expect(l.heapBytes).toBeGreaterThan(6500);
    expect(l.sharedHeapBytes).toBe(448000);
    expect(l.sharedStackBytes).toBe(64000);
    expect(l.warnings).toEqual([]);
  });

  it("sends a 3000-byte program to shared memory with ePython's warning", () => {
    const l = layoutCore(e16, { codeBytes: 3000, symbolBytes: 576, activeCores: 16 });
    expect(l.codeOnCore).toBe(false);
    expect(l.warnings).toEqual([
      "Warning: Your code size of 3000 bytes exceeds the 2048 byte limit for placement on cores so storing in shared memory",
    ]);
    const small = layoutCore(e16, { codeBytes: 579, symbolBytes: 576, activeCores: 16 });
    expect(l.heapBytes).toBeGreaterThan(small.heapBytes); // the code does not take core memory
  });

  it("honours -codeshared, -codecore and -datashared", () => {
    const shared = layoutCore(e16, { codeBytes: 45, symbolBytes: 96, activeCores: 16, codeShared: true });
    expect(shared.codeOnCore).toBe(false);
    expect(shared.warnings).toEqual([]);
    const forced = layoutCore(e16, { codeBytes: 3000, symbolBytes: 96, activeCores: 16, codeCore: true });
    expect(forced.codeOnCore).toBe(true);
    const data = layoutCore(e16, { codeBytes: 45, symbolBytes: 96, activeCores: 16, dataShared: true });
    expect(data.stackBytes).toBe(0);
    expect(data.heapBytes).toBe(0);
  });

  it("sizes the postbox by the number of senders", () => {
    expect(layoutCore(CHIPS.e64!, { codeBytes: 45, symbolBytes: 96, activeCores: 64 }).postboxBytes).toBe(384);
    expect(layoutCore(CHIPS.e1024!, { codeBytes: 45, symbolBytes: 96, activeCores: 1024 }).postboxBytes).toBe(6144);
  });

  it("gives the 64 KB e1024 far more heap", () => {
    const p = { codeBytes: 1287, symbolBytes: 576, activeCores: 16 };
    const small = layoutCore(e16, p);
    const big = layoutCore(CHIPS.e1024!, p);
    expect(big.interpreterBytes).toBe(0x6000);
    expect(big.heapBytes - small.heapBytes).toBe(32768);
  });

  it("throws MemoryMapError when the fixed parts cannot fit", () => {
    expect(() => layoutCore(e16, { codeBytes: 45, symbolBytes: 8000, activeCores: 16 })).toThrow(MemoryMapError);
    expect(() => layoutCore(e16, { codeBytes: 45, symbolBytes: 8000, activeCores: 16 })).toThrow(/symbol table/);
    expect(() =>
      layoutCore(e16, { codeBytes: 7000, symbolBytes: 96, activeCores: 16, codeCore: true }),
    ).toThrow(MemoryMapError);
    // the same symbols fit with -datashared (no scalar stack on the core)
    const tight = layoutCore(e16, { codeBytes: 45, symbolBytes: 7000, activeCores: 16, dataShared: true });
    expect(tight.codeOnCore).toBe(true);
    expect(tight.postboxBase + tight.postboxBytes).toBeLessThanOrEqual(32768);
  });
});
