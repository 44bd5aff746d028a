/**
 * Every timing constant of the chip model (cores' pipeline, mesh, DMA, eLink, shared DRAM, the
 * ARM host's monitor protocol, barrier hardware), in one place. What ePython's interpreter and
 * runtime cost per byte code or per message is the runtime's: src/runtime/interpreter-costs.ts
 * and src/runtime/runtime-costs.ts.
 *
 * Sources are cited against ../../../shared/design/epiphany-facts.md ("facts"):
 *   DOC  = vendor documentation / vendor code, MEAS = measured on a board,
 *   DERIVED = arithmetic on those, GUESS = ours, with the reasoning given.
 * MEAS bandwidths in the facts are MiB/s (1325 MB/s = 2.3 bytes/cycle only holds for 2^20-byte
 * MB, and 4.19 MB/s = 546 cycles/word likewise), so conversions below use 1 MB = 1048576 bytes.
 *
 * Units: cycles of the simulated chip. Constants whose comment says "@600 MHz" are fixed times
 * (off-chip memory, the ARM host) expressed in cycles of the 600 MHz Parallella reference clock;
 * `Mesh` and callers convert them with `fromReferenceCycles(spec, c)` for faster chips.
 */

const MIB = 1048576;
const REF_HZ = 600e6; // DOC facts: Parallella clocks the Epiphany at 600 MHz

// =============================================================================================
// Core pipeline facts (DOC facts "Local memory": compiler model of the e-core pipeline)
// =============================================================================================

/** Load-to-use latency of a local SRAM load. DOC facts: load latency 3 cycles. */
export const LOAD_LATENCY_CYCLES = 3;
/** Taken-branch penalty. DOC facts: taken branch 3. */
export const TAKEN_BRANCH_CYCLES = 3;
/** C function call + return. DOC facts: call/return about 8. */
export const CALL_RETURN_CYCLES = 8;
/** Floating-point op latency. DOC facts: FP ops 4-5 (we take 4; dual issue hides some). */
export const FP_OP_CYCLES = 4;
/** Integer ALU op. DOC facts: integer ops 1-2. */
export const INT_OP_CYCLES = 1;

/**
 * Cost of one 32-bit access to local SRAM as the interpreter does it (issue + load latency).
 * DERIVED: 1 issue cycle + LOAD_LATENCY_CYCLES of which one overlaps = 4 - the stall that a
 * dependent use sees in the interpreter's tightly chained code. The VM may charge
 * (remote or shared access time - LOCAL_WORD_ACCESS_CYCLES) extra per word when data it
 * touches lives off-core, since OP_CYCLES already include local accesses.
 */
export const LOCAL_WORD_ACCESS_CYCLES = 4;

// =============================================================================================
// eMesh network on chip
// =============================================================================================

/** Bytes carried by one mesh packet (one transaction). DOC facts: at most 8 bytes. */
export const MESH_PACKET_BYTES = 8;
/**
 * Cycles one packet occupies a cMesh link. DOC facts: cMesh links carry 8 bytes/cycle/direction,
 * and a packet is at most 8 bytes, so a packet holds a link for 1 cycle (DERIVED).
 */
export const CMESH_PACKET_CYCLES = 1;
/** Cycles a read request holds an rMesh link. GUESS: facts give no rMesh bandwidth; as cMesh. */
export const RMESH_PACKET_CYCLES = 1;
/** Cycles a packet holds an on-chip xMesh link. GUESS: facts give no xMesh bandwidth; as cMesh. */
export const XMESH_PACKET_CYCLES = 1;

/**
 * From a core's store (or load request) issue until its packet leaves the source router.
 * GUESS 3: one store issue cycle plus two cycles through the mesh interface. Chosen together
 * with MESH_EJECT_CYCLES, REMOTE_READ_SERVICE_CYCLES and the poll costs so that the DOC remote
 * read (18 + 3*hops) and MEAS ping-pong (13 + 1.44*hops, see calibrate.ts) both come out.
 */
export const MESH_INJECT_CYCLES = 3;
/** From the destination router until the data is in the destination SRAM (or register). GUESS 3 (see above). */
export const MESH_EJECT_CYCLES = 3;
/**
 * Time the remote core's mesh node takes to serve a read request: SRAM bank arbitration
 * against the owner core, the access, forming the reply packet. DERIVED from DOC facts
 * (remote read of one word about 18 + 3*hops): 18 = 2 * (INJECT 3 + EJECT 3) + 6; the
 * 3*hops part is the E16's 1.5 cycles/hop walked twice (request on rMesh, reply on cMesh).
 */
