/**
 * Running in slices changes nothing (src/runtime/slices.ts, Simulation.advance and quantumSteps):
 * the CLI and replay run a simulation a slice at a time, with cores that loop without a request
 * paused every so many operations, and the trace must be the one a single run() gives, byte for
 * byte, with the same result. Small slices and quanta here make pauses fall everywhere: at
 * backward jumps, inside DRAM slices, on a limit's edge.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type RunConfig } from "../../src/config/run-config.js";
import { compileProgram } from "../../src/lang/compiler.js";
import { moduleResolver } from "../../src/pipeline/modules.js";
import { Simulation } from "../../src/runtime/simulation.js";
import { interruptionMessage, parseInterruption } from "../../src/runtime/slices.js";
import { makeHeader, TraceRecorder } from "../../src/trace/recorder.js";
import { ROOT } from "../helpers/cli.js";

const EXAMPLES = join(ROOT, "examples");

function traceOf(file: string, config: RunConfig, sliced: { events: number; quantum: number } | null): { bytes: Uint8Array; result: string } {
  const { image } = compileProgram(readFileSync(file, "utf8"), file, moduleResolver(EXAMPLES));
  const recorder = new TraceRecorder(makeHeader({ toolVersion: "t", nodeMajor: 20, clockHz: 600e6, sources: [], config }));
  const sim = new Simulation(image, config, { output: () => {}, input: () => null }, recorder);
  let result;
  if (sliced === null) result = sim.run();
  else {
    sim.quantumSteps = sliced.quantum;
    sim.start();
    let slices = 0;
    while (!sim.advance(sliced.events)) slices++;
    if (sliced.events === 1) expect(slices).toBeGreaterThan(10);
    result = sim.finish();
  }
  const { layout: _layout, ...rest } = result;
  return { bytes: recorder.finish({ ok: true, error: null, totalCycles: 0, messages: 0, messageBytes: 0, simEvents: 0, linkWindowCycles: 0, procs: [] }), result: JSON.stringify(rest) };
}

const CASES: [string, Partial<RunConfig>][] = [
  ["hello.py", { cores: [0, 1, 2, 3] }],
  ["p2p_ring.py", { cores: [0, 1, 2, 3] }],
  ["collectives.py", { cores: Array.from({ length: 16 }, (_, i) => i) }],
  ["jacobi_small.py", { cores: [0, 1, 2, 3], codeShared: true }],
  ["mandel_rows.py", { cores: [0, 1], maxSteps: 50_000 }],
];

describe("a run in slices", () => {
  for (const [name, cfg] of CASES) {
    it(`gives the same trace and result as one run(): ${name} ${JSON.stringify(cfg)}`, () => {
      const config = { ...DEFAULT_CONFIG, ...cfg } as RunConfig;
      const whole = traceOf(join(EXAMPLES, name), config, null);
      for (const sliced of [{ events: 1, quantum: 2 }, { events: 7, quantum: 13 }, { events: 500, quantum: 1000 }]) {
        const part = traceOf(join(EXAMPLES, name), config, sliced);
        expect(part.result).toBe(whole.result);
        expect(Buffer.from(part.bytes).equals(Buffer.from(whole.bytes))).toBe(true);
      }
    });
  }

  it("writes and reads back an interruption's cause and slice count", () => {
    const m = interruptionMessage("SIGINT (Ctrl-C)", 42, 1234.6);
    expect(m).toBe("interrupted by SIGINT (Ctrl-C) after 42 slices of the run, at cycle 1235");
    expect(parseInterruption(m)).toEqual({ cause: "SIGINT (Ctrl-C)", slices: 42 });
    expect(parseInterruption(interruptionMessage("SIGTERM", 1, 0))).toEqual({ cause: "SIGTERM", slices: 1 });
    expect(parseInterruption("division by zero")).toBeNull();
  });
});
