/**
 * What ePython's byte-code interpreter costs on a core: per operation (dispatch, operand decode,
 * stack and symbol-table work), per heap allocation and GC, per call argument and element write,
 * and the speed of the host virtual cores that interpret the same byte code on the ARM.
 *
 * These belong to the runtime, the layer that knows both the byte code (src/lang/opcodes.ts) and
 * the chip (src/machine/costs.ts, whose pipeline facts they are built from); the chip model itself
 * knows no byte code. Sources as in src/machine/costs.ts: DOC, MEAS, DERIVED, GUESS.
 */
import { Op, OP_COUNT, type OpName } from "../lang/opcodes.js";
import { CALL_RETURN_CYCLES, FP_OP_CYCLES, INT_OP_CYCLES, LOCAL_WORD_ACCESS_CYCLES, TAKEN_BRANCH_CYCLES } from "../machine/costs.js";

// =============================================================================================
// Heap and GC (ePython's device allocator, semantics 3.2)
// =============================================================================================

/**
 * One heap allocation: first-fit walk of the implicit free list (a few chunks at ~10 cycles
 * each: two header loads at latency 3, compare, taken branch 3), carve from the end of the
 * chunk, write the new header, plus the getHeapMemory call chain (2 calls, 8 each, DOC).
 * GUESS 150.
 */
export const HEAP_ALLOC_CYCLES = 150;
/** Freeing a chunk and coalescing neighbours. GUESS 60 (a header walk of a few chunks). */
export const HEAP_FREE_CYCLES = 60;
/**
 * GC sweep cost per 4-byte word of heap walked: ePython's sweep visits chunks, not words, so
 * this is the chunk-walk cost spread over a typical chunk. GUESS 2.
 */
export const GC_CYCLES_PER_WORD = 2;
/**
 * GC mark cost per (used chunk, symbol) pair: ePython keeps a chunk iff some symbol points at
 * it, found by scanning the symbol table for each used chunk. Same as one symbol-table entry
 * scan. GUESS 7 (see SYMBOL_SCAN_CYCLES_PER_ENTRY).
 */
export const GC_CYCLES_PER_CHUNK_SYMBOL = 7;

// =============================================================================================
// Byte-code operation costs
// =============================================================================================

/**
 * ePython walks a prefix-encoded tree with a recursive C interpreter. Per operation we charge:
 * D = dispatch: fetch the opcode byte (1 + load latency 3), bounds/jump-table load (3) and the
 *     indirect jump (taken branch 3), loop back (1) = 12 (GUESS instruction count, DOC latencies),
 *     plus one recursive C call per tree node (call/return 8, DOC) = 20.
 */
const D = 12 + CALL_RETURN_CYCLES;
/** Operand decode, unaligned bytes: u8 = ldrb + latency = 4; u16 = 2 loads + shift/or = 8;
 * 32-bit = 4 loads + 3 shift/or = 16. GUESS counts, DOC latencies. */
const U8 = 4;
const U16 = 8;
const U32 = 16;
/** Push or pop one value (1 type byte + 4 payload bytes, stored byte-wise, index update). GUESS 6. */
const PUSH = 6;
const POP = 6;
/** Type checks of a binary operation: load both type bytes, compare, branch (taken 3). GUESS 8. */
const TYPECHECK = 8;
/**
 * Symbol-table linear search (ePython looks a variable up by id through the table): per entry
 * ldrh id (1 + latency 3) + compare (1) + taken branch back (3) = about 7 (DOC latencies).
 */
export const SYMBOL_SCAN_CYCLES_PER_ENTRY = 7;
/**
 * Entries scanned on average per lookup. GUESS 8: the facts' example programs have 4-24
 * symbols (hello 4, Monte Carlo PI 16, Jacobi 24) and a hit scans half the table on average.
 * A VM that wants per-variable accuracy may add (index - 8) * SYMBOL_SCAN_CYCLES_PER_ENTRY.
 */
export const SYMBOL_SCAN_AVG_ENTRIES = 8;
/** Lookup = set-up (6) + average scan. */
const LOOKUP = 6 + SYMBOL_SCAN_AVG_ENTRIES * SYMBOL_SCAN_CYCLES_PER_ENTRY;
/** Read a variable's value through its pointer (type + 4 bytes). GUESS 10. */
const VAR_READ = 10;
/** Write a variable (type check, set type, 4 bytes). GUESS 12. */
const VAR_WRITE = 12;
/** Arithmetic: blend of int (1-2) and FP (4-5) from the DOC pipeline figures. GUESS 3. */
const ALU = 3;
/**
 * Division: the e-core has no divide instruction (facts list none), so int and float division
 * are software routines. GUESS 60 cycles.
 */
