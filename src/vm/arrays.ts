/**
 * Arrays beyond the interpreter's 1-D fast paths: allocation, locating the element that a list of
 * indices names (multi-dimensional and nested arrays, negative indices, list literals that grow on
 * access) and the byte code that builds lists.
 */
import { Op } from "../lang/opcodes.js";
import type { Arena } from "./heap.js";
import {
  arrayBytes, arrayData, arrayDim, arrayLength, arrayNdims, copyElements, elementTag, elementValue, initArray, isAllocated,
  isExtensible, setElement, setForward, vectorData,
} from "./object.js";
import { INSTRUCTION_LENGTH } from "./operands.js";
import { Status, type StepResult } from "./requests.js";
import { aTag, Tag } from "./values.js";
import type { Vm } from "./vm.js";


/** The most elements one array may have (a bound on the dimension product; any array this large is out of memory anyway). */
const MAX_ARRAY_ELEMENTS = 0x3fffffff;

/** The element locate() found: element `index` of the array whose elements start at `data`. */
export class Located {
  arena!: Arena;
  data = 0;
  count = 0;
  index = 0;
}

/** Allocate an array; elements start as int 0 (ePython does not zero them; we do, deterministically). */
export function newArray(vm: Vm, dims: ArrayLike<number>, ndims: number, extensible: boolean, shared: boolean): number {
  let count = 1;
  for (let i = 0; i < ndims; i++) count *= dims[i]!;
  if (count < 0) {
    vm.fail(vm.pc, `array size ${count} is negative`);
    return -1;
  }
  if (count > MAX_ARRAY_ELEMENTS) {
    vm.fail(vm.pc, `array of ${count} elements is too large`);
    return -1;
  }
  const addr = vm.alloc(arrayBytes(count, ndims), shared);
  if (addr < 0) return -1;
  const ar = vm.heap.arena(addr);
  initArray(ar, addr - ar.base, dims, ndims, count, extensible);
  return addr;
}

/**
 * A new 1-D list literal of `count` elements. The limit is checked here, before the Int32 scratch
 * is written (a larger count would wrap, e.g. `[0,0,0,0]*(2**30+1)` to 4 elements), for every
 * caller: literals, repetitions and growth.
 */
function newList(vm: Vm, count: number, growing = false): number {
  if (count > MAX_ARRAY_ELEMENTS) {
    vm.fail(vm.pc, growing ? `list index ${count - 1} is too large to grow the list to` : `a list of ${count} elements is too large (at most ${MAX_ARRAY_ELEMENTS})`);
    return -1;
  }
  vm.dimScratch[0] = count;
  return newArray(vm, vm.dimScratch, 1, true, false);
}

/** Grow a 1-D list literal to `count` elements; the old chunk forwards to the new one. */
function grow(vm: Vm, addr: number, count: number): number {
  const na = newList(vm, count, true);
  if (na < 0) return -1;
  addr = vm.heap.resolve(addr);
  const oa = vm.heap.arena(addr);
  const oo = addr - oa.base;
  const oldCount = arrayLength(oa, oo);
  const nar = vm.heap.arena(na);
  copyElements(oa, vectorData(oo), oldCount, nar, vectorData(na - nar.base), count, oldCount);
  setForward(oa, oo, na);
  vm.cycles += oldCount * vm.costs.listGrowCyclesPerElement;
  vm.dramReads(vm.costs.dram.free); // the old chunk is freed (interpreter.c:880-889): heap_start (R:490)
  return na;
}

/**
 * Find the element that `n` indices on the stack (above the array at stack cell `base`) name, into
 * vm.loc. Handles multi-dimensional arrays, nested arrays, negative indices (Python's meaning) and
 * the auto-growth of list literals. Returns false after recording an error.
 */
export function locate(vm: Vm, base: number, n: number, forWrite: boolean): boolean {
  const heap = vm.heap;
  let t = vm.tags[base]!;
  let v = vm.vals[base]!;
  let k = 0;
  for (;;) {
    if (t !== Tag.Array) {
      vm.fail(vm.pc, t === Tag.Str ? "strings can not be indexed in ePython" : `can only index arrays, not ${aTag(t)}`);
      return false;
    }
    let addr = heap.resolve(v);
    let ar = heap.arena(addr);
    let o = addr - ar.base;
    if (!isAllocated(ar, o)) {
      vm.fail(vm.pc, "the array was freed");
      return false;
    }
    const nd = arrayNdims(ar, o);
    const use = Math.min(nd, n - k);
    let off = 0;
    for (let d = 0; d < nd; d++) {
      let idx = 0;
      if (d < use) {
        const it = vm.tags[base + 1 + k + d]!;
        if (it !== Tag.Int && it !== Tag.Bool) {
          vm.fail(vm.pc, `array index must be an integer, not ${aTag(it)}`);
          return false;
        }
        idx = vm.vals[base + 1 + k + d]!;
      }
      const dim = arrayDim(ar, o, d);
      if (idx < 0 && nd === 1) idx += dim; // Python's negative indices on 1-D arrays
      if (idx < 0) {
        vm.fail(vm.pc, `negative array index ${idx}`);
        return false;
      }
      if (idx >= dim) {
        if (!(isExtensible(ar, o) && nd === 1)) {
          vm.fail(vm.pc, `array index ${idx} exceeds the array size ${dim} in that dimension`);
          return false;
        }
        // list literals grow on access, as ePython's do (interpreter.c:863-892)
        const grown = grow(vm, addr, idx + 1);
        if (grown < 0) return false;
        addr = grown;
        ar = heap.arena(addr);
        o = addr - ar.base;
      }
      off = off * arrayDim(ar, o, d) + idx;
    }
    k += use;
    const count = arrayLength(ar, o);
    const data = arrayData(ar, o);
    if (k >= n || use === 0) {
      if (k < n) {
        vm.fail(vm.pc, "too many array indexes in expression");
        return false;
      }
      located(vm, ar, data, count, off, forWrite);
      return true;
    }
    // the element must itself be an array (nested lists)
    t = elementTag(ar, data, count, off);
    v = elementValue(ar, data, off, t);
  }
}

