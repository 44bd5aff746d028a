import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const DIST = fileURLToPath(new URL("./dist/src/", import.meta.url));

/**
 * The interpreter `python3` names, called directly by the tests' `epython python` runs (through
 * EPYTHON_PYTHON, which the command and the offload study honour): a version manager's `python3`
 * may be a shell script that costs more CPU than the interpreter's own start (pyenv's shim: about
 * 0.2 s per call on the 2-core machine, and the suite starts python3 some 150 times). Unset when
 * there is no python3 (the tests that need it skip) or the caller chose one.
 */
function directPython(): Record<string, string> {
  if (process.env["EPYTHON_PYTHON"] !== undefined) return {};
  const r = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
  const exe = r.status === 0 ? r.stdout.trim() : "";
  return exe === "" ? {} : { EPYTHON_PYTHON: exe };
}

export default defineConfig({
  // The tests run the built JavaScript of src/ (dist/src, which `npm test` builds first), loaded by
  // Node itself: vitest's own transform of the TypeScript sources makes the simulator about 12
  // times slower (every imported function becomes a property read on a module object), which
  // made the in-process simulations most of the suite's time (issue 14: npm test under 4 minutes).
  resolve: { alias: [{ find: /^(?:\.\.\/)+src\/(.*)$/, replacement: `${DIST}$1` }] },
  test: {
    include: ["tests/**/*.test.ts", "properties/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: directPython(),
    server: { deps: { external: [/\/dist\/src\//] } },
    // vitest's default is one worker fewer than the cores (1 on the 2-core CI machine); most of
    // the suite's time is spent in epython child processes, which the test worker only waits for,
    // so one worker per core keeps both cores busy (issue 14: npm test under 4 minutes)
    maxWorkers: availableParallelism(),
  },
});
