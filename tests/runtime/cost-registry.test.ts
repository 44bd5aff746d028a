/**
 * The cost registry covers every exported number of the four cost modules, with the model's value,
 * a range around it, its sources, and a sensitivity group (or a reason not to sweep it).
 */
import { describe, expect, it } from "vitest";
import { COST_GROUPS } from "../../src/config/run-config.js";
import * as chip from "../../src/machine/costs.js";
import * as crt from "../../src/runtime/c-runtime.js";
import { COST_REGISTRY, type CostModule, GROUP_RANGES, groupMembers, median } from "../../src/runtime/cost-registry.js";
import * as interp from "../../src/runtime/interpreter-costs.js";
import * as rtc from "../../src/runtime/runtime-costs.js";

const MODULES: Array<[CostModule, Record<string, unknown>]> = [
  ["machine/costs", chip],
  ["runtime/interpreter-costs", interp],
  ["runtime/c-runtime", crt],
  ["runtime/runtime-costs", rtc],
];

/** Every exported number: plain numbers, tables of numbers (NAME.key), per-opcode tables (median). */
function exportedNumbers(mod: Record<string, unknown>): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [name, v] of Object.entries(mod)) {
    if (typeof v === "number") out.push([name, v]);
    else if (ArrayBuffer.isView(v)) out.push([name, median(v as unknown as ArrayLike<number>)]);
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) if (typeof x === "number") out.push([`${name}.${k}`, x]);
    }
  }
  return out;
}

describe("cost registry", () => {
  for (const [module, mod] of MODULES) {
    it(`has an entry with the model's value and a range for every number of ${module}`, () => {
      const nums = exportedNumbers(mod);
      expect(nums.length).toBeGreaterThan(0);
      for (const [name, value] of nums) {
        const e = COST_REGISTRY.find((x) => x.module === module && x.name === name);
        expect(e, `${module}: ${name} has no registry entry`).toBeDefined();
        expect(e!.value, name).toBe(value);
        expect(e!.low, `${name}: low <= value`).toBeLessThanOrEqual(value);
        expect(e!.high, `${name}: value <= high`).toBeGreaterThanOrEqual(value);
        expect(e!.source.trim().length, `${name}: source`).toBeGreaterThan(0);
        expect(e!.why.trim().length, `${name}: why`).toBeGreaterThan(0);
        expect(e!.unit.trim().length, `${name}: unit`).toBeGreaterThan(0);
      }
    });
  }

  it("names nothing that is not exported", () => {
    for (const e of COST_REGISTRY) {
      const mod = MODULES.find(([m]) => m === e.module)![1];
      expect(exportedNumbers(mod).map(([n]) => n), `${e.module}: ${e.name}`).toContain(e.name);
    }
    const keys = COST_REGISTRY.map((e) => `${e.module}:${e.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("sweeps every guess and estimate, or says why not", () => {
    for (const e of COST_REGISTRY) {
      if (e.status !== "guess" && e.status !== "estimated") continue;
      if (e.group === null) expect(e.notSwept?.trim().length ?? 0, `${e.name}: no group and no reason`).toBeGreaterThan(0);
      else expect(e.notSwept, `${e.name}: swept and a reason not to`).toBeUndefined();
    }
  });

  it("has a factor range per group inside its members' envelope", () => {
    for (const g of COST_GROUPS) {
      const r = GROUP_RANGES[g];
      expect(r.low).toBeLessThan(1);
      expect(r.high).toBeGreaterThan(1);
      expect(r.why.length).toBeGreaterThan(0);
      const members = groupMembers(g).filter((e) => e.value > 0);
      expect(members.length, `group ${g} has members`).toBeGreaterThan(0);
      const lows = members.map((e) => e.low / e.value);
      const highs = members.map((e) => e.high / e.value);
      expect(r.low, `${g}: low inside the members' envelope`).toBeGreaterThanOrEqual(Math.min(...lows) - 1e-9);
      expect(r.high, `${g}: high inside the members' envelope`).toBeLessThanOrEqual(Math.max(...highs) + 1e-9);
    }
  });
});