const SOFT_DIV = 60;
/** One array element access: bounds check, index multiply-add, element (5 bytes) read/write. GUESS 22. */
const ELEMENT = 22;

/** Extra cycles a real (float) arithmetic op costs over an int one (FP 4-5 vs int 1-2, DOC). */
export const REAL_OP_EXTRA_CYCLES = FP_OP_CYCLES - INT_OP_CYCLES;
/**
 * Per argument of a call: create the parameter symbol (scan for a free entry) and bind it (an
 * alias of the caller's variable or of the temp holding a value argument, interpreter.c:300-311);
 * for a value argument also the temp's scalar stack cell and the copy. GUESS 40. Charged by the VM
 * in addition to OP_CYCLES, per bound argument (extra arguments are skipped).
 */
export const CALL_PER_ARG_CYCLES = 40;
/** Per element of a list literal or repetition store (heap element write). GUESS 12. */
export const ELEMENT_WRITE_CYCLES = 12;
/**
 * Per element moved when a list literal grows on access (ePython copies the old elements into a
 * new, larger chunk, interpreter.c:863-892): a word load and store in a tight copy loop, dual-issue
 * with the loop branch. GUESS 2 (the figure the VM charged as a literal before it was named here).
 */
export const LIST_GROW_CYCLES_PER_ELEMENT = 2;
/**
 * Per element copied by the arraycopy native: the same tight load/store copy loop as a list's
 * growth. GUESS 2 (the figure the VM charged as a literal before it was named here).
 */
export const ARRAY_COPY_CYCLES_PER_ELEMENT = 2;

type FusedOp = "INC_LOCAL" | "INC_GLOBAL" | "ADD_I8" | "SUB_I8" | "MUL_I8" | "MOD_I8" | "EQ_I8" | "NE_I8" | "LT_I8" | "GT_I8" | "LE_I8" | "GE_I8";
const BASE: Record<Exclude<OpName, FusedOp>, number> = {
  PUSH_I8: D + U8 + PUSH, // 30
  PUSH_INT: D + U32 + PUSH, // 42
  PUSH_REAL: D + U32 + PUSH, // 42
  PUSH_STR: D + U16 + 4 + PUSH, // 38: + resolve the string constant's address
  PUSH_TRUE: D + PUSH, // 26
  PUSH_FALSE: D + PUSH, // 26
  PUSH_NONE: D + PUSH, // 26
  PUSH_FN: D + U16 + PUSH, // 34
  LOAD_GLOBAL: D + U16 + LOOKUP + VAR_READ + PUSH, // 106
  STORE_GLOBAL: D + U16 + POP + LOOKUP + VAR_WRITE, // 108
  LOAD_LOCAL: D + U8 + LOOKUP + VAR_READ + PUSH, // 102: ePython locals are symbols too
  STORE_LOCAL: D + U8 + POP + LOOKUP + VAR_WRITE, // 104
  POP: D + 4, // 24: drop the top value (index update + bookkeeping)
  DUPN: D + U8 + 2 * (POP + PUSH), // 48: typical n = 2
  ADD: D + 2 * POP + TYPECHECK + ALU + PUSH, // 49
  SUB: D + 2 * POP + TYPECHECK + ALU + PUSH, // 49
  MUL: D + 2 * POP + TYPECHECK + FP_OP_CYCLES + PUSH, // 50: integer multiply uses the FPU (4)
  DIV: D + 2 * POP + TYPECHECK + 4 + SOFT_DIV + PUSH, // 110: + zero/type dispatch
  MOD: D + 2 * POP + TYPECHECK + 8 + SOFT_DIV + PUSH, // 114: + sign fix-up
  POW: D + 2 * POP + TYPECHECK + 200 + PUSH, // 246: GUESS software powf / repeated multiply
  FLOORDIV: D + 2 * POP + TYPECHECK + SOFT_DIV + 16 + PUSH, // 122: + software floorf
  NEG: D + POP + 4 + ALU + PUSH, // 39: type switch + negate
  NOT: D + POP + 6 + PUSH, // 38: truthiness by type
  EQ: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52: compare + materialise a boolean
  NE: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  LT: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  GT: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  LE: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  GE: D + 2 * POP + TYPECHECK + 2 + 4 + PUSH, // 52
  IS: D + 2 * POP + 4 + 4 + PUSH, // 46: type + payload compare
  JUMP: D + U16 + TAKEN_BRANCH_CYCLES, // 31
  JUMP_IF_FALSE: D + U16 + POP + 6 + 2, // 42: truthiness + (taken 3 / not 1) average
  AND_JUMP: D + U16 + 6 + POP + 2, // 42
  OR_JUMP: D + U16 + 6 + POP + 2, // 42
  FOR_ITER: D + U16 + 2 * LOCAL_WORD_ACCESS_CYCLES + 4 + ELEMENT + 2 * PUSH, // 74
  FOR_START: D + POP + 6 + 2 * PUSH, // 44: check it is an array
  NEW_LIST: D + U16 + 12, // 40 + HEAP_ALLOC_CYCLES + ELEMENT_WRITE_CYCLES per element (VM)
  REP_BEGIN: D + U8 + POP + 12 + 2 * PUSH, // 54 + HEAP_ALLOC_CYCLES (VM)
  REP_TEST: D + U16 + 2 * LOCAL_WORD_ACCESS_CYCLES + 4, // 40
  REP_STORE: D + U8 + 8 + POP, // 38 + ELEMENT_WRITE_CYCLES per item (VM)
  INDEX: D + U8 + 2 * POP + TYPECHECK + ELEMENT + PUSH, // 72: one index; more cost ~ELEMENT/2 each
  STORE_INDEX: D + U8 + 3 * POP + TYPECHECK + ELEMENT + 4, // 76
  // ePython's call: evaluate the callee node, save interpreter state, set up the frame's
  // symbols (CALL_PER_ARG_CYCLES per argument, charged by the VM) and jump. GUESS 100 + D.
  CALL: D + U16 + U8 + U8 + 100, // 136
  CALL_VALUE: D + POP + U8 + U8 + 8 + 100, // 142: + check the value is a function
  // return: pop the value, walk the symbol table to free the callee's symbols and reset the
  // scalar stack pointer (interpreter.c:965-993), unwind the C recursion. GUESS 40 + D.
  RETURN: D + POP + 40, // 66
  RETURN_NONE: D + 40, // 60
  ARG_PASSED: D + U8 + U16 + 4 + 2, // 38
  // A plain-variable argument: ePython reads its u16 symbol id from FNCALL's operands and looks the
  // caller's symbol up without following aliases (interpreter.c:306); no value is read and no temp
  // is assigned (byteassembler.c:296-299). It is one iteration of FNCALL's binding loop, not a tree
  // node of its own: no dispatch, 4 for the loop (GUESS). Binding the parameter is
  // CALL_PER_ARG_CYCLES, as for any argument. Reads and writes through the alias in the callee cost
  // what any local's do: in ePython every parameter is an alias (value arguments alias a temp).
  REF_LOCAL: U16 + LOOKUP + 4, // 74
  REF_GLOBAL: U16 + LOOKUP + 4, // 74
  NATIVE: D + U8 + U8 + 6 + CALL_RETURN_CYCLES, // 42: argc check + call; the native's work is extra
  PRINT: D + POP + 10, // 36: fill the command block; the host round trip is charged by the runtime
  HALT: D, // 20
};

