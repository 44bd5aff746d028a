/**
 * The compiler: source text to a program image (byte code for the stack VM).
 *
 * Names follow ePython's rules (host/byteassembler.c): variable names are case-insensitive,
 * function names case-sensitive; scoping is lexical by block (a variable first assigned inside a
 * block belongs to that block); a function sees and may assign the globals declared textually
 * before its `def`; a bare name that is no variable is a function value; functions may be called
 * before their `def`. Beyond ePython, with Python's meaning: a variable assigned in a block that
 * has ended may still be read afterwards (ePython rejects that program at compile time).
 *
 * The work is split as in clox: inclusion.ts (imports), parser.ts and lexer.ts (syntax),
 * compilation.ts and scope.ts (names), statements.ts and expressions.ts (code), emitter.ts (one
 * unit's bytes), linker.ts (the image).
 */
import type { Stmt } from "./ast.js";
import { Compilation } from "./compilation.js";
import type { SourceFile } from "./errors.js";
import type { ProgramImage } from "./image.js";
import { loadProgram, type ModuleResolver } from "./inclusion.js";
import { link } from "./linker.js";
import { Op } from "./opcodes.js";
import { Unit } from "./scope.js";
import { compileBlock } from "./statements.js";

export type { ModuleResolver };

export interface CompileResult {
  image: ProgramImage;
  /** every file the program was built from, main file first (for traces and `-pp`) */
  files: SourceFile[];
  /** statements after import expansion, as source text per file (for `-pp`) */
  preprocessed: string;
  /** compile warnings (the program still runs), as `FILE:LINE: message` */
  warnings: string[];
}

function compileImage(files: SourceFile[], stmts: Stmt[]): { image: ProgramImage; warnings: string[] } {
  const c = new Compilation(files);
  c.collectFunctions(stmts);
  c.main = new Unit(null, [], c.globalNames);
  compileBlock(c, c.main, stmts);
  c.main.em.op(Op.HALT);
  return { image: link(c), warnings: c.warnings };
}

/** Compile an ePython program. Throws EpySyntaxError (with file, line, column) on bad input. */
export function compileProgram(source: string, fileName: string, resolve: ModuleResolver): CompileResult {
  const { files, stmts } = loadProgram(fileName, source, resolve);
  const { image, warnings } = compileImage(files, stmts);
  const preprocessed = files.map((f) => `# ---- ${f.name}\n${f.text.replace(/\s+$/, "")}\n`).join("");
  return { image, files, preprocessed, warnings };
}
