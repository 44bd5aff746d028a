/**
 * Byte code as tight as ePython's. The reference (ePython's `-s`) prints 45 bytes of code for hello
 * world, 579 for the 27-line Monte Carlo PI and 1287 for the 55-line Jacobi; our sizes are pinned
 * here so that a compiler change that bloats them is seen.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileProgram } from "../../src/lang/compiler.js";
import { codeBytes } from "../../src/lang/image.js";
import { bundledResolver } from "../../src/pipeline/modules.js";

const compile = (file: string) => compileProgram(readFileSync(file, "utf8"), file, bundledResolver()).image;

describe("program image size", () => {
  it("links only the strings of kept code", () => {
    // parallel.py's unused functions (reduce's operator names, error texts) must not come along
    expect(compile("examples/hello.py").strings).toEqual(["Hello world from core ", " of "]);
  });
  it("hello world, Monte Carlo PI and Jacobi are no larger than pinned (ePython: 45, 579, 1287)", () => {
    expect(codeBytes(compile("examples/hello.py"))).toBeLessThanOrEqual(67);
    expect(codeBytes(compile("examples/pi.py"))).toBeLessThanOrEqual(481);
    expect(codeBytes(compile("examples/jacobi.py"))).toBeLessThanOrEqual(844);
  });
});
