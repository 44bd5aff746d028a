/**
 * Parser robustness: random token sequences and mutated example programs either compile and run
 * (to completion or to a reported error: runtime, deadlock, step/cycle limit) or fail to compile
 * with an EpySyntaxError that names a file, a line and a column. No other exception may escape
 * the compiler or the simulator. Runs are capped (maxSteps, maxCycles) so that infinite loops end
 * in a limit error.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileProgram, DEFAULT_CONFIG, EpySyntaxError, simulate, type SimResult } from "../src/index.js";
import { params } from "./config.js";
import { resolver } from "./harness.js";

const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "examples");
const EXAMPLES = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith(".py"))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(EXAMPLES_DIR, f), "utf8") }));

type Outcome = { kind: "syntax"; error: EpySyntaxError } | { kind: "ran"; result: SimResult };

/** Compile and run; anything thrown other than an EpySyntaxError from the compiler propagates. */
function attempt(source: string, cores: number[]): Outcome {
  let image;
  try {
    image = compileProgram(source, "fuzz.py", resolver).image;
  } catch (e) {
    if (e instanceof EpySyntaxError) return { kind: "syntax", error: e };
    throw e;
  }
  const result = simulate(image, { ...DEFAULT_CONFIG, cores, maxSteps: 4000, maxCycles: 3_000_000 }, { output() {}, input: () => null });
  return { kind: "ran", result };
}

function checkOutcome(source: string, o: Outcome): void {
  if (o.kind === "syntax") {
    const e = o.error;
    expect(typeof e.file).toBe("string");
    expect(e.file.length).toBeGreaterThan(0);
    expect(Number.isInteger(e.line) && e.line >= 1, `line ${e.line}`).toBe(true);
    expect(Number.isInteger(e.col) && e.col >= 1, `col ${e.col}`).toBe(true);
    if (e.file === "fuzz.py") {
      const nlines = source.split(/\r\n|\r|\n/).length;
      expect(e.line, `line ${e.line} of a ${nlines}-line file`).toBeLessThanOrEqual(nlines + 1);
    }
    expect(e.message).toMatch(/^.+:\d+:\d+: \S/);
    expect(e.format().split("\n").length).toBe(3);
  } else {
    const r = o.result;
    if (!r.ok) {
      expect(["runtime", "deadlock", "limit", "config"]).toContain(r.error?.kind);
      expect(r.error?.message.length).toBeGreaterThan(0);
      expect(r.error?.message).not.toMatch(/internal error/);
      expect(Number.isInteger(r.error?.line)).toBe(true);
    }
    expect(Number.isFinite(r.totalCycles)).toBe(true);
  }
}

/** Tokens of the language, and fragments that the lexer should reject (kept rare below). */
const GOOD = [
  "if", "elif", "else", "while", "for", "in", "def", "return", "print", "import", "from", "and", "or", "not", "is",
  "none", "true", "false", "pass", "break", "continue", "native", "exit()", "input", "str", "id", "symbol", "alias",
  "x", "y", "i", "f", "parallel", "util", "range", "coreid()", "send", "recv", "reduce", "sync()", "array", "len",
  "0", "1", "7", "2147483647", "2147483648", "99999999999", "1.5", "1e-3", "3.", ".5", "0x1F", "007", '"s"', "'q'",
  "+", "-", "*", "/", "//", "%", "**", "^", "==", "!=", "<>", "<", ">", "<=", ">=", "=", "+=", "-=", "*=", "/=", "%=",
  "**=", "//=", "!", "(", ")", "[", "]", ",", ":", ";", "@exportable", "#c", "/* c */", "\n", "\n", "\n", "\t", " ",
];
const BAD = ['"', "'", '"unterminated', "0x", "1e", "/*", "*/", ".", "@", "\\", "$", "?", "`", "é", "\r\n", "\r", "    "];
const TOKENS = [...GOOD, ...BAD];
const token = fc.oneof({ weight: 200, arbitrary: fc.constantFrom(...GOOD) }, { weight: 1, arbitrary: fc.constantFrom(...BAD) });
const lineToken = fc.oneof({ weight: 200, arbitrary: fc.constantFrom(...GOOD.filter((t) => t !== "\n")) }, { weight: 1, arbitrary: fc.constantFrom(...BAD.filter((t) => !/\n|\r/.test(t))) });

const tokenProgram = fc.array(token, { minLength: 1, maxLength: 60, size: "large" }).map((ts) => ts.join(" ").replace(/ ?\n ?/g, "\n"));

