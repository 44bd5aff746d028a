/**
 * Where `import m` finds m.py, in ePython's order (host/main.c:319-361): next to the program,
 * then the bundled modules, then each entry of $EPYTHONPATH.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceFile } from "../lang/errors.js";
import type { ModuleResolver } from "../lang/compiler.js";

/** The bundled ePython-dialect modules (src/lang/modules), found from this file's location. */
export function bundledModulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // from src/pipeline (tsx, vitest) or dist/src/pipeline (built)
  for (const candidate of [join(here, "..", "lang", "modules"), join(here, "..", "..", "..", "src", "lang", "modules")]) {
    if (existsSync(join(candidate, "parallel.py"))) return candidate;
  }
  throw new Error(`bundled ePython modules not found near ${here}`);
}

export function moduleResolver(programDir: string | null, searchPath = process.env.EPYTHONPATH ?? ""): ModuleResolver {
  const dirs = [
    ...(programDir ? [programDir] : []),
    bundledModulesDir(),
    ...searchPath.split(":").filter((d) => d.length > 0),
  ];
  return (name) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
    for (const d of dirs) {
      const file = join(d, `${name}.py`);
      if (existsSync(file)) {
        const shown = d === dirs[0] && programDir ? file : `${name}.py`;
        return { fileName: shown, source: readFileSync(file, "utf8") };
      }
    }
    return undefined;
  };
}

/** Resolver over the bundled modules only (tests, properties, experiments). */
export function bundledResolver(): ModuleResolver {
  return moduleResolver(null, "");
}

export function absolute(p: string): string {
  return resolve(p);
}

/** A module resolver over the sources stored in a trace (module `m` is the stored file named m.py or .../m.py). */
export function storedResolver(sources: readonly SourceFile[]): ModuleResolver {
  return (name) => {
    // the main file (index 0) is never a module: `import` of its own name found a separate file
    for (const f of sources.slice(1)) {
      const base = f.name.slice(Math.max(f.name.lastIndexOf("/"), f.name.lastIndexOf("\\")) + 1);
      if (base === `${name}.py`) return { fileName: f.name, source: f.text };
    }
    return undefined;
  };
}
