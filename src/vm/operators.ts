/**
 * Operators on any operand types (the interpreter's slow paths; its loop has the int/real fast
 * paths), with ePython's and then Python's meaning, and Python's truthiness.
 */
import type { ProgramImage } from "../lang/image.js";
import { Op } from "../lang/opcodes.js";
import type { Heap } from "./heap.js";
import { arrayLength } from "./object.js";
import { HOST_CONCAT, HOST_MATHS, Req, Status, type StepResult } from "./requests.js";
import { stringLength, stringValue, toText } from "./text.js";
import { aTag, Tag } from "./values.js";
import type { Vm } from "./vm.js";


/** Python's truthiness of a value. */
export function isFalsy(image: ProgramImage, heap: Heap, t: number, v: number): boolean {
  switch (t) {
    case Tag.Int:
    case Tag.Real:
    case Tag.Bool:
      return v === 0;
    case Tag.None:
      return true;
    case Tag.Str:
      return stringLength(image, heap, v) === 0;
    case Tag.Array: {
      const addr = heap.resolve(v);
      const ar = heap.arena(addr);
      return arrayLength(ar, addr - ar.base) === 0;
    }
    default:
      return false;
  }
}

export function isNumeric(t: number): boolean {
  return t === Tag.Int || t === Tag.Real || t === Tag.Bool;
}

/** Replace the two operands on top of the stack with the result and step past the operator. */
function result(vm: Vm, t: number, v: number): 0 {
  const a = vm.sp - 2;
  vm.tags[a] = t;
  vm.vals[a] = v;
  vm.sp = a + 1;
  vm.pc++;
  return 0;
}

/** A result the host computes in ePython: the value is on the stack, the round trip is a request. */
function hostResult(vm: Vm, kind: number, t: number, v: number): StepResult {
  result(vm, t, v);
  vm.reqValA = kind;
  vm.req = Req.Host;
  return Status.Blocked;
}

/** Binary operator `op` on the two values on top of the stack; returns 0 or why to stop. */
export function binary(vm: Vm, op: number): StepResult {
  const a = vm.sp - 2;
  const ta = vm.tags[a]!;
  const tb = vm.tags[a + 1]!;
  const x0 = vm.vals[a]!;
  const y0 = vm.vals[a + 1]!;
  if (op === Op.IS) {
    if (ta === Tag.None || tb === Tag.None) return result(vm, Tag.Bool, ta === tb ? 1 : 0);
    return result(vm, Tag.Bool, ta === tb && x0 === y0 ? 1 : 0);
  }
  if (op === Op.ADD && (ta === Tag.Str || tb === Tag.Str)) {
    // string + anything converts the other operand; done by the host in ePython (a round trip)
    const textA = toText(vm.image, vm.heap, ta, x0);
    const textB = toText(vm.image, vm.heap, tb, y0);
    const addr = vm.newString(textA + textB);
    if (addr < 0) return Status.Error;
    // what the core sends the host: a string operand as its bytes and terminator, another as a value (-1)
    const r = hostResult(vm, HOST_CONCAT, Tag.Str, addr);
    vm.reqTagB = ta === Tag.Str ? textA.length + 1 : -1;
    vm.reqValB = tb === Tag.Str ? textB.length + 1 : -1;
    return r;
  }
  if (op === Op.EQ || op === Op.NE) {
    let eq: boolean;
    if (isNumeric(ta) && isNumeric(tb)) eq = ta === Tag.Real || tb === Tag.Real ? Math.fround(x0) === Math.fround(y0) : x0 === y0;
    else if (ta === Tag.Str && tb === Tag.Str) eq = stringValue(vm.image, vm.heap, x0) === stringValue(vm.image, vm.heap, y0);
    else if (ta !== tb) eq = false;
    else eq = x0 === y0; // none, functions, arrays (identity)
    return result(vm, Tag.Bool, eq === (op === Op.EQ) ? 1 : 0);
  }
  if (op >= Op.LT && op <= Op.GE) return compare(vm, op, ta, tb, x0, y0);
  if (!isNumeric(ta) || !isNumeric(tb)) {
    const sym = ["+", "-", "*", "/", "%", "**", "//"][op - Op.ADD];
    return vm.fail(vm.pc, `can not apply '${sym}' to ${aTag(ta)} and ${aTag(tb)}`);
  }
  return arithmetic(vm, op, ta === Tag.Bool ? Tag.Int : ta, tb === Tag.Bool ? Tag.Int : tb, x0, y0);
}