export const REMOTE_READ_SERVICE_CYCLES = 6;

// =============================================================================================
// Spin polling of a local location (postboxes, barrier flags)
// =============================================================================================

/**
 * One iteration of a local spin loop `while (slot != v);`: ldrb (1 issue + load latency 3,
 * DOC), compare (1, DOC int op), taken branch back (3, DOC) = about 7, minus one cycle that the
 * compare overlaps with the load stall. GUESS 6.
 */
export const POSTBOX_POLL_CYCLES = 6;

/**
 * A core whose byte code reaches shared DRAM runs in slices of at most this many cycles, after
 * each of which its eLink traffic is booked (Mesh.elinkTraffic): shorter slices interleave the
 * cores' demands more finely, longer ones simulate faster. A simulation choice, not hardware.
 */
export const SHARED_SLICE_CYCLES = 4096;
/** From the loop's load that sees the new value to the first instruction after the loop:
 * load latency 3 (DOC) + compare 1 (DOC), the exit branch is not taken. DERIVED 4. */
export const POLL_EXIT_CYCLES = 4;
/**
 * Mean time from a value becoming visible in local SRAM to a core spinning on it resuming:
 * the value lands at a uniformly random phase of the loop, so the next sampling load comes
 * half an iteration later on average, then POLL_EXIT_CYCLES. DERIVED 6/2 + 4 = 7.
 * Using the mean (not an exact phase) keeps results independent of accidental lock-step
 * phases between two cores, which real boards blur with clock-domain jitter.
 */
export const POLL_DETECT_CYCLES = POSTBOX_POLL_CYCLES / 2 + POLL_EXIT_CYCLES;

/**
 * When a core that began spinning on a local location at `spinStart` resumes, given that the
 * awaited value becomes visible at `visible`. A value already there costs one check (exit
 * only); otherwise POLL_DETECT_CYCLES after it lands. Continuous in both arguments.
 */
export function localSpinResume(spinStart: number, visible: number): number {
  const a = spinStart + POLL_EXIT_CYCLES;
  const b = visible + POLL_DETECT_CYCLES;
  return a > b ? a : b;
}

// =============================================================================================
// DMA engine (on-chip)
// =============================================================================================

/**
 * Interval between 8-byte packets issued by a DMA channel. DERIVED from two MEAS facts:
 * 12 KB core to far core at 1325 MiB/s = 2.3156 B/cycle (5307 cycles) and 4 KB in about
 * 2075 cycles: the extra 8 KB take 5307 - 2075 = 3232 cycles, 2.535 B/cycle, i.e. one
 * 8-byte packet per 3.16 cycles.
 */
export const DMA_PACKET_INTERVAL_CYCLES = 3.16;
/**
 * Fixed cost of a DMA transfer (descriptor set-up, e_dma_copy call, start, completion poll).
 * DERIVED from the same MEAS pair: 2075 - 511 * 3.16 - ~16 cycles of path latency = 445.
 */
export const DMA_SETUP_CYCLES = 445;

// =============================================================================================
// Off-chip: eLink, shared DRAM (all @600 MHz reference cycles; scaled for other clocks)
// =============================================================================================

/**
 * Minimum interval between two off-chip stores of one core (the core's xMesh write path
 * throttles it). MEAS facts: core writes to shared DRAM 143 MiB/s with 4-byte words:
 * 600e6 * 4 / (143 * MIB) = 16.0 cycles per word. @600 MHz.
 */
export const CORE_OFFCHIP_STORE_INTERVAL = (REF_HZ * 4) / (143 * MIB);
/**
 * Cycles one write (or read-request) transaction holds the outbound eLink. MEAS facts: DMA to
 * shared DRAM 493 MiB/s with 8-byte packets: 600e6 * 8 / (493 * MIB) = 9.29. The DMA engine
 * keeps the eLink saturated, so this is the eLink's transaction rate; a single core's stores
 * (16 cycles apart) do not saturate it, several cores do. @600 MHz.
 */
export const ELINK_TX_PACKET_CYCLES = (REF_HZ * 8) / (493 * MIB);
/**
 * Cycles one read reply holds the inbound eLink path. MEAS facts: DMA from shared DRAM
 * 155 MiB/s with 8-byte reads: 600e6 * 8 / (155 * MIB) = 29.5. GUESS that the reply path is
 * what limits the read rate (the DMA keeps several reads in flight). @600 MHz.
 */
