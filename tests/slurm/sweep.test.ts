/**
 * Sweeps as Slurm job arrays, without a cluster: slicing, exact rows in JSON, the batch script,
 * and the whole submit / run tasks / collect / resubmit cycle with stand-in `sbatch` and `sinfo`
 * scripts (array tasks run by executing the written batch script with SLURM_ARRAY_TASK_ID set,
 * as Slurm would). A task killed with SIGKILL, a failing point, and the error messages.
 * The same cycle on a real cluster is in cluster.test.ts.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchScript, decodeRow, encodeRow, newManifest, runTask, slices, taskFileName, writeManifest } from "../../experiments/lib/slurm-sweep.js";
import type { AnyStudy } from "../../experiments/lib/study.js";
import { findStudy } from "../../experiments/studies.js";
import { epython, files, jobIdOf, readJson, ROOT, STACK } from "./helpers.js";

const tmp = mkdtempSync(join(tmpdir(), "epy-sweep-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const scaling = findStudy("scaling")!;
const QUICK_POINTS = scaling.grid(true).length;

/** A bin directory holding only the given stand-in commands (shell scripts using builtins). */
function fakeBin(name: string, scripts: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const [cmd, body] of Object.entries(scripts)) {
    writeFileSync(join(dir, cmd), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, cmd), 0o755);
  }
  return dir;
}

const ACCEPTING_SBATCH = `if [ "$1" = "--version" ]; then echo "slurm 0"; exit 0; fi
echo "4242"`;
const SINFO = `printf 'debug*\\nlong\\n'`;

