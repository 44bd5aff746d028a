/**
 * The layers of src/ and what each may import, as the boundary test enforces them (and
 * docs/architecture.md explains). Data flows one way: source -> byte code -> VMs on the machine
 * -> trace -> exports; a layer imports only layers listed for it, and only their surface files.
 */
export interface Layer {
  /** layers (folders of src/, or "experiments") this one may import */
  uses: readonly string[];
  /** files other layers may import; null: all of them */
  surface: readonly string[] | null;
}

export const LAYERS: Record<string, Layer> = {
  // small helpers with no domain knowledge (growing typed arrays): everyone's leaf
  util: { uses: [], surface: null },
  // names and the one configuration schema: a leaf too
  config: { uses: ["util"], surface: null },
  // source -> byte code
  lang: { uses: ["util"], surface: ["compiler.ts", "errors.ts", "image.ts", "opcodes.ts", "disasm.ts", "library.ts"] },
  // the chip without Python: kernel, mesh, memories, hardware costs
  machine: { uses: ["util", "config"], surface: ["chip.ts", "costs.ts", "kernel.ts", "mesh.ts", "memory-map.ts", "prng.ts", "calibrate.ts"] },
  // one core's interpreter
  vm: { uses: ["util", "lang"], surface: ["vm.ts", "values.ts", "text.ts"] },
  // the trace format: event table, sink, recorder, reader, comparison, exporters
  trace: { uses: ["util", "config"], surface: null },
  // ePython's runtime on the machine: drives the VMs, pushes events into a trace sink
  runtime: { uses: ["util", "config", "lang", "machine", "vm", "trace"], surface: ["simulate.ts", "cost-registry.ts"] },
  // what the CLI and the experiments both need: module resolution, recording a run
  pipeline: { uses: ["util", "config", "lang", "machine", "runtime", "trace"], surface: null },
  // the public API (src/index.ts)
  index: { uses: ["util", "config", "lang", "machine", "vm", "trace", "runtime", "pipeline"], surface: null },
  // a CPython host program driving one simulation (issue 17): the host process's requests, values
  // read from a core's heap (vm/text.ts: a string a kernel returns)
  offload: { uses: ["util", "config", "lang", "vm", "trace", "runtime"], surface: null },
  // the `epython` command, on top of everything
  cli: { uses: ["util", "config", "lang", "machine", "vm", "trace", "runtime", "pipeline", "experiments", "offload"], surface: null },
};

/** Files of a lower layer that only one particular upper layer may import (stricter than `surface`). */
export const NARROW: Record<string, { from: string; files: readonly string[] }[]> = {
  // the runtime sees the trace only as the sink it pushes events into
  trace: [{ from: "runtime", files: ["sink.ts"] }],
};

/** The layer of a path relative to the repository root (src/x/..., src/index.ts), or null outside src. */
export function layerOf(path: string): string | null {
  if (path === "src/index.ts") return "index";
  const m = /^src\/([^/]+)\//.exec(path);
  return m ? m[1]! : null;
}

/**
 * What is wrong with `from` importing `to` (both relative to the repository root), or null.
 * Outside src/, experiments and bench may import src/ only through src/index.ts.
 */
export function checkImport(from: string, to: string): string | null {
  const a = layerOf(from);
  if (a === null) {
    if (/^(experiments|bench)\//.test(from) && to.startsWith("src/") && to !== "src/index.ts") return `${from} imports ${to}: outside src/ only the public API (src/index.ts) may be imported`;
    return null;
  }
  const b = to.startsWith("experiments/") ? "experiments" : layerOf(to);
  if (b === null || b === a) return null;
  const rule = LAYERS[a];
  if (!rule) return `${from}: folder src/${a} is not a known layer (add it to tests/structure/layers.ts)`;
  if (!rule.uses.includes(b)) return `${from} imports ${to}: ${a} may not use ${b} (upward or sideways import)`;
  const file = to.slice(to.lastIndexOf("/") + 1);
  const narrow = NARROW[b]?.find((n) => n.from === a);
  if (narrow && !narrow.files.includes(file)) return `${from} imports ${to}: ${a} may use only ${narrow.files.join(", ")} of ${b}`;
  const surface = b === "experiments" ? null : LAYERS[b]?.surface;
  if (surface && !surface.includes(file)) return `${from} imports ${to}: ${file} is internal to ${b} (its surface: ${surface.join(", ")})`;
  return null;
}
