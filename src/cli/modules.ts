/**
 * Where `import m` finds m.py, in ePython's order (host/main.c:319-361): next to the program,
 * then the bundled modules, then each entry of $EPYTHONPATH.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModuleResolver } from "../lang/compiler.js";

/** The bundled ePython-dialect modules (src/lang/modules), found from this file's location. */
export function bundledModulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // from src/cli (tsx, vitest) or dist/src/cli (built)
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
