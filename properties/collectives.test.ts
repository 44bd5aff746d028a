/**
 * Collectives: `reduce` is an all-reduce that gives every core exactly the sequential fold of the
 * per-core values under ePython's int32/float32 arithmetic, for every reduce algorithm; `bcast`
 * delivers the root's value to every core.
 *
 * Reals and fold order: the algorithms (and, for "epython" and "ring", each core) combine the
 * values in different orders, and float32 addition and multiplication are not associative. Rather
 * than accept any value some order could give, the generators pick values whose float32 folds are
 * exact in every order, so the answer is unique and the property can demand it bit for bit:
 *   - sum: multiples of 0.5 in [-1000, 1000]; every partial sum of at most 64 of them is a
 *     multiple of 0.5 below 2^17 in magnitude, well inside float32's 24-bit significand;
 *   - prod: +-(1 or 3) * 2^k with k in {-1, 0, 1} and at most 15 factors of 3; every partial
 *     product is 3^a * 2^b with 3^15 < 2^24 and |b| <= 64, so it is exact and never overflows;
 *   - min/max: any finite float32 (comparisons are exact; -0 is mapped to 0 because which zero
 *     min(0, -0) is would be a convention, not ePython semantics).
 * Ints take the whole int32 range, so sums and products wrap; wrapping arithmetic is associative
 * and commutative, so the fold order does not matter for them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChipName, ReduceAlgorithm } from "../src/index.js";
import { params } from "./config.js";
import { coreSet, cPrintfF, describeRun, intLiteral, linesOf, realLiteral, runProgram } from "./harness.js";

const ALGORITHMS: ReduceAlgorithm[] = ["epython", "tree", "ring"];

const int32 = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 2, arbitrary: fc.integer({ min: -2147483648, max: 2147483647 }) },
  { weight: 1, arbitrary: fc.constantFrom(-2147483648, 2147483647, -1, 0, 1, 65536, 46341) },
);
const halfSteps = fc.integer({ min: -2000, max: 2000 }).map((k) => k / 2);
const prodFactor = fc.record({ sign: fc.constantFrom(1, -1), three: fc.boolean(), exp: fc.constantFrom(0.5, 1, 2) });
/** Product factors with at most 15 factors of 3 (later ones lose theirs). */
function prodFactors(n: number): fc.Arbitrary<number[]> {
  return fc.array(prodFactor, { minLength: n, maxLength: n }).map((fs) => {
    let threes = 0;
    return fs.map((f) => f.sign * (f.three && ++threes <= 15 ? 3 : 1) * f.exp);
  });
}
const anyFloat32 = fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));

interface Case {
  chip: ChipName;
  cores: number[];
  ints: number[];
  sums: number[];
  prods: number[];
  extremes: number[];
  root: number;
  bcastInt: number[];
  bcastReal: number[];
  /** per collective, per core: loop iterations before it (so cores arrive at different times) */
  work: number[][];
}

function caseArb(chip: ChipName, minN: number, maxN: number): fc.Arbitrary<Case> {
  return coreSet(chip, minN, maxN).chain((cores) => {
    const n = cores.length;
    const per = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: n, maxLength: n });
    return fc.record({
      chip: fc.constant(chip),
      cores: fc.constant(cores),
      ints: per(int32),
      sums: per(halfSteps),
      prods: prodFactors(n),
      extremes: per(anyFloat32),
      root: fc.constantFrom(...cores),
      bcastInt: per(int32),
      bcastReal: per(anyFloat32),
      work: fc.array(per(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 }))), { minLength: 10, maxLength: 10 }),
    });
  });
}

/** The list literal `[...]` indexed by coreid(): entry `core` holds that core's value. */
function perCoreList(c: Case, values: number[], lit: (v: number) => string, filler: string): string {
  const maxCore = c.cores[c.cores.length - 1]!;
  const items: string[] = Array.from({ length: maxCore + 1 }, () => filler);
  c.cores.forEach((core, i) => (items[core] = lit(values[i]!)));
  return `[${items.join(",")}]`;
}

