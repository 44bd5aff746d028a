import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileProgram } from "../../src/lang/compiler.js";
import { OP_COUNT, Op } from "../../src/lang/opcodes.js";
import { bundledResolver } from "../../src/pipeline/modules.js";
import {
  ALIAS_READ_EXTRA_CYCLES, CALL_PER_ARG_CYCLES, COMPARISON_VALUE_EXTRA_CYCLES, ELEMENT_WRITE_CYCLES, GC_CYCLES_PER_WORD, HEAP_ALLOC_CYCLES, HOST_CORE_SPEED_FACTOR, OP_CYCLES, SYMBOL_SCAN_CYCLES_PER_ENTRY,
  VALUE_ARG_EXTRA_CYCLES,
} from "../../src/runtime/interpreter-costs.js";
import { deviceVmCosts } from "../../src/runtime/vm-costs.js";
import { CHIPS } from "../../src/machine/chip.js";
import { instructionCosts } from "../../src/vm/scan-costs.js";

/** The measurement the table is taken from (tools/interpreter-costs, made with callgrind; not re-run here). */
const measured = JSON.parse(readFileSync(new URL("../../tools/interpreter-costs/proposed-costs.json", import.meta.url), "utf8")) as Record<string, { cycles: number }>;

describe("interpreter cost table", () => {
  it("has a positive cost for every opcode", () => {
    expect(OP_CYCLES.length).toBe(OP_COUNT);
    for (let i = 0; i < OP_COUNT; i++) expect(OP_CYCLES[i]).toBeGreaterThan(0);
  });

  it("is the measured table of tools/interpreter-costs/proposed-costs.json", () => {
    for (const name of ["PUSH_I8", "PUSH_INT", "PUSH_REAL", "PUSH_STR", "LOAD_GLOBAL", "STORE_GLOBAL", "LOAD_LOCAL", "STORE_LOCAL", "MOD", "FLOORDIV", "NOT", "EQ", "NE", "IS", "JUMP", "AND_JUMP", "OR_JUMP", "FOR_ITER", "NEW_LIST", "INDEX", "STORE_INDEX", "NATIVE"] as const) {
      expect(OP_CYCLES[Op[name]], name).toBe(measured[name]!.cycles);
    }
    // int and real measured apart: the table takes their mean
    for (const name of ["ADD", "SUB", "MUL", "DIV", "POW"] as const) expect(OP_CYCLES[Op[name]], name).toBe((measured[name]!.cycles + measured[`${name}_real`]!.cycles) / 2);
    expect(OP_CYCLES[Op.JUMP_IF_FALSE]).toBe((measured.JUMP_IF_FALSE!.cycles + measured.JUMP_IF_FALSE_fallthrough!.cycles) / 2);
    expect(OP_CYCLES[Op.CALL]! + OP_CYCLES[Op.RETURN]!).toBe(measured.CALL_total_0args!.cycles);
    expect(CALL_PER_ARG_CYCLES + OP_CYCLES[Op.REF_LOCAL]!).toBe(measured.CALL_PER_ARG_ref!.cycles);
    expect(CALL_PER_ARG_CYCLES + VALUE_ARG_EXTRA_CYCLES).toBe(measured.CALL_PER_ARG_value!.cycles);
    expect(ELEMENT_WRITE_CYCLES).toBe(measured.NEW_LIST_perElement!.cycles);
    expect(COMPARISON_VALUE_EXTRA_CYCLES).toBe(measured.LT_value_extra!.cycles);
    expect(ALIAS_READ_EXTRA_CYCLES).toBe(measured.LOAD_LOCAL_alias!.cycles - measured.LOAD_LOCAL!.cycles);
  });

  it("fused forms cost what ePython pays for the unfused sequence", () => {
    expect(OP_CYCLES[Op.INC_LOCAL]).toBe(OP_CYCLES[Op.LOAD_LOCAL]! + OP_CYCLES[Op.PUSH_I8]! + OP_CYCLES[Op.ADD]! + OP_CYCLES[Op.STORE_LOCAL]!);
    expect(OP_CYCLES[Op.LT_I8]).toBe(OP_CYCLES[Op.PUSH_I8]! + OP_CYCLES[Op.LT]!);
  });

  it("named constants are sane", () => {
    for (const c of [HEAP_ALLOC_CYCLES, GC_CYCLES_PER_WORD]) expect(c).toBeGreaterThan(0);
    expect(HOST_CORE_SPEED_FACTOR).toBeGreaterThan(1);
  });
});

describe("symbol-table scans per instruction", () => {
  it("a variable's lookup costs one scan step more per slot before it; locals come after every global", () => {
    const src = "a=1\nb=2\nc=3\ndef f(p):\n    q=p\n    return q\nc=f(a)\nprint c\n";
    const { image } = compileProgram(src, "scan.py", bundledResolver());
    const costs = deviceVmCosts(CHIPS.e16!, { codeOnCore: true, dataShared: false });
    const per = instructionCosts(image, costs);
    const code = image.code;
    const stores: number[] = [];
    const locals: number[] = [];
    for (let pc = 0; pc < code.length; pc++) {
      if (per[pc] === 0) continue;
      if (code[pc] === Op.STORE_GLOBAL) stores.push(per[pc]! - OP_CYCLES[Op.STORE_GLOBAL]!);
      if (code[pc] === Op.STORE_LOCAL) locals.push(per[pc]! - OP_CYCLES[Op.STORE_LOCAL]!);
    }
    // a, b, c stored in order of their slots 0, 1, 2 (then c again)
    expect(stores.slice(0, 3)).toEqual([0, SYMBOL_SCAN_CYCLES_PER_ENTRY, 2 * SYMBOL_SCAN_CYCLES_PER_ENTRY]);
    expect(locals.length).toBeGreaterThan(0);
    for (const l of locals) expect(l).toBeGreaterThanOrEqual(image.nglobals * SYMBOL_SCAN_CYCLES_PER_ENTRY);
  });
});
