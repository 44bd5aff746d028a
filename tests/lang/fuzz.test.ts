/**
 * Fuzzing the front end: random text and truncated or spliced example programs either compile
 * or raise EpySyntaxError with a position inside the source; nothing else ever escapes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundledResolver } from "../../src/pipeline/modules.js";
import { compileProgram } from "../../src/lang/compiler.js";
import { EpySyntaxError } from "../../src/lang/errors.js";
import { ROOT } from "../helpers/cli.js";

const examples = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".py"))
  .sort()
  .map((f) => readFileSync(join(ROOT, "examples", f), "utf8"));

const resolver = bundledResolver();

/** Compile; accept success or a well-formed syntax error, fail on anything else. */
function compilesOrReportsPosition(src: string): boolean {
  try {
    compileProgram(src, "fuzz.py", resolver);
    return true;
  } catch (e) {
    if (!(e instanceof EpySyntaxError)) throw e;
    if (e.file === "fuzz.py") {
      const lines = src.split(/\r?\n/).length;
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.line).toBeLessThanOrEqual(lines + 1);
    }
    expect(e.col).toBeGreaterThanOrEqual(1);
    expect(e.format()).toMatch(/^fuzz\.py:\d+:\d+: |^[\w.]+\.py:\d+:\d+: /);
    return true;
  }
}

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const TOKENS = ["if", "elif", "else", "while", "for", "in", "def", "return", "print", "x", "y", "f", "(", ")", "[", "]", ":", ",", "=", "+=", "+", "-", "*", "/", "//", "%", "**", "^", "==", "<", "and", "or", "not", "is", "none", "true", "1", "2.5", "0x1f", '"s"', "'t'", "\n", "\n\t", "\n\t\t", "#c", "/*", "*/", "import", "util", "break", "continue", "pass", "native", "coreid", "exit", ";"];

describe("front-end fuzzing", () => {
  it("random characters give a run or a positioned syntax error", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), compilesOrReportsPosition), { numRuns: RUNS });
  });
  it("random token sequences give a run or a positioned syntax error", () => {
    const program = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((ts) => ts.join(" "));
    fc.assert(fc.property(program, compilesOrReportsPosition), { numRuns: RUNS });
  });
  it("truncated and spliced example programs give a run or a positioned syntax error", () => {
    const mutated = fc
      .tuple(fc.nat(examples.length - 1), fc.nat(examples.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([a, b, p, q]) => {
        const x = examples[a]!;
        const y = examples[b]!;
        return x.slice(0, Math.floor(x.length * p)) + y.slice(Math.floor(y.length * q));
      });
    fc.assert(fc.property(mutated, compilesOrReportsPosition), { numRuns: RUNS });
  });
});
