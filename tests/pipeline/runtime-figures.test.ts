/**
 * The model's runtime calls against the hand count of ePython's C code (the Fidelity issue's
 * acceptance: a 16-core sync() and reduce and a two-core sendrecv cost what ePython's code does
 * when its DRAM accesses are counted). Nothing was fitted to these: the model issues the same
 * accesses one by one (src/runtime/runtime-calls.ts), the hand count adds them up.
 */
import { describe, expect, it } from "vitest";
import { DERIVED_FROM_SOURCE, formatRuntimeFigures, runtimeFigures } from "../../src/pipeline/runtime-figures.js";

describe("ePython runtime calls on the model", () => {
  const f = runtimeFigures("e16");

  it("lie within the ranges of the hand count from ePython's source", () => {
    for (const k of ["sendrecv_2_cores", "reduce_16_cores", "sync_16_cores"] as const) {
      const d = DERIVED_FROM_SOURCE[k];
      expect(f[k], k).toBeGreaterThanOrEqual(d.low);
      expect(f[k], k).toBeLessThanOrEqual(d.high);
    }
  });

  it("a sendrecv as the program sees it includes the call through the parallel module", () => {
    expect(f.sendrecv_2_cores_program).toBeGreaterThan(f.sendrecv_2_cores);
    expect(formatRuntimeFigures(f)).toMatch(/reduce, 16 cores +\d{3},\d{3} +~180,000 \[110,000, 190,000\]/);
  });
});
