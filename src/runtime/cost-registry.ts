/**
 * Every cost constant of the model with its status and a plausible range: the error bars of the
 * simulator. One entry per exported number of src/machine/costs.ts, src/runtime/interpreter-costs.ts,
 * src/runtime/c-runtime.ts and src/runtime/runtime-costs.ts (tests/runtime/cost-registry.test.ts
 * checks that none is missing and that every value lies in its range).
 *
 * Status: `documented` (vendor documentation or counted from ePython's source), `measured` (a
 * published board measurement), `derived` (arithmetic on those), `estimated` (worked out from
 * the C source and the pipeline facts, binary not disassembled), `guess` (ours, reasoning given).
 *
 * `group` is the sensitivity group that sweeps the constant (RunConfig.costScales): a factor in
 * GROUP_RANGES[group] multiplies every member at once. A guessed or estimated constant outside
 * every group says why in `notSwept`.
 */
import { COST_GROUPS, type CostGroup } from "../config/run-config.js";
import * as chip from "../machine/costs.js";
import * as crt from "./c-runtime.js";
import * as interp from "./interpreter-costs.js";
import * as rtc from "./runtime-costs.js";

export type CostStatus = "documented" | "measured" | "derived" | "guess" | "estimated";
export type CostModule = "machine/costs" | "runtime/interpreter-costs" | "runtime/c-runtime" | "runtime/runtime-costs";

export interface CostEntry {
  module: CostModule;
  /** the exported name (`NAME.key` for a member of an exported table of numbers) */
  name: string;
  /** the model's value (for a per-opcode table: its median) */
  value: number;
  unit: string;
  status: CostStatus;
  low: number;
  high: number;
  /** the sensitivity group that sweeps it, or null */
  group: CostGroup | null;
  /** where the value comes from */
  source: string;
  /** why the range is what it is */
  why: string;
  /** for a guess or estimate outside every group: why sweeping it would not change a study */
  notSwept?: string;
}

/** The factor range each sensitivity group is swept over, and how it was chosen. */
export interface GroupRange {
  low: number;
  high: number;
  why: string;
}

const FACTS = "shared/design/epiphany-facts.md";
const EPY = "ePython dev 78e126a";
const CYC = "cycles";
const REF = "cycles @600 MHz";

type Spec = Omit<CostEntry, "module" | "name" | "value">;

function table(module: CostModule, values: Record<string, unknown>, specs: Record<string, Spec>): CostEntry[] {
  return Object.entries(specs).map(([name, s]) => {
    const v = name.includes(".") ? (values[name.split(".")[0]!] as Record<string, number>)[name.split(".")[1]!] : values[name];
    const value = typeof v === "number" ? v : ArrayBuffer.isView(v) ? median(v as unknown as ArrayLike<number>) : NaN;
    return { module, name, value, ...s };
  });
}