/** Token soup shaped like statements: more likely to get past the lexer into the grammar. */
const statementish = fc
  .array(fc.tuple(fc.nat(3), fc.array(lineToken, { minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 15 })
  .map((lines) => lines.map(([indent, ts]) => "\t".repeat(indent) + ts.join(" ")).join("\n") + "\n");

type Mutation =
  | { k: "delete"; at: number; len: number }
  | { k: "insert"; at: number; text: string }
  | { k: "dupLine"; line: number }
  | { k: "swapLines"; a: number; b: number }
  | { k: "indent"; line: number; by: number }
  | { k: "replace"; at: number; ch: string }
  | { k: "truncate"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ k: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ k: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }),
  fc.record({ k: fc.constant("dupLine" as const), line: fc.nat() }),
  fc.record({ k: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant("indent" as const), line: fc.nat(), by: fc.integer({ min: -2, max: 2 }) }),
  fc.record({
    k: fc.constant("replace" as const),
    at: fc.nat(),
    ch: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(..."()[]:,=\"'\t\n#0-+*/<>!.e ") }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: "binary" }) }),
  }),
  fc.record({ k: fc.constant("truncate" as const), at: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  const n = Math.max(1, text.length);
  const lines = text.split("\n");
  const L = lines.length;
  switch (m.k) {
    case "delete": {
      const at = m.at % n;
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case "insert": {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "dupLine": {
      const i = m.line % L;
      return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join("\n");
    }
    case "swapLines": {
      const a = m.a % L;
      const b = m.b % L;
      const c = [...lines];
      [c[a], c[b]] = [c[b]!, c[a]!];
      return c.join("\n");
    }
    case "indent": {
      const i = m.line % L;
      const c = [...lines];
      c[i] = m.by > 0 ? "\t".repeat(m.by) + c[i] : c[i]!.replace(new RegExp(`^\\t{0,${-m.by}}`), "");
      return c.join("\n");
    }
    case "replace": {
      const at = m.at % n;
      return text.slice(0, at) + m.ch + text.slice(at + 1);
    }
    case "truncate":
      return text.slice(0, m.at % (text.length + 1));
  }
}

const mutatedExample = fc
  .record({ ex: fc.nat(EXAMPLES.length - 1), muts: fc.array(mutation, { minLength: 1, maxLength: 5 }) })
  .map(({ ex, muts }) => muts.reduce((t, m) => mutate(t, m), EXAMPLES[ex]!.text));

const cores = fc.constantFrom<number[][]>([0], [0, 1], [0, 1, 2, 3], [0, 3, 5, 6]);

describe("parser robustness", () => {
  it("has examples to mutate", () => {
    expect(EXAMPLES.length).toBeGreaterThan(10);
  });

  it("random token sequences: a run or an EpySyntaxError with file/line/col, nothing else", () => {
    fc.assert(
      fc.property(fc.oneof(tokenProgram, statementish), cores, (src, cs) => checkOutcome(src, attempt(src, cs))),
      params(300),
    );
  });

  it("mutated example programs: a run or an EpySyntaxError with file/line/col, nothing else", () => {
    fc.assert(
      fc.property(mutatedExample, cores, (src, cs) => checkOutcome(src, attempt(src, cs))),
      params(200),
    );
  });

  // Deep nesting: a recursive-descent parser and a recursive compiler must turn "too deep" into an
  // EpySyntaxError (or cope), never let JavaScript's stack overflow escape as a RangeError.
  const NESTINGS: Record<string, (n: number) => string> = {
    parentheses: (n) => `x=${"(".repeat(n)}1${")".repeat(n)}\nprint x\n`,
    calls: (n) => `def f(a):\n\treturn a\nx=${"f(".repeat(n)}1${")".repeat(n)}\nprint x\n`,
    lists: (n) => `x=${"[".repeat(n)}1${"]".repeat(n)}\nprint x\n`,
    minus: (n) => `y=1\nx=${"-".repeat(n)}y\nprint x\n`,
    nots: (n) => `x=${"not ".repeat(n)}1\nprint x\n`,
    "a long sum": (n) => `x=1${"+1".repeat(n)}\nprint x\n`,
    "a long product": (n) => `x=1${"*1".repeat(n)}\nprint x\n`,
    "nested ifs": (n) => Array.from({ length: Math.min(n, 2500) }, (_, i) => `${" ".repeat(i)}if 1:\n`).join("") + `${" ".repeat(Math.min(n, 2500))}print 1\n`,
  };
  it("deeply nested programs: a run or an EpySyntaxError, never a RangeError", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(NESTINGS)), fc.integer({ min: 1, max: 6000 }), (shape, depth) => {
        const src = NESTINGS[shape]!(depth);
        let outcome: Outcome;
        try {
          outcome = attempt(src, [0]);
        } catch (e) {
          throw new Error(`${shape} nested ${depth} deep: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
        }
        checkOutcome(src, outcome);
      }),
      params(40),
    );
  });

  it("the unmutated examples compile", () => {
    for (const ex of EXAMPLES) expect(() => compileProgram(ex.text, ex.name, resolver), ex.name).not.toThrow();
  });
});
