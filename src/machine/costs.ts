/**
 * Every timing constant of the machine model, in one place.
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
import { Op, OP_COUNT, type OpName } from "../lang/opcodes.js";

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
/**
 * Speed of the host virtual cores (`-h n`: the same byte code interpreted on the 667 MHz
 * Cortex-A9) relative to an Epiphany core: host op time = OP_CYCLES[op] / factor, in 600 MHz
 * cycles. GUESS 2.5 = clock ratio 667/600 = 1.11 times about 2.2 for the A9's branch
 * prediction, caches and out-of-order issue on this branchy, load-heavy interpreter code
 * (the e-core pays 3 cycles per taken branch and stalls on every dependent load, DOC).
 */
export const HOST_CORE_SPEED_FACTOR = 2.5;

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

// =============================================================================================
// Heap and GC (ePython's device allocator, semantics 3.2)
// =============================================================================================

/**
 * One heap allocation: first-fit walk of the implicit free list (a few chunks at ~10 cycles
 * each: two header loads at latency 3, compare, taken branch 3), carve from the end of the
 * chunk, write the new header, plus the getHeapMemory call chain (2 calls, 8 each, DOC).
 * GUESS 150.
 */
export const HEAP_ALLOC_CYCLES = 150;
/** Freeing a chunk and coalescing neighbours. GUESS 60 (a header walk of a few chunks). */
export const HEAP_FREE_CYCLES = 60;
/**
 * GC sweep cost per 4-byte word of heap walked: ePython's sweep visits chunks, not words, so
 * this is the chunk-walk cost spread over a typical chunk. GUESS 2.
 */
export const GC_CYCLES_PER_WORD = 2;
/**
 * GC mark cost per (used chunk, symbol) pair: ePython keeps a chunk iff some symbol points at
 * it, found by scanning the symbol table for each used chunk. Same as one symbol-table entry
 * scan. GUESS 7 (see SYMBOL_SCAN_CYCLES_PER_ENTRY).
 */
export const GC_CYCLES_PER_CHUNK_SYMBOL = 7;

// =============================================================================================
// Byte-code operation costs
// =============================================================================================

/**
 * ePython walks a prefix-encoded tree with a recursive C interpreter. Per operation we charge:
 * D = dispatch: fetch the opcode byte (1 + load latency 3), bounds/jump-table load (3) and the
 *     indirect jump (taken branch 3), loop back (1) = 12 (GUESS instruction count, DOC latencies),
 *     plus one recursive C call per tree node (call/return 8, DOC) = 20.
 */
const D = 12 + CALL_RETURN_CYCLES;
/** Operand decode, unaligned bytes: u8 = ldrb + latency = 4; u16 = 2 loads + shift/or = 8;
 * 32-bit = 4 loads + 3 shift/or = 16. GUESS counts, DOC latencies. */
const U8 = 4;
const U16 = 8;
const U32 = 16;
/** Push or pop one value (1 type byte + 4 payload bytes, stored byte-wise, index update). GUESS 6. */
const PUSH = 6;
const POP = 6;
/** Type checks of a binary operation: load both type bytes, compare, branch (taken 3). GUESS 8. */
const TYPECHECK = 8;
/**
 * Symbol-table linear search (ePython looks a variable up by id through the table): per entry
 * ldrh id (1 + latency 3) + compare (1) + taken branch back (3) = about 7 (DOC latencies).
 */
export const SYMBOL_SCAN_CYCLES_PER_ENTRY = 7;
/**
 * Entries scanned on average per lookup. GUESS 8: the facts' example programs have 4-24
 * symbols (hello 4, Monte Carlo PI 16, Jacobi 24) and a hit scans half the table on average.
 * A VM that wants per-variable accuracy may add (index - 8) * SYMBOL_SCAN_CYCLES_PER_ENTRY.
 */
