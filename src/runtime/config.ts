/**
 * The run configuration: one plain object, validated by the CLI, written into trace headers so a
 * replay needs nothing else.
 */
export type ChipName = "e16" | "e64" | "e1024";
export type ReduceAlgorithm = "epython" | "tree" | "ring";
export type BarrierAlgorithm = "epython" | "wand";

export interface SimConfig {
  chip: ChipName;
  /** active device cores (logical ids, row*cols+col), ascending */
  cores: number[];
  /** host virtual cores (`-h N`) */
  hostCores: number;
  /** seed of the per-core random streams */
  seed: number;
  /** per-core limit on byte-code operations; 0 for none */
  maxSteps: number;
  /** limit on simulated cycles; 0 for none */
  maxCycles: number;
  reduce: ReduceAlgorithm;
  barrier: BarrierAlgorithm;
  codeShared: boolean;
  codeCore: boolean;
  dataShared: boolean;
}

export const DEFAULT_CONFIG: SimConfig = {
  chip: "e16",
  cores: [0],
  hostCores: 0,
  seed: 1,
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
