/**
 * One core's byte-code interpreter.
 *
 * `run(cycleLimit)` executes until the program ends, until an operation needs the world outside
 * the core (print, input, messages, barriers, host services: a *request* the runtime serves at
 * the simulated time the machine model gives), or until the core's clock reaches `cycleLimit`.
 * The VM knows nothing of time beyond counting the cycles its operations cost; the cost table
 * comes from the machine model.
 *
 * Hot path rules: no allocation per operation, typed arrays for the stack and globals, one switch
 * over integer opcodes, fast paths for int/real arithmetic and 1-D array access.
 */
import { fileIndexAt, lineAt, type ProgramImage } from "../lang/image.js";
import { LIBRARY_MODULE_FILES } from "../lang/library.js";
import { FUSED_I8, MathOp, Native, OP_COUNT, Op } from "../lang/opcodes.js";
import { arrayWords, Heap, KIND_ARRAY, KIND_FORWARD, KIND_STRING, SHARED_BASE, stringWords, type Arena } from "./heap.js";
import { decodedOperands } from "./operands.js";
import { formatReal, Tag, TAG_NAMES } from "./values.js";

/** Why run() stopped. 0 is never returned (it means "keep going" inside the loop). */
export const Status = { Blocked: 1, Budget: 2, Error: 3, Done: 4 } as const;

/** What a blocked VM asks of the runtime. Arguments are in reqTagA/reqValA, reqTagB/reqValB. */
export const Req = {
  None: 0,
  /** reqText: the line to print */
  Print: 1,
  /** reqText: the prompt, or null; answer with pushInput() */
  Input: 2,
  /** a host round trip whose result the VM already has: reqValA is HOST_CONCAT or HOST_MATHS */
  Host: 3,
  /** answer with push(Int, random) */
  Rand: 4,
  /** A = value, B = pid */
  Send: 5,
  /** B = pid; answer with push(tag, value) */
  Recv: 6,
  SendRecv: 7,
  Probe: 8,
  NbSend: 9,
  TestSent: 10,
  WaitSent: 11,
  /** A = value, B = root */
  Bcast: 12,
  /** A = value, B = operator (ReduceOp) */
  Reduce: 13,
  Sync: 14,
} as const;

/** Kinds of Req.Host: ePython's host builds concatenated strings and computes maths functions. */
export const HOST_CONCAT = 0;
export const HOST_MATHS = 1;

/** Cycle costs the runtime gives the VM (src/runtime/vm-costs.ts builds them; sources in src/runtime/interpreter-costs.ts). */
export interface VmCosts {
  /** cycles per opcode, indexed by opcode */
  opCycles: ArrayLike<number>;
  /** one word read from / written to the core's share of shared DRAM */
  sharedReadCycles: number;
  sharedWriteCycles: number;
  /** extra cycles per instruction when the byte code lives in shared memory */
  codeFetchCycles: number;
  allocCycles: number;
  gcCyclesPerWord: number;
  /** binding one argument to a parameter symbol on a call */
  callPerArgCycles: number;
  /** writing one element of a new list */
  elementWriteCycles: number;
  /** extra cycles per variable read / write when scalars live in shared memory (-datashared) */
  variableReadCycles: number;
  variableWriteCycles: number;
}

export interface CoreSetup {
  coreId: number;
  numCores: number;
  isHost: boolean;
  /** bytes of heap in the core's SRAM (0 when data is forced into shared memory) */
  heapBytes: number;
  /** bytes of the core's heap in shared DRAM */
  sharedHeapBytes: number;
  /** value cells available for variables and temporaries (core stack plus its shared overflow) */
  stackCells: number;
}

/** Called on every garbage collection (rare; not on the hot path). */
export type GcHook = (cycle: number, usedBefore: number, usedAfter: number, pauseCycles: number) => void;

const STACK_SLACK = 2048; // room for expression temporaries beyond the checked limit
const MAX_FRAMES = 100000;

const INT = Tag.Int;
const REAL = Tag.Real;
const STR = Tag.Str;
const BOOL = Tag.Bool;
const NONE = Tag.None;
const FN = Tag.Fn;
const ARR = Tag.Array;

/** The most elements one array may have, so that its size in heap words stays within an int32. */
const MAX_ARRAY_ELEMENTS = 0x3fffffff;

export class Vm {
  readonly code: Uint8Array;
  /** first operands decoded once per image (see operands.ts) */
  private readonly arg: Int32Array;
  private readonly real: Float32Array;
  readonly tags: Uint8Array;
  readonly vals: Float64Array;
  readonly gtags: Uint8Array;
  readonly gvals: Float64Array;
  readonly heap: Heap;
  private readonly opCost: Float64Array;
  private readonly stackCap: number;

  // function table, flattened
  private readonly fnEntry: Int32Array;
  private readonly fnLocals: Int32Array;
  private readonly fnParams: Int32Array;

  // call frames
  private readonly fRet: Int32Array;
  private readonly fFp: Int32Array;
  private readonly fBase: Int32Array;
  private readonly fArgc: Int32Array;
  private readonly fWb: Int32Array;
  private readonly fValue: Uint8Array;
  /** 1 for each of the image's files that is the user's (the main file, the user's own modules) */
  private readonly userFile: Uint8Array;
  depth = 0;

  pc = 0;
  sp = 0;
  fp = 0;
  /** cycles this core has spent executing (its local clock, relative to its start) */
  cycles = 0;
  /** byte-code operations executed */
  steps = 0;
  /**
   * Word accesses to shared DRAM by the byte code, beyond code fetches (which are one per
   * operation when the code is in shared memory): array elements in the shared heap, and every
   * variable access under -datashared (varReads/varWrites count variable accesses either way).
   * The runtime charges them to the eLink.
   */
  sharedReads = 0;
  sharedWrites = 0;
  varReads = 0;
  varWrites = 0;
  /** after Status.Budget: true if the step limit stopped the core (else its cycle limit did) */
  outOfSteps = false;
  status: number = Status.Budget;

  req: number = Req.None;
  reqTagA = 0;
  reqValA = 0;
  reqTagB = 0;
  reqValB = 0;
  reqText: string | null = null;

  error = "";
  errorPc = 0;
  gcHook: GcHook | null = null;
  /** stack high-water mark, in cells */
  maxSp = 0;

