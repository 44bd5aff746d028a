/**
 * The runtime natives (`native name(...)` in the bundled modules), one function each in a table
 * indexed by native id. Natives that need the world outside the core become requests.
 */
import { MathOp, Native, NATIVE_COUNT, Op, type NativeName } from "../lang/opcodes.js";
import { newArray } from "./arrays.js";
import type { Arena } from "./heap.js";
import { arrayData, arrayDim, arrayLength, arrayNdims, copyElements, isAllocated, setArrayDim } from "./object.js";
import { INSTRUCTION_LENGTH } from "./operands.js";
import { isNumeric } from "./operators.js";
import { HOST_MATHS, Req, Status, type StepResult } from "./requests.js";
import { addressOf, dereference, globalReference, makeAlias, remoteLength, symbolOf } from "./references.js";
import { stringLength, stringValue } from "./text.js";
import { aTag, Tag } from "./values.js";
import type { Vm } from "./vm.js";


/** One native call in progress: its arguments (the first two unpacked) and how it ends. */
export class NativeCall {
  vm!: Vm;
  pc = 0;
  /** stack cell of the first argument */
  base = 0;
  argc = 0;
  t0 = 0;
  v0 = 0;
  t1 = 0;
  v1 = 0;

  argTag(i: number): number {
    return this.vm.tags[this.base + i]!;
  }
  argVal(i: number): number {
    return this.vm.vals[this.base + i]!;
  }

  /** Replace the arguments with the result and step past the instruction. */
  result(t: number, v: number): 0 {
    const vm = this.vm;
    vm.sp = this.base;
    vm.push(t, v);
    vm.pc = this.pc + INSTRUCTION_LENGTH[Op.NATIVE]!;
    return 0;
  }

  /** Pop the arguments and block on `req`, handing the first two arguments to the runtime. */
  request(req: Req): StepResult {
    const vm = this.vm;
    vm.reqTagA = this.t0;
    vm.reqValA = this.v0;
    vm.reqTagB = this.t1;
    vm.reqValB = this.v1;
    vm.sp = this.base;
    vm.pc = this.pc + INSTRUCTION_LENGTH[Op.NATIVE]!;
    vm.req = req;
    return Status.Blocked;
  }

  fail(message: string): StepResult {
    return this.vm.fail(this.pc, message);
  }
}

type NativeFn = (c: NativeCall) => StepResult;

/** Check a value may travel in a message (ePython: one int, real, bool, none or function). */
function sendable(c: NativeCall, t: number, what: string): boolean {
  if (t === Tag.Str || t === Tag.Array) {
    c.fail(`can only ${what} integers, reals, booleans, none and functions between cores, not ${aTag(t)}${t === Tag.Array ? " (send an array element by element with send(data, pid, n))" : ""}`);
    return false;
  }
  return true;
}

function pid(c: NativeCall, t: number): boolean {
  if (t !== Tag.Int) {
    c.fail(`a core id must be an integer, not ${aTag(t)}`);
    return false;
  }
  return true;
}

/** A message native: value and pid arguments, checked, then the request. */
const sendLike = (req: Req, what: string): NativeFn => (c) => (sendable(c, c.t0, what) && pid(c, c.t1) ? c.request(req) : Status.Error);
const blockingSend = sendLike(Req.Send, "send");
/** A native whose one argument is a pid. */
const pidOnly = (req: Req): NativeFn => (c) => (pid(c, c.t0) ? c.request(req) : Status.Error);

/** The array chunk a value names (after forwarding): its arena and offset. */
function chunk(c: NativeCall, v: number): { ar: Arena; o: number } {
  const addr = c.vm.heap.resolve(v);
  const ar = c.vm.heap.arena(addr);
  return { ar, o: addr - ar.base };
}

function allocate(c: NativeCall, shared: boolean): StepResult {
  const { vm, argc } = c;
  if (argc < 1 || argc > 7) return c.fail("arrays have 1 to 7 dimensions");
  for (let i = 0; i < argc; i++) {
    const t = c.argTag(i);
    const v = c.argVal(i);
    if (t !== Tag.Int || v < 0) return c.fail(`array dimension ${i + 1} must be a non-negative integer`);
    vm.dimScratch[i] = v;
  }
  const addr = newArray(vm, vm.dimScratch, argc, false, shared);
  if (addr < 0) return Status.Error;
  return c.result(Tag.Array, addr);
}

