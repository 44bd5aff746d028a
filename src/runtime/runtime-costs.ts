/**
 * What ePython's C runtime costs around messages and host services, beyond the mesh and eLink
 * transfers the machine model prices (src/machine/costs.ts). Sources as there.
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

// =============================================================================================
// ePython's messaging runtime (device/device-functions.c:628-919)
// =============================================================================================

/**
 * C runtime work around each message operation (send, recv, each half of sendrecv), beyond the
 * byte code that calls it and the mesh transfers the runtime models: the native dispatch and
 * argument checks, the active-core and host/device tests, the global address of the remote
 * postbox (e_get_global_address), the sequence-number bookkeeping and the polling-loop set-up.
 * GUESS 400 core cycles (work on the core: no clock scaling), calibrated against ePython's tutorial 3 (docs/tutorial3.md:115-119,
 * see ../shared/design/epython-semantics.md section 7): a 1-D Jacobi with N=100 runs fastest on
 * about 8 cores (3 and 16 are slower), while with N=200 16 cores beat 8. With this value the model
 * gives N=100: 3 cores 2.61 s, 8 cores 1.39 s, 16 cores 1.42 s; N=200: 8 cores 2.30 s, 16 cores
 * 1.84 s (examples/jacobi.py, 10000 iterations). Without it 16 cores would beat 8 at N=100.
 */
export const RUNTIME_MESSAGE_CALL_CYCLES = 400;