function compare(vm: Vm, op: number, ta: number, tb: number, x0: number, y0: number): StepResult {
  let c: number;
  if (isNumeric(ta) && isNumeric(tb)) c = ta === Tag.Real || tb === Tag.Real ? Math.fround(x0) - Math.fround(y0) : x0 - y0;
  else if (ta === Tag.Str && tb === Tag.Str) {
    const s = stringValue(vm.image, vm.heap, x0);
    const t = stringValue(vm.image, vm.heap, y0);
    c = s < t ? -1 : s > t ? 1 : 0;
  } else return vm.fail(vm.pc, `can not compare ${aTag(ta)} with ${aTag(tb)}`);
  const res = op === Op.LT ? c < 0 : op === Op.GT ? c > 0 : op === Op.LE ? c <= 0 : c >= 0;
  return result(vm, Tag.Bool, res ? 1 : 0);
}

/** Arithmetic on numbers (bools already counted as ints). */
function arithmetic(vm: Vm, op: number, ta: number, tb: number, x0: number, y0: number): StepResult {
  const pc = vm.pc;
  const ints = ta === Tag.Int && tb === Tag.Int;
  const x = Math.fround(x0);
  const y = Math.fround(y0);
  switch (op) {
    case Op.ADD:
      return ints ? result(vm, Tag.Int, (x0 + y0) | 0) : result(vm, Tag.Real, Math.fround(x + y));
    case Op.SUB:
      return ints ? result(vm, Tag.Int, (x0 - y0) | 0) : result(vm, Tag.Real, Math.fround(x - y));
    case Op.MUL:
      return ints ? result(vm, Tag.Int, Math.imul(x0, y0)) : result(vm, Tag.Real, Math.fround(x * y));
    case Op.DIV:
      if (ints) {
        if (y0 === 0) return vm.fail(pc, "integer division by zero");
        return result(vm, Tag.Int, (x0 / y0) | 0);
      }
      return result(vm, Tag.Real, Math.fround(x / y));
    case Op.MOD:
      if (ints) {
        if (y0 === 0) return vm.fail(pc, "integer modulo by zero");
        return result(vm, Tag.Int, x0 % y0 | 0);
      }
      return result(vm, Tag.Real, Math.fround(x - Math.floor(x / y) * y));
    case Op.POW:
      return power(vm, ints, ta, tb, x0, y0);
    case Op.FLOORDIV: {
      // `a // b` is floor(a / b) computed by the host's maths service: a real, and a round trip
      let q: number;
      if (ints) {
        if (y0 === 0) return vm.fail(pc, "integer division by zero");
        q = (x0 / y0) | 0;
      } else q = Math.fround(x / y);
      return hostResult(vm, HOST_MATHS, Tag.Real, Math.fround(Math.floor(q)));
    }
  }
  return vm.fail(pc, `internal error: operator ${op}`);
}

function power(vm: Vm, ints: boolean, ta: number, tb: number, x0: number, y0: number): StepResult {
  if (ints && y0 >= 0) {
    // repeated int32 multiplication, as ePython does (exponentiation by squaring, same result)
    let r = 1;
    let b = x0 | 0;
    let e = y0;
    while (e > 0) {
      if (e & 1) r = Math.imul(r, b);
      b = Math.imul(b, b);
      e = Math.floor(e / 2);
    }
    return result(vm, Tag.Int, r);
  }
  const x = Math.fround(x0);
  if (tb === Tag.Int && ta === Tag.Real && y0 >= 0 && y0 <= 64) {
    // a real raised to an int: repeated single-precision multiplication (interpreter.c:792-809)
    let r = Math.fround(1);
    for (let i = 0; i < y0; i++) r = Math.fround(r * x);
    return result(vm, Tag.Real, r);
  }
  return result(vm, Tag.Real, Math.fround(Math.pow(x, Math.fround(y0))));
}