  constructor(
    readonly image: ProgramImage,
    readonly setup: CoreSetup,
    readonly costs: VmCosts,
  ) {
    this.code = image.code;
    ({ arg: this.arg, real: this.real } = decodedOperands(image));
    // (an image with no file names still has its code in "file 0", the user's)
    this.userFile = Uint8Array.from({ length: Math.max(1, image.files.length) }, (_, i) => (i === 0 || !LIBRARY_MODULE_FILES.has(image.files[i]!) ? 1 : 0));
    this.stackCap = Math.max(16, setup.stackCells);
    this.tags = new Uint8Array(this.stackCap + STACK_SLACK);
    this.vals = new Float64Array(this.stackCap + STACK_SLACK);
    this.gtags = new Uint8Array(image.nglobals).fill(NONE);
    this.gvals = new Float64Array(image.nglobals);
    this.heap = new Heap(setup.heapBytes, setup.sharedHeapBytes);
    this.opCost = new Float64Array(256);
    for (let i = 0; i < OP_COUNT; i++) this.opCost[i] = (costs.opCycles[i] ?? 1) + costs.codeFetchCycles;
    // variable values live in the scalar stack: in shared DRAM with -datashared (semantics 3.1)
    for (const op of [Op.LOAD_GLOBAL, Op.LOAD_LOCAL]) this.opCost[op]! += costs.variableReadCycles;
    for (const op of [Op.STORE_GLOBAL, Op.STORE_LOCAL]) this.opCost[op]! += costs.variableWriteCycles;
    for (const op of [Op.INC_GLOBAL, Op.INC_LOCAL]) this.opCost[op]! += costs.variableReadCycles + costs.variableWriteCycles;
    const nf = image.functions.length;
    this.fnEntry = new Int32Array(nf);
    this.fnLocals = new Int32Array(nf);
    this.fnParams = new Int32Array(nf);
    image.functions.forEach((f, i) => {
      this.fnEntry[i] = f.entry;
      this.fnLocals[i] = f.nlocals;
      this.fnParams[i] = f.nparams;
    });
    const frames = Math.min(MAX_FRAMES, this.stackCap);
    this.fRet = new Int32Array(frames);
    this.fFp = new Int32Array(frames);
    this.fBase = new Int32Array(frames);
    this.fArgc = new Int32Array(frames);
    this.fWb = new Int32Array(frames);
    this.fValue = new Uint8Array(frames);
  }

  /** Source line in the user's program of the instruction at pc (for errors and traces). */
  line(pc = this.pc): number {
    return lineAt(this.image, this.userPc(pc)).line;
  }

  /**
   * Where the user's program is: the innermost pc (the current one, or a call site up the call
   * stack) that lies in the program's own files (its main file and its own modules) rather than in
   * a bundled module. Errors raised inside bundled module code (a bad `send` in parallel.py) are
   * reported at the user's line.
   */
  userPc(pc = this.pc): number {
    if (this.userFile[fileIndexAt(this.image, pc)]) return pc;
    for (let d = this.depth - 1; d >= 0; d--) {
      const callSite = this.fRet[d]! - 1;
      if (this.userFile[fileIndexAt(this.image, callSite)]) return callSite;
    }
    return pc;
  }

  push(tag: number, val: number): void {
    this.tags[this.sp] = tag;
    this.vals[this.sp] = val;
    this.sp++;
  }

  /** Deliver a line typed at an input prompt: ePython makes it an int, a real or a string. */
  pushInput(line: string): boolean {
    if (/^[0-9]+$/.test(line)) this.push(INT, Number(line) | 0);
    else if (/^[0-9]*\.[0-9]*$/.test(line) && line !== ".") this.push(REAL, Math.fround(Number(line)));
    else {
      const addr = this.newString(line);
      if (addr < 0) return false;
      this.push(STR, addr);
    }
    return true;
  }

