/** What the runtime gives a core's VM: its place in the run (CoreSetup) and its cycle costs (VmCosts). */

/** Cycle costs the runtime gives the VM (src/runtime/vm-costs.ts builds them; sources in src/runtime/interpreter-costs.ts). */
export interface VmCosts {
  /** cycles per opcode, indexed by opcode */
  opCycles: ArrayLike<number>;
  /** one word read from / written to the core's share of shared DRAM */
  sharedReadCycles: number;
  sharedWriteCycles: number;
  /** extra cycles per instruction when the byte code lives in shared memory */
  codeFetchCycles: number;
  allocCycles: number;
  gcCyclesPerWord: number;
  /** binding one argument to a parameter symbol on a call */
  callPerArgCycles: number;
  /** a value argument's assignment to its temporary, beyond binding */
  valueArgCycles: number;
  /** per symbol-table entry a lookup passes (scan-costs.ts) */
  symbolScanCycles: number;
  /** per table entry, per parameter a call creates */
  callScanCycles: number;
  /** per table entry a return scans */
  returnScanCycles: number;
  /** a comparison whose result is used as a value, beyond one used as a condition */
  comparisonValueCycles: number;
  /** reading a parameter (an alias), beyond reading a variable */
  aliasReadCycles: number;
  /** writing one element of a new list */
  elementWriteCycles: number;
  /** per element copied when a list literal grows on access (the old elements move to the new chunk) */
  listGrowCyclesPerElement: number;
  /** per element copied by the arraycopy native */
  arrayCopyCyclesPerElement: number;
  /**
   * Reads of ePython's control data in shared DRAM (`sharedData->...`) that its memory
   * management makes (each costs sharedReadCycles and is booked on the eLink): per allocation in
   * the core's heap, per allocation in the shared heap (with its header stores), per free, per
   * collection, per new scalar cell of a call (a value argument's temporary or a local, given
   * stack memory on first use) and per call frame released on return. 0 on a host core.
   */
  dram: {
    alloc: number;
    sharedAlloc: number;
    sharedAllocStores: number;
    free: number;
    collect: number;
    newCell: number;
    frameRelease: number;
  };
  /** extra cycles per variable read / write when scalars live in shared memory (-datashared) */
  variableReadCycles: number;
  variableWriteCycles: number;
}

export interface CoreSetup {
  coreId: number;
  numCores: number;
  isHost: boolean;
  /** bytes of heap in the core's SRAM (0 when data is forced into shared memory) */
  heapBytes: number;
  /** bytes of the core's heap in shared DRAM */
  sharedHeapBytes: number;
  /** value cells available for variables and temporaries (core stack plus its shared overflow) */
  stackCells: number;
}

/** Called on every garbage collection (rare; not on the hot path). */
export type GcHook = (cycle: number, usedBefore: number, usedAfter: number, pauseCycles: number) => void;
