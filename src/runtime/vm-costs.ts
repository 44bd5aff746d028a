/**
 * The cycle costs one core's VM charges, built from the interpreter's cost table and the chip:
 * a device core pays the eLink for whatever of its code and data lives in shared DRAM; a host
 * virtual core runs the same byte code faster on the ARM (HOST_CORE_SPEED_FACTOR).
 */
import { type ChipSpec, fromReferenceCycles } from "../machine/chip.js";
import { CORE_OFFCHIP_STORE_INTERVAL, DRAM_READ_ROUND_TRIP_MEAS } from "../machine/costs.js";
import type { VmCosts } from "../vm/vm.js";
import {
  ARRAY_COPY_CYCLES_PER_ELEMENT, CALL_PER_ARG_CYCLES, ELEMENT_WRITE_CYCLES, GC_CYCLES_PER_WORD, HEAP_ALLOC_CYCLES, HOST_CORE_SPEED_FACTOR,
  LIST_GROW_CYCLES_PER_ELEMENT, OP_CYCLES,
} from "./interpreter-costs.js";

export interface DeviceCostOptions {
  /** the byte code is in the core's SRAM (otherwise every operation fetches it over the eLink) */
  codeOnCore: boolean;
  /** variables (stack and heap) live in shared DRAM (`-datashared`) */
  dataShared: boolean;
}

/** Costs of a device core of `spec`. */
export function deviceVmCosts(spec: ChipSpec, o: DeviceCostOptions): VmCosts {
  const sharedRead = fromReferenceCycles(spec, DRAM_READ_ROUND_TRIP_MEAS);
  const sharedWrite = fromReferenceCycles(spec, CORE_OFFCHIP_STORE_INTERVAL);
  return {
    opCycles: OP_CYCLES,
    sharedReadCycles: sharedRead,
    sharedWriteCycles: sharedWrite,
    codeFetchCycles: o.codeOnCore ? 0 : sharedRead,
    allocCycles: HEAP_ALLOC_CYCLES,
    gcCyclesPerWord: GC_CYCLES_PER_WORD,
    callPerArgCycles: CALL_PER_ARG_CYCLES,
    elementWriteCycles: ELEMENT_WRITE_CYCLES,
    listGrowCyclesPerElement: LIST_GROW_CYCLES_PER_ELEMENT,
    arrayCopyCyclesPerElement: ARRAY_COPY_CYCLES_PER_ELEMENT,
    variableReadCycles: o.dataShared ? sharedRead : 0,
    variableWriteCycles: o.dataShared ? sharedWrite : 0,
  };
}

/** Costs of a host virtual core: the interpreter's work divided by the host's speed factor. */
export function hostVmCosts(): VmCosts {
  const f = HOST_CORE_SPEED_FACTOR;
  return {
    opCycles: Array.from(OP_CYCLES, (c) => c / f),
    sharedReadCycles: 0,
    sharedWriteCycles: 0,
    codeFetchCycles: 0,
    allocCycles: HEAP_ALLOC_CYCLES / f,
    gcCyclesPerWord: GC_CYCLES_PER_WORD / f,
    callPerArgCycles: CALL_PER_ARG_CYCLES / f,
    elementWriteCycles: ELEMENT_WRITE_CYCLES / f,
    // NOT divided by the speed factor: these were literals in the VM that host cores paid in full,
    // and dividing them now would change the timing of every recorded run. (Dividing them is the
    // consistent model; it is a behaviour change to make on its own, with new golden traces.)
    listGrowCyclesPerElement: LIST_GROW_CYCLES_PER_ELEMENT,
    arrayCopyCyclesPerElement: ARRAY_COPY_CYCLES_PER_ELEMENT,
    variableReadCycles: 0,
    variableWriteCycles: 0,
  };
}
