/**
 * What ePython's byte-code interpreter costs on a core: per operation (dispatch, operand decode,
 * stack and symbol-table work), per heap allocation and GC, per call argument and element write,
 * and the speed of the host virtual cores that interpret the same byte code on the ARM.
 *
 * These belong to the runtime, the layer that knows both the byte code (src/lang/opcodes.ts) and
 * the chip; the chip model itself knows no byte code. The byte-code costs are MEASURED on
 * ePython's own interpreter (tools/interpreter-costs/); the rest are marked DERIVED or GUESS.
 */
import { Op, OP_COUNT, type OpName } from "../lang/opcodes.js";

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
/**
 * GC sweep cost per 4-byte word of heap walked: ePython's sweep visits chunks, not words, so
 * this is the chunk-walk cost spread over a typical chunk. GUESS 2.
 */
export const GC_CYCLES_PER_WORD = 2;
/**
 * Per element moved when a list literal grows on access (ePython copies the old elements into a
 * new, larger chunk with cpy(), interpreter.c:863-892): 4 bytes through the byte loop, MEASURED
 * 6.3-9.3 e-core cycles per byte (tools/interpreter-costs results.json ecore_per_cpy_byte), so
 * DERIVED 4 x 8 = 32 [24, 42].
 */
export const LIST_GROW_CYCLES_PER_ELEMENT = 32;
/** Per element copied by the arraycopy native: one cpy() of 4 bytes per element, as above: DERIVED 32 [24, 42]. */
export const ARRAY_COPY_CYCLES_PER_ELEMENT = 32;

// =============================================================================================
// Byte-code operation costs: measured on ePython's own interpreter
// =============================================================================================
//
// MEASURED: tools/interpreter-costs/ runs ePython's interpreter (interpreter/interpreter.c of the
// `dev` branch, commit 78e126a, built as epython-host at -Os with the device's byte-by-byte cpy())
// under valgrind's callgrind: each figure is the difference in executed instructions between two
// loops that differ by one operation, with the symbol-table scan taken out (variables at slot 0),
// converted to e-core cycles by the instruction mix and the pipeline facts (1.73 cycles per
// x86-64 instruction, range [1.35, 2.11]; tools/interpreter-costs/README.md). The values are the
// `cycles` of tools/interpreter-costs/proposed-costs.json (tests/runtime/interpreter-costs.test.ts
// checks they match); each has a [low, high] range there. ePython is a recursive tree walker: an
// operation's figure includes its operand decode (cpy() calls) and the C recursion of its node.

/** Measured figures used below (cycles, proposed-costs.json). */
const M = {
  constant: 154, // PUSH_INT / PUSH_I8 / PUSH_TRUE / PUSH_FALSE [119, 189]
  constantReal: 161, // PUSH_REAL [126, 196]
  constantString: 208, // PUSH_STR [159, 258]
  load: 419, // LOAD_GLOBAL / LOAD_LOCAL at slot 0 [326, 511]
  store: 609, // STORE_GLOBAL / STORE_LOCAL at slot 0 [477, 742]
  add: (359 + 376) / 2, // ADD int 359 [290, 427], real 376 [302, 450]: their mean
  sub: (363 + 380) / 2,
  mul: (366 + 384) / 2,
  div: (411 + 422) / 2,
  mod: 412, // [323, 541]
  pow: (397 + 481) / 2, // int 397, real 481
  floorDiv: 1274, // [999, 1591]; on the device the floor goes to the host (not modelled)
  not: 101, // [75, 127]
  equal: 192, // EQ / NE as a condition [152, 231]
  order: (201 + 224) / 2, // LT.. int 201, real 224, as a condition
  is: 161, // [128, 195]
  jump: 143, // [118, 168]
  branch: (227 + 175) / 2, // JUMP_IF_FALSE when it jumps 227, falls through 175
  and: 172, // [136, 206]; ePython evaluates both sides (no short circuit), we charge the jump
  or: 176, // [141, 210]
  forIteration: 3308, // FOR_ITER [2598, 4027]
  newList: 895, // NEW_LIST fixed [636, 1152]
  repeatPerElement: 251, // [197, 304]
  index: 414, // [325, 502]
  storeIndex: 607, // [478, 737]
  callAndReturn: 511, // a call with no arguments and its return [400, 619]
  native: 444, // [344, 544]
} as const;

/** Per element of a list literal or repetition store: MEASURED 80 [63, 97] (NEW_LIST_perElement). */
export const ELEMENT_WRITE_CYCLES = 80;
/**
 * Binding one argument to its parameter: MEASURED 475 [361, 592] per argument passed by reference
 * (a plain variable: CALL_PER_ARG_ref), less REF_LOCAL's 20 charged for reading its symbol id.
 */
export const CALL_PER_ARG_CYCLES = 475 - 20;
/**
 * A value argument is in addition assigned to a temporary `f#i` (MEASURED 1220 [943, 1508] per
 * value argument, CALL_PER_ARG_value, beside its expression): 1220 - 455 = 765 more than binding.
 */
