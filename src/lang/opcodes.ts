/**
 * The byte-code format: the one place that defines every opcode and its operands.
 *
 * ePython compiles to a prefix-encoded tree (an operator byte followed by its operand
 * expressions) that its C interpreter walks recursively. We compile to a stack machine
 * instead: the same density (one opcode byte, operands little-endian and unaligned), but a
 * flat loop that can stop after any instruction and resume later, which is what lets one
 * scheduler interleave many simulated cores without threads.
 *
 * Operand kinds: u8, i8, u16, i32 (all little-endian, unaligned), f32 (IEEE single, LE).
 * Jump targets are absolute u16 byte offsets into the code, as in ePython (programs < 64 KB).
 *
 * Stack notation: [a b -- c] pops b then a and pushes c.
 */
export const Op = {
  // --- constants ---------------------------------------------------------------------------
  /** i8: [-- int] small integer constant */
  PUSH_I8: 0,
  /** i32: [-- int] */
  PUSH_INT: 1,
  /** f32: [-- real] */
  PUSH_REAL: 2,
  /** u16 string-constant index: [-- str] */
  PUSH_STR: 3,
  /** [-- true] */
  PUSH_TRUE: 4,
  /** [-- false] */
  PUSH_FALSE: 5,
  /** [-- none] */
  PUSH_NONE: 6,
  /** u16 function index: [-- fn] a function as a value */
  PUSH_FN: 7,

  // --- variables -----------------------------------------------------------------------------
  /** u16 global slot: [-- v] */
  LOAD_GLOBAL: 8,
  /** u16 global slot: [v --] */
  STORE_GLOBAL: 9,
  /** u8 frame slot: [-- v] */
  LOAD_LOCAL: 10,
  /** u8 frame slot: [v --] */
  STORE_LOCAL: 11,

  // --- stack -----------------------------------------------------------------------------
  /** [v --] */
  POP: 12,
  /** u8 n: duplicate the top n values [a b -- a b a b] */
  DUPN: 13,

  // --- arithmetic and comparison (ePython semantics: int32 wrap, float32 reals) ------------
  ADD: 14,
  SUB: 15,
  MUL: 16,
  /** int/int truncates toward zero (C); otherwise real division */
  DIV: 17,
  /** int%int is C's remainder; reals use Python's floored modulo */
  MOD: 18,
  /** `**` and `^` */
  POW: 19,
  /** `//`: floor of the real quotient, always a real (ePython) */
  FLOORDIV: 20,
  /** [v -- -v] unary minus (beyond ePython, which allows it on literals only) */
  NEG: 21,
  /** [v -- bool] Python's `not` */
  NOT: 22,
  EQ: 23,
  NE: 24,
  LT: 25,
  GT: 26,
  LE: 27,
  GE: 28,
  /** identity: none is none; same type and same payload */
  IS: 29,

  // --- control flow ----------------------------------------------------------------------
  /** u16 target */
  JUMP: 30,
  /** u16 target: [v --] jump when v is false (Python truthiness) */
  JUMP_IF_FALSE: 31,
  /** u16 target: [v -- v] `and`: if v is false, jump keeping v; else pop it */
  AND_JUMP: 32,
  /** u16 target: [v -- v] `or`: if v is true, jump keeping v; else pop it */
  OR_JUMP: 33,
  /** u16 exit: [arr i -- arr i+1 elem] or, when i >= size, pop both and jump to exit */
  FOR_ITER: 34,
  /** [arr -- arr 0] start a for-in loop (checks arr is an array) */
  FOR_START: 35,

  // --- arrays ----------------------------------------------------------------------------
  /** u16 k: [v1..vk -- arr] list literal (extensible, as ePython's list literals are) */
  NEW_LIST: 36,
  /** u8 k: [n -- arr n 0] begin `[e1..ek]*n`: allocate k*n elements */
  REP_BEGIN: 37,
  /** u16 exit: [arr n i -- arr n i] jump to exit when i >= n (then [arr n i -- arr]) */
  REP_TEST: 38,
  /** u8 k: [arr n i v1..vk -- arr n i+1] store one repetition of the items */
  REP_STORE: 39,
  /** u8 n indices: [arr i1..in -- v] */
  INDEX: 40,
  /** u8 n indices: [arr i1..in v --] */
  STORE_INDEX: 41,

  // --- calls -----------------------------------------------------------------------------
  /**
   * u16 function index, u8 argc: [a1..an -- result]. An argument that is a reference (REF_LOCAL,
   * REF_GLOBAL) makes the parameter an alias of that variable for the whole call, as ePython
   * binds plain-variable arguments (interpreter/interpreter.c:300-314). Parameters beyond argc
   * are unbound; arguments beyond the parameters are dropped.
   */
  CALL: 42,
  /** u8 argc: [fn a1..an -- result] call a function value, binding as CALL */
  CALL_VALUE: 43,
  /** [v --] return v to the caller */
  RETURN: 44,
  /** return none */
  RETURN_NONE: 45,
  /** u8 param, u16 skip: in a function prologue, jump to skip when the caller passed `param` */
  ARG_PASSED: 46,

  // --- runtime ---------------------------------------------------------------------------
  /** u8 native id, u8 argc: [a1..an -- result] (see Native) */
  NATIVE: 47,
  /** [v --] print one value through the host */
  PRINT: 48,
  /** stop the program (exit()/quit() at top level, and the end of the main code) */
  HALT: 49,

  // --- fused forms (the compiler's peephole: same meaning, fewer dispatches) ---------------
  /** u8 slot, i8 k: local += k when the local holds an int (falls back to the general add) */
  INC_LOCAL: 50,
  /** u16 slot, i8 k: global += k when the global holds an int */
  INC_GLOBAL: 51,
  /** i8 k: [a -- a+k], the same as PUSH_I8 k; ADD (and likewise for the ops below) */
  ADD_I8: 52,
  SUB_I8: 53,
  MUL_I8: 54,
  MOD_I8: 55,
  EQ_I8: 56,
  NE_I8: 57,
  LT_I8: 58,
  GT_I8: 59,
  LE_I8: 60,
  GE_I8: 61,

  // --- call arguments by reference --------------------------------------------------------
  /** u8 frame slot: [-- ref] a reference to a local (to its target when the local is itself one) */
  REF_LOCAL: 62,
  /** u16 global slot: [-- ref] a reference to a global */
  REF_GLOBAL: 63,
} as const;

