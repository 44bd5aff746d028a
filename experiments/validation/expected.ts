/**
 * The expected outcome of every validation case on today's model: "pass", or a known failure with
 * the reason observed (like a test framework's xfail). Data, kept apart from the cases so that a
 * model change re-marks cases here without touching how they are measured. A known failure that
 * starts passing is reported as XPASS and makes `epython validate` exit 1 until it is re-marked.
 */
import type { Expectation } from "./types.js";

export const EXPECTED: Record<string, Expectation> = {
  "hw-neighbour-read": "pass",
  "hw-dma-contended": "pass",
  "t2-pi-rounds": "pass",
  "t2-pi-500-seconds": {
    knownFailure:
      "model 1.78 s for 500 rounds on 16 cores, below the 2 s floor of 'a few seconds' (ratio 0.89). The run is 200,000 random()/pow() host round trips per core, " +
      "so the host's service times (GUESS constants in src/machine/costs.ts) set it; ePython's start-up on the host, which the tutorial's reader also waited for, is not modelled",
  },
  "t3-n100-3-vs-16": "pass",
  "t3-n100-8-vs-16": {
    knownFailure:
      "model T(16) = 1.358 s is faster than T(8) = 1.423 s (T(16)/T(8) = 0.954): with 100 points the model's per-iteration communication " +
      "(two sendrecv halo swaps and ePython's all-pairs reduce) grows with the core count less than the interpreted computation shrinks",
  },
  "t3-n100-3-vs-8": "pass",
  "t3-n100-optimum": {
    knownFailure:
      "model's fastest core count is 13 (T(8) = 0.167 s, T(13) = 0.152 s, T(16) = 0.160 s for 1000 iterations), outside 6..10: " +
      "the same cause as t3-n100-8-vs-16, communication too cheap relative to computation",
  },
  "t3-n200-16-vs-8": "pass",
  "t4-sort-stage-most-expensive": "pass",
  "t4-stage1-quick": "pass",
  "t4-split-faster": "pass",
  "t4-parallel-stage-faster": "pass",
};
