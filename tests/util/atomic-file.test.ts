/**
 * The one atomic-write helper (src/util/atomic-file.ts): the data arrives whole under the real
 * name, nothing is left beside it, a failure names the real file, and temporaries of writers that
 * are gone are recognised as stale.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isTemporaryName, staleTemporary, temporaryName, writeFileAtomicSync } from "../../src/util/atomic-file.js";

const tmp = mkdtempSync(join(tmpdir(), "epy-atomic-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("writeFileAtomicSync", () => {
  it("replaces the file whole and leaves no temporary", () => {
    const f = join(tmp, "a.txt");
    writeFileAtomicSync(f, "old");
    writeFileAtomicSync(f, new TextEncoder().encode("new bytes"));
    expect(readFileSync(f, "utf8")).toBe("new bytes");
    expect(readdirSync(tmp)).toEqual(["a.txt"]);
  });

  it("gives a new file the mode asked for", () => {
    const f = join(tmp, "run.sh");
    writeFileAtomicSync(f, "#!/bin/sh\n", { mode: 0o755, durable: true });
    expect(statSync(f).mode & 0o100).toBe(0o100);
  });

  it("fails naming the real file, not the temporary, and cleans up", () => {
    const d = join(tmp, "target-is-a-folder");
    mkdirSync(d);
    let message = "";
    try {
      writeFileAtomicSync(d, "x");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(d);
    expect(message).not.toContain(".tmp-");
    expect(readdirSync(tmp).filter((n) => isTemporaryName(n))).toEqual([]);
  });
});

describe("temporary names", () => {
  it("are hidden, beside the target, and name the writer", () => {
    expect(temporaryName(join("x", "y.csv"))).toBe(join("x", `.y.csv.tmp-${process.pid}`));
    expect(isTemporaryName(`.y.csv.tmp-${process.pid}`, "y.csv")).toBe(true);
    expect(isTemporaryName(`.y.csv.tmp-${process.pid}`, "z.csv")).toBe(false);
    expect(isTemporaryName("y.csv")).toBe(false);
  });

  it("are stale only when their writer is gone", () => {
    expect(staleTemporary(`.y.csv.tmp-${process.pid}`)).toBe(false);
    // pid_max on Linux is at most 2^22: this one can not be running
    expect(staleTemporary(".y.csv.tmp-99999999")).toBe(true);
    expect(staleTemporary("y.csv")).toBe(false);
  });
});
