/** `npm run bench`'s whole-process part: its arguments, the programs it writes and its report (never its numbers). */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildRows,
  floatAccumSum,
  formatSeries,
  formatTable,
  makeTimer,
  median,
  parseBenchArgs,
  parseMaxRss,
  parseTimeReport,
  timeProcess,
  toPython3,
  type WholeFigures,
  withIterations,
} from "../bench/whole-process.js";

describe("bench arguments", () => {
  it("defaults to five runs and the 1,024-core run", () => {
    expect(parseBenchArgs([])).toEqual({ ok: true, options: { quick: false, runs: 5, help: false } });
  });

  it("--quick or EPYTHON_BENCH_QUICK skips the 1,024-core run; EPYTHON_BENCH_QUICK=0 or empty does not", () => {
    const quick = (argv: string[], env: Record<string, string> = {}) => {
      const p = parseBenchArgs(argv, env);
      return p.ok && p.options.quick;
    };
    expect(quick(["--quick"])).toBe(true);
    expect(quick([], { EPYTHON_BENCH_QUICK: "1" })).toBe(true);
    expect(quick([], { EPYTHON_BENCH_QUICK: "0" })).toBe(false);
    expect(quick([], { EPYTHON_BENCH_QUICK: "" })).toBe(false);
  });

  it("takes --runs N and --runs=N from 1 to 99, and --help", () => {
    const runs = (argv: string[]) => {
      const p = parseBenchArgs(argv);
      return p.ok ? p.options.runs : p.error;
    };
    expect(runs(["--runs", "3"])).toBe(3);
    expect(runs(["--runs=7", "--quick"])).toBe(7);
    for (const bad of [["--runs"], ["--runs", "0"], ["--runs", "100"], ["--runs", "2.5"], ["--runs=x"]]) {
      expect(parseBenchArgs(bad).ok).toBe(false);
    }
    const help = parseBenchArgs(["--help"]);
    expect(help.ok && help.options.help).toBe(true);
  });

  it("refuses an argument it does not know, naming it", () => {
    expect(parseBenchArgs(["--quik"])).toEqual({ ok: false, error: "unknown argument --quik" });
  });
});

describe("bench programs", () => {
  const example = readFileSync(join(import.meta.dirname, "..", "examples", "float_accum.py"), "utf8");

  it("sets float_accum.py's iteration count and nothing else", () => {
    const big = withIterations(example, 3_000_000);
    expect(big).toContain("while i<3000000:");
    expect(big.replace("3000000", "300000")).toBe(example);
    expect(() => withIterations("print 1\n", 5)).toThrow(/while i<N/);
  });

  it("writes ePython's print statements as Python 3 calls and leaves the rest", () => {
    expect(toPython3("x=1\nprint s\n\tprint \"a \"+x\nprinter=2\nprint(y)\n")).toBe('x=1\nprint(s)\n\tprint("a "+x)\nprinter=2\nprint(y)\n');
    const py3 = toPython3(example);
    expect(py3.split("\n").filter((l) => !l.startsWith("print")).join("\n")).toBe(example.split("\n").filter((l) => !l.startsWith("print")).join("\n"));
  });

  it("knows the integer float_accum.py prints", () => {
    expect(floatAccumSum(300_000)).toBe(899_997);
    expect(floatAccumSum(3_000_000)).toBe(8_999_994);
  });
});

