/**
 * Microbenchmarks run ON THE MODEL (a fresh Mesh per figure), to compare the machine model with
 * the figures in ../../../shared/design/epiphany-facts.md. Nothing here echoes a constant: each
 * figure is a completion time measured from operations issued on the mesh.
 *
 * Ping-pong interpretation: the MEAS ping-pong figures (14.5 / 15.9 / 17.2 / 21.7 cycles for
 * 1 / 2 / 3 / 6 hops) grow by about 1.44 cycles per hop, which is ONE traversal of the E16's
 * 1.5-cycle hop; a full round trip would grow by 3 per hop. So they are half a round trip, i.e.
 * the one-way latency from a core's store to the other core's spin loop seeing it and acting.
 * We measure: A writes a word into B's SRAM; B, spinning locally, sees it and writes a word
 * back; A, spinning locally since its store, sees it; repeat; report total / (2 * rounds).
 */
import { type ChipSpec, chipSpec, fromReferenceCycles, logicalCore, REFERENCE_CHIP } from "./chip.js";
import { HOST_SERVICE_CYCLES, localSpinResume } from "./costs.js";
import { MESH_C, Mesh } from "./mesh.js";

export interface CalibrationResult {
  chip: string;
  /** blocking one-word remote read, hops 1..6 */
  remote_read_cycles: number[];
  /** ping-pong, half round trip, hops 1..6 */
  pingpong_cycles: number[];
  /** blocking 4-byte reads of shared DRAM, back to back, per word */
  shared_read_cycles_per_word: number;
  /** posted 4-byte writes to shared DRAM, back to back, per word (steady state) */
  shared_write_cycles_per_word: number;
  /** DMA of 12 KB from core 0 to the far corner: bytes / completion time */
  dma_bytes_per_cycle: number;
  /** DMA of 4 KB from core 0 to the far corner, alone */
  dma_4k_cycles: number;
  /** the same with three other cores DMA-ing 4 KB each to the same core at the same time */
  dma_4k_contended_cycles: number;
  /** a print request from core 0 to the host (no facts target) */
  host_print_cycles: number;
}

export type CalibrationTargets = Omit<CalibrationResult, "chip" | "host_print_cycles">;

const HOPS = [1, 2, 3, 4, 5, 6] as const;

/**
 * The facts' targets, in `chip`'s cycles. They were measured on an E16 at 600 MHz; for other
 * chips the hop-dependent parts use the chip's hop cost and the off-chip figures are scaled by
 * the clock (DERIVED, not measured).
 */
export function calibrationTargets(chip: string = REFERENCE_CHIP): CalibrationTargets {
  const spec = requireSpec(chip);
  const h = spec.hopCycles;
  const isE16 = spec.name === REFERENCE_CHIP;
  // MEAS ping-pong on the E16; 4 and 5 hops interpolated linearly between 3 (17.2) and 6 (21.7)
  const e16pp = [14.5, 15.9, 17.2, 17.2 + (21.7 - 17.2) / 3, 17.2 + (2 * (21.7 - 17.2)) / 3, 21.7];
  return {
    // DOC: 18 + 3 * hops on the E16 = 18 + 2 traversals of 1.5 cycles/hop
    remote_read_cycles: HOPS.map((n) => 18 + 2 * h * n),
    // MEAS (E16); elsewhere the least-squares line 13.0 + hops * hopCycles
    pingpong_cycles: isE16 ? e16pp : HOPS.map((n) => 13 + h * n),
    // MEAS: 4.19 MiB/s of 4-byte reads = 546 cycles @600 MHz
    shared_read_cycles_per_word: fromReferenceCycles(spec, (600e6 * 4) / (4.19 * 1048576)),
    // MEAS: 143 MiB/s of 4-byte writes = 16 cycles @600 MHz
    shared_write_cycles_per_word: fromReferenceCycles(spec, (600e6 * 4) / (143 * 1048576)),
    // MEAS: 12 KB core to far core at 1325 MiB/s = 2.3 bytes/cycle @600 MHz (on-chip: not scaled)
    dma_bytes_per_cycle: (1325 * 1048576) / 600e6,
    // MEAS: 4 KB in about 2075 cycles, 2647 with three competing streams
    dma_4k_cycles: 2075,
    dma_4k_contended_cycles: 2647,
  };
}

function requireSpec(chip: string): ChipSpec {
  const spec = chipSpec(chip);
  if (!spec) throw new Error(`calibrate: unknown chip "${chip}"`);
  return spec;
}

/** A core at exactly `n` hops from core 0 (along row 0, then down the last column). */
function coreAtHops(spec: ChipSpec, n: number): number {
  const col = Math.min(n, spec.cols - 1);
  const row = n - col;
  if (row >= spec.rows) throw new Error(`calibrate: ${spec.name} has no core ${n} hops from core 0`);
  return logicalCore(spec, row, col);
}