export const ELINK_RX_PACKET_CYCLES = (REF_HZ * 8) / (155 * MIB);
/**
 * Core-to-DRAM read round trip, MEAS facts: core reads shared DRAM 4.19 MiB/s with 4-byte
 * reads = 600e6 * 4 / (4.19 * MIB) = 546.2 cycles per blocking read. @600 MHz.
 */
export const DRAM_READ_ROUND_TRIP_MEAS = (REF_HZ * 4) / (4.19 * MIB);
/**
 * Off-chip latency of a read beyond the eLink occupancies (FPGA eLink logic, AXI, DDR, back).
 * DERIVED so that core 0 of an E16 (4 xMesh hops to the east eLink) sees the MEAS 546.2:
 * 546.2 - (inject 3 + 4 * 1.5) - 9.29 (TX) - 29.53 (RX) - (4 * 1.5 + eject 3) = 489.4. @600 MHz.
 */
export const DRAM_READ_LATENCY =
  DRAM_READ_ROUND_TRIP_MEAS - (MESH_INJECT_CYCLES + 4 * 1.5) - ELINK_TX_PACKET_CYCLES -
  ELINK_RX_PACKET_CYCLES - (4 * 1.5 + MESH_EJECT_CYCLES);
/**
 * From a write leaving the eLink until it is visible in DRAM (to the host and to later reads).
 * GUESS: half of the off-chip read latency (one way of the same FPGA/AXI/DDR path). @600 MHz.
 */
export const DRAM_WRITE_LATENCY = DRAM_READ_LATENCY / 2;
/**
 * Where a read of DRAM samples memory, measured from the request leaving the eLink: GUESS the
 * midpoint of the off-chip latency. Used to decide which polling read sees a host reply. @600 MHz.
 */
export const DRAM_READ_SAMPLE_OFFSET = DRAM_READ_LATENCY / 2;

// =============================================================================================
// The ARM host (Parallella: dual Cortex-A9 at 667 MHz) and its monitor protocol
// =============================================================================================

/**
 * Bytes a core writes into its core_ctrl command block per host request: up to 15 data bytes
 * plus core_command and core_busy words (semantics section 4). GUESS 24 = 3 doubleword stores.
 */
export const HOST_COMMAND_BYTES = 24;
/**
 * Period of the host monitor's sweep over the cores' command blocks. GUESS 1200 cycles (2 us):
 * the monitor thread reads each active core's core_ctrl from uncached shared DRAM (~100 ns per
 * read on the A9) for 16 cores plus loop overhead. A request is noticed at the first sweep
 * boundary (multiple of the period from time 0) at or after it lands in DRAM. @600 MHz.
 */
export const HOST_POLL_PERIOD_CYCLES = 1200;
/**
 * Host writes the reply (data + core_busy, about 12 bytes) into shared DRAM. DERIVED from MEAS
 * facts: host writes shared DRAM 101 MiB/s = 5.67 cycles/byte @600 MHz; 12 bytes = 68 cycles.
 */
export const HOST_REPLY_WRITE_CYCLES = Math.round((12 * REF_HZ) / (101 * MIB));
/**
 * Host service time of a print (the default host request): format the value, printf, fflush
 * to the terminal (a write system call). GUESS 10 us on a 667 MHz Cortex-A9 = 6000 cycles @600 MHz.
 */
export const HOST_SERVICE_CYCLES = 6000;
/** Host service of input(): prompt + read a line, excluding the user's think time. GUESS as print. */
export const HOST_INPUT_SERVICE_CYCLES = 6000;
/**
 * Host service of a string concatenation: allocate in the core's shared heap and copy both
 * strings from uncached shared DRAM. GUESS 2 us = 1200 cycles @600 MHz.
 */
export const HOST_CONCAT_SERVICE_CYCLES = 1200;
/** Host service of a maths op or rand(): one libm call plus monitor overhead. GUESS 1 us = 600 @600 MHz. */
export const HOST_MATH_SERVICE_CYCLES = 600;

// =============================================================================================
// Barrier
// =============================================================================================

/**
 * A barrier through the hardware wired-AND (WAND) line: the WAND instruction, the AND settling
 * across the chip and the wake-up interrupt. GUESS 20 cycles: facts do not describe it; an
 * interrupt entry/exit is a call/return-like 8 cycles (DOC) plus the idle wake-up and signal
 * propagation. ePython's sync() does NOT use it (it uses the software barrier of semantics 3.4,
 * which the runtime builds from mesh writes and spin polls); this is for an optional algorithm.
 */
export const BARRIER_WAND_CYCLES = 20;
