import { describe, expect, it } from "vitest";
import {
  BARRIER_WAND_CYCLES,
  HOST_SERVICE_CYCLES,
  LOCAL_WORD_ACCESS_CYCLES,
  POLL_DETECT_CYCLES,
  POSTBOX_POLL_CYCLES,
  localSpinResume,
} from "../../src/machine/costs.js";

describe("chip cost constants", () => {
  it("named constants are sane", () => {
    for (const c of [LOCAL_WORD_ACCESS_CYCLES, POSTBOX_POLL_CYCLES, HOST_SERVICE_CYCLES, BARRIER_WAND_CYCLES]) {
      expect(c).toBeGreaterThan(0);
    }
  });

  it("localSpinResume: a waiting core resumes POLL_DETECT after the value lands", () => {
    expect(localSpinResume(0, 100)).toBe(100 + POLL_DETECT_CYCLES);
    expect(localSpinResume(100, 0)).toBeLessThan(100 + POLL_DETECT_CYCLES); // value already there
    expect(localSpinResume(100, 0)).toBeGreaterThan(100);
  });
});