/** Run array task `task` of a batch script the way Slurm does: bash, with SLURM_ARRAY_TASK_ID. */
function runArrayTask(script: string, task: number) {
  const r = spawnSync("/bin/bash", [script], { encoding: "utf8", env: { ...process.env, SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_JOB_ID: "4242" }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

let localCsv = "";
let localFiles = new Map<string, string>();
beforeAll(() => {
  const r = epython(["experiment", "scaling", "--quick", "--out", join(tmp, "local")]);
  expect(r.code, r.stderr).toBe(0);
  localFiles = files(join(tmp, "local"));
  localCsv = localFiles.get("scaling.csv")!;
});

describe("slices and rows", () => {
  it("deals grid indices out round-robin, each exactly once, no empty slice", () => {
    expect(slices([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
    expect(slices([4, 9], 5)).toEqual([[4], [9]]);
    expect(slices([], 4)).toEqual([]);
    const all = Array.from({ length: 105 }, (_, i) => i);
    const s = slices(all, 8);
    expect(s.length).toBe(8);
    expect(s.flat().sort((a, b) => a - b)).toEqual(all);
    expect(Math.max(...s.map((x) => x.length)) - Math.min(...s.map((x) => x.length))).toBeLessThanOrEqual(1);
  });

  it("keeps NaN, infinities and -0 through JSON", () => {
    const row = { a: NaN, b: Infinity, c: -Infinity, d: -0, e: 0.1 + 0.2, f: "x", g: null };
    const back = decodeRow(JSON.parse(JSON.stringify(encodeRow(row))));
    expect(Number.isNaN(back.a)).toBe(true);
    expect(back.b).toBe(Infinity);
    expect(back.c).toBe(-Infinity);
    expect(Object.is(back.d, -0)).toBe(true);
    expect(back.e).toBe(0.1 + 0.2);
    expect(back.f).toBe("x");
    expect(back.g).toBe(null);
  });

  it("the batch script: directives first, an array over the slices, this checkout's CLI by absolute path", () => {
    const text = batchScript({ study: "scaling", quick: true, dir: "/shared/sw", round: 2, tasks: [[0, 3], [1], [2]], partition: "debug", time: "10", throttle: 1, node: "/opt/node/bin/node", root: "/src/epy" });
    const lines = text.split("\n");
    const firstCommand = lines.findIndex((l) => l !== "" && !l.startsWith("#"));
    const directives = lines.filter((l) => l.startsWith("#SBATCH"));
    expect(lines.findLastIndex((l) => l.startsWith("#SBATCH"))).toBeLessThan(firstCommand);
    expect(directives).toContain("#SBATCH --array=0-2%1");
    expect(directives).toContain("#SBATCH --partition=debug");
    expect(directives).toContain("#SBATCH --time=10");
    expect(directives).toContain("#SBATCH --output=/shared/sw/logs/scaling.r2.task-%a.log");
    expect(text).toContain("cd /src/epy\n");
    expect(text).toContain("POINTS=(\n  0,3\n  1\n  2\n)");
    expect(text).toContain(`exec /opt/node/bin/node /src/epy/bin/epython.js experiment scaling --quick --slurm-task /shared/sw --round 2 --points "\${POINTS[$SLURM_ARRAY_TASK_ID]}"`);
    expect(text.startsWith("#!/bin/bash\n")).toBe(true);
  });
});

describe("a sweep with stand-in sbatch: submit, lose a task, collect, resubmit, collect", () => {
  const dir = join(tmp, "sweep");
  const bin = fakeBin("bin-ok", { sbatch: ACCEPTING_SBATCH, sinfo: SINFO });
  const env = { PATH: bin };

  it("--dry-run prints the script and writes nothing", () => {
    const r = epython(["experiment", "scaling", "--quick", "--slurm", "--tasks", "3", "--dry-run", "--out", dir], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("#SBATCH --array=0-2\n");
    expect(r.stdout).toContain(`cd ${ROOT}`);
    expect(existsSync(dir)).toBe(false);
  });

  it("--slurm writes manifest and script and prints the job id and the collect command", () => {
    const r = epython(["experiment", "scaling", "--quick", "--slurm", "--tasks", "3", "--partition", "debug", "--out", dir], env);
    expect(r.code, r.stderr).toBe(0);
    expect(jobIdOf(r.stdout)).toBe("4242");
    expect(r.stdout).toMatch(/collect: npx epython experiment scaling --collect \S+sweep/);
    const m = readJson(join(dir, "scaling.manifest.json"));
    expect(m).toMatchObject({ study: "scaling", quick: true, gridSize: QUICK_POINTS });
    expect(m.rounds).toHaveLength(1);
    expect(m.rounds[0]).toMatchObject({ round: 0, jobId: "4242", partition: "debug" });
    expect(m.rounds[0].tasks.flat().sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: QUICK_POINTS }, (_, i) => i));
    // a second submission into the same directory would mix two sweeps
    const again = epython(["experiment", "scaling", "--quick", "--slurm", "--out", dir], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a sweep of scaling.*--resubmit/);
  });

  it("collect lists the points of a task that never ran and keeps the others", () => {
    const script = join(dir, "scaling.r0.sbatch");
    for (const t of [0, 1]) {
      const r = runArrayTask(script, t);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`scaling round 0 task ${t}: wrote`));
    }
    const lost: number[] = readJson(join(dir, "scaling.manifest.json")).rounds[0].tasks[2];
    const r = epython(["experiment", "scaling", "--collect", dir, "--out", join(tmp, "partial")], env);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toContain(`${QUICK_POINTS - lost.length} of ${QUICK_POINTS} grid points measured`);
    expect(r.stderr).toContain(`missing points ${lost.join(", ")}: round 0 array task 2: its task wrote nothing and has no log`);
    expect(r.stderr).toContain("--resubmit");
    expect(existsSync(join(tmp, "partial", "scaling.csv"))).toBe(false);
    expect(existsSync(join(dir, taskFileName("scaling", 0, 0)))).toBe(true);
  });

  it("--resubmit sends only the missing points; then collect gives the local run's bytes", () => {
    const lost: number[] = readJson(join(dir, "scaling.manifest.json")).rounds[0].tasks[2];
    const r = epython(["experiment", "--resubmit", dir, "--tasks", "2"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(jobIdOf(r.stdout)).toBe("4242");
    const round = readJson(join(dir, "scaling.manifest.json")).rounds[1];
    expect(round.round).toBe(1);
    expect(round.partition).toBe("debug"); // kept from the first round
    expect(round.tasks.flat().sort((a: number, b: number) => a - b)).toEqual(lost);
    for (const t of [0, 1]) expect(runArrayTask(join(dir, "scaling.r1.sbatch"), t).code).toBe(0);
    const out = join(tmp, "collected");
    const c = epython(["experiment", "scaling", "--collect", dir, "--out", out], env);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain("scaling.csv");
    expect(readFileSync(join(out, "scaling.csv"), "utf8")).toBe(localCsv);
    const got = files(out);
    expect([...got.keys()]).toEqual([...localFiles.keys()]);
    for (const [name, text] of localFiles) expect(got.get(name), name).toBe(text);
    const again = epython(["experiment", "scaling", "--resubmit", dir], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to resubmit");
  });

  it("re-running a finished task is harmless: same file, nothing measured again", () => {
    const file = join(dir, taskFileName("scaling", 0, 1));
    const before = readFileSync(file, "utf8");
    const r = runArrayTask(join(dir, "scaling.r0.sbatch"), 1);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .*\(0 measured, [0-9]+ kept from an earlier run, 0 failed\)/);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readdirSync(dir).filter((f) => /\.tmp(-[0-9]+)?$/.test(f))).toEqual([]);
  });
});

describe("faults", () => {
  const bin = fakeBin("bin-faults", { sbatch: ACCEPTING_SBATCH, sinfo: SINFO });

  it("a task killed part-way leaves a whole file with its finished points; running it again completes it", async () => {
    const dir = join(tmp, "killed");
    expect(epython(["experiment", "scaling", "--quick", "--slurm", "--tasks", "1", "--out", dir], { PATH: bin }).code).toBe(0);
    const points = Array.from({ length: QUICK_POINTS }, (_, i) => i).join(",");
    const args = [join(ROOT, "bin", "epython.js"), "experiment", "scaling", "--quick", "--slurm-task", dir, "--round", "0", "--points", points, "--task", "0"];
    // SIGKILL as soon as the first point is reported: no chance to clean up
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let seen = "";
    const died = await new Promise<number | null>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        seen += d.toString();
        if (seen.includes(" done")) child.kill("SIGKILL");
      });
      child.on("exit", (_code, signal) => resolve(signal === "SIGKILL" ? 1 : 0));
    });
    expect(died, "the task finished before it could be killed").toBe(1);
    const file = join(dir, taskFileName("scaling", 0, 0));
    const partial = readJson(file); // parses: never half-written
    expect(partial.complete).toBe(false);
    expect(partial.rows.length).toBeGreaterThanOrEqual(1);
    expect(partial.rows.length).toBeLessThan(QUICK_POINTS);
    const c = epython(["experiment", "scaling", "--collect", dir], { PATH: bin });
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/round 0 array task 0: its task stopped after [0-9]+ of 25 points \(killed, timed out, or still running\)/);
    const rerun = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`${partial.rows.length} kept from an earlier run`);
    const done = readJson(file);
    expect(done.complete).toBe(true);
    expect(done.rows.length).toBe(QUICK_POINTS);
    const out = join(tmp, "killed-out");
    expect(epython(["experiment", "scaling", "--collect", dir, "--out", out], { PATH: bin }).code).toBe(0);
    expect(readFileSync(join(out, "scaling.csv"), "utf8")).toBe(localCsv);
  });

  it("a failing point is reported with its error by --collect and sent again by --resubmit", async () => {
    const dir = join(tmp, "failing");
    mkdirSync(dir, { recursive: true });
    // the study as the CLI knows it, except that point 3 fails
    const broken: AnyStudy = {
      ...scaling,
      measure: (p: unknown, i: number) => {
        if (i === 3) throw new Error("out of cheese");
        return scaling.measure(p, i);
      },
    };
    const all = Array.from({ length: QUICK_POINTS }, (_, i) => i);
    writeManifest(dir, { ...newManifest(scaling, true), rounds: [{ round: 0, jobId: "77", tasks: [all], partition: null, time: null, throttle: null }] });
    const outcome = await runTask({ study: broken, quick: true, dir, round: 0, task: 0, points: all, jobId: "77" });
    expect(outcome.errors).toEqual([{ point: 3, message: "out of cheese" }]);
    // the task file as the built CLI would have written it (the fingerprint of the code that ran)
    const built = (await import(join(ROOT, "dist", "experiments", "lib", "slurm-sweep.js"))) as { codeHash: () => string };
    const file = join(dir, taskFileName("scaling", 0, 0));
    writeFileSync(file, JSON.stringify({ ...readJson(file), codeHash: built.codeHash() }));
    const c = epython(["experiment", "scaling", "--collect", dir], { PATH: bin });
    expect(c.code).toBe(1);
    expect(c.stderr).not.toMatch(STACK);
    expect(c.stderr).toContain("24 of 25 grid points measured");
    expect(c.stderr).toContain("failed point 3 (program=pi chip=e16 cores=8): round 0 array task 0: out of cheese");
    const r = epython(["experiment", "scaling", "--resubmit", dir, "--dry-run"], { PATH: bin });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("POINTS=(\n  3\n)");
    expect(r.stdout).toContain("--round 1 ");
  });
});

