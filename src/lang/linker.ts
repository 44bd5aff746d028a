/**
 * The linker: places the main code and every reachable function one after the other, renumbers
 * their fix-ups, and builds the program image.
 */
import type { Compilation, FuncDecl } from "./compilation.js";
import type { Emitter } from "./emitter.js";
import { type FunctionInfo, MAX_CODE_BYTES as MAX_CODE, type ProgramImage } from "./image.js";

/** Functions reachable from the main code, in order of discovery (ePython's dead-function elimination). */
function reachableFunctions(c: Compilation): FuncDecl[] {
  const reachable: FuncDecl[] = [];
  const seen = new Set<number>();
  const visit = (calls: Set<number>): void => {
    for (const idx of calls) {
      if (seen.has(idx)) continue;
      seen.add(idx);
      const f = c.funcs[idx]!;
      reachable.push(f);
      if (f.unit) visit(f.unit.em.calls);
    }
  };
  visit(c.main.em.calls);
  return reachable;
}

export function link(c: Compilation): ProgramImage {
  const reachable = reachableFunctions(c);
  const newIndex = new Map<number, number>();
  reachable.forEach((f, i) => newIndex.set(f.index, i));

  // the string table holds only the strings that kept code pushes, in order of first use, as
  // ePython's does: a module's unused functions take their strings with them
  const strings: string[] = [];
  const newString = new Map<number, number>();
  const linkString = (old: number): number => {
    let ni = newString.get(old);
    if (ni === undefined) {
      ni = strings.length;
      strings.push(c.strings[old]!);
      newString.set(old, ni);
    }
    return ni;
  };

  const code: number[] = [];
  const lines: number[] = [];
  const place = (em: Emitter): number => {
    const base = code.length;
    em.relocate(em.strFixups, linkString);
    em.relocate(em.jumpFixups, (t) => t + base);
    em.relocate(em.fnFixups, (old) => newIndex.get(old)!);
    for (let i = 0; i < em.lines.length; i += 3) lines.push(em.lines[i]! + base, em.lines[i + 1]!, em.lines[i + 2]!);
    for (const b of em.bytes) code.push(b);
    return base;
  };
  place(c.main.em);
  const functions: FunctionInfo[] = reachable.map((f) => {
    const u = f.unit!;
    const entry = place(u.em);
    return { name: f.name, entry, nparams: f.params.length, params: f.params.map((p) => p.name), nlocals: Math.max(u.nslots, f.params.length), recursive: u.em.calls.has(f.index) };
  });
  if (code.length > MAX_CODE) c.fail({ file: 0, line: 1, col: 1 }, `program is ${code.length} bytes of byte code; ePython programs must be under 64 KB`);
  return {
    code: Uint8Array.from(code),
    strings,
    functions,
    nglobals: c.globalNames.length,
    lines: Int32Array.from(lines),
    files: c.files.map((f) => f.name),
    globalNames: c.globalNames.slice(),
  };
}
