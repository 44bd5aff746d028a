/**
 * The public API of epython-sim: the library that the CLI, the experiments, the benchmarks, the
 * viz and the property suites stand on. Data flows one way:
 * source -> compileProgram -> simulate (VMs on the machine model) -> trace -> read / export.
 * Nothing of the CLI is exported here; the CLI is a client of this module like the others.
 */
// configuration
export { BARRIER_ALGORITHMS, CHIP_NAMES, REDUCE_ALGORITHMS, type BarrierAlgorithm, type ChipName, type ReduceAlgorithm } from "./config/names.js";
export { COST_GROUPS, CostScales, DEFAULT_CONFIG, DEFAULT_SEED, MAX_SEED, parsePlacement, RunConfig, type CostGroup } from "./config/run-config.js";
// compile
export { compileProgram, type CompileResult, type ModuleResolver } from "./lang/compiler.js";
export { EpySyntaxError, type SourceFile } from "./lang/errors.js";
export { codeBytes, decodeImage, encodeImage, lineAt, symbolEntries, type ProgramImage } from "./lang/image.js";
export { Op, OP_NAMES } from "./lang/opcodes.js";
export { bundledModulesDir, bundledResolver, moduleResolver, storedResolver } from "./pipeline/modules.js";
// the machine
export { calibrate, formatCalibration, type CalibrationResult } from "./machine/calibrate.js";
export { CHIPS, chipSpec, hops, type ChipSpec } from "./machine/chip.js";
export { Prng } from "./machine/prng.js";
// simulate
export { COST_REGISTRY, GROUP_RANGES, type CostEntry, type CostStatus, type GroupRange } from "./runtime/cost-registry.js";
export { DEFAULT_EXECUTION, INTERPRETER_ONLY, runSlices, simulate, Simulation, type Execution, type HostIo, type ProcEnd, type ProcSummary, type SimError, type SimResult } from "./runtime/simulate.js";
// record, read, compare, export
export { endSlice, recordRun, startRecording, toolInfo, type Recording, type ToolInfo } from "./pipeline/recording.js";
export { CORE_STATE_NAMES, CoreState, HOST_KIND_NAMES, HostKind, NULL_SINK, type TraceSink } from "./trace/sink.js";
export * from "./trace/index.js";
export { ViewModelSink, type ViewModel } from "./trace/view-model.js";
// writing files whole (a temporary name and a rename), for the experiments' sweep files
export { isTemporaryName, writeFileAtomicSync } from "./util/atomic-file.js";