  /** Run until done, blocked, failed, or the core clock reaches cycleLimit / steps reach stepLimit. */
  run(cycleLimit: number, stepLimit = Infinity): number {
    if (this.status === Status.Done || this.status === Status.Error) return this.status;
    this.req = Req.None;
    const code = this.code;
    const tags = this.tags;
    const vals = this.vals;
    const gt = this.gtags;
    const gv = this.gvals;
    const cost = this.opCost;
    const arg = this.arg;
    const real = this.real;
    const heap = this.heap;
    let pc = this.pc;
    let sp = this.sp;
    let fp = this.fp;
    let cyc = this.cycles;
    let steps = this.steps;
    // variable accesses, counted in registers and added to varReads/varWrites on the way out
    let vr = 0;
    let vw = 0;
    let r = 0;
    // The limits are checked where control can flow backwards (jumps back, calls): straight-line
    // code is finite, so a core overshoots its limit by at most one loop body.
    if (cyc >= cycleLimit || steps >= stepLimit) {
      this.outOfSteps = steps >= stepLimit;
      this.status = Status.Budget;
      return Status.Budget;
    }
    for (;;) {
      const op = code[pc]!;
      cyc += cost[op]!;
      steps++;
      switch (op) {
        case Op.PUSH_I8:
          tags[sp] = INT;
          vals[sp++] = arg[pc]!;
          pc += 2;
          continue;
        case Op.PUSH_INT:
          tags[sp] = INT;
          vals[sp++] = arg[pc]!;
          pc += 5;
          continue;
        case Op.PUSH_REAL:
          tags[sp] = REAL;
          vals[sp++] = real[pc]!;
          pc += 5;
          continue;
        case Op.PUSH_STR:
          tags[sp] = STR;
          vals[sp++] = -(arg[pc]! + 1);
          pc += 3;
          continue;
        case Op.PUSH_TRUE:
          tags[sp] = BOOL;
          vals[sp++] = 1;
          pc++;
          continue;
        case Op.PUSH_FALSE:
          tags[sp] = BOOL;
          vals[sp++] = 0;
          pc++;
          continue;
        case Op.PUSH_NONE:
          tags[sp] = NONE;
          vals[sp++] = 0;
          pc++;
          continue;
        case Op.PUSH_FN:
          tags[sp] = FN;
          vals[sp++] = arg[pc]!;
          pc += 3;
          continue;
        case Op.LOAD_GLOBAL: {
          vr++;
          const s = arg[pc]!;
          tags[sp] = gt[s]!;
          vals[sp++] = gv[s]!;
          pc += 3;
          continue;
        }
        case Op.STORE_GLOBAL: {
          vw++;
          const s = arg[pc]!;
          sp--;
          gt[s] = tags[sp]!;
          gv[s] = vals[sp]!;
          pc += 3;
          continue;
        }
        case Op.LOAD_LOCAL: {
          vr++;
          const s = fp + arg[pc]!;
          tags[sp] = tags[s]!;
          vals[sp++] = vals[s]!;
          pc += 2;
          continue;
        }
        case Op.STORE_LOCAL: {
          vw++;
          const s = fp + arg[pc]!;
          sp--;
          tags[s] = tags[sp]!;
          vals[s] = vals[sp]!;
          pc += 2;
          continue;
        }
        case Op.POP:
          sp--;
          pc++;
          continue;
        case Op.DUPN: {
          const n = arg[pc]!;
          for (let i = 0; i < n; i++) {
            tags[sp + i] = tags[sp - n + i]!;
            vals[sp + i] = vals[sp - n + i]!;
          }
          sp += n;
          pc += 2;
          continue;
        }
        case Op.ADD: {
          const a = sp - 2;
          const ta = tags[a]!;
          const tb = tags[a + 1]!;
          if (ta === INT && tb === INT) {
            vals[a] = (vals[a]! + vals[a + 1]!) | 0;
            sp--;
            pc++;
            continue;
          }
          if (ta <= REAL && tb <= REAL) {
            vals[a] = Math.fround(Math.fround(vals[a]!) + Math.fround(vals[a + 1]!));
            tags[a] = REAL;
            sp--;
            pc++;
            continue;
          }
          break;
        }
        case Op.SUB: {
          const a = sp - 2;
          const ta = tags[a]!;
          const tb = tags[a + 1]!;
          if (ta === INT && tb === INT) {
            vals[a] = (vals[a]! - vals[a + 1]!) | 0;
            sp--;
            pc++;
            continue;
          }
          if (ta <= REAL && tb <= REAL) {
            vals[a] = Math.fround(Math.fround(vals[a]!) - Math.fround(vals[a + 1]!));
            tags[a] = REAL;
            sp--;
            pc++;
            continue;
          }
          break;
        }
        case Op.MUL: {
          const a = sp - 2;
          const ta = tags[a]!;
          const tb = tags[a + 1]!;
          if (ta === INT && tb === INT) {
            vals[a] = Math.imul(vals[a]!, vals[a + 1]!);
            sp--;
            pc++;
            continue;
          }
          if (ta <= REAL && tb <= REAL) {
            vals[a] = Math.fround(Math.fround(vals[a]!) * Math.fround(vals[a + 1]!));
            tags[a] = REAL;
            sp--;
            pc++;
            continue;
          }
          break;
        }
        case Op.DIV:
        case Op.MOD: {
          const a = sp - 2;
          if (tags[a] === INT && tags[a + 1] === INT && vals[a + 1] !== 0) {
            vals[a] = op === Op.DIV ? (vals[a]! / vals[a + 1]!) | 0 : vals[a]! % vals[a + 1]! | 0;
            sp--;
            pc++;
            continue;
          }
          break;
        }
        case Op.LT:
        case Op.GT:
        case Op.LE:
        case Op.GE: {
          const a = sp - 2;
          const ta = tags[a]!;
          const tb = tags[a + 1]!;
          if (ta <= REAL && tb <= REAL) {
            let x = vals[a]!;
            let y = vals[a + 1]!;
            if (ta !== tb) {
              x = Math.fround(x); // int/real comparisons are done in single precision (ePython)
              y = Math.fround(y);
            }
            const res = op === Op.LT ? x < y : op === Op.GT ? x > y : op === Op.LE ? x <= y : x >= y;
            tags[a] = BOOL;
            vals[a] = res ? 1 : 0;
            sp--;
            pc++;
            continue;
          }
          break;
        }
        case Op.EQ:
        case Op.NE: {
          const a = sp - 2;
          const ta = tags[a]!;
          const tb = tags[a + 1]!;
          if (ta <= REAL && tb <= REAL) {
            const eq = ta === tb ? vals[a] === vals[a + 1] : Math.fround(vals[a]!) === Math.fround(vals[a + 1]!);
            tags[a] = BOOL;
            vals[a] = eq === (op === Op.EQ) ? 1 : 0;
            sp--;
            pc++;
            continue;
          }
          break;
        }
        case Op.ADD_I8:
        case Op.SUB_I8:
        case Op.MUL_I8:
        case Op.MOD_I8:
        case Op.EQ_I8:
        case Op.NE_I8:
        case Op.LT_I8:
        case Op.GT_I8:
        case Op.LE_I8:
        case Op.GE_I8: {
          // `a op k` with a small constant k (PUSH_I8 k; op fused): ints and reals here
          const a = sp - 1;
          const ta = tags[a]!;
          if (ta !== INT && ta !== REAL) break;
          const k = arg[pc]!;
          const x = vals[a]!;
          let v: number;
          let t: number = ta;
          switch (op) {
            case Op.ADD_I8: v = ta === INT ? (x + k) | 0 : Math.fround(x + k); break;
            case Op.SUB_I8: v = ta === INT ? (x - k) | 0 : Math.fround(x - k); break;
            case Op.MUL_I8: v = ta === INT ? Math.imul(x, k) : Math.fround(x * k); break;
            case Op.MOD_I8:
              if (ta !== INT || k === 0) v = NaN;
              else v = x % k | 0;
              break;
            case Op.EQ_I8: t = BOOL; v = x === k ? 1 : 0; break;
            case Op.NE_I8: t = BOOL; v = x !== k ? 1 : 0; break;
            case Op.LT_I8: t = BOOL; v = x < k ? 1 : 0; break;
            case Op.GT_I8: t = BOOL; v = x > k ? 1 : 0; break;
            case Op.LE_I8: t = BOOL; v = x <= k ? 1 : 0; break;
            default: t = BOOL; v = x >= k ? 1 : 0; break;
          }
          if (v !== v) break; // real modulo or modulo by zero: the general path
          tags[a] = t;
          vals[a] = v;
          steps++; // two operations of ePython's byte code
          pc += 2;
          continue;
        }
        case Op.JUMP: {
          const target = arg[pc]!;
          if (target <= pc && (cyc >= cycleLimit || steps >= stepLimit)) {
            this.outOfSteps = steps >= stepLimit;
            cyc -= cost[op]!; // not executed yet: it runs (and is charged) on resume
            steps--;
            r = Status.Budget;
            break;
          }
          pc = target;
          continue;
        }
        case Op.JUMP_IF_FALSE: {
          sp--;
          const t = tags[sp]!;
          const falsy = t === BOOL || t === INT || t === REAL ? vals[sp] === 0 : this.isFalsy(t, vals[sp]!);
          pc = falsy ? arg[pc]! : pc + 3;
          continue;
        }
        case Op.AND_JUMP:
        case Op.OR_JUMP: {
          const falsy = this.isFalsy(tags[sp - 1]!, vals[sp - 1]!);
          if (falsy === (op === Op.AND_JUMP)) pc = arg[pc]!;
          else {
            sp--;
            pc += 3;
          }
          continue;
        }
        case Op.INC_LOCAL: {
          vr++;
          vw++;
          const s = fp + arg[pc]!;
          if (tags[s] === INT) {
            vals[s] = (vals[s]! + ((code[pc + 2]! << 24) >> 24)) | 0;
            pc += 3;
            continue;
          }
          break;
        }
        case Op.INC_GLOBAL: {
          vr++;
          vw++;
          const s = arg[pc]!;
          if (gt[s] === INT) {
            gv[s] = (gv[s]! + ((code[pc + 3]! << 24) >> 24)) | 0;
            pc += 4;
            continue;
          }
          break;
        }
        case Op.FOR_ITER: {
          const a = sp - 2;
          const i = vals[a + 1]!;
          const addr = heap.resolve(vals[a]!);
          const ar = addr >= SHARED_BASE ? heap.shared : heap.local;
          const o = addr - ar.base;
          const count = ar.words[o + 2]!;
          if (i < count) {
            const data = o + 3 + ((ar.words[o + 1]! >> 4) & 15);
            const t = ar.bytes[(data + count) * 4 + i]!;
            tags[sp] = t;
            vals[sp++] = t === REAL ? ar.reals[data + i]! : ar.words[data + i]!;
            vals[a + 1] = i + 1;
            if (ar === heap.shared) {
              cyc += this.costs.sharedReadCycles;
              this.sharedReads++;
            }
            pc += 3;
          } else {
            sp -= 2;
            pc = arg[pc]!;
          }
          continue;
        }
        case Op.INDEX: {
          if (code[pc + 1] === 1 && tags[sp - 2] === ARR && tags[sp - 1] === INT) {
            const addr = vals[sp - 2]!;
            const ar = addr >= SHARED_BASE ? heap.shared : heap.local;
            const o = addr - ar.base;
            const h1 = ar.words[o + 1]!;
            const i = vals[sp - 1]!;
            if ((h1 & 0xff) === (KIND_ARRAY | 16) && i >= 0 && i < ar.words[o + 2]!) {
              const count = ar.words[o + 2]!;
              const data = o + 4;
              const t = ar.bytes[(data + count) * 4 + i]!;
              sp--;
              tags[sp - 1] = t;
              vals[sp - 1] = t === REAL ? ar.reals[data + i]! : ar.words[data + i]!;
              if (ar === heap.shared) {
                cyc += this.costs.sharedReadCycles;
                this.sharedReads++;
              }
              pc += 2;
              continue;
            }
          }
          break;
        }
        case Op.STORE_INDEX: {
          if (code[pc + 1] === 1 && tags[sp - 3] === ARR && tags[sp - 2] === INT) {
            const addr = vals[sp - 3]!;
            const ar = addr >= SHARED_BASE ? heap.shared : heap.local;
            const o = addr - ar.base;
            const h1 = ar.words[o + 1]!;
            const i = vals[sp - 2]!;
            if ((h1 & 0xff) === (KIND_ARRAY | 16) && i >= 0 && i < ar.words[o + 2]!) {
              const count = ar.words[o + 2]!;
              const data = o + 4;
              const t = tags[sp - 1]!;
              ar.bytes[(data + count) * 4 + i] = t;
              if (t === REAL) ar.reals[data + i] = vals[sp - 1]!;
              else ar.words[data + i] = vals[sp - 1]!;
              if (ar === heap.shared) {
                cyc += this.costs.sharedWriteCycles;
                this.sharedWrites++;
              }
              sp -= 3;
              pc += 2;
              continue;
            }
          }
          break;
        }
        case Op.CALL:
        case Op.CALL_VALUE: {
          if (cyc >= cycleLimit || steps >= stepLimit) {
            this.outOfSteps = steps >= stepLimit;
            cyc -= cost[op]!;
            steps--;
            r = Status.Budget;
            break;
          }
          let fi: number;
          let argc: number;
          let wb: number;
          let isValue = 0;
          if (op === Op.CALL) {
            fi = arg[pc]!;
            argc = code[pc + 3]!;
            wb = pc + 4;
          } else {
            argc = arg[pc]!;
            wb = pc + 2;
            const fslot = sp - argc - 1;
            if (tags[fslot] !== FN) {
              r = this.fail(pc, `called a ${TAG_NAMES[tags[fslot]!]} value as a function`);
              break;
            }
            fi = vals[fslot]!;
            isValue = 1;
            if (argc > this.fnParams[fi]!) {
              r = this.fail(pc, `function '${this.image.functions[fi]!.name}' takes ${this.fnParams[fi]} arguments, ${argc} given`);
              break;
            }
          }
          const nlocals = this.fnLocals[fi]!;
          const base = sp - argc;
          const d = this.depth;
          if (base + nlocals + 64 > this.stackCap || d >= this.fRet.length) {
            r = this.fail(pc, `out of core and shared stack memory for data (recursion ${d + 1} calls deep)`);
            break;
          }
          for (let i = argc; i < nlocals; i++) tags[base + i] = NONE;
          cyc += argc * this.costs.callPerArgCycles;
          this.fRet[d] = wb + 1 + code[wb]! * 4;
          this.fFp[d] = fp;
          this.fBase[d] = base;
          this.fArgc[d] = argc;
          this.fWb[d] = wb;
          this.fValue[d] = isValue;
          this.depth = d + 1;
          sp = base + nlocals;
          if (sp > this.maxSp) this.maxSp = sp;
          fp = base;
          pc = this.fnEntry[fi]!;
          continue;
        }
        case Op.RETURN:
        case Op.RETURN_NONE: {
          let rt: number = NONE;
          let rv = 0;
          if (op === Op.RETURN) {
            rt = tags[sp - 1]!;
            rv = vals[sp - 1]!;
          }
          const d = this.depth - 1;
          const base = this.fBase[d]!;
          const callerFp = this.fFp[d]!;
          const wb = this.fWb[d]!;
          const nwb = code[wb]!;
          const argc = this.fArgc[d]!;
          for (let j = 0; j < nwb; j++) {
            const p = wb + 1 + j * 4;
            const argi = code[p]!;
            if (argi >= argc) continue;
            const slot = code[p + 2]! | (code[p + 3]! << 8);
            if (code[p + 1] === 0) {
              gt[slot] = tags[base + argi]!;
              gv[slot] = vals[base + argi]!;
            } else {
              tags[callerFp + slot] = tags[base + argi]!;
              vals[callerFp + slot] = vals[base + argi]!;
            }
          }
          sp = base - this.fValue[d]!;
          tags[sp] = rt;
          vals[sp++] = rv;
          pc = this.fRet[d]!;
          fp = callerFp;
          this.depth = d;
          continue;
        }
        case Op.ARG_PASSED:
          pc = code[pc + 1]! < this.fArgc[this.depth - 1]! ? code[pc + 2]! | (code[pc + 3]! << 8) : pc + 4;
          continue;
        case Op.HALT:
          r = Status.Done;
          break;
        default:
          break;
      }
      if (r !== 0) break;
      // slow paths: everything that may allocate, fail or leave the core
      this.pc = pc;
      this.sp = sp;
      this.fp = fp;
      this.cycles = cyc;
      this.steps = steps;
      this.varReads += vr;
      this.varWrites += vw;
      vr = vw = 0;
      r = this.slow(op);
      pc = this.pc;
      sp = this.sp;
      fp = this.fp;
      cyc = this.cycles;
      if (r !== 0) {
        this.status = r;
        return r;
      }
    }
    this.pc = pc;
    this.sp = sp;
    this.fp = fp;
    this.cycles = cyc;
    this.steps = steps;
    this.varReads += vr;
    this.varWrites += vw;
    this.status = r;
    return r;
  }

