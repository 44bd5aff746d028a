/**
 * Nothing lost (issue 15): a traced run that is killed leaves a trace up to where it got, and one
 * stopped with Ctrl-C (SIGINT) or SIGTERM leaves a complete trace of the run so far. Each test
 * starts a 16-core run of examples/jacobi.py (28 MB of trace in full), waits until its trace file
 * has grown past a threshold (so "halfway" does not depend on the machine's speed), and signals it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTrace } from "../../src/trace/reader.js";
import { ROOT, runEpython } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "epython-killed-"));
const JACOBI = join(ROOT, "examples", "jacobi.py");

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start a traced run; resolves when it ends. */
function start(trace: string, args: string[] = ["-d", "16", JACOBI]): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [join(ROOT, "bin", "epython.js"), "--trace", trace, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const ended = new Promise<Ended>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, ended };
}

/** Wait until `file` holds at least `bytes` bytes (the run is under way); fails after a minute. */
async function grownTo(file: string, bytes: number): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (existsSync(file) && statSync(file).size >= bytes) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${file} did not reach ${bytes} bytes in a minute`);
}

describe("a traced run that is stopped", () => {
  it("killed with SIGKILL halfway, leaves an incomplete trace whose every event replay verifies; view and export mark it", async () => {
    const trace = join(dir, "killed.trace");
    const run = start(trace);
    await grownTo(trace, 400_000);
    run.child.kill("SIGKILL");
    const ended = await run.ended;
    expect(ended.signal).toBe("SIGKILL");
    const t = readTrace(new Uint8Array(readFileSync(trace)));
    expect(t.complete).toBe(false);
    expect(t.eventCount).toBeGreaterThan(10_000);
    const r = runEpython(["replay", trace]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^replay OK: .*killed\\.trace: incomplete trace: it ends at byte \\d+ of \\d+ after ${t.eventCount} events, without its footer .*; all ${t.eventCount} events up to its end identical`));
    // the exporters and the explorer open it, saying it is incomplete
    const json = join(dir, "killed.json");
    const e = runEpython(["export", "--format", "perfetto", trace, "-o", json]);
    expect(e.code).toBe(0);
    expect(e.stderr).toMatch(/killed\.trace': incomplete trace: .* using the \d+ events it holds/);
    expect(readFileSync(json, "utf8")).toMatch(/"error":"incomplete trace: it ends at byte/);
    const html = join(dir, "killed.html");
    const v = runEpython(["view", trace, "--html", html]);
    expect(v.code).toBe(0);
    expect(readFileSync(html, "utf8")).toMatch(/incomplete trace: it ends at byte/);
  }, 120_000);

  it("stopped with SIGINT (Ctrl-C), finishes a complete trace of the run so far that replays exactly, exit 130", async () => {
    const trace = join(dir, "interrupted.trace");
    const run = start(trace);
    await grownTo(trace, 400_000);
    run.child.kill("SIGINT");
    const ended = await run.ended;
    expect(ended.code).toBe(130);
    expect(ended.stderr).toMatch(/interrupted by SIGINT \(Ctrl-C\) after \d+ slices of the run, at cycle \d+/);
    expect(ended.stderr).toMatch(/The trace '.*interrupted\.trace' holds the run up to there/);
    const t = readTrace(new Uint8Array(readFileSync(trace)));
    expect(t.complete).toBe(true);
    expect(t.footer).toMatchObject({ ok: false, error: { kind: "interrupted" } });
    expect(t.footer.procs).toHaveLength(16);
    const r = runEpython(["replay", trace]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^replay OK: .*: all \d+ events and the footer identical \(.*jacobi\.py, failed as recorded: interrupted/);
  }, 120_000);

  it("stopped with SIGTERM, does the same with exit 143", async () => {
    const trace = join(dir, "terminated.trace");
    const run = start(trace);
    await grownTo(trace, 200_000);
    run.child.kill("SIGTERM");
    const ended = await run.ended;
    expect(ended.code).toBe(143);
    const t = readTrace(new Uint8Array(readFileSync(trace)));
    expect(t.footer.error?.message).toMatch(/^interrupted by SIGTERM after \d+ slices/);
  }, 120_000);

  it("replaces an older trace at its path when the run starts, so a killed run never leaves the old one looking valid", async () => {
    const trace = join(dir, "stale.trace");
    expect(runEpython(["-d", "2", join(ROOT, "examples", "hello.py"), "--trace", trace]).code).toBe(0);
    expect(readTrace(new Uint8Array(readFileSync(trace))).complete).toBe(true);
    const loop = join(dir, "loop.py");
    writeFileSync(loop, "i = 0\nwhile True:\n  i = i + 1\n");
    const run = start(trace, ["-d", "1", loop]);
    // the new trace takes the path as soon as its header is written
    for (let waited = 0; waited < 60_000; waited += 50) {
      if (readFileSync(trace).includes(Buffer.from("loop.py"))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    run.child.kill("SIGKILL");
    await run.ended;
    const t = readTrace(new Uint8Array(readFileSync(trace)));
    expect(t.complete).toBe(false);
    expect(t.header.sources[0]!.name).toMatch(/loop\.py$/);
    // a core that loops without a request still stops for Ctrl-C (the run pauses every so many operations)
    const again = start(trace, ["-d", "1", loop]);
    await new Promise((r) => setTimeout(r, 1500));
    again.child.kill("SIGINT");
    expect((await again.ended).code).toBe(130);
    expect(readTrace(new Uint8Array(readFileSync(trace))).footer.error?.kind).toBe("interrupted");
    expect(runEpython(["replay", trace]).code).toBe(0);
  }, 120_000);
});