function flatten(c: NativeCall): StepResult {
  if (c.t0 !== Tag.Array) return c.fail("flatten needs an array");
  const { ar, o } = chunk(c, c.v0);
  const nd = arrayNdims(ar, o);
  if (nd > 1) {
    // keep the header size: the first dim takes the whole count, the others become 1
    setArrayDim(ar, o, 0, arrayLength(ar, o));
    for (let d = 1; d < nd; d++) setArrayDim(ar, o, d, 1);
  }
  return c.result(Tag.None, 0);
}

function arraycopy(c: NativeCall): StepResult {
  if (c.t0 !== Tag.Array || c.t1 !== Tag.Array) return c.fail("arraycopy needs two arrays");
  const to = chunk(c, c.v0);
  const from = chunk(c, c.v1);
  const tc = arrayLength(to.ar, to.o);
  const sc = arrayLength(from.ar, from.o);
  const n = Math.min(tc, sc);
  copyElements(from.ar, arrayData(from.ar, from.o), sc, to.ar, arrayData(to.ar, to.o), tc, n);
  c.vm.cycles += n * c.vm.costs.arrayCopyCyclesPerElement;
  return c.result(Tag.None, 0);
}

function free(c: NativeCall): StepResult {
  if (c.t0 === Tag.Array || (c.t0 === Tag.Str && c.v0 >= 0)) {
    const { ar, o } = chunk(c, c.v0);
    if (!isAllocated(ar, o)) return c.fail("attempting to free non allocated heap memory");
    ar.free(o);
    c.vm.dramReads(c.vm.costs.dram.free); // heap_start for the consolidation walk (epiphany-runtime.c:486)
  }
  return c.result(Tag.None, 0);
}

const MATHS: Readonly<Record<number, (x: number) => number>> = {
  [MathOp.sqrt]: Math.sqrt, [MathOp.sin]: Math.sin, [MathOp.cos]: Math.cos, [MathOp.tan]: Math.tan,
  [MathOp.asin]: Math.asin, [MathOp.acos]: Math.acos, [MathOp.atan]: Math.atan, [MathOp.sinh]: Math.sinh,
  [MathOp.cosh]: Math.cosh, [MathOp.tanh]: Math.tanh, [MathOp.floor]: Math.floor, [MathOp.ceil]: Math.ceil,
  [MathOp.log]: Math.log, [MathOp.log10]: Math.log10,
};

/** `native math(op, x)`: computed by the host's maths service in ePython (a round trip). */
function maths(c: NativeCall): StepResult {
  if (!isNumeric(c.t1)) return c.fail(`maths functions need a number, not ${aTag(c.t1)}`);
  const f = MATHS[c.v0];
  if (!f) return c.fail(`unknown maths operation ${c.v0}`);
  c.result(Tag.Real, Math.fround(f(Math.fround(c.v1))));
  c.vm.reqValA = HOST_MATHS;
  c.vm.req = Req.Host;
  return Status.Blocked;
}

function input(c: NativeCall): StepResult {
  if (c.argc === 1 && c.t0 !== Tag.Str) return c.fail("can only display strings with input statement");
  c.vm.reqText = c.argc === 1 ? stringValue(c.vm.image, c.vm.heap, c.v0) : null;
  return c.request(Req.Input);
}

function size(c: NativeCall): StepResult {
  if (c.t0 === Tag.RemoteArray) {
    c.request(Req.Remote);
    return remoteLength(c.vm, c.v0);
  }
  if (c.t0 === Tag.Str) return c.result(Tag.Int, stringLength(c.vm.image, c.vm.heap, c.v0));
  if (c.t0 !== Tag.Array) return c.result(Tag.Int, 0);
  const { ar, o } = chunk(c, c.v0);
  return c.result(Tag.Int, arrayLength(ar, o));
}

function numdims(c: NativeCall): StepResult {
  // a remote array is reached through one index (src/vm/references.ts): one dimension, whose
  // size dsize reads from the owner's header
  if (c.t0 === Tag.RemoteArray) return c.result(Tag.Int, 1);
  if (c.t0 !== Tag.Array) return c.result(Tag.Int, 0);
  const { ar, o } = chunk(c, c.v0);
  return c.result(Tag.Int, arrayNdims(ar, o));
}

