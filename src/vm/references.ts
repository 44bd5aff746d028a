/**
 * References to variables: ePython's `id(x)`, `symbol(x)`, `alias(x, e)` (interpreter.c:382-400,
 * :688-712) and the remote variables of the `concurrency` module (research §4.1-4.2).
 *
 * A variable is named by a *target*: global g as -(g+1), a stack cell s as s (the encoding of
 * Tag.Ref). An id() value (Tag.Addr) and a remote variable (Tag.Remote) carry
 * refPayload(owner, target): owner 0 is this core's own storage, pid + 1 a variable of process
 * pid (after `native global_reference`). A variable whose cell holds Tag.Remote is bound to the
 * owner's variable: each read or write of it (and of its elements) leaves the core as a
 * Req.Remote request, described in vm.remote, which the runtime serves against the owner's VM at
 * the request's simulated time (src/runtime/remote-memory.ts).
 *
 * symbol(x) is 1 + g for global g and SYMBOL_LOCAL_BASE + s for stack cell s; alias() accepts
 * exactly those (ePython's 8-bit truncation and garbage high bits are not reproduced).
 */
import { Op } from "../lang/opcodes.js";
import { arrayData, arrayLength, elementTag, elementValue, setElement } from "./object.js";
import { INSTRUCTION_LENGTH } from "./operands.js";
import { Req, Status, type StepResult } from "./requests.js";
import { aTag, Tag } from "./values.js";
import type { Vm } from "./vm.js";

const OWNER_SCALE = 2 ** 24;
const TARGET_BIAS = 2 ** 23;
/** symbol ids of stack cells start here (globals are 1 .. nglobals) */
export const SYMBOL_LOCAL_BASE = 65536;
const ADDRESS_SCALE = 2 ** 32;

export function refPayload(owner: number, target: number): number {
  return owner * OWNER_SCALE + target + TARGET_BIAS;
}
/** 0 for this core's own variable, else the owner's pid + 1 */
export function refOwner(v: number): number {
  return Math.floor(v / OWNER_SCALE);
}
export function refTarget(v: number): number {
  return (v % OWNER_SCALE) - TARGET_BIAS;
}
export function remoteArrayPayload(pid: number, addr: number): number {
  return pid * ADDRESS_SCALE + addr;
}

/** What a remote access does. */
export const RemoteKind = {
  /** read the variable: push its value (an array becomes Tag.RemoteArray) */
  Load: 0,
  /** write tag/val into the variable */
  Store: 1,
  /** add `index` to the variable (x += k): a read, then a write, not atomic */
  Inc: 2,
  /** read element `index` of the array: push it */
  Element: 3,
  /** write tag/val into element `index` */
  StoreElement: 4,
  /** push the array's length */
  Length: 5,
} as const;
export type RemoteKind = (typeof RemoteKind)[keyof typeof RemoteKind];

/** The remote access a VM blocked on (Req.Remote). */
export class RemoteAccess {
  kind: RemoteKind = RemoteKind.Load;
  /** the owner's pid */
  owner = 0;
  /** the owner's variable (a target) or, for element accesses and Length, its heap address */
  target = 0;
  index = 0;
  tag = 0;
  val = 0;
}

/** Block on a remote access; pc must already be past the instruction. */
export function remoteRequest(vm: Vm, kind: RemoteKind, owner: number, target: number, index = 0, tag = 0, val = 0): StepResult {
  const r = vm.remote;
  r.kind = kind;
  r.owner = owner;
  r.target = target;
  r.index = index;
  r.tag = tag;
  r.val = val;
  vm.req = Req.Remote;
  return Status.Blocked;
}

/** Access of the remote variable whose Tag.Remote payload is v. */
export function remoteVariable(vm: Vm, kind: RemoteKind, v: number, index = 0, tag = 0, val = 0): StepResult {
  if (kind === RemoteKind.Store && !travels(tag)) return vm.fail(vm.pc, `can not write ${aTag(tag)} into another core's variable (ints, reals, booleans, none and functions travel between cores)`);
  return remoteRequest(vm, kind, refOwner(v) - 1, refTarget(v), index, tag, val);
}

/** A value that keeps its meaning on another core: no heap pointer, no core-local reference. */
export function travels(tag: number): boolean {
  return tag === Tag.Int || tag === Tag.Real || tag === Tag.Bool || tag === Tag.None || tag === Tag.Fn;
}

