/**
 * The cycle costs one core's VM charges, built from the interpreter's cost table and the chip:
 * a device core pays the eLink for whatever of its code and data lives in shared DRAM; a host
 * virtual core runs the same byte code faster on the ARM (HOST_CORE_SPEED_FACTOR).
 */
import { type ChipSpec, fromReferenceCycles } from "../machine/chip.js";
import { CORE_OFFCHIP_STORE_INTERVAL, DRAM_READ_ROUND_TRIP_MEAS } from "../machine/costs.js";
import type { VmCosts } from "../vm/vm.js";
import {
  FRAME_RELEASE_DRAM_READS, FREE_DRAM_READS, GC_DRAM_READS, HEAP_ALLOC_DRAM_READS, NEW_CELL_DRAM_READS, SHARED_ALLOC_DRAM_READS, SHARED_ALLOC_DRAM_STORES,
} from "./c-runtime.js";
import {
  ARRAY_COPY_CYCLES_PER_ELEMENT, CALL_PER_ARG_CYCLES, ELEMENT_WRITE_CYCLES, GC_CYCLES_PER_WORD, HEAP_ALLOC_CYCLES, HOST_CORE_SPEED_FACTOR,
  LIST_GROW_CYCLES_PER_ELEMENT, OP_CYCLES, CALL_SCAN_CYCLES_PER_ENTRY, RETURN_SCAN_CYCLES_PER_ENTRY, COMPARISON_VALUE_EXTRA_CYCLES, ALIAS_READ_EXTRA_CYCLES, SYMBOL_SCAN_CYCLES_PER_ENTRY, VALUE_ARG_EXTRA_CYCLES,
} from "./interpreter-costs.js";

export interface DeviceCostOptions {
  /** the byte code is in the core's SRAM (otherwise every operation fetches it over the eLink) */
  codeOnCore: boolean;
  /** variables (stack and heap) live in shared DRAM (`-datashared`) */
  dataShared: boolean;
  /** factor on the interpreter's costs (1; sensitivity studies) */
  interpreterScale?: number;
  /** factor on a DRAM read's round trip (1; sensitivity studies, as Mesh's `dram` scale) */
  dramScale?: number;
}

/** Costs of a device core of `spec`. */
export function deviceVmCosts(spec: ChipSpec, o: DeviceCostOptions): VmCosts {
  const k = o.interpreterScale ?? 1;
  const sharedRead = fromReferenceCycles(spec, DRAM_READ_ROUND_TRIP_MEAS) * (o.dramScale ?? 1);
  const sharedWrite = fromReferenceCycles(spec, CORE_OFFCHIP_STORE_INTERVAL);
  return {
    opCycles: k === 1 ? OP_CYCLES : Array.from(OP_CYCLES, (c) => c * k),
    sharedReadCycles: sharedRead,
    sharedWriteCycles: sharedWrite,
    codeFetchCycles: o.codeOnCore ? 0 : sharedRead,
    allocCycles: HEAP_ALLOC_CYCLES * k,
    gcCyclesPerWord: GC_CYCLES_PER_WORD * k,
    callPerArgCycles: CALL_PER_ARG_CYCLES * k,
    valueArgCycles: VALUE_ARG_EXTRA_CYCLES * k,
    symbolScanCycles: SYMBOL_SCAN_CYCLES_PER_ENTRY * k,
    callScanCycles: CALL_SCAN_CYCLES_PER_ENTRY * k,
    returnScanCycles: RETURN_SCAN_CYCLES_PER_ENTRY * k,
    comparisonValueCycles: COMPARISON_VALUE_EXTRA_CYCLES * k,
    aliasReadCycles: ALIAS_READ_EXTRA_CYCLES * k,
    elementWriteCycles: ELEMENT_WRITE_CYCLES * k,
    listGrowCyclesPerElement: LIST_GROW_CYCLES_PER_ELEMENT * k,
    arrayCopyCyclesPerElement: ARRAY_COPY_CYCLES_PER_ELEMENT * k,
    dram: {
      alloc: HEAP_ALLOC_DRAM_READS,
      sharedAlloc: SHARED_ALLOC_DRAM_READS,
      sharedAllocStores: SHARED_ALLOC_DRAM_STORES,
      free: FREE_DRAM_READS,
      collect: GC_DRAM_READS,
      newCell: NEW_CELL_DRAM_READS,
      frameRelease: FRAME_RELEASE_DRAM_READS,
    },
    variableReadCycles: o.dataShared ? sharedRead : 0,
    variableWriteCycles: o.dataShared ? sharedWrite : 0,
  };
}

/** Costs of a host virtual core: the interpreter's work divided by the host's speed factor. */
export function hostVmCosts(interpreterScale = 1): VmCosts {
  const f = HOST_CORE_SPEED_FACTOR / interpreterScale;
  return {
    opCycles: Array.from(OP_CYCLES, (c) => c / f),
    sharedReadCycles: 0,
    sharedWriteCycles: 0,
    codeFetchCycles: 0,
    allocCycles: HEAP_ALLOC_CYCLES / f,
    gcCyclesPerWord: GC_CYCLES_PER_WORD / f,
    callPerArgCycles: CALL_PER_ARG_CYCLES / f,
    valueArgCycles: VALUE_ARG_EXTRA_CYCLES / f,
    symbolScanCycles: SYMBOL_SCAN_CYCLES_PER_ENTRY / f,
    callScanCycles: CALL_SCAN_CYCLES_PER_ENTRY / f,
    returnScanCycles: RETURN_SCAN_CYCLES_PER_ENTRY / f,
    comparisonValueCycles: COMPARISON_VALUE_EXTRA_CYCLES / f,
    aliasReadCycles: ALIAS_READ_EXTRA_CYCLES / f,
    elementWriteCycles: ELEMENT_WRITE_CYCLES / f,
    listGrowCyclesPerElement: LIST_GROW_CYCLES_PER_ELEMENT / f,
    arrayCopyCyclesPerElement: ARRAY_COPY_CYCLES_PER_ELEMENT / f,
    // the host's runtime keeps its control data in its own memory
    dram: { alloc: 0, sharedAlloc: 0, sharedAllocStores: 0, free: 0, collect: 0, newCell: 0, frameRelease: 0 },
    variableReadCycles: 0,
    variableWriteCycles: 0,
  };
}
