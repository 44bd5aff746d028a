/**
 * The cycles of every instruction of a program image, with the symbol-table scans ePython really
 * does. ePython finds a variable by scanning its symbol table from entry 0 (getVariableSymbol,
 * interpreter.c:902-944), so a lookup costs more the later its variable's slot; a call scans the
 * whole table for each parameter it creates, a return to clear the callee's symbols
 * (tools/interpreter-costs/README.md). The opcode costs (VmCosts.opCycles) are for slot 0.
 *
 * Slots, as ePython gives them (in the order variables are first touched), are approximated
 * statically: a global's slot is its id (the compiler numbers globals in order of first
 * appearance), a local's is the number of globals plus its frame index (the frames of callers,
 * which sit in between at run time, are not counted), and the table a call or return scans holds
 * the globals and the callee's frame. Two more measured differences are placed here because they
 * depend on the instruction's neighbours: a comparison used as a value rather than as a condition,
 * and a read of a parameter (an alias, followed to its variable; the second scan is not counted).
 */
import type { ProgramImage } from "../lang/image.js";
import { instructionLength, Op, OP_COUNT } from "../lang/opcodes.js";
import { decodedOperands } from "./operands.js";
import type { VmCosts } from "./setup.js";

const COMPARISONS = new Set<number>([Op.EQ, Op.NE, Op.LT, Op.GT, Op.LE, Op.GE, Op.EQ_I8, Op.NE_I8, Op.LT_I8, Op.GT_I8, Op.LE_I8, Op.GE_I8]);

/** Per-instruction costs already worked out, by costs (shared by every core of a kind) and image. */
const cache = new WeakMap<VmCosts, WeakMap<ProgramImage, Float64Array>>();

/**
 * Cycles of the instruction at each pc (0 between instruction starts). Every core of a run with
 * the same costs shares one table (do not write into it).
 */
export function instructionCosts(image: ProgramImage, costs: VmCosts): Float64Array {
  let byImage = cache.get(costs);
  if (!byImage) cache.set(costs, (byImage = new WeakMap()));
  let table = byImage.get(image);
  if (!table) byImage.set(image, (table = computeCosts(image, opCosts(costs), costs)));
  return table;
}

/** Cycles per opcode: the interpreter's, plus a fetch from DRAM and variables in DRAM where they are. */
function opCosts(costs: VmCosts): Float64Array {
  const opCost = new Float64Array(256);
  for (let i = 0; i < OP_COUNT; i++) opCost[i] = (costs.opCycles[i] ?? 1) + costs.codeFetchCycles;
  // variable values live in the scalar stack: in shared DRAM with -datashared (semantics 3.1)
  for (const op of [Op.LOAD_GLOBAL, Op.LOAD_LOCAL]) opCost[op]! += costs.variableReadCycles;
  for (const op of [Op.STORE_GLOBAL, Op.STORE_LOCAL]) opCost[op]! += costs.variableWriteCycles;
  for (const op of [Op.INC_GLOBAL, Op.INC_LOCAL]) opCost[op]! += costs.variableReadCycles + costs.variableWriteCycles;
  return opCost;
}

function computeCosts(image: ProgramImage, opCost: Float64Array, costs: VmCosts): Float64Array {
  const code = image.code;
  const { arg, arg2 } = decodedOperands(image);
  const out = new Float64Array(code.length + 1);
  const g = image.nglobals;
  const scan = costs.symbolScanCycles;
  // the function each pc belongs to: the one with the largest entry at or before it
  const entries = image.functions.map((f, i) => ({ entry: f.entry, i })).sort((a, b) => a.entry - b.entry);
  let next = 0;
  let fn = -1;
  for (let pc = 0; pc < code.length; pc += instructionLength(code, pc)) {
    while (next < entries.length && entries[next]!.entry <= pc) fn = entries[next++]!.i;
    const op = code[pc]!;
    const frame = fn >= 0 ? image.functions[fn]!.nlocals : 0;
    let c = opCost[op]!;
    if (COMPARISONS.has(op)) {
      // a comparison whose result is a value, not an if's or while's condition, costs more
      const after = code[pc + instructionLength(code, pc)];
      if (after !== Op.JUMP_IF_FALSE) c += costs.comparisonValueCycles;
    }
    switch (op) {
      case Op.LOAD_GLOBAL:
      case Op.STORE_GLOBAL:
      case Op.REF_GLOBAL:
        c += arg[pc]! * scan;
        break;
      case Op.INC_GLOBAL:
        c += 2 * arg[pc]! * scan; // a load and a store
        break;
      case Op.LOAD_LOCAL:
        // a parameter is an alias in ePython: reading it follows the alias
        if (fn >= 0 && arg[pc]! < image.functions[fn]!.nparams) c += costs.aliasReadCycles;
        c += (g + arg[pc]!) * scan;
        break;
      case Op.STORE_LOCAL:
      case Op.REF_LOCAL:
        c += (g + arg[pc]!) * scan;
        break;
      case Op.INC_LOCAL:
        c += 2 * (g + arg[pc]!) * scan;
        break;
      case Op.CALL: {
        const f = image.functions[arg[pc]!];
        if (f) c += Math.min(arg2[pc]!, f.nparams) * (g + f.nlocals) * costs.callScanCycles;
        break;
      }
      case Op.CALL_VALUE:
        c += arg[pc]! * g * costs.callScanCycles; // the callee is known only at run time
        break;
      case Op.RETURN:
      case Op.RETURN_NONE:
        c += (g + frame) * costs.returnScanCycles;
        break;
      default:
        break;
    }
    out[pc] = c;
  }
  return out;
}
