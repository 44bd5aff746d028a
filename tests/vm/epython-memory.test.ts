/**
 * Memory as ePython lays it out (research report section 3, devices/epiphany/epiphany-runtime.c):
 * array elements cost 4 bytes, heap chunks carry ePython's 3- or 5-byte headers, scalar-stack
 * cells are 4 bytes. The limits below are computed from the constants, not copied from a run.
 */
import { describe, expect, it } from "vitest";
import { CORE_STACK_BYTES, SHARED_HEAP_BYTES, SHARED_STACK_BYTES, STACK_CELL_BYTES, stackCells } from "../../src/machine/memory-map.js";
import { CORE_CHUNK_HEADER_BYTES, Heap, SHARED_CHUNK_HEADER_BYTES } from "../../src/vm/heap.js";
import { arrayBytes, stringBytes } from "../../src/vm/object.js";
import { runSource } from "../helpers/run.js";

/** The largest 1-D array one core's shared heap holds: the first chunk's header stays (epiphany-runtime.c:558-559). */
const maxSharedElements = Math.floor((SHARED_HEAP_BYTES - 2 * SHARED_CHUNK_HEADER_BYTES - arrayBytes(0, 1)) / 4);

function arrayProgram(n: number): string {
  return ["from array import array", `a = array(${n})`, `a[${n - 1}] = 42`, `print a[${n - 1}] + len(a)`, ""].join("\n");
}

describe("ePython's heap footprint", () => {
  it("sizes: 1 + 4 * dims + 4 * elements for an array, length + 1 for a string, plus the chunk header", () => {
    expect(arrayBytes(10, 1)).toBe(45);
    expect(arrayBytes(6, 2)).toBe(33);
    expect(stringBytes(5)).toBe(6);
    expect([CORE_CHUNK_HEADER_BYTES, SHARED_CHUNK_HEADER_BYTES]).toEqual([3, 5]);
    const heap = new Heap(1000, 4000);
    heap.tryAlloc(heap.local, arrayBytes(10, 1));
    heap.tryAlloc(heap.shared, arrayBytes(10, 1));
    heap.tryAlloc(heap.shared, stringBytes(5));
    expect(heap.local.usedBytes).toBe(4 * 10 + 8);
    expect(heap.shared.usedBytes).toBe(4 * 10 + 10 + 6 + 5);
    expect(heap.usedBytes()).toBe(48 + 61);
  });

  it("array(110000) fits on one core of an e16, as in ePython", () => {
    expect(maxSharedElements).toBe(111_996);
    const r = runSource(arrayProgram(110_000), { cores: [0] });
    expect(r.result.error?.message).toBeUndefined();
    expect(r.lines).toEqual([`[device 0] ${42 + 110_000}`]);
  });

  it("the largest array that fits does, one element more is out of memory with the clear error", () => {
    const ok = runSource(arrayProgram(maxSharedElements), { cores: [0] });
    expect(ok.result.error?.message).toBeUndefined();
    expect(ok.lines).toEqual([`[device 0] ${42 + maxSharedElements}`]);
    const big = runSource(arrayProgram(maxSharedElements + 1), { cores: [0] });
    expect(big.result.ok).toBe(false);
    expect(big.result.error?.message).toMatch(
      new RegExp(`^out of core and shared heap memory for data \\(asked for ${arrayBytes(maxSharedElements + 1, 1)} bytes; core heap \\d+ bytes, shared heap ${SHARED_HEAP_BYTES} bytes\\)$`),
    );
  });
});

describe("ePython's scalar stack", () => {
  it("has 4-byte cells: 255 on the core and 15,999 in shared memory (the last cell of each is never used)", () => {
    expect(STACK_CELL_BYTES).toBe(4);
    const cells = stackCells({ stackBytes: CORE_STACK_BYTES, sharedStackBytes: SHARED_STACK_BYTES });
    expect(cells).toBe((CORE_STACK_BYTES / STACK_CELL_BYTES - 1) + (SHARED_STACK_BYTES / STACK_CELL_BYTES - 1));
    expect(cells).toBe(16_254);
    expect(stackCells({ stackBytes: 0, sharedStackBytes: SHARED_STACK_BYTES })).toBe(15_999);
  });

  // Each activation of f holds five cells: the temporaries ePython makes for the five expression
  // arguments (the parameters alias them and take none). Reaching n activations takes 5n cells.
  const rec5 = (calls: number) =>
    ["def f(a, b, c, d, e):", "  if a > 1:", "    f(a-1, b+1, c-1, d+1, e-1)", `f(${calls}, 1, 2, 3, 4)`, 'print "done"', ""].join("\n");
  const maxDepth = Math.floor(stackCells({ stackBytes: CORE_STACK_BYTES, sharedStackBytes: SHARED_STACK_BYTES }) / 5);

  it("a 5-parameter recursion reaches ePython's depth, and one level more runs out of stack", () => {
    expect(maxDepth).toBe(3250);
    const ok = runSource(rec5(maxDepth), { cores: [0] });
    expect(ok.result.error?.message).toBeUndefined();
    expect(ok.lines).toEqual(["[device 0] done"]);
    const deeper = runSource(rec5(maxDepth + 1), { cores: [0] });
    expect(deeper.result.error?.message).toBe(`out of core and shared stack memory for data (recursion ${maxDepth + 1} calls deep)`);
  });

  it("a list literal of thousands of items keeps every item, at the top level and in a function (temporaries are not the scalar stack)", () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => i).join(",");
    const src = `a=[${items(3000)}]\nprint a[2999]\ndef f():\n  b=[${items(5000)}]\n  return b[4999] + b[0]\nprint f()\n`;
    const r = runSource(src, { cores: [0] });
    expect(r.result.error?.message).toBeUndefined();
    expect(r.lines).toEqual(["[device 0] 2999", "[device 0] 4999"]);
  });
});
