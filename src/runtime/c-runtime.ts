/**
 * ePython's device runtime (the C code that runs on each core beside the interpreter), as the
 * local work of its functions. Its accesses to shared DRAM and to other cores are not here: the
 * runtime's call recipes (runtime-calls.ts) issue each of them as its own operation, which the
 * machine model prices (src/machine/mesh.ts).
 *
 * Source: ePython, branch `dev` (github.com/mesham/epython, commit 78e126a), cited as
 *   R = devices/epiphany/epiphany-runtime.c, M = devices/epiphany/main.c,
 *   S = devices/epiphany/epiphany-shared.h, H = host/epiphany-support.c.
 * The device build is `e-gcc -Os` (devices/epiphany/makefile:2); the binary was not
 * disassembled, so every local cost below is an estimate (EST) from the C source and the e-core
 * pipeline facts in src/machine/costs.ts (load latency 3, taken branch 3, call/return 8, FP 4),
 * with a range [low, high] for the sensitivity studies (src/runtime/cost-registry.ts).
 * The accesses themselves are counted from the source (docs/research/epython-runtime-accesses.md).
 */
import { CALL_RETURN_CYCLES, LOAD_LATENCY_CYCLES, TAKEN_BRANCH_CYCLES } from "../machine/costs.js";

/**
 * ePython's TOTAL_CORES (S:30) is 16, the E16's cores: every loop over "all cores" in the runtime
 * (barrier, bcast, reduce, start-up) runs to it. On a larger chip we take the chip's core count,
 * as a build of ePython for that chip would.
 */
export const EPYTHON_TOTAL_CORES_E16 = 16;

/**
 * One byte of `cpy()` (R:924-930), an out-of-line byte loop `cto[i]=cfrom[i]` with both ends in
 * local SRAM: ldrb (1 + load latency 3), strb (1), index add (1), compare (1), taken branch (3)
 * = 10, of which the add and compare issue under the load stall: EST 8 [6, 10].
 */
export const CPY_BYTE_CYCLES = 8;
/** The call of `cpy()` and its set-up: call/return 8 (DOC) + 2 argument moves. EST 10 [8, 14]. */
export const CPY_CALL_CYCLES = CALL_RETURN_CYCLES + 2;
/** A local `cpy()` of n bytes. */
export function cpyLocal(n: number): number {
  return CPY_CALL_CYCLES + n * CPY_BYTE_CYCLES;
}

/**
 * `callNativeFunction` (R:65-207) finds the function with a chain of `if (fnIdentifier == ...)`
 * tests: per test a compare and a not-taken branch, fnIdentifier in a register: EST 2 [2, 4].
 */
export const NATIVE_TEST_CYCLES = 2;
/** Entry of callNativeFunction: mask and shift of the argument count, its check (R:67-69). EST 8 [6, 14]. */
export const NATIVE_ENTRY_CYCLES = 8;
/**
 * Where each runtime function stands in callNativeFunction's if-chain (R:70-206), counting the
 * tests made before its branch is taken (an `a || b` test counts 2).
 */
export const NATIVE_CHAIN_POSITION = {
  print: 3,
  inputPrint: 7,
  input: 6,
  sync: 8,
  send: 11,
  sendNonBlocking: 12,
  recv: 13,
  sendrecv: 14,
  test: 15,
  wait: 16,
  bcast: 17,
  probe: 18,
  reduce: 21,
  math: 26,
} as const;
/** The native dispatch to a runtime function at `position` in the if-chain. */
export function nativeDispatch(position: number): number {
  return NATIVE_ENTRY_CYCLES + position * NATIVE_TEST_CYCLES;
}
/** `getInt(p)` (R:958-962): a 4-byte cpy into a local int and its return. */
export const GET_INT_CYCLES = cpyLocal(4) + CALL_RETURN_CYCLES;
/** Returning a `struct value_defn` (6 bytes) by value through the callers: EST 10 [6, 20]. */
export const VALUE_RETURN_CYCLES = 10;

