/**
 * The first operand of every instruction of a program image, decoded once: the interpreter's inner
 * loop reads one typed-array element instead of assembling bytes (and calling a DataView for
 * 32-bit constants). Shared by all cores running the image, since byte code never changes.
 */
import type { ProgramImage } from "../lang/image.js";
import { firstOperandKind, instructionLength } from "../lang/opcodes.js";

export interface DecodedOperands {
  /** integer first operand (u8, i8, u16, i32) at each instruction's pc */
  arg: Int32Array;
  /** real first operand (f32) at each instruction's pc */
  real: Float32Array;
}

const cache = new WeakMap<ProgramImage, DecodedOperands>();

export function decodedOperands(image: ProgramImage): DecodedOperands {
  const known = cache.get(image);
  if (known) return known;
  const code = image.code;
  const dv = new DataView(code.buffer, code.byteOffset, code.byteLength);
  const arg = new Int32Array(code.length);
  const real = new Float32Array(code.length);
  for (let pc = 0; pc < code.length; pc += instructionLength(code, pc)) {
    const at = pc + 1;
    if (at >= code.length) break;
    switch (firstOperandKind(code[pc]!)) {
      case "u8": arg[pc] = code[at]!; break;
      case "i8": arg[pc] = (code[at]! << 24) >> 24; break;
      case "u16": if (at + 2 <= code.length) arg[pc] = dv.getUint16(at, true); break;
      case "i32": if (at + 4 <= code.length) arg[pc] = dv.getInt32(at, true); break;
      case "f32": if (at + 4 <= code.length) real[pc] = dv.getFloat32(at, true); break;
    }
  }
  const decoded = { arg, real };
  cache.set(image, decoded);
  return decoded;
}
