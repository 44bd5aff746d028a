/**
 * The public API of epython-sim, for the viz, experiments and property suites.
 * Data flows one way: source -> compileProgram -> simulate (VMs on the machine model) -> trace.
 */
export { compileProgram, type CompileResult, type ModuleResolver } from "./lang/compiler.js";
export { EpySyntaxError, type SourceFile } from "./lang/errors.js";
export { codeBytes, decodeImage, encodeImage, lineAt, symbolEntries, type ProgramImage } from "./lang/image.js";
export { Op, OP_NAMES } from "./lang/opcodes.js";
export { calibrate, formatCalibration, type CalibrationResult } from "./machine/calibrate.js";
export { CHIPS, chipSpec, hops, type ChipSpec } from "./machine/chip.js";
export { Prng } from "./machine/prng.js";
export { BARRIER_ALGORITHMS, CHIP_NAMES, REDUCE_ALGORITHMS, type BarrierAlgorithm, type ChipName, type ReduceAlgorithm } from "./config/names.js";
export { DEFAULT_CONFIG, DEFAULT_SEED, MAX_SEED, parsePlacement, RunConfig } from "./config/run-config.js";
export { simulate, Simulation, type HostIo, type ProcSummary, type SimError, type SimResult } from "./runtime/simulate.js";
export { CORE_STATE_NAMES, CoreState, HOST_KIND_NAMES, HostKind, NULL_SINK, type TraceSink } from "./trace/sink.js";
export { bundledResolver, moduleResolver } from "./cli/modules.js";
export * from "./trace/index.js";
export { ViewModelSink, type ViewModel } from "./trace/view-model.js";
export { recordRun, startRecording, toolInfo } from "./cli/trace-commands.js";
