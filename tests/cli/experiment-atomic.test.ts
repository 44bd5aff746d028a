/**
 * `epython experiment` replaces a study's result files as one set (src/util/file-set.ts): the
 * built CLI is killed with SIGKILL between every two of its changes on the disk while it writes
 * the quick gc study over an older set, and at a spread of moments without the test hook, and
 * the folder must then show exactly the old set or exactly the new one, byte for byte: never a
 * mix, never a part of a file. The next run cleans what the killed ones left.
 *
 * Two kinds of old set: one written by this version (set folders and links), from which a file
 * is missing so that the new set also brings a name the old one lacks; and plain files as
 * versions before sets wrote them (the first run moves them into a set without changing what
 * they show).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runEpython } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "epy-atomic-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const STUDY = ["experiment", "gc", "--quick", "--jobs", "1"];
/** How long the hooked CLI waits before each step: ample time for the kill to land first. */
const PAUSE_MS = 60;

type Shown = Map<string, string>;

/**
 * What a reader sees: every visible name and what opening it gives (a name whose link leads
 * nowhere yet shows nothing, like a missing file).
 */
function shown(dir: string): Shown {
  const m = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    try {
      m.set(name, readFileSync(join(dir, name), "latin1"));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  return m;
}

function same(a: Shown, b: Shown): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

function describeShown(s: Shown): string {
  return [...s].map(([k, v]) => `${k} (${v.length} bytes: ${JSON.stringify(v.slice(0, 24))}...)`).join(", ");
}

function copyDir(from: string, to: string): void {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

interface Ended {
  killed: boolean;
  code: number | null;
  stderr: string;
}

/** Run the study into `dir` and SIGKILL it when `when` says so on a line of its stderr. */
function runAndKill(dir: string, when: (stderr: string) => boolean, env: Record<string, string> = {}, delayMs = 0): Promise<Ended> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "bin", "epython.js"), ...STUDY, "--out", dir], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  let fired = false;
  return new Promise((resolve) => {
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (!fired && when(stderr)) {
        fired = true;
        if (delayMs === 0) child.kill("SIGKILL");
        else setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("exit", (code, signal) => resolve({ killed: signal === "SIGKILL", code, stderr }));
  });
}

/** Run jobs at most `n` at a time (the machine has two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

const hooked = { EPYTHON_TEST_SET_PAUSE_MS: String(PAUSE_MS) };
const steps = (stderr: string) => [...stderr.matchAll(/^result set step ([0-9]+): (.*)$/gm)].map((m) => m[2]!);

let fresh: Shown; // the new set, as a run into an empty folder writes it

beforeAll(() => {
  const ref = join(tmp, "ref");
  const r = runEpython([...STUDY, "--out", ref]);
  expect(r.code, r.stderr).toBe(0);
  fresh = shown(ref);
  expect([...fresh.keys()]).toEqual(["gc-pressure.svg", "gc.csv", "gc.md"]);
  for (const [name, text] of fresh) expect(text.length, name).toBeGreaterThan(0);
});

/** Kill the CLI before each of its steps over a copy of `template`; every folder must show `old` or the new set. */
async function killAtEveryStep(template: string, old: Shown): Promise<{ outcomes: string[]; stepNames: string[] }> {
  // a whole run with the hook, to learn its steps
  const whole = join(template + "-whole");
  copyDir(template, whole);
  const done = await runAndKill(whole, () => false, hooked);
  expect(done.code, done.stderr).toBe(0);
  expect(same(shown(whole), fresh), describeShown(shown(whole))).toBe(true);
  const stepNames = steps(done.stderr);
  expect(stepNames.length).toBeGreaterThan(4);
  const outcomes = await pool(
    stepNames.map((_, k) => async () => {
      const dir = `${template}-kill-${k}`;
      copyDir(template, dir);
      const ended = await runAndKill(dir, (err) => err.includes(`result set step ${k}:`), hooked);
      expect(ended.killed, `killed before step ${k}`).toBe(true);
      const s = shown(dir);
      const verdict = same(s, old) ? "old" : same(s, fresh) ? "new" : "mix";
      expect(verdict, `killed before step ${k} (${stepNames[k]}): ${describeShown(s)}`).not.toBe("mix");
      return verdict;
    }),
    2,
  );
  return { outcomes, stepNames };
}

