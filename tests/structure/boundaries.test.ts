/**
 * The layers only go down: every import in src/ (and the experiments' and benchmarks' imports of
 * src/) is checked against tests/structure/layers.ts. Also the size rules that keep modules
 * readable: no file in src/ over 600 lines and no function over 120, except the VM's dispatch loop.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { checkImport, LAYERS, layerOf } from "./layers.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(posix.join(dir, e.name)) : /\.ts$/.test(e.name) ? [posix.join(dir, e.name)] : [],
  );
}

/** Relative imports of a file (static, dynamic and re-exports), resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
    const target = posix.normalize(posix.join(posix.dirname(file), m[1]!)).replace(/\.js$/, ".ts");
    out.push(target);
  }
  return out;
}

const SRC = sourceFiles("src");
const OUTSIDE = [...sourceFiles("experiments"), ...sourceFiles("bench")];

describe("layer boundaries", () => {
  it("every folder of src/ is a layer", () => {
    const folders = [...new Set(SRC.map(layerOf))].filter((l): l is string => l !== null);
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
  });

  it("no import in src/ goes up the chain or into another layer's internals", () => {
    const problems = SRC.flatMap((f) => importsOf(f).map((t) => checkImport(f, t))).filter((p) => p !== null);
    expect(problems).toEqual([]);
  });

  it("experiments and benchmarks use src/ only through its public API", () => {
    const problems = OUTSIDE.flatMap((f) => importsOf(f).map((t) => checkImport(f, t))).filter((p) => p !== null);
    expect(problems).toEqual([]);
  });

  it("the checker catches an upward import, a sideways one and one into internals", () => {
    expect(checkImport("src/vm/vm.ts", "src/runtime/simulate.ts")).toMatch(/vm may not use runtime/);
    expect(checkImport("src/machine/mesh.ts", "src/lang/opcodes.ts")).toMatch(/machine may not use lang/);
    expect(checkImport("src/trace/recorder.ts", "src/runtime/simulate.ts")).toMatch(/trace may not use runtime/);
    expect(checkImport("src/runtime/simulation.ts", "src/trace/recorder.ts")).toMatch(/only sink.ts of trace/);
    expect(checkImport("src/cli/main.ts", "src/lang/parser.ts")).toMatch(/internal to lang/);
    expect(checkImport("src/index.ts", "src/cli/main.ts")).toMatch(/index may not use cli/);
    expect(checkImport("experiments/lib/run.ts", "src/runtime/simulate.ts")).toMatch(/public API/);
    expect(checkImport("src/runtime/simulation.ts", "src/trace/sink.ts")).toBeNull();
  });
});

// --- sizes -------------------------------------------------------------------------------------------

/** The one file allowed over the line limit, and its one function allowed over the function limit. */
const DISPATCH_FILE = "src/vm/vm.ts";
const DISPATCH_FUNCTION = "run";
const MAX_FILE_LINES = 600;
const MAX_FUNCTION_LINES = 120;

function longFunctions(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && "body" in n && n.body) {
      const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(n.end).line;
      const name = n.name ? n.name.getText(sf) : "(anonymous)";
      const lines = last - first + 1;
      if (lines > MAX_FUNCTION_LINES && !(file === DISPATCH_FILE && name === DISPATCH_FUNCTION)) found.push(`${file}:${first + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe("module sizes", () => {
  it(`no file in src/ over ${MAX_FILE_LINES} lines (except the VM's dispatch loop)`, () => {
    const long = SRC.filter((f) => f !== DISPATCH_FILE)
      .map((f) => ({ f, n: readFileSync(join(ROOT, f), "utf8").split("\n").length }))
      .filter(({ n }) => n > MAX_FILE_LINES)
      .map(({ f, n }) => `${relative(ROOT, join(ROOT, f))} (${n} lines)`);
    expect(long).toEqual([]);
  });

  it(`no function in src/ over ${MAX_FUNCTION_LINES} lines (except the dispatch loop)`, () => {
    expect(SRC.flatMap(longFunctions)).toEqual([]);
  });
});