export const SYMBOL_SCAN_AVG_ENTRIES = 8;
/** Lookup = set-up (6) + average scan. */
const LOOKUP = 6 + SYMBOL_SCAN_AVG_ENTRIES * SYMBOL_SCAN_CYCLES_PER_ENTRY;
/** Read a variable's value through its pointer (type + 4 bytes). GUESS 10. */
const VAR_READ = 10;
/** Write a variable (type check, set type, 4 bytes). GUESS 12. */
const VAR_WRITE = 12;
/** Arithmetic: blend of int (1-2) and FP (4-5) from the DOC pipeline figures. GUESS 3. */
const ALU = 3;
/**
 * Division: the e-core has no divide instruction (facts list none), so int and float division
 * are software routines. GUESS 60 cycles.
 */
const SOFT_DIV = 60;
/** One array element access: bounds check, index multiply-add, element (5 bytes) read/write. GUESS 22. */
const ELEMENT = 22;

/** Extra cycles a real (float) arithmetic op costs over an int one (FP 4-5 vs int 1-2, DOC). */
export const REAL_OP_EXTRA_CYCLES = FP_OP_CYCLES - INT_OP_CYCLES;
/**
 * Per argument of a call: create the parameter symbol (scan for a free entry), bump-allocate
 * its scalar stack cell, copy the value. GUESS 40. Charged by the VM in addition to OP_CYCLES.
 */
export const CALL_PER_ARG_CYCLES = 40;
/** Per element of a list literal or repetition store (heap element write). GUESS 12. */
export const ELEMENT_WRITE_CYCLES = 12;