/** Median of a table of costs (the registry's single number for a per-opcode table). */
export function median(a: ArrayLike<number>): number {
  const s = Array.from(a).sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** [v * lo, v * hi]: a relative range. */
const rel = (v: number, lo: number, hi: number) => ({ low: v * lo, high: v * hi });
const exact = (v: number) => ({ low: v, high: v });
const MEAS_20 = "a single published board measurement; ±20% for board-to-board and method spread";

// =============================================================================================
// The chip (src/machine/costs.ts)
// =============================================================================================

const PIPELINE = "the interpreter's and the C runtime's costs are built from it, so the interpreter and runtime groups sweep its effect";
const CALIBRATED = "fitted together with the other mesh constants so that the documented remote read (18 + 3 hops) and the measured ping-pong come out (calibrate.ts checks both); moving it alone breaks that fit";

const CHIP: Record<string, Spec> = {
  LOAD_LATENCY_CYCLES: { unit: CYC, status: "documented", ...exact(chip.LOAD_LATENCY_CYCLES), group: null, source: `${FACTS}, Local memory: load latency 3`, why: `a documented pipeline figure; ${PIPELINE}` },
  TAKEN_BRANCH_CYCLES: { unit: CYC, status: "documented", ...exact(chip.TAKEN_BRANCH_CYCLES), group: null, source: `${FACTS}: taken branch 3`, why: `a documented pipeline figure; ${PIPELINE}` },
  CALL_RETURN_CYCLES: { unit: CYC, status: "documented", low: 6, high: 10, group: null, source: `${FACTS}: call/return about 8`, why: `'about 8' in the documentation; ${PIPELINE}` },
  FP_OP_CYCLES: { unit: CYC, status: "documented", low: 4, high: 5, group: null, source: `${FACTS}: FP ops 4-5`, why: `the documented span; ${PIPELINE}` },
  INT_OP_CYCLES: { unit: CYC, status: "documented", low: 1, high: 2, group: null, source: `${FACTS}: integer ops 1-2`, why: `the documented span; ${PIPELINE}` },
  LOCAL_WORD_ACCESS_CYCLES: { unit: CYC, status: "derived", low: 3, high: 4, group: null, source: "1 issue + load latency 3, one cycle overlapped", why: `the overlap may be larger in straight-line code; ${PIPELINE}` },
  MESH_PACKET_BYTES: { unit: "bytes", status: "documented", ...exact(chip.MESH_PACKET_BYTES), group: null, source: `${FACTS}: at most 8 bytes per packet`, why: "a property of the eMesh protocol" },
  CMESH_PACKET_CYCLES: { unit: CYC, status: "derived", ...exact(chip.CMESH_PACKET_CYCLES), group: null, source: "8 bytes/cycle/direction and 8-byte packets", why: "follows from two documented figures" },
  RMESH_PACKET_CYCLES: {
    unit: CYC, status: "guess", low: 1, high: 2, group: null, source: "as the cMesh (no rMesh bandwidth documented)", why: "a read request is one packet; at worst half the cMesh rate",
    notSwept: "only remote reads use the rMesh, one request each; one more cycle per read is noise against the hundreds of cycles of the runtime around it",
  },
  XMESH_PACKET_CYCLES: {
    unit: CYC, status: "guess", low: 1, high: 2, group: null, source: "as the cMesh (no xMesh bandwidth documented)", why: "at worst half the cMesh rate",
    notSwept: "off-chip traffic is limited by the eLink (9.3 to 29.5 cycles per packet), not by the on-chip xMesh hop",
  },
  MESH_INJECT_CYCLES: { unit: CYC, status: "guess", low: 2, high: 4, group: null, source: "one store issue + two cycles through the mesh interface", why: "one cycle either way", notSwept: CALIBRATED },
  MESH_EJECT_CYCLES: { unit: CYC, status: "guess", low: 2, high: 4, group: null, source: "as MESH_INJECT_CYCLES", why: "one cycle either way", notSwept: CALIBRATED },
  REMOTE_READ_SERVICE_CYCLES: { unit: CYC, status: "derived", low: 4, high: 8, group: null, source: `${FACTS}: remote read about 18 + 3 hops`, why: "'about 18': ±2 cycles of the documented figure" },
  POSTBOX_POLL_CYCLES: {
    unit: CYC, status: "guess", low: 5, high: 8, group: null, source: "ldrb + compare + taken branch (documented latencies), instruction count ours", why: "the compare may or may not hide under the load stall; a compiler may add a cycle",
    notSwept: "sets only when a spinning core notices a value (half a loop iteration on average, a few cycles) against message costs of thousands",
  },
  SHARED_SLICE_CYCLES: {
    unit: CYC, status: "guess", low: 1024, high: 16384, group: null, source: "a simulation granularity, not hardware", why: "shorter slices interleave the cores' eLink demands more finely, longer ones simulate faster",
    notSwept: "a simulation choice, not an uncertain property of the chip; the eLink contention tests pin its effect",
  },
  POLL_EXIT_CYCLES: { unit: CYC, status: "derived", low: 4, high: 5, group: null, source: "load latency 3 + compare 1 (documented)", why: "one cycle if the exit branch costs one" },
  POLL_DETECT_CYCLES: { unit: CYC, status: "derived", low: 6.5, high: 9, group: null, source: "POSTBOX_POLL_CYCLES / 2 + POLL_EXIT_CYCLES", why: "from the ranges of its two terms" },
  DMA_PACKET_INTERVAL_CYCLES: { unit: CYC, status: "derived", ...rel(chip.DMA_PACKET_INTERVAL_CYCLES, 0.8, 1.2), group: null, source: `${FACTS}: DMA 1325 MiB/s and 4 KB in about 2075 cycles (MEAS)`, why: MEAS_20 },
  DMA_SETUP_CYCLES: { unit: CYC, status: "derived", ...rel(chip.DMA_SETUP_CYCLES, 0.8, 1.2), group: null, source: "the same two MEAS figures", why: MEAS_20 },
  CORE_OFFCHIP_STORE_INTERVAL: { unit: REF, status: "measured", ...rel(chip.CORE_OFFCHIP_STORE_INTERVAL, 0.8, 1.2), group: null, source: `${FACTS}: core writes to shared DRAM 143 MiB/s`, why: MEAS_20 },
  ELINK_TX_PACKET_CYCLES: { unit: REF, status: "measured", ...rel(chip.ELINK_TX_PACKET_CYCLES, 0.8, 1.2), group: null, source: `${FACTS}: DMA to shared DRAM 493 MiB/s`, why: MEAS_20 },
  ELINK_RX_PACKET_CYCLES: { unit: REF, status: "measured", ...rel(chip.ELINK_RX_PACKET_CYCLES, 0.8, 1.2), group: null, source: `${FACTS}: DMA from shared DRAM 155 MiB/s (that the reply path limits it is a guess)`, why: MEAS_20 },
  DRAM_READ_ROUND_TRIP_MEAS: {
    unit: REF, status: "measured", ...rel(chip.DRAM_READ_ROUND_TRIP_MEAS, 0.8, 1.25), group: "dram", source: `${FACTS}: core reads shared DRAM 4.19 MiB/s`,
    why: "one published board measurement of blocking 4-byte reads; -20%/+25% (a slower board or FPGA build, or a faster one)",
  },
  DRAM_READ_LATENCY: {
    unit: REF, status: "derived", low: 0.8 * chip.DRAM_READ_ROUND_TRIP_MEAS - (chip.DRAM_READ_ROUND_TRIP_MEAS - chip.DRAM_READ_LATENCY),
    high: 1.25 * chip.DRAM_READ_ROUND_TRIP_MEAS - (chip.DRAM_READ_ROUND_TRIP_MEAS - chip.DRAM_READ_LATENCY), group: "dram",
    source: "the measured round trip minus the mesh and eLink occupancies", why: "the round trip's range, less the fixed on-chip part",
  },
  DRAM_WRITE_LATENCY: { unit: REF, status: "guess", low: 0.25 * chip.DRAM_READ_LATENCY, high: chip.DRAM_READ_LATENCY, group: "dram", source: "half the read latency (one way of the same path)", why: "a posted write could be quicker than one way; at most the whole read path" },
  DRAM_READ_SAMPLE_OFFSET: { unit: REF, status: "guess", low: 0.25 * chip.DRAM_READ_LATENCY, high: 0.75 * chip.DRAM_READ_LATENCY, group: "dram", source: "the midpoint of the off-chip latency", why: "somewhere inside the off-chip path" },
  HOST_COMMAND_BYTES: {
    unit: "bytes", status: "guess", low: 16, high: 32, group: null, source: `${EPY}: up to 15 data bytes + two control words`, why: "two to four doubleword stores",
    notSwept: "a doubleword store more or less (16 cycles) against a host round trip of thousands of cycles",
  },
  HOST_POLL_PERIOD_CYCLES: { unit: REF, status: "guess", low: 360, high: 3600, group: "host", source: "16 uncached ~100 ns reads on the A9 plus loop overhead", why: "the A9's uncached read time and the loop are not measured: a factor of 3 either way" },
  HOST_REPLY_WRITE_CYCLES: { unit: REF, status: "derived", ...rel(chip.HOST_REPLY_WRITE_CYCLES, 0.8, 1.2), group: null, source: `${FACTS}: host writes shared DRAM 101 MiB/s (MEAS), 12 bytes`, why: MEAS_20 },
  HOST_SERVICE_CYCLES: { unit: REF, status: "guess", low: 1800, high: 18000, group: "host", source: "printf + fflush (a write system call), 10 us on the A9", why: "a terminal write costs from a few to tens of microseconds" },
  HOST_INPUT_SERVICE_CYCLES: { unit: REF, status: "guess", low: 1800, high: 18000, group: "host", source: "as a print (the user's think time excluded)", why: "as HOST_SERVICE_CYCLES" },
  HOST_CONCAT_SERVICE_CYCLES: { unit: REF, status: "guess", low: 360, high: 3600, group: "host", source: "allocate in the shared heap and copy two strings from uncached DRAM, 2 us", why: "a factor of 3 either way" },
  HOST_MATH_SERVICE_CYCLES: { unit: REF, status: "guess", low: 180, high: 1800, group: "host", source: "one libm call plus monitor overhead, 1 us", why: "a factor of 3 either way" },
  BARRIER_WAND_CYCLES: {
    unit: CYC, status: "guess", low: 10, high: 60, group: null, source: "interrupt entry/exit ~8 (documented call/return) + wake-up and signal propagation", why: "the wired-AND is not described in the facts",
    notSwept: "only the optional wand barrier uses it, which is not ePython's; the collectives study reports it as an alternative",
  },
};

// =============================================================================================
// The interpreter (src/runtime/interpreter-costs.ts)
// =============================================================================================

const MEASURED = "ePython's interpreter (dev 78e126a) under callgrind, converted to e-core cycles (tools/interpreter-costs/README.md)";
const INTERP_WHY = "the conversion's cycles per x86-64 instruction, 1.73 [1.35, 2.11]: the interpreter group's range";
const I = (v: number) => rel(v, 1.35 / 1.73, 2.11 / 1.73);
const GUESSED = "a guess of ours; the interpreter group sweeps it with the measured costs";

const INTERPRETER: Record<string, Spec> = {
  OP_CYCLES: { unit: "cycles per byte-code operation (median over opcodes)", status: "measured", ...I(median(interp.OP_CYCLES)), group: "interpreter", source: `${MEASURED}; the few opcodes not measured are marked GUESS in interpreter-costs.ts`, why: INTERP_WHY },
  HEAP_ALLOC_CYCLES: { unit: CYC, status: "guess", ...rel(interp.HEAP_ALLOC_CYCLES, 0.5, 2), group: "interpreter", source: "first-fit walk of a few chunks + header writes + 2 calls", why: `${GUESSED}; a factor of 2 either way` },
  GC_CYCLES_PER_WORD: { unit: "cycles per heap word", status: "guess", ...rel(interp.GC_CYCLES_PER_WORD, 0.5, 2), group: "interpreter", source: "the chunk walk spread over a typical chunk", why: `${GUESSED}; a factor of 2 either way` },
  SYMBOL_SCAN_CYCLES_PER_ENTRY: { unit: "cycles per entry", status: "derived", low: 12, high: 23.3, group: "interpreter", source: `${MEASURED}: 9 instructions per entry, 18.2 cycles; 13 for the device's loop (no volatile reload, no multiply)`, why: "from the device's loop to the host build's measured one" },
  CALL_SCAN_CYCLES_PER_ENTRY: { unit: "cycles per entry per parameter", status: "measured", low: 26, high: 45, group: "interpreter", source: MEASURED, why: INTERP_WHY },
  RETURN_SCAN_CYCLES_PER_ENTRY: { unit: "cycles per entry", status: "measured", low: 23, high: 39, group: "interpreter", source: MEASURED, why: INTERP_WHY },
  COMPARISON_VALUE_EXTRA_CYCLES: { unit: CYC, status: "measured", low: 204, high: 296, group: "interpreter", source: MEASURED, why: INTERP_WHY },
  ALIAS_READ_EXTRA_CYCLES: { unit: CYC, status: "measured", ...I(interp.ALIAS_READ_EXTRA_CYCLES), group: "interpreter", source: `${MEASURED}: a parameter read 487 against a variable read 419`, why: INTERP_WHY },
  CALL_PER_ARG_CYCLES: { unit: "cycles per argument", status: "measured", ...I(interp.CALL_PER_ARG_CYCLES), group: "interpreter", source: `${MEASURED}: 475 per argument by reference, less REF_LOCAL's 20`, why: INTERP_WHY },
  VALUE_ARG_EXTRA_CYCLES: { unit: "cycles per value argument", status: "measured", ...I(interp.VALUE_ARG_EXTRA_CYCLES), group: "interpreter", source: `${MEASURED}: 1220 per value argument, less the binding`, why: INTERP_WHY },
  ELEMENT_WRITE_CYCLES: { unit: "cycles per element", status: "measured", low: 63, high: 97, group: "interpreter", source: `${MEASURED}: a list literal's cost per element`, why: INTERP_WHY },
  LIST_GROW_CYCLES_PER_ELEMENT: { unit: "cycles per element", status: "derived", low: 24, high: 42, group: "interpreter", source: `${MEASURED}: the byte-loop cpy() at 6.3-9.3 cycles per byte, 4 bytes an element`, why: "the measured span per byte" },
  ARRAY_COPY_CYCLES_PER_ELEMENT: { unit: "cycles per element", status: "derived", low: 24, high: 42, group: "interpreter", source: `${MEASURED}: the same cpy() loop`, why: "the measured span per byte" },
  HOST_CORE_SPEED_FACTOR: {
    unit: "x an Epiphany core", status: "guess", low: 1.5, high: 5, group: null, source: "clock ratio 667/600 times ~2.2 for the A9's caches and branch prediction", why: "the A9's advantage on branchy interpreter code is not measured",
    notSwept: "only host virtual cores (-h N) run at it; no study uses them",
  },
};

// =============================================================================================
// ePython's C runtime (src/runtime/c-runtime.ts): local work estimated from the C source
// =============================================================================================

const EST = `${EPY} C source + the pipeline facts; the range is the comment's`;
const COUNTED = `${EPY}, counted from the C source (R = epiphany-runtime.c)`;
const count = (v: number): Spec => ({ unit: "accesses", status: "documented", ...exact(v), group: null, source: COUNTED, why: "a count, not a time: the DRAM group sweeps what each access costs" });
const est = (low: number, high: number, source: string, unit = CYC): Spec => ({ unit, status: "estimated", low, high, group: "runtime", source: `${source}; ${EST}`, why: "-Os code not disassembled: the instruction count may be off by a few either way" });

const C_RUNTIME: Record<string, Spec> = {
  EPYTHON_TOTAL_CORES_E16: { unit: "cores", status: "documented", ...exact(crt.EPYTHON_TOTAL_CORES_E16), group: null, source: `${EPY}: TOTAL_CORES (epiphany-shared.h:30)`, why: "a constant of ePython's source" },
  CPY_BYTE_CYCLES: est(6, 10, "cpy() byte loop (R:924-930)", "cycles per byte"),
  CPY_CALL_CYCLES: est(8, 14, "the call of cpy() and its set-up"),
  NATIVE_TEST_CYCLES: est(2, 4, "one test of callNativeFunction's if-chain (R:65-207)"),
  NATIVE_ENTRY_CYCLES: est(6, 14, "entry of callNativeFunction (R:67-69)"),
  ...Object.fromEntries(Object.entries(crt.NATIVE_CHAIN_POSITION).map(([k, v]) => [`NATIVE_CHAIN_POSITION.${k}`, { ...count(v), unit: "tests", why: "a position in the if-chain, counted from the source" }])),
  GET_INT_CYCLES: est(38, 64, "getInt (R:958-962): cpyLocal(4) + call/return"),
  VALUE_RETURN_CYCLES: est(6, 20, "returning a 6-byte struct value_defn by value"),
  SYNC_VALUE_UPDATE_CYCLES: est(6, 12, "syncValues update on a volatile byte (R:654)"),
  SOFTWARE_DIVIDE_CYCLES: est(30, 100, "libgcc's software division (R:656)"),
  GLOBAL_ADDRESS_CYCLES: est(20, 50, "e_get_global_address (e-lib)"),
  LARGEST_CORE_ID_LOCAL_CYCLES: est(10, 20, "getLargestCoreId's local work (R:694-707)"),
  CORE_LOOP_ITERATION_CYCLES: est(4, 10, "one iteration of a loop over the cores (R:843-852)"),
  REDUCE_COMBINE_CYCLES: est(35, 70, "combining one received value in reduceData (R:896-908)"),
  POLL_TEST_CYCLES: est(8, 14, "the poll loop's test (two volatile loads, compare, branch)"),
  BUILD_MESSAGE_CYCLES: est(35, 60, "building a message record (R:652-655)"),
  HEAP_ALLOC_DRAM_READS: count(crt.HEAP_ALLOC_DRAM_READS),
  SHARED_ALLOC_DRAM_READS: count(crt.SHARED_ALLOC_DRAM_READS),
  SHARED_ALLOC_DRAM_STORES: count(crt.SHARED_ALLOC_DRAM_STORES),
  FREE_DRAM_READS: count(crt.FREE_DRAM_READS),
  GC_DRAM_READS: count(crt.GC_DRAM_READS),
  NEW_CELL_DRAM_READS: count(crt.NEW_CELL_DRAM_READS),
  FRAME_RELEASE_DRAM_READS: count(crt.FRAME_RELEASE_DRAM_READS),
};

// =============================================================================================
// Host virtual cores (src/runtime/runtime-costs.ts)
// =============================================================================================

const RUNTIME_COSTS: Record<string, Spec> = {
  HOST_LOCAL_SERVICE_FRACTION: {
    unit: "x the monitor's service time", status: "guess", low: 0.1, high: 0.5, group: "host", source: "a function call on the ARM instead of a monitor round trip", why: "a quarter of the service, give or take a factor of 2 (the host group scales the service it is a fraction of)",
  },
  HOST_TO_HOST_MESSAGE_CYCLES: {
    unit: REF, status: "guess", low: 50, high: 300, group: null, source: "stores, the other thread's poll and a cache-line transfer between the A9 cores (host/host-functions.c:547-563)", why: "a cache-line transfer is ~100 ns; a factor of 2-3 either way",
    notSwept: "only messages between host virtual cores (-h N) pay it; no study uses them",
  },
};

/** Every cost constant, in module order. */
export const COST_REGISTRY: readonly CostEntry[] = [
  ...table("machine/costs", chip, CHIP),
  ...table("runtime/interpreter-costs", interp, INTERPRETER),
  ...table("runtime/c-runtime", crt, C_RUNTIME),
  ...table("runtime/runtime-costs", rtc, RUNTIME_COSTS),
];

/**
 * The factor each group is swept over. A group's factor moves all its members together (a shared
 * cause: a slower FPGA eLink, -Os code systematically longer than estimated), so it spans the
 * typical member's relative range rather than the envelope of the most uncertain member's; the
 * test checks that each range lies inside its members' envelope of low/value and high/value.
 */
export const GROUP_RANGES: Record<CostGroup, GroupRange> = {
  dram: { low: 0.8, high: 1.25, why: "the off-chip latency rests on one published board measurement (core reads of shared DRAM at 4.19 MiB/s, 546 cycles per blocking read): -20%/+25%" },
  runtime: { low: 0.6, high: 1.6, why: "the C runtime's local work is estimated from its source (e-gcc -Os, binary not disassembled); its members' ranges run from about 0.6x to 1.7x of the estimates" },
  interpreter: { low: 0.78, high: 1.22, why: "the conversion of ePython's measured instruction counts to e-core cycles: 1.73 cycles per x86-64 instruction [1.35, 2.11] (tools/interpreter-costs/README.md)" },
  host: { low: 0.3, high: 3, why: "the ARM host's service times and monitor sweep are guesses (no measurement of ePython's host monitor): a factor of about 3 either way" },
};

/** The registry's entries that a group sweeps. */
export function groupMembers(g: CostGroup): CostEntry[] {
  return COST_REGISTRY.filter((e) => e.group === g);
}

export { COST_GROUPS };