describe("bench measuring", () => {
  it("reads bash's time report and GNU time's max RSS", () => {
    expect(parseTimeReport("some output\n1.102 0.963 0.037\n")).toEqual({ wall: 1.102, user: 0.963, sys: 0.037 });
    expect(parseTimeReport("no report")).toBeUndefined();
    expect(parseMaxRss("Command exited with non-zero status 1\n3056\n")).toBe(3056);
    expect(parseMaxRss("")).toBeUndefined();
  });

  it("keeps the child's output and exit status apart from the time report", () => {
    const tmp = mkdtempSync(join(tmpdir(), "bench-test-"));
    try {
      const timer = makeTimer(tmp);
      if (!timer) return; // no bash: the bench says so and measures nothing
      const r = timeProcess(timer, ["bash", "-c", "echo out; echo err >&2; exit 3"], tmp);
      expect(r.status).toBe(3);
      expect(r.stdout).toBe("out\n");
      expect(r.stderr).toBe("err\n");
      expect(r.cpu).toBeCloseTo(r.user + r.sys, 9);
      expect(timer.gnuTime ? typeof r.maxRssKb : "undefined").toBe(timer.gnuTime ? "number" : "undefined");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("bench report", () => {
  it("gives the median and the range of the runs", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(formatSeries([1.02, 0.97, 0.99, 1.1, 0.98])).toBe("0.99 s (0.97-1.10)");
    expect(formatSeries([0.5])).toBe("0.50 s");
  });

  const figures: WholeFigures = {
    iterations: 3_000_000,
    runs: 3,
    sim: { loop: [1.0, 1.1, 0.9], hello: [0.2, 0.2, 0.2] },
    python: { loop: [0.5, 0.5, 0.5], hello: [0.1, 0.1, 0.1] },
    pythonVersion: "3.11.7",
    c: { missing: "not available (set EPYTHON_C)" },
    inProcess: { simMs: 30, pyMs: 100 },
    e1024: { wall: 4.5, cpu: 9, maxRssKb: 600_000 },
  };

  it("judges each target: loop alone and in-process against CPython, hello, e1024 wall and memory", () => {
    const rows = buildRows(figures);
    const verdict = (work: RegExp) => rows.find((r) => work.test(r.work))!.verdict;
    expect(verdict(/^hello/)).toBe("met"); // 0.2 <= 0.25
    expect(verdict(/^loop alone/)).toBe("not met"); // (1.0-0.2)/(0.5-0.1) = 2x > 0.5x
    expect(rows.find((r) => /^loop alone/.test(r.work))!.ratio).toBe("2.00x");
    expect(verdict(/^in-process/)).toBe("met"); // 0.3x
    expect(verdict(/e1024, wall/)).toBe("met"); // 4.5 < 5
    expect(verdict(/e1024, peak memory/)).toBe("not met"); // 614 MB
    expect(rows.find((r) => /peak memory/.test(r.work))!.sim).toBe("614 MB");
  });

  it("marks what was not measured: the C interpreter, a skipped e1024 run, memory without GNU time, no python3", () => {
    const skipped = buildRows({ ...figures, e1024: { skipped: "skipped (--quick)" } });
    expect(skipped.at(-1)).toMatchObject({ sim: "skipped (--quick)", verdict: "skipped" });
    expect(skipped.every((r) => r.c === "n/a" || r.c === "-")).toBe(true);
    const noRss = buildRows({ ...figures, e1024: { wall: 60, cpu: 58, maxRssKb: undefined } });
    expect(noRss.find((r) => /peak memory/.test(r.work))).toMatchObject({ sim: "not measured (needs GNU time)", verdict: "unknown" });
    const noPython = buildRows({ ...figures, python: { missing: "not available" }, pythonVersion: undefined, inProcess: { simMs: 30, pyMs: undefined } });
    expect(noPython.find((r) => /^loop alone/.test(r.work))!.verdict).toBe("unknown");
    expect(noPython.find((r) => /^in-process/.test(r.work))!.verdict).toBe("unknown");
    expect(noPython.find((r) => /^hello/.test(r.work))!.verdict).toBe("met");
  });

  it("prints one aligned table with a header naming the CPython version", () => {
    const table = formatTable(buildRows(figures), "3.11.7").split("\n");
    expect(table[0]).toMatch(/^\| work .*\| epython-sim .*\| ePython C \(host\) .*\| CPython 3\.11\.7 .*\| target .*\| met\? *\|$/);
    expect(table[1]).toMatch(/^\|[-|]+\|$/);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(table.length).toBe(2 + buildRows(figures).length);
  });
});