type FusedOp = "INC_LOCAL" | "INC_GLOBAL" | "ADD_I8" | "SUB_I8" | "MUL_I8" | "MOD_I8" | "EQ_I8" | "NE_I8" | "LT_I8" | "GT_I8" | "LE_I8" | "GE_I8";
const BASE: Record<Exclude<OpName, FusedOp>, number> = {
  PUSH_I8: D + U8 + PUSH, // 30
  PUSH_INT: D + U32 + PUSH, // 42
  PUSH_REAL: D + U32 + PUSH, // 42
  PUSH_STR: D + U16 + 4 + PUSH, // 38: + resolve the string constant's address
  PUSH_TRUE: D + PUSH, // 26
  PUSH_FALSE: D + PUSH, // 26
  PUSH_NONE: D + PUSH, // 26
  PUSH_FN: D + U16 + PUSH, // 34
  LOAD_GLOBAL: D + U16 + LOOKUP + VAR_READ + PUSH, // 106
  STORE_GLOBAL: D + U16 + POP + LOOKUP + VAR_WRITE, // 108
  LOAD_LOCAL: D + U8 + LOOKUP + VAR_READ + PUSH, // 102: ePython locals are symbols too
  STORE_LOCAL: D + U8 + POP + LOOKUP + VAR_WRITE, // 104
  POP: D + 4, // 24: drop the top value (index update + bookkeeping)
  DUPN: D + U8 + 2 * (POP + PUSH), // 48: typical n = 2
  ADD: D + 2 * POP + TYPECHECK + ALU + PUSH, // 49
  SUB: D + 2 * POP + TYPECHECK + ALU + PUSH, // 49
  MUL: D + 2 * POP + TYPECHECK + FP_OP_CYCLES + PUSH, // 50: integer multiply uses the FPU (4)
  DIV: D + 2 * POP + TYPECHECK + 4 + SOFT_DIV + PUSH, // 110: + zero/type dispatch
  MOD: D + 2 * POP + TYPECHECK + 8 + SOFT_DIV + PUSH, // 114: + sign fix-up
  POW: D + 2 * POP + TYPECHECK + 200 + PUSH, // 246: GUESS software powf / repeated multiply
  FLOORDIV: D + 2 * POP + TYPECHECK + SOFT_DIV + 16 + PUSH, // 122: + software floorf
  NEG: D + POP + 4 + ALU + PUSH, // 39: type switch + negate
  NOT: D + POP + 6 + PUSH, // 38: truthiness by type
  EQ: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52: compare + materialise a boolean
  NE: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  LT: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  GT: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  LE: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  GE: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  IS: D + 2 * POP + 4 + 4 + PUSH, // 46: type + payload compare
  JUMP: D + U16 + TAKEN_BRANCH_CYCLES, // 31
  JUMP_IF_FALSE: D + U16 + POP + 6 + 2, // 42: truthiness + (taken 3 / not 1) average
  AND_JUMP: D + U16 + 6 + POP + 2, // 42
  OR_JUMP: D + U16 + 6 + POP + 2, // 42
  FOR_ITER: D + U16 + 2 * LOCAL_WORD_ACCESS_CYCLES + 4 + ELEMENT + 2 * PUSH, // 74
  FOR_START: D + POP + 6 + 2 * PUSH, // 44: check it is an array
  NEW_LIST: D + U16 + 12, // 40 + HEAP_ALLOC_CYCLES + ELEMENT_WRITE_CYCLES per element (VM)
  REP_BEGIN: D + U8 + POP + 12 + 2 * PUSH, // 54 + HEAP_ALLOC_CYCLES (VM)
  REP_TEST: D + U16 + 2 * LOCAL_WORD_ACCESS_CYCLES + 4, // 40
  REP_STORE: D + U8 + 8 + POP, // 38 + ELEMENT_WRITE_CYCLES per item (VM)
  INDEX: D + U8 + 2 * POP + TYPECHECK + ELEMENT + PUSH, // 72: one index; more cost ~ELEMENT/2 each
  STORE_INDEX: D + U8 + 3 * POP + TYPECHECK + ELEMENT + 4, // 76
  // ePython's call: evaluate the callee node, save interpreter state, set up the frame's
  // symbols (CALL_PER_ARG_CYCLES per argument, charged by the VM) and jump. GUESS 100 + D.
  CALL: D + U16 + U8 + U8 + 100, // 136
  CALL_VALUE: D + POP + U8 + U8 + 8 + 100, // 142: + check the value is a function
  // return: pop the value, walk the symbol table to free the callee's symbols and reset the
  // scalar stack pointer (interpreter.c:965-993), unwind the C recursion. GUESS 40 + D.
  RETURN: D + POP + 40, // 66
  RETURN_NONE: D + 40, // 60
  ARG_PASSED: D + U8 + U16 + 4 + 2, // 38
  NATIVE: D + U8 + U8 + 6 + CALL_RETURN_CYCLES, // 42: argc check + call; the native's work is extra
  PRINT: D + POP + 10, // 36: fill the command block; the host round trip is charged by the runtime
  HALT: D, // 20
};

/**
 * Cycles per byte-code operation on an Epiphany core, interpreter overhead included, indexed by
 * opcode. The fused forms (INC_*, *_I8) cost what ePython pays for the unfused sequence
 * (load, push constant, add, store): ePython has no such fusion; fusing only speeds the simulator.
 */
export const OP_CYCLES: Int32Array = (() => {
  const t = new Int32Array(OP_COUNT);
  for (const name of Object.keys(BASE) as (keyof typeof BASE)[]) t[Op[name]] = BASE[name];
  t[Op.INC_LOCAL] = BASE.LOAD_LOCAL + BASE.PUSH_I8 + BASE.ADD + BASE.STORE_LOCAL;
  t[Op.INC_GLOBAL] = BASE.LOAD_GLOBAL + BASE.PUSH_I8 + BASE.ADD + BASE.STORE_GLOBAL;
  // operator with a small constant: what ePython pays for the constant node plus the operator
  for (const name of ["ADD", "SUB", "MUL", "MOD", "EQ", "NE", "LT", "GT", "LE", "GE"] as const) t[Op[`${name}_I8`]] = BASE.PUSH_I8 + BASE[name];
  for (let i = 0; i < OP_COUNT; i++) {
    if (!(t[i]! > 0)) throw new Error(`costs: opcode ${i} has no cycle cost`);
  }
  return t;
})();

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
