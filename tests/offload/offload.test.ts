/**
 * `epython python SCRIPT`: a real CPython program (python3) offloading kernels to one simulation
 * of the chip (issue 17). Runs the built command (npm test builds first).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTrace } from "../../src/trace/reader.js";
import { ROOT, runEpython } from "../helpers/cli.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const program = (name: string) => join("tests", "offload", "programs", name);
const scratch = mkdtempSync(join(tmpdir(), "epython-offload-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!hasPython)("epython python: CPython offloading kernels", () => {
  it("blocking, asynchronous, auto, target, wait_any, test, waitAll and queued launches", () => {
    const r = runEpython(["python", "-d", "4", program("basics.py")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "blocking [0, 2, 4, 6]",
      "async 4 [49, 49, 49, 49]",
      "multiple [0, 1, 2]",
      "[device 0] kernel on 0",
      "auto [[4.0, 3, True, None]]",
      "target [9, 9]",
      "waitAll [[1], [1]]",
      "wait_any [25] [25] 2",
      "test [4]",
      "queued 1 [[36], [16]]",
      "time grows True",
      "",
    ]);
  });

  it("a failing kernel raises KernelError naming the core and the script's line; a dict raises TypeError", () => {
    const r = runEpython(["python", "-d", "4", program("errors.py")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("TypeError: a value of type dict can not be sent to the device");
    expect(r.stdout).toMatch(/KernelError: kernel failed on device 2 at .*errors\.py:5: integer division by zero/);
    expect(r.stdout).toContain("core 2 line 5");
  });

  it("strings returned by kernels (alone or in a list) reach Python; a function does not (TypeError, the core stays usable); between device cores a string still can not be sent", () => {
    const r = runEpython(["python", "-d", "4", program("strings.py")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "['abc', 'abc', 'abc', 'abc']",
      "['core 1', 'core 2']",
      "[['x', 3, '']]",
      "TypeError: core 1 sent the host program a function, which can not cross to Python (ints, reals, booleans, none and strings can)",
      "['still here']",
      expect.stringMatching(/^KernelError: kernel failed on device 0 at .*strings\.py:28: can only send integers, reals, booleans, none and functions between cores, not a string$/),
      "",
    ]);
  });

  it("strings from Python reach the kernels (arguments, list elements, send, bcast from the host) and come back; a dict, a nested list, a NUL or bytes raise TypeError and the cores stay usable; the session replays", () => {
    const path = join(scratch, "strings-in.trace");
    const r = runEpython(["python", "-d", "4", "--trace", path, program("strings_in.py")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const bad = (type: string) => `TypeError: a value of type ${type} can not be sent to the device (ints, floats, bools, None, strings and flat lists of them can)`;
    expect(r.stdout.split("\n")).toEqual([
      "['hello py from 0', 'hello py from 1', 'hello py from 2', 'hello py from 3']",
      "[[4, 6, 'cde']]",
      "['same'] ['different']",
      "[device 2] via send",
      "['via send!']",
      "['to all', 'to all', 'to all', 'to all']",
      bad("dict"),
      bad("list"),
      "TypeError: a string holding a NUL character can not be sent to the device (ePython's strings end at NUL)",
      bad("bytes"),
      "['hello again from 0', 'hello again from 1', 'hello again from 2', 'hello again from 3']",
      "",
    ]);
    const replay = runEpython(["replay", path]);
    expect(replay.stderr).toBe("");
    expect(replay.stdout).toMatch(/^replay OK: .* all \d+ events and the footer identical/);
  });

  it("the host program's send, recv (one value or a count), sendrecv and probe with kernels running on the cores", () => {
    const r = runEpython(["python", "-d", "4", program("messages.py")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "host 4 of 5 probe before False",
      "probe after True True",
      "doubled 60 20",
      "three [10, 11, 12] [30, 31, 32]",
      "strings done 1 done 3",
      "results [10, 30]",
      "sendrecv 42",
      "pair [2.0]",
      "TypeError: a value of type dict can not be sent to the device (ints, floats, bools, None, strings and flat lists of them can)",
      "ValueError: recv: 4 is not a device core (they are 0 to 3)",
      "DeadlockError",
      "",
    ]);
    // the same commands give the same simulated run
    expect(runEpython(["python", "-d", "4", program("messages.py")]).stdout).toBe(r.stdout);
  });

  it("bcast (from the host or a device core), reduce and sync with the host program taking part alongside every core's kernel", () => {
    const r = runEpython(["python", "-d", "4", program("collectives.py")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const each = "[5, 14, 126, 4.5]";
    expect(r.stdout.split("\n")).toEqual([
      "bcast from host 5",
      "bcast from core 2 14",
      "sum 126",
      "sync True",
      "max 4.5",
      `[${[each, each, each, each].join(", ")}]`,
      "ValueError: reduce: operator mean is not sum, min, max or prod",
      "DeadlockError",
      "",
    ]);
  });

  it("a kernel waiting for good raises DeadlockError", () => {
    const r = runEpython(["python", "-d", "4", program("deadlock.py")]);
    expect(r.stdout).toContain("DeadlockError: deadlock on the device");
    expect(r.code).toBe(0);
  });

  it("an uncaught kernel error ends the program with Python's exit status and traceback", () => {
    const r = runEpython(["python", "-d", "2", program("uncaught.py")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/epython\.KernelError: kernel failed on device 0 at .*uncaught\.py:5/);
  });

  it("pi_offload.py prints PI from 16 kernels and the simulated time, the same on every run", () => {
    const a = runEpython(["python", "-t", join("examples", "offload", "pi_offload.py")]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^Value of PI is 3\.1\d*\nSimulated time 0\.\d+ seconds for 16 kernels\n/);
    expect(a.stdout).toContain("Host program (process 16) completed in");
    const b = runEpython(["python", "-t", join("examples", "offload", "pi_offload.py")]);
    expect(b.stdout).toBe(a.stdout);
  });

  it("tutorial 6: blocking, asynchronous (with wait_any and test), auto, per-call target, offload_multiple / offload_single", () => {
    const hello = (cores: number[]) => cores.map((c) => `[device ${c}] Hello World`);
    const run = (name: string) => {
      const r = runEpython(["python", program(`tutorial6_${name}.py`)]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return r.stdout.split("\n");
    };
    const all = Array.from({ length: 16 }, (_, i) => i);
    const thirties = (n: number) => `[${Array(n).fill(30).join(", ")}]`;
    expect(run("blocking")).toEqual([...hello(all), thirties(16), ""]);
    expect(run("async")).toEqual([...hello(all), thirties(16), "[device 3] Hello World", "[3] 1", "[device 4] Hello World", "[3]", ""]);
    expect(run("auto")).toEqual([...hello([0, 1, 2, 3]), thirties(4), ""]);
    expect(run("target")).toEqual([...hello([9, 10]), thirties(2), ""]);
    expect(run("shortcuts")).toEqual([`[${thirties(8)}, [-10]]`, ""]);
  });

  it("jacobi_offload.py: device-resident arrays, two kernels launched every iteration, converges as the single-precision algorithm does", () => {
    const r = runEpython(["python", join("examples", "offload", "jacobi_offload.py")], { timeoutMs: 180_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Rnorm is 0\.034\d+ after 50 iterations$/);
    const rnorms = lines.slice(0, -1).map((l) => Number(/^Rnorm is (\S+) after (\d+) iterations$/.exec(l)![1]));
    expect(rnorms).toHaveLength(164);
    for (let i = 1; i < rnorms.length; i++) expect(rnorms[i]!).toBeLessThan(rnorms[i - 1]!);
    // the same algorithm in CPython with every operation rounded to float32 (as the cores compute)
    // stops at the same iteration with the same residual
    expect(lines.at(-1)).toMatch(/^Converged in 8224 iterations, Rnorm is 9\.992128336151789e-05, simulated time \d+\.\d+ seconds$/);
  });

  it("tutorial 7: device-resident data stays on the cores between kernels; copy_to_device / copy_from_device, on all cores or a target", () => {
    const a = runEpython(["python", program("tutorial7_resident.py")]);
    expect(a.stderr).toBe("");
    const rows = JSON.parse(a.stdout) as number[][];
    expect(rows).toHaveLength(16);
    rows.forEach((row, core) => expect(row).toEqual(Array.from({ length: 10 }, (_, i) => i * core)));
    const b = runEpython(["python", program("tutorial7_update.py")]);
    expect(b.stderr).toBe("");
    const all = (v: number) => `[${Array(16).fill(v).join(", ")}]`;
    const some = Array(16).fill(19);
    for (const c of [1, 5, 9]) some[c] = 99;
    expect(b.stdout.split("\n")).toEqual([all(23), all(19), all(99), "[99, 99]", all(19), `[${some.join(", ")}]`, ""]);
  });

  it("tutorial 7: asynchronous copies, test(), and a copy chained before a kernel on the same core", () => {
    const r = runEpython(["python", program("tutorial7_async.py")]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("[6]\nFalse\n1 100 True\n[None] 0 True\n");
  });

  it("device data: an unknown name, a copy of another length (ePython's device message), a define after the start", () => {
    const r = runEpython(["python", "-d", "2", program("resident_errors.py")]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      "NameError: can not find global variable w for copying from the device (define it with define_on_device(w))",
      "[device 0] Error, data to write must equal the target data size",
      "[[1, 2, 3], [1, 2, 3]]",
      "[[1, 2, 3], [7.5, 8.5, 9.5]]",
      "EpythonError: define_on_device after the device was started (at the first launch): define device data before launching any kernel",
      "",
    ]);
  });

  it("the offload experiment (python3 through the grid runner) writes the same CSV, report and plot on every run", () => {
    const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), "offload-exp-")));
    try {
      for (const d of dirs) {
        const r = runEpython(["experiment", "offload", "--quick", "--out", d], { timeoutMs: 180_000 });
        expect(r.code, r.stderr).toBe(0);
      }
      const read = (d: string, f: string) => readFileSync(join(d, f), "utf8");
      for (const f of ["offload.csv", "offload.md", "offload-cost.svg"]) expect(read(dirs[1]!, f)).toBe(read(dirs[0]!, f));
      const rows = read(dirs[0]!, "offload.csv").trim().split("\n").slice(1).map((l) => l.split(","));
      // cores 4 then 16; sizes 4, 64, 256; the three modes
      expect(rows.map((r) => `${r[3]} ${r[2]} ${r[1]}`)).toEqual(["4", "16"].flatMap((c) => ["4", "64", "256"].flatMap((n) => ["resident", "args", "roundtrip"].map((m) => `${c} ${n} ${m}`))));
      // copying costs more than keeping the data on the cores, the more so the more data and the more cores
      for (const r of rows) if (r[1] !== "resident") expect(Number(r[8])).toBeGreaterThan(1);
      const slowdown = (mode: string, n: string, c: string) => Number(rows.find((r) => r[1] === mode && r[2] === n && r[3] === c)![8]);
      expect(slowdown("args", "256", "16")).toBeGreaterThan(slowdown("args", "4", "16"));
      expect(slowdown("args", "256", "16")).toBeGreaterThan(slowdown("args", "256", "4"));
      // the report says what the CSV says: the crossover on 16 cores, the break-even, the slowdowns by cores
      const md = read(dirs[0]!, "offload.md");
      const first16 = rows.find((r) => r[1] === "args" && r[3] === "16")!;
      expect(Number(first16[8])).toBeGreaterThan(2);
      expect(md).toContain(`already at ${first16[2]} reals per core on 16 (x${first16[8]})`);
      const trips = rows.filter((r) => r[1] === "roundtrip").map((r) => Number(r[11]));
      expect(md).toContain(`from iteration ${Math.ceil(Math.max(...trips))} on the device-resident program is ahead`);
      expect(md).toContain(`x${slowdown("args", "256", "4").toFixed(1)} on 4, x${slowdown("args", "256", "16").toFixed(1)} on 16`);
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  /**
   * Start forever.py (its kernel never ends) with --trace, stop it with `kill` once the kernel runs
   * (its line is out: the stop always comes mid-kernel); how epython ended, and the trace's path.
   */
  const interrupt = (kill: (epythonPid: number, pythonPid: number) => void, name: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string; python: number; group: number; trace: string }>((resolve) => {
      const trace = join(scratch, `${name}.trace`);
      const child = spawn(process.execPath, [join(ROOT, "bin", "epython.js"), "python", "-d", "2", "-t", "--trace", trace, program("forever.py")], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      let python = 0;
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /pid (\d+)\n(?:.*\n)*\[device 0\] spinning/.exec(stdout);
        if (m && python === 0) {
          python = Number(m[1]);
          setTimeout(() => kill(child.pid!, python), 700);
        }
      });
      child.on("exit", (code) => setTimeout(() => resolve({ code, stdout, stderr, python, group: child.pid!, trace }), 200));
    });
  /** The trace of an interrupted session: complete, flagged as interrupted (by `cause`, after some slices), and replay reproduces it. */
  const checkInterruptedTrace = (path: string, cause: RegExp) => {
    const trace = readTrace(new Uint8Array(readFileSync(path)));
    expect(trace.complete).toBe(true);
    expect(trace.footer.error?.kind).toBe("interrupted");
    expect(trace.footer.error?.message).toMatch(cause);
    expect(trace.footer.error?.message).toMatch(/after \d+ slices of the run, at cycle \d+$/);
    const r = runEpython(["replay", path]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^replay OK: .* all \d+ events and the footer identical \(offload_kernels\.py, failed as recorded: interrupted/);
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim().startsWith("Z") === false;
    } catch {
      return false;
    }
  };
  const groupLeft = (pgid: number) => spawnSync("ps", ["-o", "pid=,stat=", "-g", String(pgid)], { encoding: "utf8" }).stdout.split("\n").filter((l) => l.trim() !== "" && !/\sZ/.test(l));

  it("the host program killed mid-session: the simulation stops where it is, epython exits with 128+9, nothing is left running", async () => {
    const r = await interrupt((_, py) => process.kill(py, "SIGKILL"), "killed");
    expect(r.code).toBe(137);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/Core 0 stopped at \d+\.\d+ seconds \(interrupted\)/);
    // (the host's own state depends on how far the program got in the 700 ms: waiting for core 0's result, almost always)
    expect(r.stdout).toMatch(/Host program \(process 2\) stopped at \d+\.\d+ seconds/);
    expect(alive(r.python)).toBe(false);
    expect(groupLeft(r.group)).toEqual([]);
    checkInterruptedTrace(r.trace, /^interrupted by the host program's death by SIGKILL after/);
  });

  it("Ctrl-C (SIGINT to the process group): Python's KeyboardInterrupt, epython exits with 130, nothing is left running", async () => {
    const r = await interrupt((group) => process.kill(-group, "SIGINT"), "sigint");
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("KeyboardInterrupt");
    expect(r.stdout).toMatch(/Core 0 stopped at \d+\.\d+ seconds \(interrupted\)/);
    checkInterruptedTrace(r.trace, /^interrupted by SIGINT \(Ctrl-C\) after/);
    expect(alive(r.python)).toBe(false);
    expect(groupLeft(r.group)).toEqual([]);
  });

  it("SIGTERM to epython alone ends the program too", async () => {
    const r = await interrupt((epython) => process.kill(epython, "SIGTERM"), "sigterm");
    expect(r.code).toBe(143);
    checkInterruptedTrace(r.trace, /^interrupted by SIGTERM after/);
    expect(alive(r.python)).toBe(false);
    expect(groupLeft(r.group)).toEqual([]);
  });

  it("epython itself killed mid-kernel (SIGKILL): the program ends on its own, the trace is incomplete and replay checks it up to its end (without running the endless kernel on)", async () => {
    const r = await interrupt((epython) => process.kill(epython, "SIGKILL"), "epython-killed");
    expect(r.code).toBe(null);
    const trace = readTrace(new Uint8Array(readFileSync(r.trace)));
    expect(trace.complete).toBe(false);
    expect(trace.eventCount).toBeGreaterThan(0);
    const replay = runEpython(["replay", r.trace], { timeoutMs: 60_000 });
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/^replay OK: .*incomplete trace.* all \d+ events up to its end identical/);
    // the program saw its link go and ended (its EpythonError), nothing is left running: within
    // seconds (a fixed half second failed once with the whole suite loading both cores)
    for (let waited = 0; waited < 10_000 && alive(r.python); waited += 250) await new Promise((res) => setTimeout(res, 250));
    expect(alive(r.python)).toBe(false);
  });

  it("a program run without the simulator is told how to run it", () => {
    const r = spawnSync("python3", [program("basics.py")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, PYTHONPATH: join(ROOT, "python") } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("run this program with `npx epython python");
  });
});
