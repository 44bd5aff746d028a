/** A run that goes on without output says so once per decade of simulated time. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runEpython } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "epy-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

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