describe("errors name what was wrong and what to do", () => {
  const dir = join(tmp, "errors");

  it("no sbatch on the PATH", () => {
    const r = epython(["experiment", "scaling", "--quick", "--slurm", "--out", dir], { PATH: fakeBin("bin-empty", {}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^epython: experiment: 'sbatch' is not on the PATH.*module load slurm.*--dry-run/);
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(dir)).toBe(false);
  });

  it("an unknown partition lists the cluster's partitions", () => {
    const r = epython(["experiment", "scaling", "--quick", "--slurm", "--partition", "gpu", "--out", dir], { PATH: fakeBin("bin-parts", { sbatch: ACCEPTING_SBATCH, sinfo: SINFO }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown partition 'gpu': this cluster has debug, long");
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(dir)).toBe(false);
  });

  it("sbatch refusing the job: its message, a hint, and nothing left behind", () => {
    const refusing = fakeBin("bin-refuse", {
      sbatch: `if [ "$1" = "--version" ]; then echo "slurm 0"; exit 0; fi
echo "sbatch: error: Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)" >&2; exit 1`,
      sinfo: SINFO,
    });
    const r = epython(["experiment", "scaling", "--quick", "--slurm", "--time", "99-0", "--out", dir], { PATH: refusing });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("sbatch refused the job: sbatch: error: Batch job submission failed: Requested time limit is invalid");
    expect(r.stderr).toContain("check --time '99-0'");
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(dir)).toBe(false);
  });

  it("bad flags and directories are usage or input errors", () => {
    const cases: [string[], number, RegExp][] = [
      [["experiment", "scaling", "--slurm", "--time", "soon"], 2, /--time 'soon' is not a Slurm time/],
      [["experiment", "scaling", "--slurm", "--tasks", "0"], 2, /--tasks must be a whole number of at least 1/],
      [["experiment", "scaling", "--partition", "debug"], 2, /--partition goes with --slurm or --resubmit/],
      [["experiment", "all", "--slurm"], 2, /a Slurm sweep is one study/],
      [["experiment", "scaling", "--slurm", "--collect", tmp], 2, /--slurm and --collect can not be combined/],
      [["experiment", "--collect", join(tmp, "nowhere")], 2, /no sweep directory/],
      [["experiment", "--collect", tmp], 2, /holds no sweep/],
      [["experiment", "scaling", "--slurm-task", tmp, "--round", "0"], 2, /needs --round R and --points LIST/],
      [["experiment", "scaling", "--quick", "--slurm-task", tmp, "--round", "0", "--points", "1,1", "--task", "0"], 2, /appears twice/],
      [["experiment", "scaling", "--quick", "--slurm-task", tmp, "--round", "0", "--points", "1", "--task", "0"], 2, /an array task runs in a directory made by --slurm/],
    ];
    for (const [args, code, message] of cases) {
      const r = epython(args, { PATH: fakeBin("bin-empty", {}) });
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr, args.join(" ")).not.toMatch(STACK);
    }
  });
});