/** INDEX / STORE_INDEX on a Tag.RemoteArray: base is the stack cell of the array. */
export function remoteIndex(vm: Vm, n: number, store: boolean): StepResult {
  const base = vm.sp - n - (store ? 2 : 1);
  if (n !== 1) return vm.fail(vm.pc, "an array on another core is indexed with one index");
  const it = vm.tags[base + 1]!;
  if (it !== Tag.Int) return vm.fail(vm.pc, `array index must be an integer, not ${aTag(it)}`);
  const v = vm.vals[base]!;
  const owner = Math.floor(v / ADDRESS_SCALE);
  const addr = v - owner * ADDRESS_SCALE;
  const i = vm.vals[base + 1]!;
  vm.pc += INSTRUCTION_LENGTH[store ? Op.STORE_INDEX : Op.INDEX]!;
  if (!store) {
    vm.sp = base;
    return remoteRequest(vm, RemoteKind.Element, owner, addr, i);
  }
  const t = vm.tags[vm.sp - 1]!;
  const val = vm.vals[vm.sp - 1]!;
  vm.sp = base;
  if (!travels(t)) return vm.fail(vm.pc, `can not write ${aTag(t)} into an array on another core (ints, reals, booleans, none and functions travel between cores)`);
  return remoteRequest(vm, RemoteKind.StoreElement, owner, addr, i, t, val);
}

/** len() of a Tag.RemoteArray (payload v): pc must be past the native. */
export function remoteLength(vm: Vm, v: number): StepResult {
  const owner = Math.floor(v / ADDRESS_SCALE);
  return remoteRequest(vm, RemoteKind.Length, owner, v - owner * ADDRESS_SCALE);
}

// --- the owner's side: what the runtime does to the owner's storage ------------------------------

/** The outcome of serving an access on the owner: a value (tag/val) for reads, or an error message. */
export class Served {
  tag = 0;
  val = 0;
  error = "";
  /** the access touched an array element (the reader first read the array's header) */
  element = false;
}

/** Serve `r` (asked by process `asker`) against the owner's VM. Sets out.tag/val, or out.error. */
export function serveRemote(owner: Vm, ownerPid: number, r: RemoteAccess, out: Served): void {
  out.error = "";
  out.element = r.kind >= RemoteKind.Element;
  if (out.element) return serveElement(owner, ownerPid, r, out);
  const target = r.target;
  let tags = owner.gtags;
  let vals = owner.gvals;
  let cell = -target - 1;
  if (target >= 0) {
    if (target >= owner.sp) {
      out.error = `the remote variable was a local of a function on device ${ownerPid} that has returned`;
      return;
    }
    tags = owner.tags;
    vals = owner.vals;
    cell = target;
  }
  const t = tags[cell]!;
  const v = vals[cell]!;
  if (r.kind === RemoteKind.Store) {
    tags[cell] = r.tag;
    vals[cell] = r.val;
    return;
  }
  if (r.kind === RemoteKind.Inc) {
    if (t === Tag.Int) vals[cell] = (v + r.index) | 0;
    else if (t === Tag.Real) vals[cell] = Math.fround(v + r.index);
    else out.error = `can not add to ${aTag(t)} on another core`;
    return;
  }
  if (t === Tag.Array) {
    out.tag = Tag.RemoteArray;
    out.val = remoteArrayPayload(ownerPid, owner.heap.resolve(v));
  } else if (travels(t)) {
    out.tag = t;
    out.val = v;
  } else out.error = `can not read ${aTag(t)} from another core's variable (ints, reals, booleans, none, functions and arrays of them can be read)`;
}

function serveElement(owner: Vm, ownerPid: number, r: RemoteAccess, out: Served): void {
  const addr = owner.heap.resolve(r.target);
  const ar = owner.heap.arena(addr);
  const o = addr - ar.base;
  const count = arrayLength(ar, o);
  if (r.kind === RemoteKind.Length) {
    out.tag = Tag.Int;
    out.val = count;
    return;
  }
  const i = r.index;
  if (i < 0 || i >= count) {
    out.error = `index ${i} is out of bounds for the array of ${count} elements on device ${ownerPid}`;
    return;
  }
  const data = arrayData(ar, o);
  if (r.kind === RemoteKind.StoreElement) {
    setElement(ar, data, count, i, r.tag, r.val);
    return;
  }
  out.tag = elementTag(ar, data, count, i);
  out.val = elementValue(ar, data, i, out.tag);
  if (!travels(out.tag)) out.error = `can not read ${aTag(out.tag)} from an array on another core`;
}

