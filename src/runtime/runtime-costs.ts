/**
 * Costs of the host virtual cores' runtime (`-h N`), which runs on the ARM. ePython's device
 * runtime is modelled access by access instead: c-runtime.ts and runtime-calls.ts.
 */
// =============================================================================================
// Host virtual cores (`-h N`)
// =============================================================================================

/**
 * A host virtual core prints or computes maths itself (a function call on the ARM, no command
 * block, no monitor sweep): GUESS a quarter of the monitor's service time for the same request.
 */
export const HOST_LOCAL_SERVICE_FRACTION = 0.25;
/**
 * A message between two host virtual cores goes through a slot array in the host process's
 * memory (host/host-functions.c:547-563): GUESS 100 cycles @600 MHz for the stores, the other
 * thread's poll and the cache-line transfer between the two A9 cores.
 */
export const HOST_TO_HOST_MESSAGE_CYCLES = 100;
