/**
 * Runtime robustness (beyond the parser): programs that apply operators, indexing, iteration and
 * the bundled modules' functions to values of every type (ints at the int32 limits, reals, strings,
 * booleans, none, arrays, nested arrays, functions) either run or end in a reported SimResult error
 * (runtime, deadlock or limit) with a message; the simulator never throws and never reports an
 * internal error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileProgram, DEFAULT_CONFIG, EpySyntaxError, simulate } from "../src/index.js";
import { params } from "./config.js";
import { resolver } from "./harness.js";

const VALUES = [
  "0", "1", "-1", "7", "2147483647", "(0-2147483647-1)", "1.5", "-0.5", "1e30", "0.0", '"s"', '""', '"12"', "true", "false",
  "none", "[1,2,3]", "[]", "[1.5, 2.5]", '["a", "b"]', "[[1,2],[3]]", "array(2,3)", "array(0)", "f", "[f]", "range(3)",
];
const NVARS = 6;

const CALLS: [string, number][] = [
  ["send", 2], ["recv", 1], ["sendrecv", 2], ["nonblocking_send", 2], ["probe", 1], ["test_sent", 1], ["wait_sent", 1],
  ["bcast", 2], ["reduce", 2], ["range", 1], ["range", 2], ["range", 3], ["len", 1], ["size", 1], ["array", 1], ["array", 2],
  ["shape", 1], ["ndim", 1], ["flatten", 1], ["arraycopy", 2], ["freearray", 1], ["free", 1], ["sqrt", 1], ["sin", 1],
  ["floor", 1], ["log", 1], ["pow", 2], ["randint", 2], ["randrange", 1], ["oddSort", 1], ["f", 1], ["nbytes", 1],
];
const OPS = ["+", "-", "*", "/", "%", "**", "//", "<", "==", "!=", ">=", "and", "or", "is"];

type Stmt =
  | { k: "call"; fn: number; args: number[] }
  | { k: "op"; op: string; a: number; b: number }
  | { k: "index"; a: number; b: number }
  | { k: "store"; a: number; b: number; c: number }
  | { k: "for"; a: number }
  | { k: "unary"; neg: boolean; a: number }
  | { k: "assign"; a: number; value: number }
  | { k: "callvar"; a: number; b: number };

const v = fc.nat(NVARS - 1);
const stmtArb: fc.Arbitrary<Stmt> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("call" as const), fn: fc.nat(CALLS.length - 1), args: fc.array(v, { minLength: 3, maxLength: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("op" as const), op: fc.constantFrom(...OPS), a: v, b: v }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("index" as const), a: v, b: v }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("store" as const), a: v, b: v, c: v }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("for" as const), a: v }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("unary" as const), neg: fc.boolean(), a: v }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("assign" as const), a: v, value: fc.nat(VALUES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("callvar" as const), a: v, b: v }) },
);

function program(inits: number[], stmts: Stmt[]): string {
  const out = ["import parallel", "import util", "import array", "import math", "import memory", "import random", "def f(a):", "\treturn a", "j=0"];
  inits.forEach((x, i) => out.push(`v${i}=${VALUES[x]}`));
  for (const s of stmts) {
    switch (s.k) {
      case "call": {
        const [name, argc] = CALLS[s.fn]!;
        out.push(`print ${name}(${s.args.slice(0, argc).map((a) => `v${a}`).join(", ")})`);
        break;
      }
      case "op":
        out.push(`print v${s.a} ${s.op} v${s.b}`);
        break;
      case "index":
        out.push(`print v${s.a}[v${s.b}]`);
        break;
      case "store":
        out.push(`v${s.a}[v${s.b}]=v${s.c}`);
        break;
      case "for":
        out.push(`for e in v${s.a}:`, "\tprint e");
        break;
      case "unary":
        out.push(s.neg ? `print -v${s.a}` : `print not v${s.a}`);
        break;
      case "assign":
        out.push(`v${s.a}=${VALUES[s.value]}`);
        break;
      case "callvar":
        out.push(`print v${s.a}(v${s.b})`);
        break;
    }
  }
  out.push('print "end"', "");
  return out.join("\n");
}

describe("runtime robustness", () => {
  it("any operation on values of any type: a run or a reported error, never an exception", () => {
    const arb = fc.record({
      inits: fc.array(fc.nat(VALUES.length - 1), { minLength: NVARS, maxLength: NVARS }),
      stmts: fc.array(stmtArb, { minLength: 1, maxLength: 12 }),
      cores: fc.constantFrom<number[][]>([0], [0, 1], [1, 2, 3]),
      hostCores: fc.constantFrom(0, 0, 1),
    });
    fc.assert(
      fc.property(arb, ({ inits, stmts, cores, hostCores }) => {
        const src = program(inits, stmts);
        let image;
        try {
          image = compileProgram(src, "any.py", resolver).image;
        } catch (e) {
          // a few combinations are compile-time errors (e.g. assigning to a call); they must be reported as such
          expect(e, src).toBeInstanceOf(EpySyntaxError);
          return;
        }
        const devs = hostCores > 0 ? cores.map((_, i) => i) : cores;
        const r = simulate(image, { ...DEFAULT_CONFIG, cores: devs, hostCores, maxSteps: 20000, maxCycles: 5_000_000 }, { output() {}, input: () => null });
        if (!r.ok) {
          expect(["runtime", "deadlock", "limit"], `${r.error?.message}\n${src}`).toContain(r.error?.kind);
          expect(r.error?.message.length).toBeGreaterThan(0);
          expect(r.error?.message, src).not.toMatch(/internal error|undefined|NaN/);
        }
      }),
      params(300),
    );
  });
});
