/**
 * Names and scopes of one unit being compiled, by ePython's rules (host/byteassembler.c):
 * variable names are case-insensitive; scoping is lexical by block (a variable first assigned
 * inside a block belongs to that block); a function sees and may assign the globals declared
 * textually before its `def`. Beyond ePython, with Python's meaning: a variable assigned in a
 * block that has ended may still be read afterwards.
 */
import type { Pos } from "./ast.js";
import type { FuncDecl } from "./compilation.js";
import { Emitter } from "./emitter.js";
import { Op } from "./opcodes.js";

export interface Binding {
  local: boolean;
  slot: number;
  /** file the variable was declared in: a function sees only the globals of its own file */
  file: number;
}

export interface LoopCtx {
  isFor: boolean;
  continueTarget: number;
  breakPatches: number[];
}

/** One unit being compiled: the main program or a function. */
export class Unit {
  readonly em = new Emitter();
  /** open block scopes, innermost last: lower-cased name -> binding */
  readonly blocks: Map<string, Binding>[] = [new Map()];
  /** bindings of blocks that have ended (Python's meaning for use after the block) */
  readonly closed = new Map<string, Binding>();
  nslots = 0;
  loops: LoopCtx[] = [];
  constructor(
    readonly fn: FuncDecl | null,
    /** for functions: the globals visible at the `def`, innermost scope last */
    readonly globalsView: Map<string, Binding>[],
    /** the program's global slots by name, where the main unit declares its variables */
    private readonly globalNames: string[],
  ) {}

  declare(name: string, file: number): Binding {
    const key = name.toLowerCase();
    const reuse = this.closed.get(key);
    let b: Binding;
    if (reuse) b = reuse;
    else if (this.fn) b = { local: true, slot: this.nslots++, file };
    else {
      b = { local: false, slot: this.globalNames.length, file };
      this.globalNames.push(name);
    }
    this.blocks[this.blocks.length - 1]!.set(key, b);
    return b;
  }

  /** A visible variable, or undefined. `forRead` also finds variables of ended blocks. */
  lookup(name: string, forRead: boolean): Binding | undefined {
    const key = name.toLowerCase();
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const b = this.blocks[i]!.get(key);
      if (b) return b;
    }
    for (let i = this.globalsView.length - 1; i >= 0; i--) {
      const b = this.globalsView[i]!.get(key);
      if (b) return b;
    }
    if (forRead) return this.closed.get(key);
    return undefined;
  }

  bindForWrite(name: string, pos: Pos): Binding {
    return this.lookup(name, false) ?? this.declare(name, pos.file);
  }

  openBlock(): void {
    this.blocks.push(new Map());
  }

  closeBlock(): void {
    const m = this.blocks.pop()!;
    for (const [k, b] of m) this.closed.set(k, b);
  }

  load(b: Binding): void {
    this.slotOp(b, Op.LOAD_LOCAL, Op.LOAD_GLOBAL);
  }

  store(b: Binding): void {
    this.slotOp(b, Op.STORE_LOCAL, Op.STORE_GLOBAL);
  }

  /** A reference to the variable, as a call argument (the parameter becomes its alias). */
  reference(b: Binding): void {
    this.slotOp(b, Op.REF_LOCAL, Op.REF_GLOBAL);
  }

  /** The fused `v += k` for a step that fits in a byte. */
  increment(b: Binding, k: number): void {
    this.slotOp(b, Op.INC_LOCAL, Op.INC_GLOBAL);
    this.em.u8(k);
  }

  /** An instruction on a variable: frame slots are u8 operands, global slots u16. */
  private slotOp(b: Binding, localOp: number, globalOp: number): void {
    if (b.local) {
      this.em.op(localOp);
      this.em.u8(b.slot);
    } else {
      this.em.op(globalOp);
      this.em.u16(b.slot);
    }
  }
}