  /** Record a runtime error at pc; returns Status.Error. */
  fail(pc: number, message: string): number {
    this.error = message;
    this.errorPc = pc;
    this.status = Status.Error;
    return Status.Error;
  }

  /** Raise a runtime error from outside (the runtime, for a bad request). */
  raise(message: string): void {
    this.fail(this.pc, message);
  }

  isFalsy(t: number, v: number): boolean {
    switch (t) {
      case INT:
      case REAL:
      case BOOL:
        return v === 0;
      case NONE:
        return true;
      case STR:
        return this.stringLength(v) === 0;
      case ARR: {
        const addr = this.heap.resolve(v);
        const ar = this.heap.arena(addr);
        return ar.words[addr - ar.base + 2] === 0;
      }
      default:
        return false;
    }
  }

  // --- strings ---------------------------------------------------------------------------------

  stringLength(v: number): number {
    if (v < 0) return this.image.strings[-v - 1]!.length;
    const ar = this.heap.arena(v);
    return ar.words[v - ar.base + 2]!;
  }

  stringValue(v: number): string {
    if (v < 0) return this.image.strings[-v - 1]!;
    const ar = this.heap.arena(v);
    const o = v - ar.base;
    const n = ar.words[o + 2]!;
    let s = "";
    const start = (o + 3) * 4;
    for (let i = 0; i < n; i += 4096) {
      s += String.fromCharCode.apply(null, Array.from(ar.bytes.subarray(start + i, start + Math.min(n, i + 4096))));
    }
    return s;
  }

  /** A new heap string in the core's shared heap, where ePython's host puts string results. */
  newString(s: string): number {
    const words = stringWords(s.length);
    const addr = this.alloc(words, true, true);
    if (addr < 0) return -1;
    const ar = this.heap.arena(addr);
    const o = addr - ar.base;
    ar.words[o + 1] = KIND_STRING;
    ar.words[o + 2] = s.length;
    const start = (o + 3) * 4;
    for (let i = 0; i < s.length; i++) ar.bytes[start + i] = s.charCodeAt(i) & 0xff;
    return addr;
  }

