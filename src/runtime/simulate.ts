/**
 * Run a compiled program on the simulated chip: the runtime's entry point. The work is done by
 * Simulation (simulation.ts) and its clients; the result types are in run-result.ts.
 */
import type { RunConfig } from "../config/run-config.js";
import type { ProgramImage } from "../lang/image.js";
import { NULL_SINK, type TraceSink } from "../trace/sink.js";
import type { HostIo, SimResult } from "./run-result.js";
import { Simulation } from "./simulation.js";
import { DEFAULT_EXECUTION, type Execution } from "../vm/vm.js";

export type { HostIo, ProcEnd, ProcSummary, SimError, SimResult } from "./run-result.js";
export { Simulation, type ProcDriver } from "./simulation.js";
export type { Proc } from "./process.js";

export { DEFAULT_EXECUTION, type Execution } from "../vm/vm.js";

/** The interpreter alone (`--no-jit`): the reference the compiling tier must match. */
export const INTERPRETER_ONLY: Execution = { compile: false, threshold: 1 };

export function simulate(image: ProgramImage, config: RunConfig, io: HostIo, sink: TraceSink = NULL_SINK, execution: Execution = DEFAULT_EXECUTION): SimResult {
  return new Simulation(image, config, io, sink, execution).run();
}
export { interruptionMessage, parseInterruption, QUANTUM_STEPS, runSlices, SLICE_EVENTS } from "./slices.js";
