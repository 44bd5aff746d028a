/**
 * The shared conformance corpus: the programs are in examples/, their expected outputs in
 * tests/conformance (both copied from ../shared/conformance). Every program prints exactly its
 * expected output on every core count it has an expected file for. As in the corpus README, only
 * each core's own order is compared. A case may also have `NAME.cN.stderr`: what the run writes to
 * stderr (compile warnings, a runtime error), with the examples folder left out of file names; a
 * run whose stderr reports an error must fail (exit code 1), any other must succeed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runEpython } from "./helpers/cli.js";

const DIR = join(ROOT, "tests", "conformance");

function perCore(text: string): Map<string, string[]> {
  const cores = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^\[(device|host) (\d+)\] ?(.*)$/.exec(line);
    if (!m) continue;
    const key = `${m[1]} ${m[2]}`;
    if (!cores.has(key)) cores.set(key, []);
    cores.get(key)!.push(m[3]!.trimEnd());
  }
  return cores;
}

const cases = readdirSync(DIR)
  .map((f) => /^(.*)\.c(\d+)\.expected$/.exec(f))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ name: m[1]!, cores: Number(m[2]), expected: join(DIR, m[0]) }))
  .sort((a, b) => (a.name === b.name ? a.cores - b.cores : a.name < b.name ? -1 : 1));

describe("conformance corpus", () => {
  it("has the whole corpus", () => {
    expect(cases.length).toBeGreaterThanOrEqual(47);
  });
  for (const c of cases) {
    it(`${c.name} on ${c.cores} core${c.cores > 1 ? "s" : ""}`, () => {
      const examples = join(ROOT, "examples");
      const r = runEpython(["-d", String(c.cores), join(examples, `${c.name}.py`)]);
      const stderrFile = c.expected.replace(/\.expected$/, ".stderr");
      const stderr = existsSync(stderrFile) ? readFileSync(stderrFile, "utf8") : "";
      expect(r.stderr.split(`${examples}/`).join("")).toBe(stderr);
      expect(r.code).toBe(/^Error on /m.test(stderr) ? 1 : 0);
      const got = perCore(r.stdout);
      const want = perCore(readFileSync(c.expected, "utf8"));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
    });
  }
});
