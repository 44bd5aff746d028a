/**
 * `epython python SCRIPT`: a real CPython program (python3) offloading kernels to one simulation
 * of the chip (issue 17). Runs the built command (npm test builds first).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runEpython } from "../helpers/cli.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const program = (name: string) => join("tests", "offload", "programs", name);

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

  it("a program run without the simulator is told how to run it", () => {
    const r = spawnSync("python3", [program("basics.py")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, PYTHONPATH: join(ROOT, "python") } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("run this program with `npx epython python");
  });
});
