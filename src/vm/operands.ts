/**
 * Operands, derived from the one operand table (OPERANDS in src/lang/opcodes.ts):
 * - the length of every instruction, as the interpreter advances pc by it;
 * - the first and second operands of every instruction of a program image, decoded once: the
 *   interpreter's inner loop reads one typed-array element instead of assembling bytes (and
 *   calling a DataView for 32-bit constants). Shared by all cores running the image, since byte
 *   code never changes.
 */
import type { ProgramImage } from "../lang/image.js";
import { instructionLength, Op, OP_COUNT, OP_NAMES, OPERANDS } from "../lang/opcodes.js";

/** Bytes of each operand kind. */
const OPERAND_BYTES: Readonly<Record<string, number>> = { u8: 1, i8: 1, u16: 2, i32: 4, f32: 4 };

interface Layout {
  /** operand kinds in order */
  kinds: string[];
  /** byte offset of each operand from the opcode */
  offsets: number[];
  /** bytes of the instruction */
  length: number;
}

/** Operand layout of an opcode, from the operand table. */
function layoutOf(op: number): Layout {
  const name = OP_NAMES[op];
  const kinds = name ? OPERANDS[name].split(" ").filter((k) => k !== "") : [];
  const offsets: number[] = [];
  let at = 1;
  for (const kind of kinds) {
    offsets.push(at);
    at += OPERAND_BYTES[kind]!;
  }
  return { kinds, offsets, length: at };
}

const LAYOUTS: readonly Layout[] = Array.from({ length: 256 }, (_, op) => layoutOf(op));

/** Bytes of each opcode's instruction, indexed by opcode (unknown opcodes: 1). */
export const INSTRUCTION_LENGTH: Uint8Array = (() => {
  const t = new Uint8Array(256).fill(1);
  for (let op = 0; op < OP_COUNT; op++) t[op] = LAYOUTS[op]!.length;
  return t;
})();

/** The length shared by a group of opcodes (that one case of the interpreter handles); throws if they differ. */
export function groupLength(...ops: number[]): number {
  const n = INSTRUCTION_LENGTH[ops[0]!]!;
  for (const op of ops) {
    if (INSTRUCTION_LENGTH[op] !== n) throw new Error(`opcodes ${ops.map((o) => OP_NAMES[o]).join(", ")} do not share one instruction length`);
  }
  return n;
}

export interface DecodedOperands {
  /** integer first operand (u8, i8, u16, i32) at each instruction's pc */
  arg: Int32Array;
  /** real first operand (f32) at each instruction's pc */
  real: Float32Array;
  /** integer second operand (u8, i8, u16) at each instruction's pc */
  arg2: Int32Array;
  /**
   * The values every list literal and every call in the image pushes before the instruction that
   * takes them (NEW_LIST's items, the arguments of CALL, CALL_VALUE and NATIVE), summed: a bound on
   * how far those can take one frame's temporaries beyond ordinary expression nesting, whatever
   * nests in what.
   */
  pushedOperands: number;
}

const cache = new WeakMap<ProgramImage, DecodedOperands>();

function decodeInt(code: Uint8Array, dv: DataView, at: number, kind: string | undefined): number {
  switch (kind) {
    case "u8": return at < code.length ? code[at]! : 0;
    case "i8": return at < code.length ? (code[at]! << 24) >> 24 : 0;
    case "u16": return at + 2 <= code.length ? dv.getUint16(at, true) : 0;
    case "i32": return at + 4 <= code.length ? dv.getInt32(at, true) : 0;
    default: return 0;
  }
}

export function decodedOperands(image: ProgramImage): DecodedOperands {
  const known = cache.get(image);
  if (known) return known;
  const code = image.code;
  const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const arg = new Int32Array(code.length);
  const arg2 = new Int32Array(code.length);
  const real = new Float32Array(code.length);
  let pushedOperands = 0;
  for (let pc = 0; pc < code.length; pc += instructionLength(code, pc)) {
    const { kinds, offsets } = LAYOUTS[code[pc]!]!;
    if (kinds[0] === "f32") {
      if (pc + 5 <= code.length) real[pc] = dv.getFloat32(pc + 1, true);
    } else arg[pc] = decodeInt(code, dv, pc + 1, kinds[0]);
    if (kinds.length > 1) arg2[pc] = decodeInt(code, dv, pc + offsets[1]!, kinds[1]);
    const op = code[pc]!;
    if (op === Op.NEW_LIST || op === Op.CALL_VALUE) pushedOperands += arg[pc]!;
    else if (op === Op.CALL || op === Op.NATIVE) pushedOperands += arg2[pc]!;
  }
  const decoded = { arg, real, arg2, pushedOperands };
  cache.set(image, decoded);
  return decoded;
}