function program(c: Case): string {
  const collectives = [
    'print reduce(i, "sum")',
    'print reduce(i, "min")',
    'print reduce(i, "max")',
    'print reduce(i, "prod")',
    'print reduce(s, "sum")',
    'print reduce(p, "prod")',
    'print reduce(x, "min")',
    'print reduce(x, "max")',
    `print bcast(bi, ${c.root})`,
    `print bcast(br, ${c.root})`,
  ];
  const lines = [
    "from parallel import *",
    "me=coreid()",
    `i=${perCoreList(c, c.ints, intLiteral, "0")}[me]`,
    `s=${perCoreList(c, c.sums, realLiteral, "0.0")}[me]`,
    `p=${perCoreList(c, c.prods, realLiteral, "1.0")}[me]`,
    `x=${perCoreList(c, c.extremes, realLiteral, "0.0")}[me]`,
    `bi=${perCoreList(c, c.bcastInt, intLiteral, "0")}[me]`,
    `br=${perCoreList(c, c.bcastReal, realLiteral, "0.0")}[me]`,
    "j=0",
  ];
  collectives.forEach((stmt, k) => {
    const w = c.work[k]!;
    if (w.some((n) => n > 0)) lines.push(`w=${perCoreList(c, w, String, "0")}[me]`, "j=0", "while j<w:", "\tj+=1");
    lines.push(stmt);
  });
  lines.push("");
  return lines.join("\n");
}

/** What every core must print: the sequential folds in core order, then the root's values. */
function expected(c: Case): string[] {
  const f = Math.fround;
  const fold = (xs: number[], op: (a: number, b: number) => number) => {
    let acc = xs[0]!;
    for (let k = 1; k < xs.length; k++) acc = op(acc, xs[k]!);
    return acc;
  };
  const ints = c.ints;
  const r = c.cores.indexOf(c.root);
  return [
    String(fold(ints, (a, b) => (a + b) | 0)),
    String(fold(ints, Math.min)),
    String(fold(ints, Math.max)),
    String(fold(ints, Math.imul)),
    cPrintfF(fold(c.sums.map(f), (a, b) => f(a + b))),
    cPrintfF(fold(c.prods.map(f), (a, b) => f(a * b))),
    cPrintfF(fold(c.extremes.map(f), Math.min)),
    cPrintfF(fold(c.extremes.map(f), Math.max)),
    String(c.bcastInt[r]),
    cPrintfF(f(c.bcastReal[r]!)),
  ];
}

function check(c: Case): void {
  const src = program(c);
  const want = expected(c);
  for (const reduce of ALGORITHMS) {
    const run = runProgram(src, { chip: c.chip, cores: c.cores, reduce });
    expect(run.result.ok, `reduce=${reduce}: ${describeRun(run)}`).toBe(true);
    for (const core of c.cores) expect(linesOf(run, core), `reduce=${reduce}, core ${core}`).toEqual(want);
    expect([...run.byLabel.keys()].sort(), `reduce=${reduce}: only active cores print`).toEqual(c.cores.map((k) => `device ${k}`).sort());
  }
}

describe("collectives", () => {
  it("reduce = sequential fold on every core, bcast = root's value (e16/e64, 1..64 cores, every algorithm)", () => {
    const arb = fc.oneof(caseArb("e16", 1, 16), caseArb("e64", 1, 64));
    fc.assert(fc.property(arb, check), params(25));
  });

  it("the same on e1024 with many cores", () => {
    fc.assert(fc.property(caseArb("e1024", 64, 256), check), params(3));
  });

  it("the oracle's %f agrees with C on known values", () => {
    // the expected outputs rest on cPrintfF: pin it to printf results known from C
    expect(cPrintfF(0.0078125)).toBe("0.007812"); // exact tie, to even
    expect(cPrintfF(0.0234375)).toBe("0.023438");
    expect(cPrintfF(Math.fround(16777217))).toBe("16777216.000000");
    expect(cPrintfF(-Math.fround(1e-9))).toBe("-0.000000");
    expect(cPrintfF(Math.fround(3.4028234663852886e38))).toBe("340282346638528859811704183484516925440.000000");
    expect(cPrintfF(Math.fround(0.1))).toBe("0.100000");
  });
});
