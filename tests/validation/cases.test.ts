/**
 * The validation suite's lists (experiments/validation): a number that set a constant of the model
 * (a fitting target) is never a validation case, every case says where its figure was published
 * and what it runs, every case has an expected outcome, and results map to statuses as documented.
 */
import { describe, expect, it } from "vitest";
import { FITTING_TARGETS, VALIDATION_CASES } from "../../experiments/validation/cases.js";
import { EXPECTED } from "../../experiments/validation/expected.js";
import { formatRows, selectCases, statusOf, summarise } from "../../experiments/validation/run.js";
import { type ResultRow, unexpected } from "../../experiments/validation/types.js";

describe("validation suite lists", () => {
  it("shares no published quantity between fitting targets and validation cases", () => {
    const fitted = new Set(FITTING_TARGETS.map((t) => t.quantity));
    const both = VALIDATION_CASES.filter((c) => fitted.has(c.quantity)).map((c) => c.id);
    expect(both).toEqual([]);
  });

  it("has unique ids and quantities in each list", () => {
    for (const list of [VALIDATION_CASES, FITTING_TARGETS]) {
      expect(new Set(list.map((x) => x.id)).size).toBe(list.length);
      expect(new Set(list.map((x) => x.quantity)).size).toBe(list.length);
    }
  });

  it("gives every case a source, a published figure, a method and a tolerance rule", () => {
    for (const c of VALIDATION_CASES) {
      expect(c.source.citation.length, c.id).toBeGreaterThan(10);
      expect(c.source.where.length, c.id).toBeGreaterThan(10);
      expect(c.published.length, c.id).toBeGreaterThan(0);
      expect(c.method.length, c.id).toBeGreaterThan(10);
      expect(c.check.rule.length, c.id).toBeGreaterThan(10);
      if (c.check.kind === "within") expect(c.check.relTol, c.id).toBeGreaterThan(0);
    }
  });

  it("gives every fitting target a source and the constants it sets", () => {
    for (const t of FITTING_TARGETS) {
      expect(t.source.where.length, t.id).toBeGreaterThan(10);
      expect(t.sets.length, t.id).toBeGreaterThan(0);
    }
  });

  it("has an expected outcome for exactly the cases, and a reason for every known failure", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(VALIDATION_CASES.map((c) => c.id).sort());
    for (const [id, e] of Object.entries(EXPECTED)) {
      if (e !== "pass") expect(e.knownFailure.length, id).toBeGreaterThan(20);
    }
  });
});

describe("validation statuses", () => {
  it("maps (holds, expectation) to PASS, FAIL, XPASS, XFAIL", () => {
    expect(statusOf(true, "pass")).toBe("PASS");
    expect(statusOf(false, "pass")).toBe("FAIL");
    expect(statusOf(true, { knownFailure: "r" })).toBe("XPASS");
    expect(statusOf(false, { knownFailure: "r" })).toBe("XFAIL");
    expect(["PASS", "XFAIL"].map((s) => unexpected(s as never))).toEqual([false, false]);
    expect(["FAIL", "XPASS", "ERROR"].map((s) => unexpected(s as never))).toEqual([true, true, true]);
  });

  it("summarises and prints a table with one row per case", () => {
    const row = (id: string, status: ResultRow["status"]): ResultRow => ({ id, title: id, model: "1", published: "1", ratio: 1, holds: true, status, detail: "d", reason: null });
    const rows = [row("a", "PASS"), row("b", "XFAIL"), row("c", "XPASS")];
    const s = summarise(rows);
    expect(s.ok).toBe(false);
    expect(s.counts).toMatchObject({ PASS: 1, XFAIL: 1, XPASS: 1 });
    const text = formatRows(rows);
    expect(text.split("\n")[0]).toMatch(/^case\s+model\s+published\s+ratio\s+result$/);
    expect(text).toContain("3 cases: 1 passed, 1 known failures, 0 failed, 1 unexpectedly passed, 0 errors - UNEXPECTED results");
    expect(summarise([row("a", "PASS"), row("b", "XFAIL")]).ok).toBe(true);
  });

  it("refuses an unknown case id", () => {
    expect(() => selectCases(["no-such-case"])).toThrow(/unknown validation case no-such-case/);
    expect(selectCases([]).length).toBe(VALIDATION_CASES.length);
  });
});