function dsize(c: NativeCall): StepResult {
  if (c.t0 === Tag.RemoteArray) {
    if (c.v1 !== 0) return c.result(Tag.Int, 0);
    c.request(Req.Remote);
    return remoteLength(c.vm, c.v0);
  }
  if (c.t0 !== Tag.Array) return c.result(Tag.Int, 0);
  const { ar, o } = chunk(c, c.v0);
  return c.result(Tag.Int, c.v1 >= 0 && c.v1 < arrayNdims(ar, o) ? arrayDim(ar, o, c.v1) : 0);
}

const NATIVE_FNS: Record<NativeName, NativeFn> = {
  ishost: (c) => c.result(Tag.Bool, c.vm.setup.isHost ? 1 : 0),
  isdevice: (c) => c.result(Tag.Bool, c.vm.setup.isHost ? 0 : 1),
  coreid: (c) => c.result(Tag.Int, c.vm.setup.coreId),
  numcores: (c) => c.result(Tag.Int, c.vm.setup.numCores),
  numdims,
  dsize,
  size,
  typeof: (c) => c.result(Tag.Int, c.t0),
  allocatearray: (c) => allocate(c, false),
  allocatesharedarray: (c) => allocate(c, true),
  flatten,
  arraycopy,
  free,
  gc: (c) => {
    c.vm.sp = c.base;
    c.vm.collect();
    return c.result(Tag.None, 0);
  },
  math: maths,
  rand: (c) => c.request(Req.Rand),
  input,
  sync: (c) => c.request(Req.Sync),
  // a string may go to the host process of an offload session (a kernel's result, taskfarm.py)
  send: (c) => (c.t0 === Tag.Str && c.t1 === Tag.Int && c.v1 === c.vm.stringSink ? c.request(Req.Send) : blockingSend(c)),
  send_nonblocking: sendLike(Req.NbSend, "send"),
  sendrecv: sendLike(Req.SendRecv, "send"),
  bcast: sendLike(Req.Bcast, "broadcast"),
  recv: pidOnly(Req.Recv),
  probe: pidOnly(Req.Probe),
  test_for_send: pidOnly(Req.TestSent),
  wait_for_send: pidOnly(Req.WaitSent),
  addressof: (c) => {
    const r = addressOf(c.vm, c.t0, c.v0);
    return r === null ? Status.Error : c.result(Tag.Addr, r);
  },
  symbolof: (c) => {
    const r = symbolOf(c.vm, c.t0, c.v0);
    return r === null ? Status.Error : c.result(Tag.Int, r);
  },
  alias: (c) => {
    const vm = c.vm;
    const r = makeAlias(vm, c.t0, c.v0, c.t1, c.v1, vm.fp, c.base);
    return r === 0 ? c.result(Tag.None, 0) : r;
  },
  global_reference: (c) => {
    const r = globalReference(c.vm, c.t0, c.v0);
    return r === null ? Status.Error : c.result(Tag.Addr, r);
  },
  count: (c) => (c.t0 === Tag.Str ? c.result(Tag.Int, 0) : size(c)),
  dereference: (c) => {
    const r = dereference(c.vm, c.t0, c.v0);
    return r === null ? Status.Error : c.result(Tag.Remote, r);
  },
  reduce: (c) => (isNumeric(c.t0) ? c.request(Req.Reduce) : c.fail(`can only reduce integers and reals, not ${aTag(c.t0)}`)),
};

/** The natives indexed by id. */
const NATIVES: readonly NativeFn[] = (() => {
  const t: NativeFn[] = new Array(NATIVE_COUNT);
  for (const name of Object.keys(Native) as NativeName[]) t[Native[name]] = NATIVE_FNS[name];
  return t;
})();

/** Execute `native id` with `argc` arguments on top of the stack (c is the VM's reusable call record). */
export function callNative(c: NativeCall, id: number, argc: number): StepResult {
  const vm = c.vm;
  c.pc = vm.pc;
  c.argc = argc;
  c.base = vm.sp - argc;
  c.t0 = argc > 0 ? c.argTag(0) : Tag.None;
  c.v0 = argc > 0 ? c.argVal(0) : 0;
  c.t1 = argc > 1 ? c.argTag(1) : Tag.None;
  c.v1 = argc > 1 ? c.argVal(1) : 0;
  const f = NATIVES[id];
  return f ? f(c) : c.fail(`unknown native command ${id} supplied to runtime library`);
}
