/** Shared by the trace tests: a small recorder with a fixed header. */
import type { TraceFooter } from "../../src/trace/header.js";
import { makeHeader, TraceRecorder } from "../../src/trace/recorder.js";

const CONFIG = {
  chip: "e16", cores: [0, 1, 2, 3], hostCores: 1, seed: 7, maxSteps: 0, maxCycles: 0,
  reduce: "epython", barrier: "epython", codeShared: false, codeCore: false, dataShared: false,
} as const;

export const FOOTER: TraceFooter = {
  ok: true, error: null, totalCycles: 1234.5, messages: 0, messageBytes: 0, simEvents: 0, linkWindowCycles: 1024, procs: [], inputs: [],
};

export function newRecorder(): TraceRecorder {
  return new TraceRecorder(makeHeader({ toolVersion: "test", nodeMajor: 20, clockHz: 600e6, sources: [{ name: "t.py", text: "print 1\n" }], config: { ...CONFIG, cores: [...CONFIG.cores] } }), 64);
}

