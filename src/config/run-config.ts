/**
 * The configuration of a run: one Effect Schema, used by the CLI to validate flags, by the
 * runtime as its input type, and by the trace header (so a replay needs nothing else). Defaults
 * and ranges are stated once, here.
 */
import { Schema } from "effect";
import { BARRIER_NAMES, CHIP_NAMES, REDUCE_NAMES } from "./names.js";

const Count = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0)));

/** The PRNG takes a 32-bit seed; a larger one would silently wrap to a smaller seed's numbers. */
export const MAX_SEED = 0xffffffff;
export const DEFAULT_SEED = 1;
/** Host virtual cores a run may add (`-h N`): ePython's host threads, GUESS of a sane bound. */
export const MAX_HOST_CORES = 64;

const Scale = Schema.Number.pipe(Schema.check(Schema.isBetween({ minimum: 0.01, maximum: 100 }, { message: "a cost scale must be from 0.01 to 100" })));

/**
 * Factors on groups of uncertain cost constants, for sensitivity studies (each group and its
 * plausible range: src/runtime/cost-registry.ts). Absent means 1: the model as documented.
 */
export const CostScales = Schema.Struct({
  /** off-chip latency of shared-DRAM reads and writes */
  dram: Schema.optionalKey(Scale),
  /** local work of ePython's C runtime (estimated from its source) */
  runtime: Schema.optionalKey(Scale),
  /** the interpreter's cycles per byte-code operation */
  interpreter: Schema.optionalKey(Scale),
  /** the host's service times and its monitor's sweep */
  host: Schema.optionalKey(Scale),
});
export type CostScales = typeof CostScales.Type;
export const COST_GROUPS = ["dram", "runtime", "interpreter", "host"] as const satisfies readonly (keyof CostScales)[];
export type CostGroup = (typeof COST_GROUPS)[number];

export const RunConfig = Schema.Struct({
  chip: Schema.Literals(CHIP_NAMES),
  /** active device cores (logical ids, row*cols+col), ascending */
  cores: Schema.Array(Count),
  /** host virtual cores (`-h N`) */
  hostCores: Count,
  /** seed of the per-core random streams, 0 to MAX_SEED */
  seed: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: MAX_SEED }, { message: `--seed must be from 0 to ${MAX_SEED}` }))),
  /** per-core limit on byte-code operations; 0 for none */
  maxSteps: Count,
  /** limit on simulated cycles; 0 for none */
  maxCycles: Count,
  reduce: Schema.Literals(REDUCE_NAMES),
  barrier: Schema.Literals(BARRIER_NAMES),
  codeShared: Schema.Boolean,
  codeCore: Schema.Boolean,
  dataShared: Schema.Boolean,
  /** sensitivity studies only; absent in a normal run (and then absent from the trace header) */
  costScales: Schema.optionalKey(CostScales),
});
export type RunConfig = typeof RunConfig.Type;

export const DEFAULT_CONFIG: RunConfig = {
  chip: "e16",
  cores: [0],
  hostCores: 0,
  seed: DEFAULT_SEED,
  maxSteps: 0,
  maxCycles: 0,
  reduce: "epython",
  barrier: "epython",
  codeShared: false,
  codeCore: false,
  dataShared: false,
};

/** Parse ePython's `-c` placement: `3`, `1,2,5`, `2:9` (inclusive) or `all`. Returns ids or an error text. */
export function parsePlacement(spec: string, totalCores: number): number[] | string {
  const s = spec.trim().toLowerCase();
  if (s === "all") return Array.from({ length: totalCores }, (_, i) => i);
  const out = new Set<number>();
  for (const part of s.split(",")) {
    const m = /^(\d+)(?::(\d+))?$/.exec(part.trim());
    if (!m) return `bad core placement '${spec}': use N, A,B,C, A:B or all`;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) return `bad core range '${part}': the end is before the start`;
    for (let i = a; i <= b; i++) {
      if (i >= totalCores) return `core ${i} does not exist on this chip (cores 0 to ${totalCores - 1})`;
      out.add(i);
    }
  }
  return [...out].sort((x, y) => x - y);
}
