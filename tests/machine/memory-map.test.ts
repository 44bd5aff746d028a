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

  /** The sum the message gives (`= N bytes, M more than there are`), checked against its parts. */
  function account(message: string): { parts: Record<string, number>; total: number; over: number } {
    const m = /would hold (.*) = (\d+) bytes, (\d+) more than there are, and nothing would be left for the heap\./.exec(message);
    expect(m, message).not.toBeNull();
    const parts = Object.fromEntries(m![1]!.split(" + ").map((p) => [p.replace(/ \d+$/, ""), Number(/(\d+)$/.exec(p)![1])]));
    const total = Number(m![2]);
    expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(total);
    return { parts, total, over: Number(m![3]) };
  }
  const messageOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(MemoryMapError);
      return (e as Error).message;
    }
    throw new Error("no MemoryMapError");
  };

  it("an overflow names what did not fit and gives the memory map's numbers, adding up to the SRAM", () => {
    const a = messageOf(() => layoutCore(e16, { codeBytes: 6725, symbolBytes: 7096, activeCores: 16 }));
    const { parts, total, over } = account(a);
    expect(parts).toMatchObject({ interpreter: 24576, "symbol table": 7096, postbox: 100, "scalar stack": 1024 });
    expect(total - over).toBe(32768);
    expect(a).toContain("The core's 32768 bytes of SRAM (32 KB)");
    expect(a).toContain("The byte code (6725 bytes) is not in this sum");
    expect(a).toContain("-datashared");
    // with -datashared already, it is not suggested; many processes: a bigger postbox, and fewer processes help
    const b = messageOf(() => layoutCore(e16, { codeBytes: 10, symbolBytes: 9000, activeCores: 80, dataShared: true }));
    expect(account(b).parts).toMatchObject({ postbox: 480, "scalar stack": 0 });
    expect(b).not.toContain("-datashared");
    expect(b).toContain("a 6-byte slot for each of the 80");
    // byte code forced onto the core
    const c = messageOf(() => layoutCore(e16, { codeBytes: 7000, symbolBytes: 96, activeCores: 16, codeCore: true }));
    expect(account(c).parts).toMatchObject({ "byte code": 7000, "symbol table": 96 });
    expect(c).toContain("Without -codecore");
    // the e1024's 64 KB
    const d = messageOf(() => layoutCore(CHIPS.e1024!, { codeBytes: 10, symbolBytes: 41600, activeCores: 16 }));
    expect(account(d).total - account(d).over).toBe(65536);
    expect(d).toContain("(64 KB)");
  });
});
