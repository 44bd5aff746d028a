/**
 * Sets of files replaced as one (src/util/file-set.ts), in process: the names show the set's
 * bytes, a new set replaces the old whole, files the new set does not write are carried over,
 * plain files are taken over unchanged, leftovers of stopped runs go, and folders the set can not
 * use are refused with a message naming the path. (The kills are in tests/cli/experiment-atomic.)
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostTag } from "../../src/util/atomic-file.js";
import { FileSetError, SETS_FOLDER, writeFileSet } from "../../src/util/file-set.js";

const tmp = mkdtempSync(join(tmpdir(), "epy-fileset-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(tmp, `d${n++}`);
  mkdirSync(d);
  return d;
};
const visible = (d: string) => Object.fromEntries(readdirSync(d).filter((f) => !f.startsWith(".")).sort().map((f) => [f, readFileSync(join(d, f), "utf8")]));
const sets = (d: string, set: string) => readdirSync(join(d, SETS_FOLDER, set)).sort();

describe("writeFileSet", () => {
  it("shows the files under their names, as links into the current set", () => {
    const d = fresh();
    writeFileSet(d, "s", [{ name: "s.csv", text: "a,b\n" }, { name: "s.md", text: "# s\n" }]);
    expect(visible(d)).toEqual({ "s.csv": "a,b\n", "s.md": "# s\n" });
    expect(lstatSync(join(d, "s.csv")).isSymbolicLink()).toBe(true);
    expect(sets(d, "s")).toEqual(["current", expect.stringMatching(/^set\./)]);
  });

  it("replaces the set, carries over the files it does not write, and removes the old folder", () => {
    const d = fresh();
    writeFileSet(d, "s", [{ name: "s.csv", text: "1" }, { name: "s-sensitivity.md", text: "band" }]);
    writeFileSet(d, "s", [{ name: "s.csv", text: "2" }, { name: "s.md", text: "report" }]);
    expect(visible(d)).toEqual({ "s-sensitivity.md": "band", "s.csv": "2", "s.md": "report" });
    expect(sets(d, "s")).toHaveLength(2);
  });

  it("takes over plain files and someone else's links without changing what they show until the switch", () => {
    const d = fresh();
    writeFileSync(join(d, "s.csv"), "old csv");
    writeFileSync(join(tmp, "elsewhere.md"), "old md");
    symlinkSync(join(tmp, "elsewhere.md"), join(d, "s.md"));
    const seen: string[] = [];
    writeFileSet(d, "s", [{ name: "s.csv", text: "new csv" }, { name: "s.md", text: "new md" }], {
      beforeStep: (what) => {
        // before the switch every name shows the old bytes (or nothing yet)
        if (!seen.some((s) => s.includes("(the switch)"))) {
          for (const [name, old] of [["s.csv", "old csv"], ["s.md", "old md"]] as const) expect(readFileSync(join(d, name), "utf8"), `${name} before '${what}'`).toBe(old);
        }
        seen.push(what);
      },
    });
    expect(visible(d)).toEqual({ "s.csv": "new csv", "s.md": "new md" });
    expect(readFileSync(join(tmp, "elsewhere.md"), "utf8")).toBe("old md");
  });

  it("removes set folders and temporaries of stopped runs, keeps those of running ones", () => {
    const d = fresh();
    writeFileSet(d, "s", [{ name: "s.csv", text: "1" }]);
    const home = join(d, SETS_FOLDER, "s");
    const dead = `set.${hostTag()}.99999999.abcd0123`;
    const alive = `set.${hostTag()}.${process.ppid}.abcd0123`;
    const foreign = "set.otherhost.99999999.abcd0123";
    for (const f of [dead, alive, foreign]) mkdirSync(join(home, f));
    writeFileSync(join(home, ".link-s.csv.tmp-99999999"), "");
    writeFileSync(join(d, ".s.csv.tmp-99999999"), "half");
    writeFileSync(join(d, "s.csv.tmp-99999999"), "half");
    writeFileSync(join(d, "other.csv.tmp-99999999"), "not ours");
    writeFileSet(d, "s", [{ name: "s.csv", text: "2" }]);
    const left = sets(d, "s");
    expect(left).not.toContain(dead);
    expect(left).toContain(alive);
    expect(left).toContain(foreign);
    expect(left.filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(readdirSync(d).filter((f) => f.includes(".tmp-"))).toEqual(["other.csv.tmp-99999999"]);
  });

  it("shows nothing, not an error, when the current set's folder was removed by hand", () => {
    const d = fresh();
    writeFileSet(d, "s", [{ name: "s.csv", text: "1" }]);
    const home = join(d, SETS_FOLDER, "s");
    for (const f of readdirSync(home)) if (f.startsWith("set.")) rmSync(join(home, f), { recursive: true });
    writeFileSet(d, "s", [{ name: "s.csv", text: "2" }]);
    expect(visible(d)).toEqual({ "s.csv": "2" });
  });

  it("refuses what it can not use, naming the path", () => {
    const d = fresh();
    mkdirSync(join(d, "s.md"));
    expect(() => writeFileSet(d, "s", [{ name: "s.md", text: "x" }])).toThrow(/s\.md' is a folder/);
    expect(() => writeFileSet(d, "s", [{ name: "../x", text: "x" }])).toThrow(FileSetError);
    expect(() => writeFileSet(d, "../s", [])).toThrow(FileSetError);
    const e = fresh();
    mkdirSync(join(e, SETS_FOLDER, "s"), { recursive: true });
    writeFileSync(join(e, SETS_FOLDER, "s", "current"), "not a link");
    expect(() => writeFileSet(e, "s", [{ name: "s.csv", text: "x" }])).toThrow(/current is not a symbolic link/);
  });
});