// --- the natives behind id(), symbol(), alias() and the concurrency module ----------------------

/** The target a Tag.Ref argument names (REF_LOCAL / REF_GLOBAL pushed it). */
function refArg(vm: Vm, t: number, v: number, what: string): number | null {
  if (t !== Tag.Ref) {
    vm.fail(vm.pc, `${what} needs a variable name`);
    return null;
  }
  return v;
}

/** `id(x)`: [ref -- addr] */
export function addressOf(vm: Vm, t: number, v: number): number | null {
  const target = refArg(vm, t, v, "id()");
  if (target === null) return null;
  // a variable already bound to a remote one: its id is the remote variable's
  const cellTag = target < 0 ? vm.gtags[-target - 1]! : vm.tags[target]!;
  if (cellTag === Tag.Remote) return target < 0 ? vm.gvals[-target - 1]! : vm.vals[target]!;
  return refPayload(0, target);
}

/** `symbol(x)`: x's symbol id. */
export function symbolOf(vm: Vm, t: number, v: number): number | null {
  const target = refArg(vm, t, v, "symbol()");
  if (target === null) return null;
  return target < 0 ? -target : SYMBOL_LOCAL_BASE + target;
}

/**
 * `alias(x, e)`: x (a Tag.Ref argument) becomes an alias of the variable whose symbol id e is.
 * Returns 0 or Status.Error. `frameBase` is the current frame's first stack cell.
 */
export function makeAlias(vm: Vm, t: number, v: number, et: number, e: number, frameBase: number, liveTop: number): StepResult {
  const x = refArg(vm, t, v, "alias()");
  if (x === null) return Status.Error;
  if (et !== Tag.Int) return vm.fail(vm.pc, `alias() needs a symbol id (an integer from symbol()), not ${aTag(et)}`);
  let target: number;
  if (e >= 1 && e <= vm.gtags.length) target = -e;
  else if (e >= SYMBOL_LOCAL_BASE && e - SYMBOL_LOCAL_BASE < liveTop) target = e - SYMBOL_LOCAL_BASE;
  else return vm.fail(vm.pc, `alias(): ${e} is not the symbol id of a variable (use symbol(x))`);
  // an alias of an alias is an alias of the original
  const tt = target < 0 ? vm.gtags[-target - 1]! : vm.tags[target]!;
  if (tt === Tag.Ref) target = target < 0 ? vm.gvals[-target - 1]! : vm.vals[target]!;
  if (target === x) return vm.fail(vm.pc, "alias(): a variable can not be an alias of itself");
  if (x < 0) {
    if (target >= 0) return vm.fail(vm.pc, "alias(): a global variable can only be an alias of a global variable");
    vm.gtags[-x - 1] = Tag.Ref;
    vm.gvals[-x - 1] = target;
    return 0;
  }
  if (target >= frameBase && x < frameBase) return vm.fail(vm.pc, "alias(): the caller's variable would outlive the local it aliases");
  vm.tags[x] = Tag.Ref;
  vm.vals[x] = target;
  return 0;
}

/** `native global_reference(r)`: an id() value of this core made global (rtl_global_reference). */
export function globalReference(vm: Vm, t: number, v: number): number | null {
  if (t !== Tag.Addr) {
    vm.fail(vm.pc, `global_reference needs a reference from id(), not ${aTag(t)}`);
    return null;
  }
  return refOwner(v) !== 0 ? v : refPayload(vm.setup.coreId + 1, refTarget(v));
}

/** `native dereference(r)`: a global reference as a value that binds the variable it is stored in. */
export function dereference(vm: Vm, t: number, v: number): number | null {
  if (t !== Tag.Addr || refOwner(v) === 0) {
    vm.fail(vm.pc, `dereference needs a global reference (from concurrency.expose), not ${t === Tag.Addr ? "a local reference" : aTag(t)}`);
    return null;
  }
  return v;
}
