/**
 * The `batch` command (PROTOCOL.md): the Python package sends a kernel's launches on several cores,
 * and the results of a launch it waits for, in one round trip. The session must be the one the
 * commands sent one by one give: the same output and the same trace, byte for byte
 * (EPYTHON_BATCH=0 makes the package send them one by one).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "epython-batch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function session(script: string, trace: string, batch: boolean) {
  const env = { ...process.env, EPYTHON_BATCH: batch ? "1" : "0" };
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "epython.js"), "python", "-d", "8", "--trace", trace, script], { cwd: ROOT, encoding: "utf8", env, timeout: 120_000 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}

const PROGRAMS = [
  "tests/offload/programs/tutorial6_auto.py", // auto=4: launches on any four free cores
  "tests/offload/programs/tutorial6_async.py", // asynchronous launches, waited for later
  "tests/offload/programs/tutorial7_update.py", // device-resident data, launches every iteration
  "tests/offload/programs/errors.py", // failing kernels and values that can not cross
  "examples/offload/pi_offload.py",
];

describe.skipIf(!hasPython)("batched commands", () => {
  for (const script of PROGRAMS) {
    it(`${script}: the same output and trace bytes as the commands one by one`, () => {
      const a = join(dir, "batched.trace");
      const b = join(dir, "single.trace");
      const batched = session(script, a, true);
      const single = session(script, b, false);
      expect(batched.code).toBe(single.code);
      expect(batched.stdout).toBe(single.stdout);
      expect(batched.stderr).toBe(single.stderr);
      expect(Buffer.compare(readFileSync(a), readFileSync(b))).toBe(0);
    });
  }
});
