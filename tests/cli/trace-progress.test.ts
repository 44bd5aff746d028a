/**
 * export, view and replay on a big trace (more than a million events): a progress line when forced
 * (EPYTHON_PROGRESS=1; on a terminal by default), never mixed with what they print and cleared at
 * the end; the files they write are the same byte for byte. export -o says what it wrote.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "epy-trace-progress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function epython(args: string[], forced: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.EPYTHON_PROGRESS;
  if (forced) env.EPYTHON_PROGRESS = "1";
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "epython.js"), ...args], { cwd: dir, input: "", encoding: "utf8", timeout: 120_000, env, maxBuffer: 1 << 30 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** stderr split into progress lines, the blanks that clear them, and the rest (which must start a line). */
function progressOf(stderr: string, command: string) {
  const pieces = stderr.split("\r");
  const shown = pieces.filter((p) => p.startsWith(`epython ${command}: `));
  for (const p of shown) expect(p).toMatch(new RegExp(`^epython ${command}: [^\\n]* \\[[0-9]+ s\\] *$`));
  const rest = pieces.filter((p) => !p.startsWith(`epython ${command}: `) && !/^ +$/.test(p)).join("");
  return { shown, rest, endsCleared: pieces.length === 1 || /^ +$/.test(pieces.at(-2) ?? "") };
}

const big = join(dir, "big.trace");
const small = join(ROOT, "traces", "hello-d4.trace");
let bigEvents = 0;

beforeAll(() => {
  // jacobi on 16 cores for 2,700 iterations: 1.1 M events, 16 MB, a few seconds
  const source = readFileSync(join(ROOT, "examples", "jacobi.py"), "utf8").replace("MAX_ITS=10000", "MAX_ITS=2700");
  writeFileSync(join(dir, "jacobi.py"), source);
  const r = epython(["--trace", big, "-d", "16", "jacobi.py"], false);
  expect(r.code).toBe(0);
  const d = epython(["diff", big, big], false);
  bigEvents = Number(/ok, [0-9,]+ cycles, ([0-9]+) events/.exec(d.stdout)![1]);
  expect(bigEvents).toBeGreaterThan(1_000_000);
});

describe("export", () => {
  it("-o FILE says on stderr what it wrote; to stdout it says nothing", () => {
    const out = join(dir, "small.json");
    const r = epython(["export", "--format", "perfetto", small, "-o", out], false);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const size = statSync(out).size;
    expect(r.stderr).toMatch(/^wrote .*small\.json \([0-9.]+ (KB|MB|bytes)\, [0-9,]+ events\)\n$/);
    expect(r.stderr).toContain(size >= 1e6 ? `${(size / 1e6).toFixed(1)} MB` : `${(size / 1e3).toFixed(1)} KB`);
    const toStdout = epython(["export", "--format", "perfetto", small], false);
    expect(toStdout.stderr).toBe("");
    expect(toStdout.stdout).toBe(readFileSync(out, "utf8"));
    // a small trace shows no progress, even when forced
    const forced = epython(["export", "--format", "otlp", small, "-o", join(dir, "small-otlp.json")], true);
    expect(forced.stderr).toMatch(/^wrote [^\r]*\n$/);
  });

  it("shows its progress on a big trace when forced, then what it wrote; the file is the same", () => {
    const plainOut = join(dir, "plain.json");
    const forcedOut = join(dir, "forced.json");
    const plain = epython(["export", "--format", "perfetto", big, "-o", plainOut], false);
    const forced = epython(["export", "--format", "perfetto", big, "-o", forcedOut], true);
    expect(plain.code).toBe(0);
    expect(forced.code).toBe(0);
    expect(plain.stderr).toMatch(new RegExp(`^wrote .*plain\\.json \\([0-9.]+ MB, ${bigEvents.toLocaleString("en-US")} events\\)\\n$`));
    const p = progressOf(forced.stderr, "export");
    expect(p.shown[0]).toMatch(/^epython export: reading .*big\.trace \([0-9.]+ MB\)/);
    expect(p.shown.some((s) => /checking [0-9,]+ events/.test(s))).toBe(true);
    // the last line is the report, on a line of its own after the progress was cleared
    expect(p.rest).toBe(plain.stderr.replace("plain.json", "forced.json"));
    expect(readFileSync(forcedOut).equals(readFileSync(plainOut))).toBe(true);
  });
});

describe("view --html", () => {
  it("shows its stages on a big trace when forced, only on stderr and cleared at the end; the page is the same", () => {
    const plain = epython(["view", big, "--html", "plain.html"], false);
    const forced = epython(["view", big, "--html", "forced.html"], true);
    expect(plain.code).toBe(0);
    expect(forced.code).toBe(0);
    expect(plain.stderr).toBe("");
    expect(forced.stdout).toBe(plain.stdout.replace("plain.html", "forced.html"));
    const p = progressOf(forced.stderr, "view");
    expect(p.rest).toBe("");
    expect(p.endsCleared).toBe(true);
    expect(p.shown.some((s) => /building the view of [0-9,]+ events/.test(s))).toBe(true);
    expect(p.shown.some((s) => /writing forced\.html \([0-9.]+ MB\)/.test(s))).toBe(true);
    expect(readFileSync(join(dir, "forced.html")).equals(readFileSync(join(dir, "plain.html")))).toBe(true);
  });
});

describe("replay", () => {
  it("shows how far the re-run has got on a big trace when forced, cleared before its verdict", () => {
    const forced = epython(["replay", big], true);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^replay OK: /);
    const p = progressOf(forced.stderr, "replay");
    expect(p.rest).toBe("");
    expect(p.endsCleared).toBe(true);
    expect(p.shown.some((s) => /re-running the program: [0-9,]+ of [0-9,]+ events \([0-9]+%\)/.test(s))).toBe(true);
  });
});