/** Fused "operator with a small constant right operand" opcode -> the plain operator. */
export const FUSED_I8: Readonly<Record<number, number>> = {
  [Op.ADD_I8]: Op.ADD, [Op.SUB_I8]: Op.SUB, [Op.MUL_I8]: Op.MUL, [Op.MOD_I8]: Op.MOD, [Op.EQ_I8]: Op.EQ,
  [Op.NE_I8]: Op.NE, [Op.LT_I8]: Op.LT, [Op.GT_I8]: Op.GT, [Op.LE_I8]: Op.LE, [Op.GE_I8]: Op.GE,
};

export type OpName = keyof typeof Op;
export const OP_COUNT = 64;

/** Operand layout per opcode, used by the disassembler, the verifier and the cost table. */
export const OPERANDS: Record<OpName, string> = {
  PUSH_I8: "i8", PUSH_INT: "i32", PUSH_REAL: "f32", PUSH_STR: "u16", PUSH_TRUE: "", PUSH_FALSE: "",
  PUSH_NONE: "", PUSH_FN: "u16", LOAD_GLOBAL: "u16", STORE_GLOBAL: "u16", LOAD_LOCAL: "u8",
  STORE_LOCAL: "u8", POP: "", DUPN: "u8", ADD: "", SUB: "", MUL: "", DIV: "", MOD: "", POW: "",
  FLOORDIV: "", NEG: "", NOT: "", EQ: "", NE: "", LT: "", GT: "", LE: "", GE: "", IS: "",
  JUMP: "u16", JUMP_IF_FALSE: "u16", AND_JUMP: "u16", OR_JUMP: "u16", FOR_ITER: "u16", FOR_START: "",
  NEW_LIST: "u16", REP_BEGIN: "u8", REP_TEST: "u16", REP_STORE: "u8", INDEX: "u8", STORE_INDEX: "u8",
  CALL: "u16 u8", CALL_VALUE: "u8", RETURN: "", RETURN_NONE: "", ARG_PASSED: "u8 u16",
  NATIVE: "u8 u8", PRINT: "", HALT: "", INC_LOCAL: "u8 i8", INC_GLOBAL: "u16 i8",
  ADD_I8: "i8", SUB_I8: "i8", MUL_I8: "i8", MOD_I8: "i8", EQ_I8: "i8", NE_I8: "i8", LT_I8: "i8",
  GT_I8: "i8", LE_I8: "i8", GE_I8: "i8", REF_LOCAL: "u8", REF_GLOBAL: "u16",
};

