/**
 * Garbage collection: random programs allocate, drop, nest and keep arrays and strings under a
 * small heap. The collector never frees a reachable value (everything read back is intact), memory
 * returns to the baseline once everything is dropped, and a live set larger than the heap ends in
 * the out-of-memory error, never in a crash or a corrupted value.
 *
 * WHITE-BOX: the first and third properties drive a single Vm from src/vm directly, so the heap can
 * be made tiny (the simulator sizes heaps from the memory map) and its bytes in use and chunk list
 * can be inspected at chosen points. The last property goes through the public simulate().
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileProgram } from "../src/index.js";
import { Tag } from "../src/vm/values.js";
import { Req, Status, Vm, type VmCosts } from "../src/vm/vm.js";
import { params } from "./config.js";
import { arenaProblems } from "./heap-check.js";
import { describeRun, linesOf, resolver, runProgram } from "./harness.js";

// --- a one-core driver for the VM ----------------------------------------------------------------

interface VmRun {
  out: string[];
  status: number;
  error: string;
  /** heap bytes in use when each line was printed, by line index */
  usedAt: number[];
  /** chunk-list problems found whenever a line was printed */
  heapProblems: string[];
  collections: number;
}

function runVm(source: string, heapBytes: number, sharedHeapBytes: number, stepLimit = 5_000_000): VmRun {
  const { image } = compileProgram(source, "gc.py", resolver);
  // cycle costs do not matter here: one cycle for everything
  const costs: VmCosts = {
    opCycles: new Array<number>(256).fill(1),
    sharedReadCycles: 1,
    sharedWriteCycles: 1,
    codeFetchCycles: 0,
    allocCycles: 1,
    gcCyclesPerWord: 1,
    callPerArgCycles: 1, valueArgCycles: 0, symbolScanCycles: 0, callScanCycles: 0, returnScanCycles: 0, comparisonValueCycles: 0, aliasReadCycles: 0,
    elementWriteCycles: 1,
    listGrowCyclesPerElement: 1,
    arrayCopyCyclesPerElement: 1,
    dram: { alloc: 0, sharedAlloc: 0, sharedAllocStores: 0, free: 0, collect: 0, newCell: 0, frameRelease: 0 },
    variableReadCycles: 0,
    variableWriteCycles: 0,
  };
  const vm = new Vm(image, { coreId: 0, numCores: 1, isHost: false, heapBytes, sharedHeapBytes, stackCells: 4096 }, costs);
  const run: VmRun = { out: [], status: 0, error: "", usedAt: [], heapProblems: [], collections: 0 };
  for (;;) {
    const st = vm.run(Infinity, stepLimit);
    if (st === Status.Done || st === Status.Error || st === Status.Budget) {
      run.status = st;
      run.error = st === Status.Budget ? "step limit" : vm.error;
      break;
    }
    switch (vm.req) {
      case Req.Print:
        run.out.push(vm.reqText ?? "");
        run.usedAt.push(vm.heap.usedBytes());
        run.heapProblems.push(...arenaProblems(vm.heap.local, "core heap"), ...arenaProblems(vm.heap.shared, "shared heap"));
        break;
      case Req.Host: // string concatenation or maths: the VM already holds the result
        break;
      case Req.Sync:
        vm.push(Tag.None, 0);
        break;
      default:
        throw new Error(`the GC driver does not serve request ${vm.req}`);
    }
  }
  run.collections = vm.heap.collections;
  return run;
}

// --- the model of a random allocating program ----------------------------------------------------

type Val = { t: "int"; v: number } | { t: "ref"; id: number };
type Obj = { kind: "arr"; elems: Val[]; extensible: boolean } | { kind: "str"; text: string };

type Op =
  | { k: "list" | "array"; v: number; n: number; a: number; b: number }
  | { k: "str"; v: number; seed: number }
  | { k: "concat"; v: number; x: number; y: number }
  | { k: "pair"; v: number; x: number; y: number }
  | { k: "set"; v: number; idx: number; x: number }
  | { k: "grow"; v: number; extra: number }
  | { k: "drop"; v: number }
  | { k: "check"; v: number }
  | { k: "churn"; n: number; size: number }
  | { k: "gc" }
  /** vK = keep2(vX, vY, n): a function that churns before returning [x, y] (its frame is a root) */
  | { k: "call"; v: number; x: number; y: number; n: number }
  /** for e in vK: (optionally drop vK, so only the loop holds the array) churn, print e */
  | { k: "iter"; v: number; drop: boolean; n: number };

