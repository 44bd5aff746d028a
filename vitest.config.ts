import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts", "properties/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // vitest's default is one worker fewer than the cores (1 on the 2-core CI machine); most of
    // the suite's time is spent in epython child processes, which the test worker only waits for,
    // so one worker per core keeps both cores busy (issue 14: npm test under 4 minutes)
    maxWorkers: availableParallelism(),
  },
});
