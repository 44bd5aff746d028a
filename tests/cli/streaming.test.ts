/**
 * Program output reaches stdout as the run goes, not at its end; a run that goes on without output
 * says so once per decade of simulated time.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runEpython } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "epy-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

interface Timed {
  code: number | null;
  stdout: string;
  stderr: string;
  /** wall milliseconds from the start to the first line on stdout, and to the process's end */
  firstLineMs: number;
  endMs: number;
}

/** Spawn the CLI and note when its first stdout line arrives and when it ends. */
function timedRun(args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, "bin", "epython.js"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let firstLineMs = -1;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (firstLineMs < 0 && stdout.includes("\n")) firstLineMs = performance.now() - t0;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, firstLineMs, endMs: performance.now() - t0 }));
  });
}

describe("streaming output", () => {
  it("a 1,024-core run prints its first line well before it finishes computing", async () => {
    // core 0 prints, every core waits for it at the barrier, then all 1,024 compute for a few
    // seconds of wall time without a request (the simulator runs each such stretch in one go)
    const file = program("early.py", [
      "from parallel import *",
      "if coreid()==0:",
      '\tprint "started on "+numcores()+" cores"',
      "sync()",
      "s=0",
      "i=0",
      "while i<50000:",
      "\ts=s+i",
      "\ti+=1",
      "if coreid()==0:",
      '\tprint "done "+s',
    ]);
    // --no-jit: interpreted, the computation takes seconds (compiled, too little to tell the first line from the end)
    const r = await timedRun(["--no-jit", "--chip", "e1024", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("[device 0] started on 1024 cores\n[device 0] done 1249975000\n");
    // generous: on this machine the first line comes after about 1 s of 6
    expect(r.firstLineMs).toBeGreaterThan(0);
    expect(r.firstLineMs).toBeLessThan(r.endMs / 2);
  });
});

describe("the quiet-run notice", () => {
  it("comes once for a run that goes past 10 s of simulated time without output, though its cores run ahead of each other", () => {
    // each core computes 10.6 s of simulated time in one stretch, one core after the other: the
    // run's clock goes back and forth between slices, the time reached does not
    const file = program("quiet.py", ["from parallel import *", 'if coreid()==0:\n\tprint "start"', "s=0", "i=0", "while i<1500000:\n\ts=s+i\n\ti+=1", 'print "end "+s']);
    const r = runEpython(["-d", "4", file]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.includes("end")).length).toBe(4);
    const notices = r.stderr.split("\n").filter((l) => l !== "");
    expect(notices.length).toBe(1);
    expect(notices[0]).toMatch(/^epython: no output for 10 s of simulated time \(cycle [0-9,]+\); the run goes on/);
  });

  it("does not come with a step or cycle limit (the run ends by itself)", () => {
    const file = program("quiet2.py", ["s=0", "i=0", "while i<1500000:\n\ts=s+i\n\ti+=1", 'print "end "+s']);
    const r = runEpython(["-d", "2", "--max-steps", "100000000", file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });
});