export function calibrate(chip: string = REFERENCE_CHIP): CalibrationResult {
  const spec = requireSpec(chip);
  const mesh = new Mesh(spec);
  const far = spec.rows * spec.cols - 1;

  const remote_read_cycles = HOPS.map((n) => {
    mesh.reset();
    const other = coreAtHops(spec, n);
    const reads = 16;
    let t = 0;
    for (let i = 0; i < reads; i++) t = mesh.read(0, other, 4, t);
    return t / reads;
  });

  const pingpong_cycles = HOPS.map((n) => {
    mesh.reset();
    const b = coreAtHops(spec, n);
    const rounds = 64;
    let t = 0;
    let bSpinStart = 0; // B starts spinning at time 0
    for (let i = 0; i < rounds; i++) {
      const atB = mesh.write(0, b, 4, t);
      const aSpinStart = mesh.lastIssueDone;
      const bGo = localSpinResume(bSpinStart, atB);
      const atA = mesh.write(b, 0, 4, bGo);
      bSpinStart = mesh.lastIssueDone;
      t = localSpinResume(aSpinStart, atA);
    }
    return t / (2 * rounds);
  });

  mesh.reset();
  const nReads = 64;
  let t = 0;
  for (let i = 0; i < nReads; i++) t = mesh.dramRead(0, 4, t);
  const shared_read_cycles_per_word = t / nReads;

  mesh.reset();
  const nWrites = 256;
  t = 0;
  let first = 0;
  let last = 0;
  for (let i = 0; i < nWrites; i++) {
    last = mesh.dramWrite(0, 4, t);
    if (i === 0) first = last;
    t = mesh.lastIssueDone;
  }
  const shared_write_cycles_per_word = (last - first) / (nWrites - 1);

  mesh.reset();
  const dma_bytes_per_cycle = 12288 / mesh.dma(0, far, 12288, 0);

  mesh.reset();
  const dma_4k_cycles = mesh.dma(0, far, 4096, 0);

  // Contended: cores (0,0), (0,1), (0,2), (0,3)... i.e. core 0 and three others whose X/Y paths
  // to the far corner share its last links and its ejection port, all start 4 KB DMAs at t=0.
  // The four engines' packets are issued in time order (ties: stream order), as an event kernel
  // would, through the mesh's per-packet interface. Reports core 0's completion.
  mesh.reset();
  const dma_4k_contended_cycles = contendedDma(mesh, spec, far, 4096);

  mesh.reset();
  const host_print_cycles = mesh.hostRoundTrip(0, 0, fromReferenceCycles(spec, HOST_SERVICE_CYCLES));

  return {
    chip: spec.name,
    remote_read_cycles,
    pingpong_cycles,
    shared_read_cycles_per_word,
    shared_write_cycles_per_word,
    dma_bytes_per_cycle,
    dma_4k_cycles,
    dma_4k_contended_cycles,
    host_print_cycles,
  };
}

function contendedDma(mesh: Mesh, spec: ChipSpec, dst: number, bytes: number): number {
  const sources = [0, 1, 2, Math.min(3, spec.cols - 1)];
  const n = Math.ceil(bytes / 8);
  let done0 = 0;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < sources.length; s++) {
      const arr = mesh.packet(MESH_C, sources[s]!, dst, mesh.dmaIssueTime(0, i));
      if (s === 0) done0 = arr;
    }
  }
  return done0;
}

/** A table of every figure next to its facts target and the difference in percent. */
export function formatCalibration(r: CalibrationResult): string {
  const tg = calibrationTargets(r.chip);
  const rows: [string, number, number][] = [];
  HOPS.forEach((n, i) => rows.push([`remote read, ${n} hop${n > 1 ? "s" : ""}`, r.remote_read_cycles[i]!, tg.remote_read_cycles[i]!]));
  HOPS.forEach((n, i) => rows.push([`ping-pong (one way), ${n} hop${n > 1 ? "s" : ""}`, r.pingpong_cycles[i]!, tg.pingpong_cycles[i]!]));
  rows.push(["shared DRAM read, cycles/word", r.shared_read_cycles_per_word, tg.shared_read_cycles_per_word]);
  rows.push(["shared DRAM write, cycles/word", r.shared_write_cycles_per_word, tg.shared_write_cycles_per_word]);
  rows.push(["DMA 12 KB to far core, bytes/cycle", r.dma_bytes_per_cycle, tg.dma_bytes_per_cycle]);
  rows.push(["DMA 4 KB to far core, cycles", r.dma_4k_cycles, tg.dma_4k_cycles]);
  rows.push(["DMA 4 KB, 3 competing streams, cycles", r.dma_4k_contended_cycles, tg.dma_4k_contended_cycles]);
  const w = Math.max(...rows.map((x) => x[0].length));
  const lines = [
    `Calibration of the ${r.chip} model against epiphany-facts.md` +
      (r.chip === REFERENCE_CHIP ? "" : " (targets derived from E16 figures, not measured)"),
    `${"figure".padEnd(w)}  ${"model".padStart(9)}  ${"target".padStart(9)}  ${"diff".padStart(7)}`,
  ];
  for (const [name, model, target] of rows) {
    const diff = ((model - target) / target) * 100;
    lines.push(
      `${name.padEnd(w)}  ${fmt(model).padStart(9)}  ${fmt(target).padStart(9)}  ${((diff >= 0 ? "+" : "") + diff.toFixed(1) + "%").padStart(7)}`,
    );
  }
  lines.push(`${"host print round trip, cycles".padEnd(w)}  ${fmt(r.host_print_cycles).padStart(9)}  ${"(none)".padStart(9)}`);
  return lines.join("\n");
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(2);
}