const OPERAND_BYTES: Record<string, number> = { u8: 1, i8: 1, u16: 2, i32: 4, f32: 4 };

/** Bytes an instruction takes: the opcode and its operands. */
export function instructionLength(code: Uint8Array, pc: number): number {
  const name = OP_NAMES[code[pc]!];
  if (!name) return 1;
  let len = 1;
  for (const kind of OPERANDS[name].split(" ")) {
    if (kind) len += OPERAND_BYTES[kind]!;
  }
  return len;
}

export const OP_NAMES: readonly OpName[] = (() => {
  const names: OpName[] = [];
  for (const [name, code] of Object.entries(Op)) names[code] = name as OpName;
  return names;
})();

/**
 * Runtime natives (`native name(...)` in module source). ePython numbers its natives in
 * `interpreter/basictokens.h`; ours are our own, with the same jobs.
 * The `leaves core` natives become requests the VM hands to the runtime.
 */
export const Native = {
  ishost: 0,
  isdevice: 1,
  numdims: 2,
  dsize: 3,
  input: 4,
  sync: 5,
  gc: 6,
  free: 7,
  send: 8,
  recv: 9,
  sendrecv: 10,
  bcast: 11,
  numcores: 12,
  coreid: 13,
  reduce: 14,
  allocatearray: 15,
  allocatesharedarray: 16,
  math: 17,
  rand: 18,
  probe: 19,
  test_for_send: 20,
  wait_for_send: 21,
  send_nonblocking: 22,
  flatten: 23,
  arraycopy: 24,
  size: 25,
  typeof: 26,
  /** id(x): [ref -- addr] */
  addressof: 27,
  /** symbol(x): [ref -- int] */
  symbolof: 28,
  /** alias(x, e): [ref e -- none] */
  alias: 29,
  global_reference: 30,
  dereference: 31,
  /**
   * count(x): the values x is sent as by the task farm (taskfarm_sendarg): an array's elements, 0
   * for a scalar. ePython's size() gives 0 for a string, so its task farm sends a string as one
   * value; our size() (and len()) gives a string's length.
   */
  count: 32,
} as const;
export type NativeName = keyof typeof Native;
/** How many natives there are (ids 0 .. NATIVE_COUNT - 1). */
export const NATIVE_COUNT = Object.keys(Native).length;

/** Argument counts of the natives; -1 means variadic. */
export const NATIVE_ARGC: Record<NativeName, number> = {
  ishost: 0, isdevice: 0, numdims: 1, dsize: 2, input: -1, sync: 0, gc: 0, free: 1, send: 2,
  recv: 1, sendrecv: 2, bcast: 2, numcores: 0, coreid: 0, reduce: 2, allocatearray: -1,
  allocatesharedarray: -1, math: 2, rand: 0, probe: 1, test_for_send: 1, wait_for_send: 1,
  send_nonblocking: 2, flatten: 1, arraycopy: 2, size: 1, typeof: 1,
  addressof: 1, symbolof: 1, alias: 2, global_reference: 1, dereference: 1,
  count: 1,
};

/** Operations of `native math(op, x)`, numbered as ePython's rtl_math (host/misc.h). */
export const MathOp = {
  sqrt: 0, sin: 1, cos: 2, tan: 3, asin: 4, acos: 5, atan: 6, sinh: 7, cosh: 8, tanh: 9,
  floor: 10, ceil: 11, log: 12, log10: 13,
} as const;

/** Reduction operators of `reduce(v, op)`, numbered as ePython's rtl_reduce. */
export const ReduceOp = { sum: 0, min: 1, max: 2, prod: 3 } as const;