/** A run after the kills: the new set shows, and nothing the killed runs left remains. */
function rerunCleans(dir: string): void {
  const r = runEpython([...STUDY, "--out", dir]);
  expect(r.code, r.stderr).toBe(0);
  expect(same(shown(dir), fresh)).toBe(true);
  expect(readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
  const home = join(dir, ".result-sets", "gc");
  const left = readdirSync(home).sort();
  expect(left.length, left.join(", ")).toBe(2);
  expect(left[0]).toBe("current");
  expect(left[1]).toMatch(/^set\./);
  expect(readdirSync(join(home, left[1]!)).filter((n) => n.includes(".tmp-"))).toEqual([]);
}

describe("a killed experiment leaves the old result set or the new one, never a mix", () => {
  it("over a set written by this version (the new set adds a file)", async () => {
    const template = join(tmp, "sets");
    copyDir(join(tmp, "ref"), template);
    // the old set: different bytes in every file, and no plot yet
    for (const name of ["gc.csv", "gc.md"]) writeFileSync(join(template, name), `old ${name}\n${readFileSync(join(template, name), "latin1")}`, "latin1");
    const home = join(template, ".result-sets", "gc");
    const set = readdirSync(home).find((n) => n.startsWith("set."))!;
    unlinkSync(join(home, set, "gc-pressure.svg"));
    const old = shown(template);
    expect([...old.keys()]).toEqual(["gc.csv", "gc.md"]);
    expect(same(old, fresh)).toBe(false);

    const { outcomes, stepNames } = await killAtEveryStep(template, old);
    // before the switch the old set shows, from the switch's completion on the new one
    const sw = stepNames.findIndex((s) => s.includes("(the switch)"));
    expect(sw).toBeGreaterThan(0);
    expect(outcomes.slice(0, sw + 1).every((o) => o === "old"), outcomes.join(" ")).toBe(true);
    expect(outcomes.slice(sw + 1).every((o) => o === "new"), outcomes.join(" ")).toBe(true);
    expect(outcomes.slice(sw + 1).length).toBeGreaterThan(0);
    for (let k = 0; k < stepNames.length; k += 3) rerunCleans(`${template}-kill-${k}`);
  });

  it("over plain files written before sets existed", async () => {
    const template = join(tmp, "plain");
    const old: Shown = new Map([...fresh.keys()].map((name) => [name, `old plain ${name}\n`]));
    mkdirSync(template);
    for (const [name, text] of old) writeFileSync(join(template, name), text);
    const { outcomes, stepNames } = await killAtEveryStep(template, old);
    const sw = stepNames.findIndex((s) => s.includes("(the switch)"));
    expect(outcomes.slice(0, sw + 1).every((o) => o === "old"), outcomes.join(" ")).toBe(true);
    expect(outcomes.slice(sw + 1).every((o) => o === "new"), outcomes.join(" ")).toBe(true);
    for (let k = 0; k < stepNames.length; k += 4) rerunCleans(`${template}-kill-${k}`);
    // a stale temporary of the pre-set layout is removed by the next run
    const dir = `${template}-kill-0`;
    writeFileSync(join(dir, "gc.md.tmp-99999999"), "half");
    rerunCleans(dir);
    expect(existsSync(join(dir, "gc.md.tmp-99999999"))).toBe(false);
  });

  it("killed at a spread of moments after the grid is measured, without the test hook", async () => {
    const template = join(tmp, "natural");
    copyDir(join(tmp, "ref"), template);
    for (const name of fresh.keys()) writeFileSync(join(template, name), `old ${name}\n`);
    const old = shown(template);
    const delays = [0, 1, 2, 3, 4, 6, 9, 14];
    const outcomes = await pool(
      delays.map((ms, i) => async () => {
        const dir = `${template}-${i}`;
        copyDir(template, dir);
        // progress says the last point is done just before the files are made and written
        const ended = await runAndKill(dir, (err) => /gc \(quick\): ([0-9]+)\/\1 points/.test(err), {}, ms);
        const s = shown(dir);
        const verdict = same(s, old) ? "old" : same(s, fresh) ? "new" : "mix";
        expect(verdict, `killed ${ms} ms after the grid (${ended.killed ? "killed" : "finished"}): ${describeShown(s)}`).not.toBe("mix");
        return verdict;
      }),
      2,
    );
    expect(outcomes.length).toBe(delays.length);
  });
});