/**
 * `syncValues[x] = syncValues[x]==255 ? 0 : syncValues[x]+1` on a volatile byte array (R:654):
 * load (1 + 3), compare, conditional select, add, store, and the re-load volatile forces:
 * EST 8 [6, 12].
 */
export const SYNC_VALUE_UPDATE_CYCLES = 1 + LOAD_LATENCY_CYCLES + 4;
/**
 * `target / e_group_config.group_cols` (R:656): the e-core has no divide instruction, so this is
 * libgcc's software division. EST 60 [30, 100] (the interpreter's SOFT_DIV, same routine).
 */
export const SOFTWARE_DIVIDE_CYCLES = 60;
/**
 * `e_get_global_address(row, col, ptr)` (e-lib): a call, the core's own coordinates from a
 * global, shifts and ors to build the address. EST 30 [20, 50].
 */
export const GLOBAL_ADDRESS_CYCLES = 30;
/** `getLargestCoreId` (R:694-707) besides its two DRAM reads: call/return 8 + a compare. EST 12 [10, 20]. */
export const LARGEST_CORE_ID_LOCAL_CYCLES = CALL_RETURN_CYCLES + 4;

/**
 * One iteration of a loop over the cores' ids (`for (i...) if (sharedData->core_ctrl[i].active)`,
 * R:843-852, R:866, R:891, M:53) besides its DRAM read: index arithmetic for the struct array,
 * increment, compare, taken branch back: EST 6 [4, 10].
 */
export const CORE_LOOP_ITERATION_CYCLES = 3 + TAKEN_BRANCH_CYCLES;
/**
 * Combining one received value in reduceData (R:896-908): a 4-byte cpy, the type test and the
 * four `rop` tests, one FP or integer op: EST cpyLocal(4) + 12 [35, 70].
 */
export const REDUCE_COMBINE_CYCLES = cpyLocal(4) + 12;
/**
 * The poll loops' own work per iteration besides the copy: the two volatile loads of the
 * `while (communication_data[5] != syncValues[x])` test, compare, taken branch: EST 10 [8, 14].
 */
export const POLL_TEST_CYCLES = 2 * (1 + LOAD_LATENCY_CYCLES) - 1 + TAKEN_BRANCH_CYCLES;
/**
 * Building a message record (R:652-655): type store, 4-byte cpy of the payload, sequence byte.
 * EST 4 + cpyLocal(4) [35, 60].
 */
export const BUILD_MESSAGE_CYCLES = 4 + cpyLocal(4);

// =============================================================================================
// ePython's memory management on the core: its reads of control data in shared DRAM
// =============================================================================================

/** getHeapMemory in the core's heap: allInSharedMemory (R:384) and heap_start (R:546). COUNT 2. */
export const HEAP_ALLOC_DRAM_READS = 2;
/**
 * An allocation in the core's shared heap: allInSharedMemory (R:384), shared_heap_start (R:542),
 * the first chunk's 4-byte length and in-use byte (R:552, R:557): COUNT 7 with a one-chunk walk
 * (the split keeps the big free chunk first, R:559); the two headers written: 9 byte stores.
 */
export const SHARED_ALLOC_DRAM_READS = 7;
export const SHARED_ALLOC_DRAM_STORES = 9;
/** freeMemoryInHeap: heap_start for the consolidation walk (R:486). COUNT 1. */
export const FREE_DRAM_READS = 1;
/** performGC: heap_start (R:438-444). COUNT 1 per collection of the core's heap. */
export const GC_DRAM_READS = 1;
/** getStackMemory for a new scalar: allInSharedMemory (R:596) and stack_start (R:602). COUNT 2. */
export const NEW_CELL_DRAM_READS = 2;
/** clearFreedStackFrames on return: shared_stack_start and stack_start (R:617-621). COUNT 2. */
export const FRAME_RELEASE_DRAM_READS = 2;
