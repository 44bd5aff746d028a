/**
 * The progress line: on a terminal only (EPYTHON_PROGRESS=1 forces it here, where stderr is a
 * pipe), rewritten in place, cleared before output and at the end; stdout is the same byte for byte.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { byteSize, ProgressLine, progressWanted, RunProgress, shortCount } from "../../src/cli/progress.js";
import { ROOT } from "../helpers/cli.js";

describe("ProgressLine", () => {
  it("rewrites itself in place, blanks what a longer text left, and clears to an empty line", () => {
    const written: string[] = [];
    const line = new ProgressLine(true, (s) => written.push(s), () => undefined);
    line.show("abcdef");
    line.show("xyz");
    expect(line.visible).toBe(true);
    line.clear();
    line.clear();
    expect(line.visible).toBe(false);
    expect(written).toEqual(["\rabcdef", "\rxyz   ", "\r   \r"]);
  });

  it("is cut to the terminal's width (a wrapped line could not be rewritten) and silent when disabled", () => {
    const written: string[] = [];
    new ProgressLine(true, (s) => written.push(s), () => 5).show("abcdefgh");
    const off = new ProgressLine(false, (s) => written.push(s), () => 80);
    off.show("abc");
    off.clear();
    expect(written).toEqual(["\rabcd"]);
  });

  it("is wanted on a terminal, or when EPYTHON_PROGRESS says so", () => {
    expect(progressWanted({}, true)).toBe(true);
    expect(progressWanted({}, false)).toBe(false);
    expect(progressWanted({ EPYTHON_PROGRESS: "1" }, false)).toBe(true);
    expect(progressWanted({ EPYTHON_PROGRESS: "0" }, true)).toBe(false);
  });

  it("formats counts and sizes", () => {
    expect([shortCount(12), shortCount(53_000), shortCount(1_234_567), shortCount(2.5e9)]).toEqual(["12", "53.0 k", "1.2 M", "2.5 G"]);
    expect([byteSize(12), byteSize(950_000), byteSize(12_345_678), byteSize(1.1e9)]).toEqual(["12 bytes", "950.0 KB", "12.3 MB", "1.1 GB"]);
  });
});

describe("RunProgress", () => {
  const setup = () => {
    let now = 0;
    const written: string[] = [];
    const progress = new RunProgress(new ProgressLine(true, (s) => written.push(s), () => undefined), 600e6, () => now);
    return { written, progress, at: (ms: number) => (now = ms) };
  };

  it("shows nothing in the first second, then the furthest simulated time and the rates, at most 4 times a second", () => {
    const { written, progress, at } = setup();
    at(900);
    progress.update(600e6, () => ({ events: 1000, ops: 5e6 }));
    expect(written).toEqual([]);
    at(1000);
    progress.update(1.2e9, () => ({ events: 2000, ops: 1e7 }));
    expect(written).toEqual(["\repython: cycle 1,200,000,000 (2.000 s), 10.0 M ops/s, 2000 events/s [1 s]"]);
    at(1100);
    progress.update(1.5e9, () => ({ events: 3000, ops: 2e7 }));
    expect(written.length).toBe(1);
    // a core's clock behind the furthest one reached does not move the line back
    at(1500);
    progress.update(0.6e9, () => ({ events: 4000, ops: 3e7 }));
    expect(written[1]).toBe("\repython: cycle 1,500,000,000 (2.500 s), 40.0 M ops/s, 4000 events/s [1 s]");
  });

  it("clears before output and stays away for a second after it; end() clears for good", () => {
    const { written, progress, at } = setup();
    at(2000);
    progress.update(6e6, () => ({ events: 100, ops: 200 }));
    expect(written).toEqual(["\repython: cycle 6,000,000 (0.010000 s), 100 ops/s, 50 events/s [2 s]"]);
    const shown = written[0]!.length - 1;
    progress.beforeOutput();
    expect(written[1]).toBe(`\r${" ".repeat(shown)}\r`);
    at(2500);
    progress.update(7e6, () => ({ events: 200, ops: 300 }));
    at(2999);
    progress.update(7e6, () => ({ events: 300, ops: 400 }));
    expect(written.length).toBe(2);
    at(3500);
    // rates from the first update after the output (at 2500 ms), not across it
    progress.update(8e6, () => ({ events: 1200, ops: 1300 }));
    expect(written[2]).toBe("\repython: cycle 8,000,000 (0.013333 s), 1000 ops/s, 1000 events/s [3 s]");
    progress.end();
    progress.end();
    expect(written.length).toBe(4);
    expect(written[3]).toMatch(/^\r +\r$/);
  });
});

describe("the progress line of a run", () => {
  const dir = mkdtempSync(join(tmpdir(), "epy-progress-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // a line, a quiet computation of a few seconds on 64 cores (2.3 s simulated: no quiet-run notice), the last lines
  const file = join(dir, "quiet.py");
  writeFileSync(file, ["from parallel import *", 'if coreid()==0:\n\tprint "start"', "s=0", "i=0", "while i<400000:\n\ts=s+i\n\ti+=1", 'print "end "+s', ""].join("\n"));
  const PROGRESS = /^epython: cycle [0-9,]+ \([0-9.]+ s\), [0-9.]+( [kMG])? ops\/s, [0-9.]+( [kMG])? events\/s \[[0-9]+ s\] *$/;

  /** Run with stdout and stderr as given (pipes, or one file for both, which keeps their order). */
  const run = (extra: Record<string, string>, stdio: "pipe" | number) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.EPYTHON_PROGRESS;
    Object.assign(env, extra);
    // --no-jit: the interpreter alone keeps the computation a few seconds long (compiled, it is over before a progress line)
    return spawnSync(process.execPath, [join(ROOT, "bin", "epython.js"), "--no-jit", "-t", "--chip", "e64", file], {
      cwd: ROOT,
      stdio: ["ignore", stdio, stdio],
      encoding: "utf8",
      timeout: 60_000,
      env,
    });
  };

  it("is off on a pipe; forced, it never mixes with output, ends cleared, and stdout is the same byte for byte", () => {
    const plain = run({}, "pipe");
    expect(plain.status).toBe(0);
    expect(plain.stderr).toBe("");
    expect(plain.stdout).toMatch(/^\[device 0\] start\n(\[device \d+\] end -?\d+\n){64}(Core \d+ completed in [0-9.]+ seconds\n){64}$/);

    const both = join(dir, "both.txt");
    const fd = openSync(both, "w");
    const forced = run({ EPYTHON_PROGRESS: "1" }, fd);
    closeSync(fd);
    expect(forced.status).toBe(0);
    const pieces = readFileSync(both, "utf8").split("\r");
    const shown = pieces.filter((p) => PROGRESS.test(p));
    expect(shown.length).toBeGreaterThan(0);
    // a progress line is always followed by \r (rewritten or cleared), never by output;
    // without it and the blanks that clear it, what is left is exactly the plain run's stdout
    const rest = pieces.filter((p) => !PROGRESS.test(p) && !/^ +$/.test(p));
    expect(rest.join("")).toBe(plain.stdout);
    // cleared: the last piece of progress is blanks, and output starts at the line's beginning
    const last = pieces.findLastIndex((p) => PROGRESS.test(p));
    expect(pieces[last + 1]).toMatch(/^ +$/);
  });
});
