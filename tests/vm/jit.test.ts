/**
 * The compiling tier (src/vm/jit): a compiled run leaves exactly the trace the interpreter leaves,
 * and the tier really compiles (so the comparison means something). The differential property over
 * generated programs is properties/jit.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { traceWith } from "../../properties/harness.js";
import { bundledResolver, compileProgram, INTERPRETER_ONLY, type RunConfig } from "../../src/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const resolver = bundledResolver();

function same(source: string, over: Partial<RunConfig> = {}): number {
  const { image } = compileProgram(source, "prop.py", resolver);
  const interpreted = traceWith(image, source, over, INTERPRETER_ONLY);
  const compiled = traceWith(image, source, over, { compile: true, threshold: 1 });
  expect(interpreted.compiled).toBe(0);
  expect(Buffer.from(compiled.bytes).equals(Buffer.from(interpreted.bytes))).toBe(true);
  return compiled.compiled;
}

describe("compiling tier", () => {
  it("float_accum.py: the same trace bytes compiled as interpreted", () => {
    const src = readFileSync(join(ROOT, "examples", "float_accum.py"), "utf8");
    expect(same(src)).toBeGreaterThan(0);
  });
});
