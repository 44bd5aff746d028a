/**
 * Module inclusion. Imports are textual inclusion, each module once (host/main.c:227-300): the
 * module's statements run where the first `import` of it stands.
 */
import type { Stmt } from "./ast.js";
import { type SourceFile, syntaxError } from "./errors.js";
import { parseFile } from "./parser.js";

/** Finds a module's source by name (`parallel`, `util`, a user's own module ...). */
export type ModuleResolver = (name: string) => { fileName: string; source: string } | undefined;

/** Parse the main file and splice in each imported module once, where it is first imported. */
export function loadProgram(mainName: string, source: string, resolve: ModuleResolver): { files: SourceFile[]; stmts: Stmt[] } {
  const files: SourceFile[] = [{ name: mainName, text: source }];
  const included = new Set<string>();
  const expand = (stmts: Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    for (const s of stmts) {
      if (s.k === "import") {
        for (const m of s.modules) {
          const key = m.name;
          if (included.has(key)) continue;
          const found = resolve(key);
          if (!found) {
            const f = files[m.pos.file]!;
            throw syntaxError(f, m.pos.line, m.pos.col, `module '${m.name}' not found (looked for ${m.name}.py next to the program, in the bundled modules and in $EPYTHONPATH)`);
          }
          included.add(key);
          const idx = files.length;
          files.push({ name: found.fileName, text: found.source });
          out.push(...expand(parseFile(files[idx]!, idx)));
        }
        continue;
      }
      if (s.k === "if") {
        for (const b of s.branches) b.body = expand(b.body);
        if (s.orelse) s.orelse = expand(s.orelse);
      } else if (s.k === "while" || s.k === "for" || s.k === "def") s.body = expand(s.body);
      out.push(s);
    }
    return out;
  };
  const stmts = expand(parseFile(files[0]!, 0));
  return { files, stmts };
}