  /** Text of a value as print and string `+` show it (host/device-support.c:524-553). */
  toText(t: number, v: number, depth = 0): string {
    switch (t) {
      case INT:
        return String(v);
      case REAL:
        return formatReal(v);
      case BOOL:
        return v !== 0 ? "true" : "false";
      case NONE:
        return "NONE";
      case STR:
        return this.stringValue(v);
      case FN:
        return `<function ${this.image.functions[v]?.name ?? v}>`;
      case ARR: {
        if (depth > 3) return "[...]";
        const addr = this.heap.resolve(v);
        const ar = this.heap.arena(addr);
        const o = addr - ar.base;
        const count = ar.words[o + 2]!;
        const data = o + 3 + ((ar.words[o + 1]! >> 4) & 15);
        const parts: string[] = [];
        for (let i = 0; i < Math.min(count, 100); i++) {
          const et = ar.bytes[(data + count) * 4 + i]!;
          parts.push(this.toText(et, et === REAL ? ar.reals[data + i]! : ar.words[data + i]!, depth + 1));
        }
        if (count > 100) parts.push("...");
        return "[" + parts.join(", ") + "]";
      }
      default:
        return "?";
    }
  }

  // --- heap ------------------------------------------------------------------------------------

  /**
   * Allocate `words`; on failure collect and retry, then overflow to the shared heap, as ePython's
   * getHeapMemory does. Returns an address, or -1 after recording the out-of-memory error.
   */
  alloc(words: number, sharedOnly: boolean, quietFail = false): number {
    const heap = this.heap;
    this.cycles += this.costs.allocCycles;
    if (!sharedOnly && heap.local.limitWords > 0) {
      let a = heap.tryAlloc(heap.local, words);
      if (a < 0) {
        this.collect();
        a = heap.tryAlloc(heap.local, words);
      }
      if (a >= 0) return a;
    }
    let a = heap.tryAlloc(heap.shared, words);
    if (a < 0) {
      this.collect();
      a = heap.tryAlloc(heap.shared, words);
    }
    if (a < 0 && !quietFail) {
      this.fail(this.pc, sharedOnly
        ? `out of shared heap memory for data (asked for ${words * 4} bytes; ${heap.shared.limitWords * 4} bytes in all)`
        : `out of core and shared heap memory for data (asked for ${words * 4} bytes; core heap ${heap.local.limitWords * 4} bytes, shared heap ${heap.shared.limitWords * 4} bytes)`);
    } else if (a < 0) this.fail(this.pc, `out of shared heap memory for a string of ${words * 4} bytes`);
    return a;
  }

  /** Garbage-collect both heaps; the roots are the whole stack and the globals. */
  collect(): void {
    const st = this.heap.collect(this.tags, this.vals, this.sp, this.gtags, this.gvals, STR, ARR);
    const pause = Math.round(st.wordsScanned * this.costs.gcCyclesPerWord);
    const at = this.cycles;
    this.cycles += pause;
    this.gcHook?.(at, st.usedBefore, st.usedAfter, pause);
  }

  /** Allocate an array; elements start as int 0 (ePython does not zero them; we do, deterministically). */
  newArray(dims: ArrayLike<number>, ndims: number, extensible: boolean, shared: boolean): number {
    let count = 1;
    for (let i = 0; i < ndims; i++) count *= dims[i]!;
    if (count < 0) {
      this.fail(this.pc, `array size ${count} is negative`);
      return -1;
    }
    if (count > MAX_ARRAY_ELEMENTS) {
      this.fail(this.pc, `array of ${count} elements is too large`);
      return -1;
    }
    const addr = this.alloc(arrayWords(count, ndims), shared);
    if (addr < 0) return -1;
    const ar = this.heap.arena(addr);
    const o = addr - ar.base;
    ar.words[o + 1] = KIND_ARRAY | (ndims << 4) | (extensible ? 256 : 0);
    ar.words[o + 2] = count;
    for (let i = 0; i < ndims; i++) ar.words[o + 3 + i] = dims[i]!;
    const data = o + 3 + ndims;
    ar.words.fill(0, data, data + count);
    ar.bytes.fill(INT, (data + count) * 4, (data + count) * 4 + count);
    return addr;
  }

  // located element (set by locate)
  private locArena!: Arena;
  private locData = 0;
  private locCount = 0;
  private locIndex = 0;
  private readonly dimScratch = new Int32Array(16);

  /**
   * Find the element that `n` indices on the stack (above the array at stack cell `base`) name.
   * Handles multi-dimensional arrays, nested arrays, negative indices (Python's meaning) and the
   * auto-growth of list literals. Returns false after recording an error.
   */
  private locate(base: number, n: number, forWrite: boolean): boolean {
    let t = this.tags[base]!;
    let v = this.vals[base]!;
    let k = 0;
    for (;;) {
      if (t !== ARR) {
        this.fail(this.pc, t === STR ? "strings can not be indexed in ePython" : `can only index arrays, not a ${TAG_NAMES[t]} value`);
        return false;
      }
      let addr = this.heap.resolve(v);
      let ar = this.heap.arena(addr);
      let o = addr - ar.base;
      if ((ar.words[o]! & 1) === 0) {
        this.fail(this.pc, "the array was freed");
        return false;
      }
      const nd = (ar.words[o + 1]! >> 4) & 15;
      const use = Math.min(nd, n - k);
      let off = 0;
      for (let d = 0; d < nd; d++) {
        let idx = 0;
        if (d < use) {
          const it = this.tags[base + 1 + k + d]!;
          if (it !== INT && it !== BOOL) {
            this.fail(this.pc, `array index must be an integer, not a ${TAG_NAMES[it]}`);
            return false;
          }
          idx = this.vals[base + 1 + k + d]!;
        }
        const dim = ar.words[o + 3 + d]!;
        if (idx < 0 && nd === 1) idx += dim; // Python's negative indices on 1-D arrays
        if (idx < 0) {
          this.fail(this.pc, `negative array index ${idx}`);
          return false;
        }
        if (idx >= dim) {
          const extensible = (ar.words[o + 1]! & 256) !== 0;
          if (!(extensible && nd === 1)) {
            this.fail(this.pc, `array index ${idx} exceeds the array size ${dim} in that dimension`);
            return false;
          }
          // list literals grow on access, as ePython's do (interpreter.c:863-892)
          const grown = this.grow(addr, idx + 1);
          if (grown < 0) return false;
          addr = grown;
          ar = this.heap.arena(addr);
          o = addr - ar.base;
        }
        off = off * ar.words[o + 3 + d]! + idx;
      }
      k += use;
      const count = ar.words[o + 2]!;
      const data = o + 3 + nd;
      if (k >= n || use === 0) {
        if (k < n) {
          this.fail(this.pc, "too many array indexes in expression");
          return false;
        }
        this.locArena = ar;
        this.locData = data;
        this.locCount = count;
        this.locIndex = off;
        if (ar === this.heap.shared) {
          this.cycles += forWrite ? this.costs.sharedWriteCycles : this.costs.sharedReadCycles;
          if (forWrite) this.sharedWrites++;
          else this.sharedReads++;
        }
        return true;
      }
      // the element must itself be an array (nested lists)
      t = ar.bytes[(data + count) * 4 + off]!;
      v = t === REAL ? ar.reals[data + off]! : ar.words[data + off]!;
    }
  }

