/**
 * The VM advances pc by lengths derived from the operand table (OPERANDS in src/lang/opcodes.ts):
 * they must agree with the table's own instructionLength for every opcode, and the operands the VM
 * decodes must be the ones the table places.
 */
import { describe, expect, it } from "vitest";
import { bundledResolver } from "../../src/pipeline/modules.js";
import { compileProgram } from "../../src/lang/compiler.js";
import { instructionLength, OP_COUNT, OP_NAMES, Op } from "../../src/lang/opcodes.js";
import { decodedOperands, groupLength, INSTRUCTION_LENGTH } from "../../src/vm/operands.js";
import { LOOP_LENGTHS, Req, Status, Vm, type VmCosts } from "../../src/vm/vm.js";

/** An instruction `op` followed by zero bytes. */
function zeroTail(op: number): Uint8Array {
  const code = new Uint8Array(16);
  code[0] = op;
  return code;
}

describe("instruction lengths", () => {
  it("agree with the operand table for every opcode", () => {
    for (let op = 0; op < OP_COUNT; op++) {
      expect({ op: OP_NAMES[op], len: INSTRUCTION_LENGTH[op] }).toEqual({ op: OP_NAMES[op], len: instructionLength(zeroTail(op), 0) });
    }
  });

  it("the interpreter loop steps by the table's length wherever it steps by a constant", () => {
    const names = Object.keys(LOOP_LENGTHS) as (keyof typeof LOOP_LENGTHS)[];
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) {
      expect({ op: name, len: LOOP_LENGTHS[name] }).toEqual({ op: name, len: instructionLength(zeroTail(Op[name]), 0) });
    }
  });

  it("a case shared by opcodes of different lengths is refused", () => {
    expect(groupLength(Op.ADD, Op.SUB)).toBe(1);
    expect(() => groupLength(Op.ADD, Op.PUSH_INT)).toThrow(/do not share/);
  });

  it("calls have no by-reference list: an argument is a value or a reference on the stack", () => {
    expect(INSTRUCTION_LENGTH[Op.CALL]).toBe(4);
    expect(INSTRUCTION_LENGTH[Op.CALL_VALUE]).toBe(2);
  });
});

describe("decoded operands", () => {
  const costs: VmCosts = {
    opCycles: new Array<number>(256).fill(1), sharedReadCycles: 1, sharedWriteCycles: 1, codeFetchCycles: 0, allocCycles: 1,
    gcCyclesPerWord: 1, callPerArgCycles: 1, valueArgCycles: 0, symbolScanCycles: 0, callScanCycles: 0, returnScanCycles: 0, comparisonValueCycles: 0, aliasReadCycles: 0, elementWriteCycles: 1, listGrowCyclesPerElement: 1, arrayCopyCyclesPerElement: 1,
    dram: { alloc: 0, sharedAlloc: 0, sharedAllocStores: 0, free: 0, collect: 0, newCell: 0, frameRelease: 0 },
    variableReadCycles: 0, variableWriteCycles: 0,
  };

  /** Run a one-core program whose only requests are prints; return what it printed. */
  function run(source: string): string[] {
    const { image } = compileProgram(source, "ops.py", bundledResolver());
    const vm = new Vm(image, { coreId: 0, numCores: 1, isHost: false, heapBytes: 4096, sharedHeapBytes: 4096, stackCells: 1024 }, costs);
    const out: string[] = [];
    for (;;) {
      const st = vm.run(Infinity, 100_000);
      if (st !== Status.Blocked) {
        expect(vm.error).toBe("");
        expect(st).toBe(Status.Done);
        return out;
      }
      if (vm.req === Req.Print) out.push(vm.reqText ?? "");
    }
  }

  it("second operands (signed increments, argument counts, skips) are the table's", () => {
    const src = "g = 100\ng -= 3\ng += 7\ndef f(a, b = 5):\n\tx = a\n\tx -= 2\n\treturn x * b\nprint(g)\nprint(f(10))\nprint(f(10, 1))\n";
    const { image } = compileProgram(src, "ops.py", bundledResolver());
    const ops = new Set<number>();
    for (let pc = 0; pc < image.code.length; pc += instructionLength(image.code, pc)) ops.add(image.code[pc]!);
    for (const op of [Op.INC_GLOBAL, Op.INC_LOCAL, Op.CALL, Op.ARG_PASSED]) expect(ops.has(op), OP_NAMES[op]).toBe(true);
    const { arg2 } = decodedOperands(image);
    for (let pc = 0; pc < image.code.length; pc += instructionLength(image.code, pc)) {
      const op = image.code[pc]!;
      if (op === Op.INC_GLOBAL) expect(arg2[pc]).toBe((image.code[pc + 3]! << 24) >> 24);
      if (op === Op.INC_LOCAL) expect(arg2[pc]).toBe((image.code[pc + 2]! << 24) >> 24);
      if (op === Op.CALL) expect(arg2[pc]).toBe(image.code[pc + 3]);
    }
    expect(run(src)).toEqual(["104", "40", "8"]);
  });
});