export const VALUE_ARG_EXTRA_CYCLES = 1220 - CALL_PER_ARG_CYCLES;
/**
 * ePython finds a variable by scanning its symbol table from entry 0 (getVariableSymbol,
 * interpreter.c:902-944); slots are taken in the order variables are first touched. MEASURED 9
 * x86-64 instructions per entry passed (exactly linear), 18.2 cycles [14, 23.3] by the mix; the
 * host build reloads a volatile length and multiplies the index in the loop, which the device's
 * does not, so per entry on the e-core: DERIVED 13 [12, 23.3] (tools/interpreter-costs/README.md).
 */
export const SYMBOL_SCAN_CYCLES_PER_ENTRY = 13;
/** A call scans the whole table for each parameter it creates (a miss, then a free slot): MEASURED 34 [26, 45] per entry per parameter. */
export const CALL_SCAN_CYCLES_PER_ENTRY = 34;
/** A return clears the callee's symbols by scanning the whole table: MEASURED 30 [23, 39] per entry. */
export const RETURN_SCAN_CYCLES_PER_ENTRY = 30;
/** A comparison used as a value (`x = a < b`) rather than as a condition: MEASURED 250 [204, 296] more (LT_value_extra). */
export const COMPARISON_VALUE_EXTRA_CYCLES = 250;
/** Reading a parameter, an alias of the caller's variable: MEASURED 487 [373, 600] against 419 for a variable (LOAD_LOCAL_alias). */
export const ALIAS_READ_EXTRA_CYCLES = 487 - 419;
/** RETURN's share of a call and return; MEASURED together (511), the split is a GUESS. */
const RETURN = 111;

type FusedOp = "INC_LOCAL" | "INC_GLOBAL" | "ADD_I8" | "SUB_I8" | "MUL_I8" | "MOD_I8" | "EQ_I8" | "NE_I8" | "LT_I8" | "GT_I8" | "LE_I8" | "GE_I8";
const BASE: Record<Exclude<OpName, FusedOp>, number> = {
  PUSH_I8: M.constant,
  PUSH_INT: M.constant,
  PUSH_REAL: M.constantReal,
  PUSH_STR: M.constantString,
  PUSH_TRUE: M.constant,
  PUSH_FALSE: M.constant,
  PUSH_NONE: M.constant, // not measured: as the other constants
  PUSH_FN: M.constant, // not measured: a function name as a value, as a constant (GUESS)
  LOAD_GLOBAL: M.load, // + the scan to its slot (the VM, per instruction)
  STORE_GLOBAL: M.store,
  LOAD_LOCAL: M.load, // ePython's locals are symbols too
  STORE_LOCAL: M.store,
  POP: 20, // no ePython node (a statement's value is not pushed): GUESS a loop iteration
  DUPN: 100, // no ePython node (it re-evaluates the target): GUESS
  ADD: M.add,
  SUB: M.sub,
  MUL: M.mul,
  DIV: M.div,
  MOD: M.mod,
  POW: M.pow,
  FLOORDIV: M.floorDiv,
  NEG: M.sub, // ePython has no unary minus: as 0 - x (GUESS)
  NOT: M.not,
  EQ: M.equal,
  NE: M.equal,
  LT: M.order,
  GT: M.order,
  LE: M.order,
  GE: M.order,
  IS: M.is,
  JUMP: M.jump,
  JUMP_IF_FALSE: M.branch,
  AND_JUMP: M.and,
  OR_JUMP: M.or,
  FOR_ITER: M.forIteration,
  FOR_START: M.newList, // not measured: the loop's set-up, GUESS as a list literal's fixed part
  NEW_LIST: M.newList, // + ELEMENT_WRITE_CYCLES per element (VM)
  REP_BEGIN: M.newList, // not measured: GUESS as a list literal
  REP_TEST: 50, // the repetition's per-element work is split GUESS 50 + 201 = MEASURED 251
  REP_STORE: M.repeatPerElement - 50,
  INDEX: M.index,
  STORE_INDEX: M.storeIndex,
  CALL: M.callAndReturn - RETURN, // + CALL_PER_ARG_CYCLES per argument, + the table scans (VM)
  CALL_VALUE: M.callAndReturn - RETURN, // not measured: as CALL
  RETURN,
  RETURN_NONE: RETURN,
  ARG_PASSED: M.jump, // not measured: a test of the argument count, GUESS as a jump
  // A plain-variable argument: ePython reads its symbol id from FNCALL's operands and binds the
  // caller's symbol (interpreter.c:306); its measured cost is in CALL_PER_ARG_CYCLES, bar 20
  REF_LOCAL: 20,
  REF_GLOBAL: 20,
  NATIVE: M.native, // the native's own work is extra (the runtime's or the VM's)
  PRINT: M.native, // print is a native call in ePython; the host round trip is the runtime's
  HALT: M.jump, // GUESS
};

/**
 * Cycles per byte-code operation on an Epiphany core, interpreter overhead included, indexed by
 * opcode. The fused forms (INC_*, *_I8) cost what ePython pays for the unfused sequence
 * (load, push constant, add, store): ePython has no such fusion; fusing only speeds the simulator.
 */
export const OP_CYCLES: Float64Array = (() => {
  const t = new Float64Array(OP_COUNT);
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
