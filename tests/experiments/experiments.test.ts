/**
 * The experiments runner: byte-identical results across runs, the CSV's shape, slices of a grid
 * merging into the same table as a whole run, clear errors for bad input, and study programs
 * that compute what they claim. The CLI cases run the built command (npm test builds first).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishRows, runGrid } from "../../experiments/lib/grid.js";
import { renderChart } from "../../experiments/lib/plot.js";
import { runProgram, setParams } from "../../experiments/lib/run.js";
import { parseCsv, toCsv } from "../../experiments/lib/table.js";
import { findStudy, studyNames } from "../../experiments/studies.js";
import { runEpython } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "epy-exp-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SCALING_COLUMNS = [
  "point",
  "program",
  "chip",
  "cores",
  "cycles",
  "time_us",
  "speedup",
  "efficiency",
  "compute_frac",
  "comm_frac",
  "idle_frac",
  "host_frac",
  "messages",
];

function runQuick(name: string, out: string) {
  const r = runEpython(["experiment", name, "--quick", "--out", out], { timeoutMs: 120_000 });
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.code).toBe(0);
  return r;
}

function files(dir: string): Map<string, string> {
  // the visible files (the hidden .result-sets folder holds the sets they are links into)
  return new Map(readdirSync(dir).filter((f) => !f.startsWith(".")).sort().map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

describe("epython experiment scaling --quick", () => {
  const a = join(tmp, "a");
  const b = join(tmp, "b");
  let csv = "";
  let header: string[] = [];
  let rows: string[][] = [];
  const col = (name: string) => header.indexOf(name);
  beforeAll(() => {
    runQuick("scaling", a);
    runQuick("scaling", b);
    csv = readFileSync(join(a, "scaling.csv"), "utf8");
    ({ header, rows } = parseCsv(csv));
  });

  it("writes the CSV, the plots and the report", () => {
    expect([...files(a).keys()]).toEqual(["scaling-speedup.svg", "scaling-time-split.svg", "scaling.csv", "scaling.md"]);
    const md = readFileSync(join(a, "scaling.md"), "utf8");
    expect(md).toContain("](scaling-speedup.svg)");
    expect(md).toContain("| point | program |");
  });

  it("gives byte-identical files on a second run", () => {
    const fa = files(a);
    const fb = files(b);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [name, text] of fa) expect(fb.get(name), name).toBe(text);
  });

  it("has the documented columns, one row per grid point in grid order", () => {
    expect(header).toEqual(SCALING_COLUMNS);
    expect(rows.length).toBe(findStudy("scaling")!.grid(true).length);
    rows.forEach((r, i) => expect(r[col("point")]).toBe(String(i)));
    for (const r of rows) expect(r.length).toBe(header.length);
  });

  it("has speedup 1 and efficiency 1 on one core, and time shares that add up to 1", () => {
    const ones = rows.filter((r) => r[col("cores")] === "1");
    expect(ones.length).toBe(5); // one per program
    for (const r of ones) {
      expect(r[col("speedup")]).toBe("1.000");
      expect(r[col("efficiency")]).toBe("1.000");
    }
    for (const r of rows) {
      const sum = Number(r[col("compute_frac")]) + Number(r[col("comm_frac")]) + Number(r[col("idle_frac")]);
      expect(Math.abs(sum - 1)).toBeLessThan(0.0005);
      expect(Number(r[col("host_frac")])).toBeLessThanOrEqual(Number(r[col("comm_frac")]));
    }
  });

  it("matches the merge of two slices measured in this thread (the Slurm path)", async () => {
    const study = findStudy("scaling")!;
    const n = study.grid(true).length;
    const all = Array.from({ length: n }, (_, i) => i);
    const first = await runGrid(study, true, all.filter((i) => i % 2 === 0), { jobs: 1 });
    const second = await runGrid(study, true, all.filter((i) => i % 2 === 1), { jobs: 1 });
    const merged = new Map([...second, ...first]);
    expect(toCsv(finishRows(study, true, merged), study.columns)).toBe(csv);
    expect(() => finishRows(study, true, first)).toThrow(/not measured: 1, 3/);
  });
});

describe("grid runner", () => {
  it("a failing point rejects with the study, index and parameters", async () => {
    const broken = {
      ...findStudy("gc")!,
      name: "broken",
      grid: () => [{ size: 1 }, { size: 2 }],
      measure: (p: { size: number }) => {
        if (p.size === 2) throw new Error("out of cheese");
        return { size: p.size };
      },
    };
    await expect(runGrid(broken, true, [0, 1], { jobs: 1 })).rejects.toThrow("broken: grid point 1 (size=2) failed: out of cheese");
    await expect(runGrid(broken, true, [2], { jobs: 1 })).rejects.toThrow(/no grid point 2/);
  });
});

describe("experiment command errors", () => {
  it("an unknown study is a usage error listing the studies", () => {
    const r = runEpython(["experiment", "nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown study 'nosuch'");
    for (const n of studyNames()) expect(r.stderr).toContain(n);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("no study, a bad --jobs and an unknown flag are usage errors", () => {
    for (const args of [["experiment"], ["experiment", "scaling", "--jobs", "0"], ["experiment", "scaling", "--fast"], ["experiment", "scaling", "--out"]]) {
      const r = runEpython(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^epython: experiment: /);
    }
  });

  it("--list names every study", () => {
    const r = runEpython(["experiment", "--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0])).toEqual(studyNames());
  });
});

describe("study programs and helpers", () => {
  it("setParams replaces exactly one top-level line and refuses a missing one", () => {
    expect(setParams("N=1\nx=N\n", "t.py", { N: 7 })).toBe("N=7\nx=N\n");
    expect(() => setParams("x=1\n", "t.py", { N: 7 })).toThrow(/exactly one top-level line 'N=...'/);
  });

  it("the scaling programs compute the same answer on 1 and 4 cores", () => {
    const answer = (file: string, params: Record<string, number>, cores: number) =>
      runProgram(file, { ...params, CHECK: 1 }, { chip: "e16", cores: Array.from({ length: cores }, (_, i) => i) }).output;
    expect(answer("scaling/mandelbrot.py", {}, 4)).toEqual(answer("scaling/mandelbrot.py", {}, 1));
    const norm = (cores: number) => Number(answer("scaling/jacobi.py", { ITERATIONS: 20 }, cores)[0]!.replace("norm ", ""));
    expect(norm(1)).toBeGreaterThan(0);
    expect(Math.abs(norm(4) - norm(1)) / norm(1)).toBeLessThan(1e-4);
    for (const file of ["scaling/pi.py", "scaling/pi_hostrand.py"]) {
      const pi = Number(answer(file, {}, 4)[0]!.replace("pi ", ""));
      expect(Math.abs(pi - Math.PI), file).toBeLessThan(0.15);
    }
  });

  it("charts are self-contained SVG with finite coordinates", () => {
    const svg = renderChart({
      title: "t <&>",
      panels: [
        { kind: "line", title: "a", x: { label: "x", scale: "log2" }, y: { label: "y", scale: "linear" }, series: [{ name: "s", points: [[1, 2], [4, 3]] }] },
        { kind: "bar", title: "b", y: { label: "y", scale: "linear" }, segmentNames: ["p", "q"], categories: [{ label: "c", segments: [0.5, 0.5] }] },
      ],
    });
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("t &lt;&amp;&gt;");
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });
});