function located(vm: Vm, ar: Arena, data: number, count: number, index: number, forWrite: boolean): void {
  const loc = vm.loc;
  loc.arena = ar;
  loc.data = data;
  loc.count = count;
  loc.index = index;
  if (ar === vm.heap.shared) {
    vm.cycles += forWrite ? vm.costs.sharedWriteCycles : vm.costs.sharedReadCycles;
    if (forWrite) vm.sharedWrites++;
    else vm.sharedReads++;
  }
}

// --- byte code (slow paths) ----------------------------------------------------------------------

/** INDEX n: [arr i1..in -- v] */
export function index(vm: Vm, n: number): StepResult {
  const base = vm.sp - n - 1;
  if (!locate(vm, base, n, false)) return Status.Error;
  const { arena, data, count, index } = vm.loc;
  const t = elementTag(arena, data, count, index);
  vm.tags[base] = t;
  vm.vals[base] = elementValue(arena, data, index, t);
  vm.sp = base + 1;
  vm.pc += INSTRUCTION_LENGTH[Op.INDEX]!;
  return 0;
}

/** STORE_INDEX n: [arr i1..in v --] */
export function storeIndex(vm: Vm, n: number): StepResult {
  const base = vm.sp - n - 2;
  if (!locate(vm, base, n, true)) return Status.Error;
  const { arena, data, count, index } = vm.loc;
  setElement(arena, data, count, index, vm.tags[vm.sp - 1]!, vm.vals[vm.sp - 1]!);
  vm.sp = base;
  vm.pc += INSTRUCTION_LENGTH[Op.STORE_INDEX]!;
  return 0;
}

/** Store the `k` values on top of the stack as elements first.. of the 1-D array at addr, and pop them. */
function storeItems(vm: Vm, addr: number, first: number, k: number): void {
  const ar = vm.heap.arena(addr);
  const o = addr - ar.base;
  const count = arrayLength(ar, o);
  const data = vectorData(o);
  const base = vm.sp - k;
  for (let j = 0; j < k; j++) setElement(ar, data, count, first + j, vm.tags[base + j]!, vm.vals[base + j]!);
  vm.sp = base;
  vm.cycles += k * vm.costs.elementWriteCycles;
}

/** NEW_LIST k: [v1..vk -- arr] */
export function buildList(vm: Vm, k: number): StepResult {
  const addr = newList(vm, k);
  if (addr < 0) return Status.Error;
  storeItems(vm, addr, 0, k);
  vm.tags[vm.sp] = Tag.Array;
  vm.vals[vm.sp++] = addr;
  vm.pc += INSTRUCTION_LENGTH[Op.NEW_LIST]!;
  return 0;
}

/** REP_BEGIN k: [n -- arr n 0] begin `[e1..ek]*n` */
export function repeatBegin(vm: Vm, k: number): StepResult {
  const a = vm.sp - 1;
  const t = vm.tags[a]!;
  if (t !== Tag.Int && t !== Tag.Bool) return vm.fail(vm.pc, `a list can only be repeated an integer number of times, not by ${aTag(t)}`);
  const n = Math.max(0, vm.vals[a]!);
  const addr = newList(vm, n * k);
  if (addr < 0) return Status.Error;
  vm.tags[a] = Tag.Array;
  vm.vals[a] = addr;
  vm.push(Tag.Int, n);
  vm.push(Tag.Int, 0);
  vm.pc += INSTRUCTION_LENGTH[Op.REP_BEGIN]!;
  return 0;
}

/** REP_STORE k: [arr n i v1..vk -- arr n i+1] */
export function repeatStore(vm: Vm, k: number): StepResult {
  const i = vm.vals[vm.sp - k - 1]!;
  storeItems(vm, vm.vals[vm.sp - k - 3]!, i * k, k);
  vm.vals[vm.sp - 1] = i + 1;
  vm.pc += INSTRUCTION_LENGTH[Op.REP_STORE]!;
  return 0;
}
