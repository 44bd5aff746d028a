/**
 * `epython validate` end to end (the built command; npm test builds first): the whole suite runs,
 * prints its table with every case, and exits 0 because every result is the expected one. This is
 * what makes `npm test` run the validation suite.
 */
import { describe, expect, it } from "vitest";
import { VALIDATION_CASES } from "../../experiments/validation/cases.js";
import { runEpython } from "../helpers/cli.js";

describe("epython validate", () => {
  it("runs every case, prints the table and exits 0 (every result expected)", () => {
    const r = runEpython(["validate"], { timeoutMs: 600_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^case\s+model\s+published\s+ratio\s+result$/);
    for (const c of VALIDATION_CASES) {
      const row = lines.find((l) => l.startsWith(`${c.id} `));
      expect(row, c.id).toMatch(/ (PASS|XFAIL)$/);
    }
    expect(r.stdout).toMatch(new RegExp(`\\n${VALIDATION_CASES.length} cases: .* - as expected\\n$`));
  }, 600_000);

  it("runs one case with --case and prints JSON with --json", () => {
    const r = runEpython(["validate", "--case", "hw-dma-contended", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: { id: string; status: string }[]; ok: boolean };
    expect(j.rows.map((x) => x.id)).toEqual(["hw-dma-contended"]);
    expect(j.ok).toBe(true);
  });

  it("lists the cases and the fitting targets", () => {
    const r = runEpython(["validate", "--list"]);
    expect(r.code).toBe(0);
    for (const c of VALIDATION_CASES) expect(r.stdout).toContain(`  ${c.id}  `);
    expect(r.stdout).toContain("Fitting targets");
    expect(r.stdout).toContain("fit-dram-read");
  });

  it("exits 2 on an unknown case or argument", () => {
    const a = runEpython(["validate", "--case", "nope"]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("unknown validation case nope");
    const b = runEpython(["validate", "--bogus"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("unknown argument '--bogus'");
    expect(runEpython(["validate", "--case"]).code).toBe(2);
  });
});
