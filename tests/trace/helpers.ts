/** Shared by the trace tests: a small recorder with a fixed header. */
import type { TraceEvent } from "../../src/trace/events.js";
import type { TraceFooter } from "../../src/trace/header.js";
import { kindSpec } from "../../src/trace/kinds.js";
import { makeHeader, TraceRecorder } from "../../src/trace/recorder.js";
import type { TraceSink } from "../../src/trace/sink.js";

const CONFIG = {
  chip: "e16", cores: [0, 1, 2, 3], hostCores: 1, seed: 7, maxSteps: 0, maxCycles: 0,
  reduce: "epython", barrier: "epython", codeShared: false, codeCore: false, dataShared: false,
} as const;

export const FOOTER: TraceFooter = {
  ok: true, error: null, totalCycles: 1234.5, messages: 0, messageBytes: 0, simEvents: 0, linkWindowCycles: 1024, procs: [],
};

/** A recorder to memory; `chunkEventBytes` small to cut the events into many chunks. */
export function newRecorder(chunkEventBytes?: number): TraceRecorder {
  return new TraceRecorder(makeHeader({ toolVersion: "test", nodeMajor: 20, clockHz: 600e6, sources: [{ name: "t.py", text: "print 1\n" }], config: { ...CONFIG, cores: [...CONFIG.cores] } }), undefined, chunkEventBytes);
}


/** Each event to the sink method its table row names, with its fields in the row's order. */
export function record(events: readonly TraceEvent[], sink: TraceSink): void {
  for (const e of events) {
    const spec = kindSpec(e.kind);
    const fields = e as unknown as Record<string, number | string>;
    (sink as unknown as Record<string, (...a: (number | string)[]) => void>)[spec.sink]!(...spec.fields.map((f) => fields[f.name]!));
  }
}
