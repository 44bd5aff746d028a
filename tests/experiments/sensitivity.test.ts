/**
 * `epython experiment NAME --sensitivity`: the quick scaling grid under every cost variant gives
 * a CSV and a report with a range for every conclusion, the same bytes twice; a study without
 * conclusions is reported as such; the comparison and the band chart on hand-made rows.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chart } from "../../experiments/lib/plot.js";
import { bandChart, compareConclusions, NO_CONCLUSIONS, noConclusionsLine, sensitivityArtifacts, sensitivityVariants } from "../../experiments/lib/sensitivity.js";
import type { AnyStudy, Row } from "../../experiments/lib/study.js";
import { parseCsv } from "../../experiments/lib/table.js";
import { findStudy } from "../../experiments/studies.js";
import { COST_GROUPS, GROUP_RANGES } from "../../src/index.js";
import { runEpython } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "epy-sens-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// the visible files (the hidden .result-sets folder holds the sets they are links into)
const files = (dir: string) => new Map(readdirSync(dir).filter((f) => !f.startsWith(".")).sort().map((f) => [f, readFileSync(join(dir, f), "utf8")]));

describe("epython experiment scaling --quick --sensitivity", () => {
  const a = join(tmp, "a");
  const b = join(tmp, "b");
  let stdout = "";
  beforeAll(() => {
    for (const dir of [a, b]) {
      const r = runEpython(["experiment", "scaling", "--quick", "--sensitivity", "--out", dir], { timeoutMs: 120_000 });
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.code).toBe(0);
      stdout = r.stdout;
    }
  });

  it("writes the study's files and the sensitivity CSV, report and band plot", () => {
    const names = [...files(a).keys()];
    for (const f of ["scaling.csv", "scaling.md", "scaling-sensitivity.csv", "scaling-sensitivity.md", "scaling-sensitivity-speedup.svg"]) expect(names).toContain(f);
    const md = readFileSync(join(a, "scaling.md"), "utf8");
    expect(md).toContain("](scaling-sensitivity.md)");
    expect(readFileSync(join(a, "scaling-sensitivity-speedup.svg"), "utf8")).toContain('fill-opacity="0.2"');
  });

  it("gives every conclusion a value in every run and a range", () => {
    const variants = sensitivityVariants();
    expect(variants.map((v) => v.id)).toEqual(["central", ...COST_GROUPS.flatMap((g) => [`${g}-low`, `${g}-high`])]);
    const { header, rows } = parseCsv(readFileSync(join(a, "scaling-sensitivity.csv"), "utf8"));
    expect(header).toEqual(["conclusion", "variant", "group", "end", "factor", "value", "holds"]);
    const ids = [...new Set(rows.map((r) => r[0]))];
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) {
      const mine = rows.filter((r) => r[0] === id);
      expect(mine.map((r) => r[1]), id).toEqual(variants.map((v) => v.id));
      for (const r of mine) expect(r[5], `${id} ${r[1]}`).not.toBe("");
    }
    for (const r of rows.filter((x) => x[2] !== "")) expect(Number(r[4])).toBe(GROUP_RANGES[r[2] as (typeof COST_GROUPS)[number]][r[3] as "low" | "high"]);
    const md = readFileSync(join(a, "scaling-sensitivity.md"), "utf8");
    for (const id of ids) {
      const line = md.split("\n").find((l) => l.startsWith(`| ${id} | `))!;
      const cells = line.split(" | ");
      expect(cells[3]!.trim(), `${id}: range`).not.toBe("");
      expect(cells[4], `${id}: holds`).toMatch(/^(yes|no|\(a quantity\))$/);
      expect(stdout).toContain(`| ${id} | `);
    }
    expect(stdout).toMatch(/claims hold across the band/);
  });

  it("gives byte-identical files on a second run", () => {
    const fa = files(a);
    const fb = files(b);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [name, text] of fa) expect(fb.get(name), name).toBe(text);
  });
});

describe("sensitivity without or with odd conclusions", () => {
  const variants = sensitivityVariants();
  const rows: Row[] = [{ point: 0, x: 1 }];
  const runs = variants.map(() => rows);

  it("a study without conclusions() says so", () => {
    const { conclusions: _, mainChart: __, ...rest } = findStudy("gc")!;
    const bare = { ...rest, name: "bare" } as AnyStudy;
    expect(compareConclusions(bare, variants, runs)).toBeNull();
    expect(noConclusionsLine(bare)).toContain(NO_CONCLUSIONS);
    const md = sensitivityArtifacts(bare, true, variants, runs).find((f) => f.name === "bare-sensitivity.md")!;
    expect(md.text).toContain(NO_CONCLUSIONS);
  });

  it("a conclusion a run does not draw breaks it; a changed category breaks it; a quantity only has a range", () => {
    let k = 0;
    const study = {
      ...findStudy("gc")!,
      name: "fake",
      conclusions: () => {
        const i = k++;
        return [
          { id: "cat", text: "best is A", value: i === 2 ? "B" : "A", kind: "category" as const },
          { id: "num", text: "ratio", value: 1 + i / 10, kind: "number" as const },
          ...(i === 3 ? [] : [{ id: "claim", text: "above 1", value: 2, kind: "number" as const, holds: (v: number | string) => (v as number) > 1 }]),
        ];
      },
    } as AnyStudy;
    const r = compareConclusions(study, variants, runs)!;
    const cat = r.find((x) => x.id === "cat")!;
    expect(cat.holds).toBe(false);
    expect(cat.brokenBy).toEqual([variants[1]!.id]);
    expect(cat.range).toBe("A, B");
    const num = r.find((x) => x.id === "num")!;
    expect(num.holds).toBeNull();
    expect(num.range).toBe("1.10 to 1.90");
    const claim = r.find((x) => x.id === "claim")!;
    expect(claim.holds).toBe(false);
    expect(claim.brokenBy).toEqual([variants[2]!.id]);
    expect(claim.values[2]).toBe("");
  });

  it("the band chart spans every run's line and bar", () => {
    const chart = (y: number): Chart => ({
      title: "t",
      panels: [
        { kind: "line", title: "l", x: { label: "x", scale: "linear" }, y: { label: "y", scale: "linear" }, series: [{ name: "s", points: [[1, y], [2, 2 * y]] }] },
        { kind: "bar", title: "b", y: { label: "y", scale: "linear" }, segmentNames: ["v"], categories: [{ label: "c", segments: [y] }] },
      ],
    });
    const band = bandChart([chart(2), chart(1), chart(3)]);
    const line = band.panels[0]!;
    const bar = band.panels[1]!;
    expect(line.kind === "line" && line.series[0]!.band).toEqual([[1, 1, 3], [2, 2, 6]]);
    expect(bar.kind === "bar" && bar.categories[0]!.range).toEqual([1, 3]);
  });
});
