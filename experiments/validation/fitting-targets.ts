/**
 * FITTING TARGETS: published numbers that SET constants of the model (src/machine/costs.ts,
 * src/machine/chip.ts, src/runtime/interpreter-costs.ts say which, in their comments). The model
 * reproduces these by construction (`epython calibrate` shows how closely), so none of them may
 * be a validation case: tests/validation/cases.test.ts checks that no `quantity` is in both lists.
 */
import type { FittingTarget } from "./types.js";

const FACTS = "epiphany-facts.md (the project's hardware facts, shared/design/)";

export const FITTING_TARGETS: FittingTarget[] = [
  {
    id: "fit-clock",
    quantity: "e16.clock",
    source: { citation: FACTS, where: "Chips table, row e16: 600 MHz (DOC)" },
    value: "600 MHz",
    sets: ["CHIPS.e16.clockHz (src/machine/chip.ts)", "REF_HZ (src/machine/costs.ts)"],
  },
  {
    id: "fit-hop",
    quantity: "e16.hop-cycles",
    source: { citation: FACTS, where: "Chips table, row e16: 1.5 cycles/hop (DOC)" },
    value: "1.5 cycles per hop",
    sets: ["CHIPS.e16.hopCycles (src/machine/chip.ts)"],
  },
  {
    id: "fit-cmesh-link",
    quantity: "mesh.link-bytes-per-cycle",
    source: { citation: FACTS, where: "Network on chip: a packet is at most 8 bytes; cMesh links carry 8 bytes/cycle/direction (DOC)" },
    value: "8 bytes per cycle per direction",
    sets: ["MESH_PACKET_BYTES", "CMESH_PACKET_CYCLES (src/machine/costs.ts)"],
  },
  {
    id: "fit-bisection",
    quantity: "mesh.bisection-bandwidth",
    source: { citation: FACTS, where: "Network on chip: bisection bandwidth E16 64 GB/s at 1 GHz (DOC; 4 links x 8 B x 2 directions)" },
    value: "64 GB/s at 1 GHz",
    sets: ["none of its own: arithmetic on fit-cmesh-link's link width, so not an independent check"],
  },
  {
    id: "fit-remote-read",
    quantity: "mesh.remote-read-formula",
    source: { citation: FACTS, where: "Network on chip: remote read of one word about 18 + 3*hops cycles, within 10% (DOC, vendor test code)" },
    value: "18 + 3 * hops cycles",
    sets: ["REMOTE_READ_SERVICE_CYCLES", "MESH_INJECT_CYCLES", "MESH_EJECT_CYCLES (src/machine/costs.ts)"],
  },
  {
    id: "fit-pingpong",
    quantity: "mesh.pingpong",
    source: { citation: FACTS, where: "Network on chip: ping-pong 1 hop 14.5, 2 hops 15.9, 3 hops 17.2, 6 hops 21.7 cycles (MEAS, E16)" },
    value: "14.5 / 15.9 / 17.2 / 21.7 cycles (13 + 1.44 * hops)",
    sets: ["MESH_INJECT_CYCLES", "MESH_EJECT_CYCLES", "POSTBOX_POLL_CYCLES", "POLL_DETECT_CYCLES (src/machine/costs.ts; see src/machine/calibrate.ts)"],
  },
  {
    id: "fit-dma-12k",
    quantity: "dma.core-to-far-core-12k",
    source: { citation: FACTS, where: "Network on chip: DMA core to far core about 2.3 bytes/cycle for 12 KB (1325 MB/s) (MEAS)" },
    value: "1325 MB/s (2.3 bytes/cycle)",
    sets: ["DMA_PACKET_INTERVAL_CYCLES", "DMA_SETUP_CYCLES (src/machine/costs.ts)"],
  },
  {
    id: "fit-dma-4k",
    quantity: "dma.core-to-far-core-4k",
    source: { citation: FACTS, where: "Network on chip: DMA 4 KB about 2075 cycles alone (MEAS)" },
    value: "2075 cycles",
    sets: ["DMA_PACKET_INTERVAL_CYCLES", "DMA_SETUP_CYCLES (src/machine/costs.ts)"],
  },
  {
    id: "fit-dram-write",
    quantity: "elink.core-write-dram",
    source: { citation: FACTS, where: "Shared memory table, row 'core writes to shared DRAM (memcpy)': 143 MB/s, about 16 cycles per 4 bytes (MEAS)" },
    value: "143 MB/s",
    sets: ["CORE_OFFCHIP_STORE_INTERVAL (src/machine/costs.ts)"],
  },
  {
    id: "fit-dram-read",
    quantity: "elink.core-read-dram",
    source: { citation: FACTS, where: "Shared memory table, row 'core reads shared DRAM (memcpy)': 4.19 MB/s, about 546 cycles per 4-byte read (MEAS)" },
    value: "4.19 MB/s (546 cycles per read)",
    sets: ["DRAM_READ_ROUND_TRIP_MEAS", "DRAM_READ_LATENCY (and through it DRAM_WRITE_LATENCY, DRAM_READ_SAMPLE_OFFSET) (src/machine/costs.ts)", "the shared-data read cost in src/runtime/vm-costs.ts"],
  },
  {
    id: "fit-dma-to-dram",
    quantity: "elink.dma-to-dram",
    source: { citation: FACTS, where: "Shared memory table, row 'DMA to shared DRAM': 493 MB/s (MEAS)" },
    value: "493 MB/s",
    sets: ["ELINK_TX_PACKET_CYCLES (src/machine/costs.ts)"],
  },
  {
    id: "fit-dma-from-dram",
    quantity: "elink.dma-from-dram",
    source: { citation: FACTS, where: "Shared memory table, row 'DMA from shared DRAM': 155 MB/s (MEAS)" },
    value: "155 MB/s",
    sets: ["ELINK_RX_PACKET_CYCLES (src/machine/costs.ts)"],
  },
  {
    id: "fit-host-write-dram",
    quantity: "host.write-dram",
    source: { citation: FACTS, where: "Shared memory table, row 'host writes shared DRAM': 101 MB/s (MEAS)" },
    value: "101 MB/s",
    sets: ["HOST_REPLY_WRITE_CYCLES (src/machine/costs.ts)"],
  },
  {
    id: "fit-pipeline",
    quantity: "core.pipeline-latencies",
    source: { citation: FACTS, where: "Local memory: load latency 3, integer ops 1-2, FP ops 4-5, taken branch 3, call/return about 8 (compiler model)" },
    value: "3 / 1-2 / 4-5 / 3 / 8 cycles",
    sets: ["LOAD_LATENCY_CYCLES", "INT_OP_CYCLES", "FP_OP_CYCLES", "TAKEN_BRANCH_CYCLES", "CALL_RETURN_CYCLES (src/machine/costs.ts)", "the per-opcode costs built on them (src/runtime/interpreter-costs.ts)"],
  },
  {
    id: "fit-sram-layout",
    quantity: "epython.memory-layout",
    source: { citation: FACTS, where: "ePython on the Epiphany: interpreter and runtime take about 24 KB of 32 KB; user code and data in the last 8 KB bank; 512 KB per core in shared memory" },
    value: "24 KB + 8 KB per core, 512 KB shared per core",
    sets: ["the core memory map (src/machine/memory-map.ts)"],
  },
  {
    id: "fit-bytecode-sizes",
    quantity: "epython.bytecode-sizes",
    source: { citation: FACTS, where: "ePython on the Epiphany: byte code sizes printed by the reference's -s flag (hello 45 + 96, PI 579 + 384 (16 entries), Jacobi 1287 + 576 (24 entries))" },
    value: "45 / 579 / 1287 bytes of code; 4 / 16 / 24 symbol entries",
    sets: ["SYMBOL_SCAN_AVG_ENTRIES (src/runtime/interpreter-costs.ts: 'the facts' example programs have 4-24 symbols')", "the compiler's size goal (facts: 'a target to be as tight as')"],
  },
];