const NVARS = 6;
const MAX_STRING = 600;

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constantFrom("list" as const, "array" as const), v: fc.nat(NVARS - 1), n: fc.integer({ min: 0, max: 40 }), a: fc.integer({ min: -50, max: 50 }), b: fc.integer({ min: -1000, max: 1000 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("str" as const), v: fc.nat(NVARS - 1), seed: fc.integer({ min: -99999, max: 99999 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("concat" as const), v: fc.nat(NVARS - 1), x: fc.nat(NVARS - 1), y: fc.nat(NVARS - 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("pair" as const), v: fc.nat(NVARS - 1), x: fc.nat(NVARS - 1), y: fc.nat(NVARS - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("set" as const), v: fc.nat(NVARS - 1), idx: fc.nat(5), x: fc.nat(NVARS - 1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("grow" as const), v: fc.nat(NVARS - 1), extra: fc.nat(6) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("drop" as const), v: fc.nat(NVARS - 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("check" as const), v: fc.nat(NVARS - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("churn" as const), n: fc.integer({ min: 1, max: 60 }), size: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.constant({ k: "gc" as const }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("call" as const), v: fc.nat(NVARS - 1), x: fc.nat(NVARS - 1), y: fc.nat(NVARS - 1), n: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("iter" as const), v: fc.nat(NVARS - 1), drop: fc.boolean(), n: fc.integer({ min: 0, max: 10 }) }) },
);

/** How print shows a value (ints, strings raw, arrays to depth 3 and 100 elements). */
function render(objs: Obj[], v: Val, depth = 0): string {
  if (v.t === "int") return String(v.v);
  const o = objs[v.id]!;
  if (o.kind === "str") return o.text;
  if (depth > 3) return "[...]";
  const parts = o.elems.slice(0, 100).map((e) => render(objs, e, depth + 1));
  if (o.elems.length > 100) parts.push("...");
  return `[${parts.join(", ")}]`;
}

// a heap chunk in ePython's bytes (src/vm/heap.ts, object.ts): chunk header h (3 core, 5 shared) + payload
const arrBytes = (n: number, h: number) => h + 1 + 4 + 4 * n;
const strBytes = (len: number, h: number) => h + len + 1;
// the same in 4-byte words, rounded up, for the shared heap (the larger header): sizes heaps
const arrWords = (n: number) => Math.ceil(arrBytes(n, 5) / 4);
const strWords = (len: number) => Math.ceil(strBytes(len, 5) / 4);

interface Built {
  src: string;
  want: string[];
  /** words of every value the program keeps (an upper bound of its live set) and the largest */
  keptWords: number;
  largest: number;
  objects: number;
}

function build(ops: Op[]): Built {
  const objs: Obj[] = [];
  const vars: Val[] = Array.from({ length: NVARS }, () => ({ t: "int", v: 0 }));
  const lines = [
    "from memory import gc",
    "from array import array",
    "def keep2(x, y, n):",
    "\tt2=0",
    "\tj2=0",
    "\twhile j2<n:",
    "\t\tt2=[j2]*20",
    "\t\tj2+=1",
    "\treturn [x, y]",
    ...vars.map((_, i) => `v${i}=0`),
    "j=0",
    "t=0",
    "e=0",
    "gc()",
    'print "base"',
  ];
  const want = ["base"];
  let keptWords = 0;
  let largest = 0;
  const alloc = (o: Obj, words: number): Val => {
    objs.push(o);
    keptWords += words;
    largest = Math.max(largest, words);
    return { t: "ref", id: objs.length - 1 };
  };
  const arrOf = (v: Val) => (v.t === "ref" && objs[v.id]!.kind === "arr" ? (objs[v.id] as Extract<Obj, { kind: "arr" }>) : null);
  for (const op of ops) {
    switch (op.k) {
      case "list":
      case "array": {
        lines.push(op.k === "list" ? `v${op.v}=[0]*${op.n}` : `v${op.v}=array(${op.n})`, "j=0", `while j<${op.n}:`, `\tv${op.v}[j]=j*${op.a}+${op.b}`, "\tj+=1");
        const elems: Val[] = Array.from({ length: op.n }, (_, j) => ({ t: "int", v: (j * op.a + op.b) | 0 }));
        vars[op.v] = alloc({ kind: "arr", elems, extensible: op.k === "list" }, arrWords(op.n));
        break;
      }
      case "str": {
        lines.push(`v${op.v}="s"+${op.seed < 0 ? `(0${op.seed})` : op.seed}+"x"`);
        const text = `s${op.seed}x`;
        keptWords += strWords(text.length - 1); // the intermediate "s<seed>"
        vars[op.v] = alloc({ kind: "str", text }, strWords(text.length));
        break;
      }
      case "concat": {
        const text = render(objs, vars[op.x]!) + render(objs, vars[op.y]!);
        if (text.length > MAX_STRING) break;
        lines.push(`v${op.v}=""+v${op.x}+v${op.y}`);
        keptWords += strWords(render(objs, vars[op.x]!).length);
        vars[op.v] = alloc({ kind: "str", text }, strWords(text.length));
        break;
      }
      case "pair":
        lines.push(`v${op.v}=[v${op.x}, v${op.y}]`);
        vars[op.v] = alloc({ kind: "arr", elems: [vars[op.x]!, vars[op.y]!], extensible: true }, arrWords(2));
        break;
      case "set": {
        const a = arrOf(vars[op.v]!);
        if (!a || op.idx >= a.elems.length) break;
        lines.push(`v${op.v}[${op.idx}]=v${op.x}`);
        a.elems[op.idx] = vars[op.x]!;
        break;
      }
      case "grow": {
        const a = arrOf(vars[op.v]!);
        if (!a || !a.extensible) break;
        const at = a.elems.length + op.extra;
        lines.push(`v${op.v}[${at}]=7`);
        while (a.elems.length < at) a.elems.push({ t: "int", v: 0 });
        a.elems.push({ t: "int", v: 7 });
        keptWords += arrWords(a.elems.length);
        largest = Math.max(largest, arrWords(a.elems.length));
        break;
      }
      case "drop":
        lines.push(`v${op.v}=0`);
        vars[op.v] = { t: "int", v: 0 };
        break;
      case "check":
        lines.push(`print v${op.v}`);
        want.push(render(objs, vars[op.v]!));
        break;
      case "churn":
        lines.push("t=0", "j=0", `while j<${op.n}:`, `\tt=[j]*${op.size}`, "\tj+=1", "t=0");
        largest = Math.max(largest, arrWords(op.size));
        break;
      case "gc":
        lines.push("gc()");
        break;
      case "call":
        lines.push(`v${op.v}=keep2(v${op.x}, v${op.y}, ${op.n})`);
        vars[op.v] = alloc({ kind: "arr", elems: [vars[op.x]!, vars[op.y]!], extensible: true }, arrWords(2));
        largest = Math.max(largest, arrWords(20));
        break;
      case "iter": {
        const a = arrOf(vars[op.v]!);
        if (!a) break;
        lines.push(`for e in v${op.v}:`);
        if (op.drop) lines.push(`\tv${op.v}=0`);
        lines.push("\tj=0", `\twhile j<${op.n}:`, "\t\tt=[j]*30", "\t\tj+=1", "\tprint e");
        lines.push("t=0", "e=0");
        want.push(...a.elems.map((el) => render(objs, el)));
        if (op.drop && a.elems.length > 0) vars[op.v] = { t: "int", v: 0 }; // the body drops it
        largest = Math.max(largest, arrWords(30));
        break;
      }
    }
  }
  vars.forEach((v, i) => {
    lines.push(`print v${i}`);
    want.push(render(objs, v));
  });
  lines.push(...vars.map((_, i) => `v${i}=0`), "t=0", "e=0", "gc()", 'print "end"', "");
  want.push("end");
  return { src: lines.join("\n"), want, keptWords, largest, objects: objs.length };
}

/**
 * The end of a keep-values loop body (ePython source lines): read back every value kept so far
 * (`bad` is true for a corrupted one), print the count, go on; after the loop, say all fitted.
 */
function checkKeptValues(bad: string): string[] {
  return ["\tk=0", "\twhile k<=i:", `\t\tif ${bad}:`, '\t\t\tprint "corrupt"', "\t\tk+=1", "\tprint i", "\ti+=1", 'print "everything fitted"', ""];
}

describe("garbage collection", () => {
  it("never frees a reachable value, and memory returns to the baseline (white-box Vm, small heap)", () => {
    const arb = fc.record({
      ops: fc.array(opArb, { minLength: 1, maxLength: 50, size: "large" }),
      localWords: fc.oneof(fc.constant(0), fc.integer({ min: 16, max: 512 })),
    });
    fc.assert(
      fc.property(arb, ({ ops, localWords }) => {
        const b = build(ops);
        // shared heap: enough that first-fit can not fail even if every kept value stays live and
        // the free space is cut into gaps just too small (at most one per object, plus one)
        const sharedWords = b.keptWords + (b.objects + 2) * b.largest + 64;
        const run = runVm(b.src, localWords * 4, sharedWords * 4);
        expect(run.error, "the run ends without an error").toBe("");
        expect(run.status).toBe(Status.Done);
        expect(run.heapProblems).toEqual([]);
        expect(run.out).toEqual(b.want);
        expect(run.usedAt.at(-1), "bytes in use at the end against the baseline").toBe(run.usedAt[0]);
      }),
      params(80),
    );
  });

  it("the collector does run in those programs (the property above is not vacuous)", () => {
    const ops: Op[] = [{ k: "list", v: 0, n: 30, a: 3, b: 1 }, { k: "pair", v: 1, x: 0, y: 0 }, { k: "drop", v: 0 }, { k: "churn", n: 50, size: 30 }, { k: "check", v: 1 }];
    const b = build(ops);
    const run = runVm(b.src, 64 * 4, 4096 * 4);
    expect(run.out).toEqual(b.want);
    expect(run.collections).toBeGreaterThan(5);
  });

  it("a live set larger than the heap ends in out-of-memory, with every kept value intact (white-box Vm)", () => {
    const arb = fc.record({
      localWords: fc.integer({ min: 0, max: 400 }),
      sharedWords: fc.integer({ min: 64, max: 3000 }),
      size: fc.integer({ min: 8, max: 120 }),
      strings: fc.boolean(),
      churn: fc.nat(20),
    });
    fc.assert(
      fc.property(arb, ({ localWords, sharedWords, size, strings, churn }) => {
        // strings are "<i>xxx...": their length grows with the digits of i
        const pad = "x".repeat(size);
        const total = (localWords + sharedWords) * 4;
        const bMin = strings ? strBytes(1 + size, 3) : arrBytes(size, 3);
        const n = Math.ceil(total / bMin) + 3; // cannot all fit
        const bMax = strings ? strBytes(String(n).length + size, 5) : arrBytes(size, 5);
        const make = strings ? `""+i+"${pad}"` : `[i]*${size}`;
        const check = strings ? `keep[k]!=""+k+"${pad}"` : `keep[k][${size - 1}]!=k`;
        const src = [
          "keep=[0]*" + n,
          "i=0",
          `while i<${n}:`,
          `\tkeep[i]=${make}`,
          "\tc=0",
          `\twhile c<${churn}:`,
          "\t\tg=[c]*3",
          "\t\tc+=1",
          ...checkKeptValues(check),
        ].join("\n");
        const run = runVm(src, localWords * 4, sharedWords * 4);
        expect(run.status, `ends in an error, not ${run.error || "success"}`).toBe(Status.Error);
        expect(run.error).toMatch(/^out of (core and shared heap memory for data|shared heap memory for a string)/);
        expect(run.out.every((l) => /^\d+$/.test(l)), "no value was corrupted").toBe(true);
        expect(run.out).toEqual(run.out.map((_, k) => String(k)));
        // it stored no more than the heap holds; and without garbage between the kept values
        // (no churn, no string temporaries) it failed only when the arena was nearly full. With
        // garbage in between, first fit over a non-moving heap may strand free space in gaps
        // smaller than a value (ePython's allocator does the same), so no lower bound holds then.
        const stored = run.out.length;
        expect(stored * bMin + arrBytes(n, 3)).toBeLessThanOrEqual(total);
        if (!strings && churn === 0) {
          // each arena keeps its first chunk's header and may end with a free chunk too small for one more value
          expect((stored + 2) * bMax + arrBytes(n, 5) + 2 * 5, `stored ${stored} values of at most ${bMax} bytes`).toBeGreaterThan(total);
        }
      }),
      params(40),
    );
  });

  it("out of memory through simulate(): a runtime error in SimResult, values intact, no exception", () => {
    const arb = fc.record({ size: fc.integer({ min: 3000, max: 40000 }), viaArray: fc.boolean(), cores: fc.constantFrom<number[][]>([0], [0, 5]) });
    fc.assert(
      fc.property(arb, ({ size, viaArray, cores }) => {
        const n = Math.ceil((600 * 1024) / 4 / size) + 2; // more than core heap + 448,000-byte shared heap
        const src = [
          "from array import array",
          `keep=[0]*${n}`,
          "i=0",
          `while i<${n}:`,
          viaArray ? `\tkeep[i]=array(${size})` : `\tkeep[i]=[0]*${size}`,
          `\tkeep[i][${size - 1}]=i`,
          ...checkKeptValues(`keep[k][${size - 1}]!=k`),
        ].join("\n");
        const run = runProgram(src, { cores });
        expect(run.result.ok).toBe(false);
        expect(run.result.error?.kind, describeRun(run)).toBe("runtime");
        expect(run.result.error?.message).toMatch(/^out of core and shared heap memory for data \(asked for \d+ bytes/);
        expect(run.result.error?.line).toBe(5);
        // every core printed 0, 1, 2 ...: its kept arrays were intact up to the failure
        for (const c of cores) expect(linesOf(run, c)).toEqual(linesOf(run, c).map((_, k) => String(k)));
        expect(linesOf(run, Number(run.result.error?.label.split(" ")[1])).length).toBeGreaterThan(0);
      }),
      params(6),
    );
  });
});
