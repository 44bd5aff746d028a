/**
 * What one compilation shares across its units: the source files (for error positions), the
 * string constants, the function table and the global variables.
 */
import type { Param, Pos, Stmt } from "./ast.js";
import { type SourceFile, syntaxError } from "./errors.js";
import type { Unit } from "./scope.js";

/** A `def`, numbered in source order; its unit once compiled. */
export interface FuncDecl {
  name: string;
  index: number;
  params: Param[];
  body: Stmt[];
  pos: Pos;
  unit: Unit | null;
}

export class Compilation {
  /** string constants of all units, in order of first use while compiling */
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly funcs: FuncDecl[] = [];
  private readonly funcByName = new Map<string, FuncDecl>();
  readonly globalNames: string[] = [];
  main!: Unit;

  constructor(readonly files: SourceFile[]) {}

  /** compile warnings, as `FILE:LINE: message` */
  readonly warnings: string[] = [];

  warn(pos: Pos, message: string): void {
    this.warnings.push(`${this.files[pos.file]!.name}:${pos.line}: ${message}`);
  }

  fail(pos: Pos, message: string): never {
    const f = this.files[pos.file]!;
    throw syntaxError(f, pos.line, pos.col, message);
  }

  /** The index of a string constant, added on first use. */
  stringConstant(s: string): number {
    let idx = this.stringIndex.get(s);
    if (idx === undefined) {
      idx = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, idx);
    }
    return idx;
  }

  /** Number every `def` before compiling: functions may be called before their `def`. */
  collectFunctions(stmts: Stmt[]): void {
    for (const s of stmts) {
      if (s.k === "def") {
        const decl: FuncDecl = { name: s.name, index: this.funcs.length, params: s.params, body: s.body, pos: s.pos, unit: null };
        this.funcs.push(decl);
        this.funcByName.set(s.name, decl); // the last definition of a name wins
        this.collectFunctions(s.body);
      } else if (s.k === "if") {
        for (const b of s.branches) this.collectFunctions(b.body);
        if (s.orelse) this.collectFunctions(s.orelse);
      } else if (s.k === "while" || s.k === "for") this.collectFunctions(s.body);
    }
  }

  /** A function name as called (case-sensitive): module prefixes (`math.sqrt`) are dropped, as ePython does. */
  findFunction(name: string): FuncDecl | undefined {
    const dot = name.lastIndexOf(".");
    return this.funcByName.get(dot >= 0 ? name.slice(dot + 1) : name);
  }
}