  /** Grow a 1-D list literal to `count` elements; the old chunk forwards to the new one. */
  private grow(addr: number, count: number): number {
    if (count > MAX_ARRAY_ELEMENTS) { // checked here: the Int32 scratch below would wrap it
      this.fail(this.pc, `list index ${count - 1} is too large to grow the list to`);
      return -1;
    }
    const scratch = this.dimScratch;
    scratch[0] = count;
    const na = this.newArray(scratch, 1, true, false);
    if (na < 0) return -1;
    addr = this.heap.resolve(addr);
    const oa = this.heap.arena(addr);
    const oo = addr - oa.base;
    const oldCount = oa.words[oo + 2]!;
    const nar = this.heap.arena(na);
    const no = na - nar.base;
    nar.words.set(oa.words.subarray(oo + 4, oo + 4 + oldCount), no + 4);
    nar.bytes.set(oa.bytes.subarray((oo + 4 + oldCount) * 4, (oo + 4 + oldCount) * 4 + oldCount), (no + 4 + count) * 4);
    oa.words[oo + 1] = KIND_FORWARD;
    oa.words[oo + 2] = na;
    this.cycles += oldCount * 2;
    return na;
  }

  // --- slow paths ------------------------------------------------------------------------------

  /** Execute `op` at this.pc outside the fast loop; returns 0 to continue or a Status. */
  private slow(op: number): number {
    const pc = this.pc;
    const code = this.code;
    const tags = this.tags;
    const vals = this.vals;
    switch (op) {
      case Op.ADD:
      case Op.SUB:
      case Op.MUL:
      case Op.DIV:
      case Op.MOD:
      case Op.POW:
      case Op.FLOORDIV:
      case Op.EQ:
      case Op.NE:
      case Op.LT:
      case Op.GT:
      case Op.LE:
      case Op.GE:
      case Op.IS:
        return this.binary(op);
      case Op.ADD_I8:
      case Op.SUB_I8:
      case Op.MUL_I8:
      case Op.MOD_I8:
      case Op.EQ_I8:
      case Op.NE_I8:
      case Op.LT_I8:
      case Op.GT_I8:
      case Op.LE_I8:
      case Op.GE_I8: {
        // the constant's operand is not an int or real (or a real modulo): push k, do the general op
        this.push(INT, (code[pc + 1]! << 24) >> 24);
        this.steps++;
        const r = this.binary(FUSED_I8[op]!);
        if (r === 0 || r === Status.Blocked) this.pc = pc + 2;
        return r;
      }
      case Op.NEG: {
        const a = this.sp - 1;
        const t = tags[a]!;
        if (t === INT || t === BOOL) {
          tags[a] = INT;
          vals[a] = -vals[a]! | 0;
        } else if (t === REAL) vals[a] = -vals[a]!;
        else return this.fail(pc, `unary minus needs a number, not a ${TAG_NAMES[t]}`);
        this.pc++;
        return 0;
      }
      case Op.NOT: {
        const a = this.sp - 1;
        vals[a] = this.isFalsy(tags[a]!, vals[a]!) ? 1 : 0;
        tags[a] = BOOL;
        this.pc++;
        return 0;
      }
      case Op.INC_LOCAL:
      case Op.INC_GLOBAL: {
        // the variable does not hold an int: do the general add
        const local = op === Op.INC_LOCAL;
        const s = local ? this.fp + code[pc + 1]! : code[pc + 1]! | (code[pc + 2]! << 8);
        const k = (code[pc + (local ? 2 : 3)]! << 24) >> 24;
        const next = pc + (local ? 3 : 4);
        this.push(local ? tags[s]! : this.gtags[s]!, local ? vals[s]! : this.gvals[s]!);
        this.push(INT, k);
        const r = this.binary(Op.ADD);
        if (r === Status.Error) return r;
        this.sp--;
        if (local) {
          tags[s] = tags[this.sp]!;
          vals[s] = vals[this.sp]!;
        } else {
          this.gtags[s] = tags[this.sp]!;
          this.gvals[s] = vals[this.sp]!;
        }
        this.pc = next;
        return r;
      }
      case Op.FOR_START: {
        const t = tags[this.sp - 1]!;
        if (t !== ARR) return this.fail(pc, `for-in needs an array to iterate over, not a ${TAG_NAMES[t]}`);
        this.push(INT, 0);
        this.pc++;
        return 0;
      }
      case Op.INDEX: {
        const n = code[pc + 1]!;
        const base = this.sp - n - 1;
        if (!this.locate(base, n, false)) return Status.Error;
        const ar = this.locArena;
        const i = this.locIndex;
        const t = ar.bytes[(this.locData + this.locCount) * 4 + i]!;
        tags[base] = t;
        vals[base] = t === REAL ? ar.reals[this.locData + i]! : ar.words[this.locData + i]!;
        this.sp = base + 1;
        this.pc += 2;
        return 0;
      }
      case Op.STORE_INDEX: {
        const n = code[pc + 1]!;
        const base = this.sp - n - 2;
        if (!this.locate(base, n, true)) return Status.Error;
        const ar = this.locArena;
        const i = this.locIndex;
        const t = tags[this.sp - 1]!;
        ar.bytes[(this.locData + this.locCount) * 4 + i] = t;
        if (t === REAL) ar.reals[this.locData + i] = vals[this.sp - 1]!;
        else ar.words[this.locData + i] = vals[this.sp - 1]!;
        this.sp = base;
        this.pc += 2;
        return 0;
      }
      case Op.NEW_LIST: {
        const k = code[pc + 1]! | (code[pc + 2]! << 8);
        this.dimScratch[0] = k;
        const addr = this.newArray(this.dimScratch, 1, true, false);
        if (addr < 0) return Status.Error;
        const ar = this.heap.arena(addr);
        const data = addr - ar.base + 4;
        const base = this.sp - k;
        for (let i = 0; i < k; i++) {
          const t = tags[base + i]!;
          ar.bytes[(data + k) * 4 + i] = t;
          if (t === REAL) ar.reals[data + i] = vals[base + i]!;
          else ar.words[data + i] = vals[base + i]!;
        }
        this.sp = base;
        this.push(ARR, addr);
        this.cycles += k * this.costs.elementWriteCycles;
        this.pc += 3;
        return 0;
      }
      case Op.REP_BEGIN: {
        const k = code[pc + 1]!;
        const a = this.sp - 1;
        if (tags[a] !== INT && tags[a] !== BOOL) return this.fail(pc, `a list can only be repeated an integer number of times, not by a ${TAG_NAMES[tags[a]!]}`);
        const n = Math.max(0, vals[a]!);
        this.dimScratch[0] = n * k;
        const addr = this.newArray(this.dimScratch, 1, true, false);
        if (addr < 0) return Status.Error;
        tags[a] = ARR;
        vals[a] = addr;
        this.push(INT, n);
        this.push(INT, 0);
        this.pc += 2;
        return 0;
      }
      case Op.REP_TEST:
        if (vals[this.sp - 1]! >= vals[this.sp - 2]!) {
          this.sp -= 2;
          this.pc = code[pc + 1]! | (code[pc + 2]! << 8);
        } else this.pc += 3;
        return 0;
      case Op.REP_STORE: {
        const k = code[pc + 1]!;
        const base = this.sp - k;
        const i = vals[base - 1]!;
        const addr = vals[base - 3]!;
        const ar = this.heap.arena(addr);
        const o = addr - ar.base;
        const count = ar.words[o + 2]!;
        const data = o + 4;
        for (let j = 0; j < k; j++) {
          const t = tags[base + j]!;
          const e = i * k + j;
          ar.bytes[(data + count) * 4 + e] = t;
          if (t === REAL) ar.reals[data + e] = vals[base + j]!;
          else ar.words[data + e] = vals[base + j]!;
        }
        this.sp = base;
        vals[base - 1] = i + 1;
        this.cycles += k * this.costs.elementWriteCycles;
        this.pc += 2;
        return 0;
      }
      case Op.PRINT: {
        this.sp--;
        this.reqText = this.toText(tags[this.sp]!, vals[this.sp]!);
        this.pc++;
        this.req = Req.Print;
        return Status.Blocked;
      }
      case Op.NATIVE:
        return this.native(code[pc + 1]!, code[pc + 2]!);
      default:
        return this.fail(pc, `internal error: bad opcode ${op} at ${pc}`);
    }
  }

