import { describe, expect, it } from "vitest";
import { OP_COUNT, Op } from "../../src/lang/opcodes.js";
import { GC_CYCLES_PER_WORD, HEAP_ALLOC_CYCLES, HOST_CORE_SPEED_FACTOR, OP_CYCLES } from "../../src/runtime/interpreter-costs.js";

describe("interpreter cost table", () => {
  it("has a positive integer cost for every opcode", () => {
    expect(OP_CYCLES.length).toBe(OP_COUNT);
    for (let i = 0; i < OP_COUNT; i++) {
      expect(Number.isInteger(OP_CYCLES[i])).toBe(true);
      expect(OP_CYCLES[i]).toBeGreaterThan(0);
    }
  });

  it("reflects the interpreter: variable access and division are dear, constants cheap", () => {
    expect(OP_CYCLES[Op.LOAD_GLOBAL]).toBeGreaterThan(2 * OP_CYCLES[Op.PUSH_I8]!);
    expect(OP_CYCLES[Op.DIV]).toBeGreaterThan(OP_CYCLES[Op.ADD]!);
    expect(OP_CYCLES[Op.CALL]).toBeGreaterThan(OP_CYCLES[Op.JUMP]!);
    expect(OP_CYCLES[Op.INC_LOCAL]).toBe(
      OP_CYCLES[Op.LOAD_LOCAL]! + OP_CYCLES[Op.PUSH_I8]! + OP_CYCLES[Op.ADD]! + OP_CYCLES[Op.STORE_LOCAL]!,
    );
  });

  it("named constants are sane", () => {
    for (const c of [HEAP_ALLOC_CYCLES, GC_CYCLES_PER_WORD]) expect(c).toBeGreaterThan(0);
    expect(HOST_CORE_SPEED_FACTOR).toBeGreaterThan(1);
  });
});
