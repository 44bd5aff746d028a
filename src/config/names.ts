/**
 * The names a run is configured with: chip presets and the runtime's alternative algorithms.
 * This is the one place they are spelled. It imports nothing, so every layer can use it: the
 * chip table (src/machine/chip.ts) and the algorithm tables (src/runtime/collectives.ts,
 * src/runtime/barrier.ts) are typed as records over these names, so a name without its row, or a
 * row without its name, does not compile.
 */

/** Chip presets (rows in src/machine/chip.ts), smallest first. */
export const CHIP_NAMES = ["e16", "e64", "e1024"] as const;
export type ChipName = (typeof CHIP_NAMES)[number];

/** reduce() algorithms, with the one-line description `epython -help` prints. */
export const REDUCE_ALGORITHMS = {
  epython: "all pairs, as ePython does",
  tree: "binomial tree to the lowest core, then back down",
  ring: "values passed around a ring",
} as const;
export type ReduceAlgorithm = keyof typeof REDUCE_ALGORITHMS;
export const REDUCE_NAMES = Object.keys(REDUCE_ALGORITHMS) as ReduceAlgorithm[];

/** sync() algorithms, with their descriptions. */
export const BARRIER_ALGORITHMS = {
  epython: "centralised, as ePython does",
  wand: "hardware wired-AND",
} as const;
export type BarrierAlgorithm = keyof typeof BARRIER_ALGORITHMS;
export const BARRIER_NAMES = Object.keys(BARRIER_ALGORITHMS) as BarrierAlgorithm[];