  private numeric(t: number): boolean {
    return t === INT || t === REAL || t === BOOL;
  }

  /** Binary operators on any operand types, with ePython's and then Python's meaning. */
  private binary(op: number): number {
    const a = this.sp - 2;
    const tags = this.tags;
    const vals = this.vals;
    let ta = tags[a]!;
    let tb = tags[a + 1]!;
    const x0 = vals[a]!;
    const y0 = vals[a + 1]!;
    const pc = this.pc;
    const done = (t: number, v: number): number => this.binaryResult(a, t, v);
    if (op === Op.IS) {
      if (ta === NONE || tb === NONE) return done(BOOL, ta === tb ? 1 : 0);
      return done(BOOL, ta === tb && x0 === y0 ? 1 : 0);
    }
    if (op === Op.ADD && (ta === STR || tb === STR)) {
      // string + anything converts the other operand; done by the host in ePython (a round trip)
      const s = this.toText(ta, x0) + this.toText(tb, y0);
      const addr = this.newString(s);
      if (addr < 0) return Status.Error;
      done(STR, addr);
      this.reqValA = HOST_CONCAT;
      this.req = Req.Host;
      return Status.Blocked;
    }
    if (op === Op.EQ || op === Op.NE) {
      let eq: boolean;
      if (this.numeric(ta) && this.numeric(tb)) eq = ta === REAL || tb === REAL ? Math.fround(x0) === Math.fround(y0) : x0 === y0;
      else if (ta === STR && tb === STR) eq = this.stringValue(x0) === this.stringValue(y0);
      else if (ta !== tb) eq = false;
      else eq = x0 === y0; // none, functions, arrays (identity)
      return done(BOOL, eq === (op === Op.EQ) ? 1 : 0);
    }
    if (op >= Op.LT && op <= Op.GE) {
      let c: number;
      if (this.numeric(ta) && this.numeric(tb)) c = ta === REAL || tb === REAL ? Math.fround(x0) - Math.fround(y0) : x0 - y0;
      else if (ta === STR && tb === STR) {
        const s = this.stringValue(x0);
        const t = this.stringValue(y0);
        c = s < t ? -1 : s > t ? 1 : 0;
      } else return this.fail(pc, `can not compare a ${TAG_NAMES[ta]} with a ${TAG_NAMES[tb]}`);
      const res = op === Op.LT ? c < 0 : op === Op.GT ? c > 0 : op === Op.LE ? c <= 0 : c >= 0;
      return done(BOOL, res ? 1 : 0);
    }
    if (!this.numeric(ta) || !this.numeric(tb)) {
      const sym = ["+", "-", "*", "/", "%", "**", "//"][op - Op.ADD];
      return this.fail(pc, `can not apply '${sym}' to a ${TAG_NAMES[ta]} and a ${TAG_NAMES[tb]}`);
    }
    if (ta === BOOL) ta = INT;
    if (tb === BOOL) tb = INT;
    const ints = ta === INT && tb === INT;
    const x = Math.fround(x0);
    const y = Math.fround(y0);
    switch (op) {
      case Op.ADD:
        return ints ? done(INT, (x0 + y0) | 0) : done(REAL, Math.fround(x + y));
      case Op.SUB:
        return ints ? done(INT, (x0 - y0) | 0) : done(REAL, Math.fround(x - y));
      case Op.MUL:
        return ints ? done(INT, Math.imul(x0, y0)) : done(REAL, Math.fround(x * y));
      case Op.DIV:
        if (ints) {
          if (y0 === 0) return this.fail(pc, "integer division by zero");
          return done(INT, (x0 / y0) | 0);
        }
        return done(REAL, Math.fround(x / y));
      case Op.MOD:
        if (ints) {
          if (y0 === 0) return this.fail(pc, "integer modulo by zero");
          return done(INT, x0 % y0 | 0);
        }
        return done(REAL, Math.fround(x - Math.floor(x / y) * y));
      case Op.POW:
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
          return done(INT, r);
        }
        if (tb === INT && ta === REAL && y0 >= 0 && y0 <= 64) {
          // a real raised to an int: repeated single-precision multiplication (interpreter.c:792-809)
          let r = Math.fround(1);
          for (let i = 0; i < y0; i++) r = Math.fround(r * x);
          return done(REAL, r);
        }
        return done(REAL, Math.fround(Math.pow(x, y)));
      case Op.FLOORDIV: {
        // `a // b` is floor(a / b) computed by the host's maths service: a real, and a round trip
        let q: number;
        if (ints) {
          if (y0 === 0) return this.fail(pc, "integer division by zero");
          q = (x0 / y0) | 0;
        } else q = Math.fround(x / y);
        done(REAL, Math.fround(Math.floor(q)));
        this.reqValA = HOST_MATHS;
        this.req = Req.Host;
        return Status.Blocked;
      }
    }
    return this.fail(pc, `internal error: operator ${op}`);
  }

  private binaryResult(a: number, t: number, v: number): number {
    this.tags[a] = t;
    this.vals[a] = v;
    this.sp = a + 1;
    this.pc++;
    return 0;
  }

  private argTag(i: number, argc: number): number {
    return this.tags[this.sp - argc + i]!;
  }
  private argVal(i: number, argc: number): number {
    return this.vals[this.sp - argc + i]!;
  }

  /** Check a value may travel in a message (ePython: one int, real, bool, none or function). */
  private checkSendable(t: number, what: string): boolean {
    if (t === STR || t === ARR) {
      this.fail(this.pc, `can only ${what} integers, reals, booleans, none and functions between cores, not a ${TAG_NAMES[t]}${t === ARR ? " (send an array element by element with send(data, pid, n))" : ""}`);
      return false;
    }
    return true;
  }

  private checkPid(t: number, v: number): boolean {
    if (t !== INT) {
      this.fail(this.pc, `a core id must be an integer, not a ${TAG_NAMES[t]}`);
      return false;
    }
    return true;
  }

  private native(id: number, argc: number): number {
    const pc = this.pc;
    const base = this.sp - argc;
    const t0 = argc > 0 ? this.argTag(0, argc) : NONE;
    const v0 = argc > 0 ? this.argVal(0, argc) : 0;
    const t1 = argc > 1 ? this.argTag(1, argc) : NONE;
    const v1 = argc > 1 ? this.argVal(1, argc) : 0;
    const result = (t: number, v: number): number => {
      this.sp = base;
      this.push(t, v);
      this.pc = pc + 3;
      return 0;
    };
    const request = (req: number): number => {
      this.reqTagA = t0;
      this.reqValA = v0;
      this.reqTagB = t1;
      this.reqValB = v1;
      this.sp = base;
      this.pc = pc + 3;
      this.req = req;
      return Status.Blocked;
    };
    switch (id) {
      case Native.ishost:
        return result(BOOL, this.setup.isHost ? 1 : 0);
      case Native.isdevice:
        return result(BOOL, this.setup.isHost ? 0 : 1);
      case Native.coreid:
        return result(INT, this.setup.coreId);
      case Native.numcores:
        return result(INT, this.setup.numCores);
      case Native.numdims: {
        if (t0 !== ARR) return result(INT, 0);
        const addr = this.heap.resolve(v0);
        const ar = this.heap.arena(addr);
        return result(INT, (ar.words[addr - ar.base + 1]! >> 4) & 15);
      }
      case Native.dsize: {
        if (t0 !== ARR) return result(INT, 0);
        const addr = this.heap.resolve(v0);
        const ar = this.heap.arena(addr);
        const o = addr - ar.base;
        const nd = (ar.words[o + 1]! >> 4) & 15;
        return result(INT, v1 >= 0 && v1 < nd ? ar.words[o + 3 + v1]! : 0);
      }
      case Native.size: {
        if (t0 === STR) return result(INT, this.stringLength(v0));
        if (t0 !== ARR) return result(INT, 0);
        const addr = this.heap.resolve(v0);
        const ar = this.heap.arena(addr);
        return result(INT, ar.words[addr - ar.base + 2]!);
      }
      case Native.typeof:
        return result(INT, t0);
      case Native.allocatearray:
      case Native.allocatesharedarray: {
        if (argc < 1 || argc > 7) return this.fail(pc, "arrays have 1 to 7 dimensions");
        for (let i = 0; i < argc; i++) {
          const t = this.argTag(i, argc);
          const v = this.argVal(i, argc);
          if (t !== INT || v < 0) return this.fail(pc, `array dimension ${i + 1} must be a non-negative integer`);
          this.dimScratch[i] = v;
        }
        const addr = this.newArray(this.dimScratch, argc, false, id === Native.allocatesharedarray);
        if (addr < 0) return Status.Error;
        return result(ARR, addr);
      }
      case Native.flatten: {
        if (t0 !== ARR) return this.fail(pc, "flatten needs an array");
        const addr = this.heap.resolve(v0);
        const ar = this.heap.arena(addr);
        const o = addr - ar.base;
        const nd = (ar.words[o + 1]! >> 4) & 15;
        if (nd > 1) {
          // keep the header size: the first dim takes the whole count, the others become 1
          ar.words[o + 3] = ar.words[o + 2]!;
          for (let d = 1; d < nd; d++) ar.words[o + 3 + d] = 1;
        }
        return result(NONE, 0);
      }
      case Native.arraycopy: {
        if (t0 !== ARR || t1 !== ARR) return this.fail(pc, "arraycopy needs two arrays");
        const ta = this.heap.resolve(v0);
        const sa = this.heap.resolve(v1);
        const tar = this.heap.arena(ta);
        const sar = this.heap.arena(sa);
        const to = ta - tar.base;
        const so = sa - sar.base;
        const n = Math.min(tar.words[to + 2]!, sar.words[so + 2]!);
        const td = to + 3 + ((tar.words[to + 1]! >> 4) & 15);
        const sd = so + 3 + ((sar.words[so + 1]! >> 4) & 15);
        const tc = tar.words[to + 2]!;
        const sc = sar.words[so + 2]!;
        tar.words.set(sar.words.subarray(sd, sd + n), td);
        tar.bytes.set(sar.bytes.subarray((sd + sc) * 4, (sd + sc) * 4 + n), (td + tc) * 4);
        this.cycles += n * 2;
        return result(NONE, 0);
      }
      case Native.free: {
        if (t0 === ARR || (t0 === STR && v0 >= 0)) {
          const addr = this.heap.resolve(v0);
          const ar = this.heap.arena(addr);
          if ((ar.words[addr - ar.base]! & 1) === 0) return this.fail(pc, "attempting to free non allocated heap memory");
          ar.free(addr - ar.base);
        }
        return result(NONE, 0);
      }
      case Native.gc:
        this.sp = base;
        this.collect();
        return result(NONE, 0);
      case Native.math: {
        if (!this.numeric(t1)) return this.fail(pc, `maths functions need a number, not a ${TAG_NAMES[t1]}`);
        const x = Math.fround(v1);
        let y: number;
        switch (v0) {
          case MathOp.sqrt: y = Math.sqrt(x); break;
          case MathOp.sin: y = Math.sin(x); break;
          case MathOp.cos: y = Math.cos(x); break;
          case MathOp.tan: y = Math.tan(x); break;
          case MathOp.asin: y = Math.asin(x); break;
          case MathOp.acos: y = Math.acos(x); break;
          case MathOp.atan: y = Math.atan(x); break;
          case MathOp.sinh: y = Math.sinh(x); break;
          case MathOp.cosh: y = Math.cosh(x); break;
          case MathOp.tanh: y = Math.tanh(x); break;
          case MathOp.floor: y = Math.floor(x); break;
          case MathOp.ceil: y = Math.ceil(x); break;
          case MathOp.log: y = Math.log(x); break;
          case MathOp.log10: y = Math.log10(x); break;
          default: return this.fail(pc, `unknown maths operation ${v0}`);
        }
        result(REAL, Math.fround(y));
        this.reqValA = HOST_MATHS;
        this.req = Req.Host;
        return Status.Blocked;
      }
      case Native.rand:
        return request(Req.Rand);
      case Native.input:
        if (argc === 1 && t0 !== STR) return this.fail(pc, "can only display strings with input statement");
        this.reqText = argc === 1 ? this.stringValue(v0) : null;
        return request(Req.Input);
      case Native.sync:
        return request(Req.Sync);
      case Native.send:
        if (!this.checkSendable(t0, "send") || !this.checkPid(t1, v1)) return Status.Error;
        return request(Req.Send);
      case Native.send_nonblocking:
        if (!this.checkSendable(t0, "send") || !this.checkPid(t1, v1)) return Status.Error;
        return request(Req.NbSend);
      case Native.sendrecv:
        if (!this.checkSendable(t0, "send") || !this.checkPid(t1, v1)) return Status.Error;
        return request(Req.SendRecv);
      case Native.recv:
        if (!this.checkPid(t0, v0)) return Status.Error;
        return request(Req.Recv);
      case Native.probe:
        if (!this.checkPid(t0, v0)) return Status.Error;
        return request(Req.Probe);
      case Native.test_for_send:
        if (!this.checkPid(t0, v0)) return Status.Error;
        return request(Req.TestSent);
      case Native.wait_for_send:
        if (!this.checkPid(t0, v0)) return Status.Error;
        return request(Req.WaitSent);
      case Native.bcast:
        if (!this.checkSendable(t0, "broadcast") || !this.checkPid(t1, v1)) return Status.Error;
        return request(Req.Bcast);
      case Native.reduce:
        if (t0 !== INT && t0 !== REAL && t0 !== BOOL) return this.fail(pc, `can only reduce integers and reals, not a ${TAG_NAMES[t0]}`);
        return request(Req.Reduce);
      default:
        return this.fail(pc, `unknown native command ${id} supplied to runtime library`);
    }
  }
}
