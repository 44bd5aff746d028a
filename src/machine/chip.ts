/**
 * Chip presets and core numbering.
 *
 * Two numberings exist:
 * - the LOGICAL core index k = row * cols + col (0 .. rows*cols-1). It is what ePython's
 *   coreid() returns and what every other part of the simulator uses;
 * - the HARDWARE core id ((firstRow + row) << 6) | (firstCol + col), which places the core in
 *   the 4096-node global address space (its SRAM window starts at id << 20).
 *
 * Sources: ../../../shared/design/epiphany-facts.md ("facts" below), tags DOC / MEAS / GUESS.
 */

import { CHIP_NAMES, type ChipName } from "../config/names.js";

export type { ChipName };

export interface ChipSpec {
  readonly name: ChipName;
  /** human-readable part name */
  readonly part: string;
  readonly rows: number;
  readonly cols: number;
  /** rows * cols */
  readonly cores: number;
  readonly clockHz: number;
  /** SRAM per core in bytes */
  readonly sramBytes: number;
  /** number of SRAM banks per core */
  readonly sramBanks: number;
  /** cycles for one router hop on the on-chip meshes */
  readonly hopCycles: number;
  /** mesh row of logical row 0 in the global id space */
  readonly firstRow: number;
  /** mesh column of logical column 0 in the global id space */
  readonly firstCol: number;
}

/** The presets, one row per name of CHIP_NAMES (src/config/names.ts). */
export const CHIPS: { readonly [K in ChipName]: ChipSpec & { readonly name: K } } = {
  e16: {
    name: "e16",
    part: "E16G301 (Epiphany-III, Parallella)",
    rows: 4, // DOC facts "Chips": 4x4 mesh, 16 cores
    cols: 4,
    cores: 16,
    clockHz: 600e6, // DOC facts: Parallella clocks the Epiphany at 600 MHz
    sramBytes: 32 * 1024, // DOC facts: 32 KB per core
    sramBanks: 4, // DOC facts: 4 banks of 8 KB
    hopCycles: 1.5, // DOC facts: 1.5 cycles/hop on the E16
    firstRow: 32, // DOC facts: on the Parallella the first core is 0x808 (row 32, col 8)
    firstCol: 8,
  },
  e64: {
    name: "e64",
    part: "E64G401 (Epiphany-IV)",
    rows: 8, // DOC facts: 8x8 mesh, 64 cores
    cols: 8,
    cores: 64,
    clockHz: 800e6, // DOC facts: 800 MHz
    sramBytes: 32 * 1024, // DOC facts: 32 KB
    sramBanks: 4, // GUESS: same 4 x 8 KB bank layout as the E16 (facts give only the size)
    hopCycles: 1, // DOC facts: about 1 cycle/hop
    firstRow: 32, // GUESS: same 0x808 origin as the Parallella E16 board (facts do not say)
    firstCol: 8,
  },
  e1024: {
    name: "e1024",
    part: "Epiphany-V (design target, never shipped on a board)",
    rows: 32, // DOC facts: 32x32 mesh, 1024 cores
    cols: 32,
    cores: 1024,
    clockHz: 1e9, // DOC facts: 1 GHz design target
    sramBytes: 64 * 1024, // DOC facts: 64 KB per core
    sramBanks: 8, // GUESS: 8 banks of 8 KB, keeping the E16's 8 KB bank size
    hopCycles: 1, // GUESS: facts give no per-hop figure; assume the E64's ~1 cycle/hop
    // GUESS: the same 0x808 origin; 8 + 31 = 39 and 32 + 31 = 63 still fit the 6-bit fields
    firstRow: 32,
    firstCol: 8,
  },
};

/** The chip the MEAS figures in the facts were measured on (the Parallella's E16). */
export const REFERENCE_CHIP: ChipName = "e16";

/** The clock the MEAS figures in the facts were taken at (Parallella E16). */
export const REFERENCE_CLOCK_HZ = 600e6; // DOC facts: Parallella boards clock the Epiphany at 600 MHz

/** Look a preset up by name; undefined for unknown names. */
export function chipSpec(name: string): ChipSpec | undefined {
  return isChipName(name) ? CHIPS[name] : undefined;
}

export function isChipName(name: string): name is ChipName {
  return (CHIP_NAMES as readonly string[]).includes(name);
}

/** One line per preset for help texts: `e16 (4x4, 600 MHz)`. */
export function describeChip(spec: ChipSpec): string {
  const mhz = spec.clockHz / 1e6;
  return `${spec.name} (${spec.rows}x${spec.cols}, ${mhz >= 1000 ? `${mhz / 1000} GHz` : `${mhz} MHz`})`;
}

/** Row (0-based, logical) of logical core k. */
export function coreRow(spec: ChipSpec, logical: number): number {
  return (logical / spec.cols) | 0;
}

/** Column (0-based, logical) of logical core k. */
export function coreCol(spec: ChipSpec, logical: number): number {
  return logical % spec.cols;
}

/** Logical core index of (row, col). */
export function logicalCore(spec: ChipSpec, row: number, col: number): number {
  return row * spec.cols + col;
}

/** Hardware core id: ((firstRow + row) << 6) | (firstCol + col). DOC facts "Core ids". */
export function hardwareCoreId(spec: ChipSpec, logical: number): number {
  return ((spec.firstRow + coreRow(spec, logical)) << 6) | (spec.firstCol + coreCol(spec, logical));
}

/** Global address of `offset` inside logical core k's SRAM: coreid << 20 | offset (unsigned). */
export function globalAddress(spec: ChipSpec, logical: number, offset: number): number {
  return ((hardwareCoreId(spec, logical) << 20) | offset) >>> 0;
}

/** Manhattan distance in router hops between logical cores a and b (X/Y routing). */
export function hops(spec: ChipSpec, a: number, b: number): number {
  const dr = coreRow(spec, a) - coreRow(spec, b);
  const dc = coreCol(spec, a) - coreCol(spec, b);
  return (dr < 0 ? -dr : dr) + (dc < 0 ? -dc : dc);
}

/**
 * Convert a duration measured in cycles of the 600 MHz Parallella reference clock (the MEAS
 * figures, the host's speed) into cycles of `spec`'s clock: off-chip and host times are fixed
 * in seconds, so a faster chip waits more of its own cycles for them.
 */
export function fromReferenceCycles(spec: ChipSpec, cyclesAt600MHz: number): number {
  return (cyclesAt600MHz * spec.clockHz) / REFERENCE_CLOCK_HZ;
}
