/**
 * ePython's own modules (examples/epython/modules, copied unchanged) placed next to a program
 * compile in place of ours and give the same results: they spell the natives `native rtl_NAME`
 * (with ePython's argument lists for rtl_flatten, rtl_arraycopy and rtl_math), which the
 * compiler takes as our natives. (coprocessor.py is not copied: see examples/epython/README.md.)
 */
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runEpython } from "../helpers/cli.js";

const MODULES = join(ROOT, "examples", "epython", "modules");

/** A folder holding ePython's modules and the given programs. */
function withEpythonModules(programs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "epython-modules-"));
  for (const f of readdirSync(MODULES)) copyFileSync(join(MODULES, f), join(dir, f));
  for (const [name, text] of Object.entries(programs)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("ePython's own modules", () => {
  const dir = withEpythonModules({
    "arrays.py": ["import array", "a=[1,2,3,4]", "b=[0,0,0,0]", "arraycopy(b, a)", "print b[3]", "m=array(2,3)", "m[1][2]=7", "flatten(m)", "print m[5]", "print len(m)", ""].join("\n"),
    "maths.py": ["import math", "print sqrt(16.0)", "print floor(2.5)", ""].join("\n"),
    "rand.py": ["import random", "x=randrange(10)", "print x >= 0 and x < 10", "r=random()", "print r >= 0.0 and r < 1.0", ""].join("\n"),
    "par.py": ["import parallel", "v=reduce(coreid()+1, \"sum\")", "print v", "sync()", "print bcast(coreid()*3+5, 0)", ""].join("\n"),
  });

  it("compile next to a program and compute what ours do", () => {
    const arrays = runEpython(["-d", "1", join(dir, "arrays.py")]);
    expect(arrays.stderr).toBe("");
    expect(arrays.stdout).toBe("[device 0] 4\n[device 0] 7\n[device 0] 6\n");
    const maths = runEpython(["-d", "1", join(dir, "maths.py")]);
    expect(maths.stdout).toBe("[device 0] 4.000000\n[device 0] 2.000000\n");
    const rand = runEpython(["-d", "1", join(dir, "rand.py")]);
    expect(rand.stdout).toBe("[device 0] true\n[device 0] true\n");
  });

  it("run the collectives of ePython's parallel module on 4 cores", () => {
    const r = runEpython(["-d", "4", join(dir, "par.py")]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").sort();
    expect(lines.filter((l) => l.endsWith(" 10"))).toHaveLength(4);
    expect(lines.filter((l) => l.endsWith(" 5"))).toHaveLength(4);
  });

  it("run a remote-access program with ePython's concurrency module", () => {
    copyFileSync(join(ROOT, "examples", "remote_access.py"), join(dir, "remote_access.py"));
    const r = runEpython(["-d", "2", join(dir, "remote_access.py")]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("[device 1]"))).toEqual(["[device 1] 4", "[device 1] 3", "[device 1] 10"]);
    expect(r.stdout).toContain("[device 0] [101, 2, 3, 40]\n[device 0] 21\n");
  });

  it("run ePython's task farm example with its own taskfarm module", () => {
    copyFileSync(join(ROOT, "examples", "epython", "task_farm_pi.py"), join(dir, "task_farm_pi.py"));
    const r = runEpython(["-d", "4", join(dir, "task_farm_pi.py")]);
    expect(r.code).toBe(0);
    expect(Math.abs(Number(r.stdout.trim().split(" ").pop()) - 3.14)).toBeLessThan(0.3);
  });
});
