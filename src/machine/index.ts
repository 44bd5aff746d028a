/** The machine model: the chip without Python. */
export { EventQueue } from "./event-queue.js";
export { Prng } from "./prng.js";
export {
  CHIPS,
  type ChipName,
  type ChipSpec,
  REFERENCE_CLOCK_HZ,
  chipSpec,
  coreCol,
  coreRow,
  fromReferenceCycles,
  globalAddress,
  hardwareCoreId,
  hops,
  logicalCore,
} from "./chip.js";
export { type LinkLoad, MESH_C, MESH_R, MESH_X, Mesh, OFF_CHIP } from "./mesh.js";
export {
  CORE_CODE_MAX_SIZE,
  CORE_STACK_BYTES,
  type CoreLayout,
  type CoreLayoutParams,
  EPYTHON_POSTBOX_BYTES,
  INTERPRETER_BYTES,
  MemoryMapError,
  POSTBOX_SLOT_BYTES,
  SHARED_HEAP_BYTES,
  SHARED_STACK_BYTES,
  layoutCore,
} from "./memory-map.js";
export * from "./costs.js";
export {
  type CalibrationResult,
  type CalibrationTargets,
  calibrate,
  calibrationTargets,
  formatCalibration,
} from "./calibrate.js";