/**
 * Cycles per byte-code operation on an Epiphany core, interpreter overhead included, indexed by
 * opcode. The fused forms (INC_*, *_I8) cost what ePython pays for the unfused sequence
 * (load, push constant, add, store): ePython has no such fusion; fusing only speeds the simulator.
 */
export const OP_CYCLES: Int32Array = (() => {
  const t = new Int32Array(OP_COUNT);
  for (const name of Object.keys(BASE) as (keyof typeof BASE)[]) t[Op[name]] = BASE[name];
  t[Op.INC_LOCAL] = BASE.LOAD_LOCAL + BASE.PUSH_I8 + BASE.ADD + BASE.STORE_LOCAL;
  t[Op.INC_GLOBAL] = BASE.LOAD_GLOBAL + BASE.PUSH_I8 + BASE.ADD + BASE.STORE_GLOBAL;
  // operator with a small constant: what ePython pays for the constant node plus the operator
  for (const name of ["ADD", "SUB", "MUL", "MOD", "EQ", "NE", "LT", "GT", "LE", "GE"] as const) t[Op[`${name}_I8`]] = BASE.PUSH_I8 + BASE[name];
  for (let i = 0; i < OP_COUNT; i++) {
    if (!(t[i]! > 0)) throw new Error(`costs: opcode ${i} has no cycle cost`);
  }
  return t;
})();

/**
 * Speed of the host virtual cores (`-h n`: the same byte code interpreted on the 667 MHz
 * Cortex-A9) relative to an Epiphany core: host op time = OP_CYCLES[op] / factor, in 600 MHz
 * cycles. GUESS 2.5 = clock ratio 667/600 = 1.11 times about 2.2 for the A9's branch
 * prediction, caches and out-of-order issue on this branchy, load-heavy interpreter code
 * (the e-core pays 3 cycles per taken branch and stalls on every dependent load, DOC).
 */
export const HOST_CORE_SPEED_FACTOR = 2.5;
