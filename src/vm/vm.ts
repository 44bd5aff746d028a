/**
 * One core's byte-code interpreter: the dispatch loop and the state it runs on.
 *
 * `run(cycleLimit)` executes until the program ends, until an operation needs the world outside
 * the core (print, input, messages, barriers, host services: a *request* the runtime serves at
 * the simulated time the machine model gives), or until the core's clock reaches `cycleLimit`.
 * The VM knows nothing of time beyond counting the cycles its operations cost; the cost table
 * comes from the machine model.
 *
 * Hot path rules: no allocation per operation, typed arrays for the stack and globals, one switch
 * over integer opcodes, fast paths for int/real arithmetic and 1-D array access. Everything else
 * is a slow path in its own module: operators.ts (operators on any types), arrays.ts (indexing,
 * growth, list building), natives.ts (the natives), text.ts (strings and print), over the object
 * model (object.ts) and the heap (heap.ts).
 */
import { fileIndexAt, lineAt, type ProgramImage } from "../lang/image.js";
import { LIBRARY_MODULE_FILES } from "../lang/library.js";
import { FUSED_I8, Op, type OpName } from "../lang/opcodes.js";
import { buildList, index, Located, repeatBegin, repeatStore, storeIndex } from "./arrays.js";
import { Heap } from "./heap.js";
import { callNative, NativeCall } from "./natives.js";
import { arrayData, arrayLength, elementTag, elementValue, initString, isVector, setElement, stringBytes, vectorData } from "./object.js";
import { decodedOperands, groupLength, INSTRUCTION_LENGTH } from "./operands.js";
import { binary, isFalsy } from "./operators.js";
import { RemoteAccess, RemoteKind, remoteIndex, remoteVariable } from "./references.js";
import { Req, Status, type StepResult } from "./requests.js";
import { instructionCosts } from "./scan-costs.js";
import type { CoreSetup, GcHook, VmCosts } from "./setup.js";
import { toText } from "./text.js";
import { grown } from "../util/typed-arrays.js";
import { aTag, Tag } from "./values.js";
import type { CompiledLoop, CompilingTier } from "./jit/tier.js";

export { HOST_CONCAT, Req, Status } from "./requests.js";
export type { CoreSetup, GcHook, VmCosts } from "./setup.js";
export { RemoteAccess, RemoteKind, Served, serveRemote } from "./references.js";
export { CompilingTier, compilingTier, DEFAULT_EXECUTION, type Execution } from "./jit/tier.js";

const STACK_SLACK = 2048; // room for expression temporaries beyond the checked limit
const MAX_FRAMES = 100000;
/** stack cells the arrays start with, beyond the slack (they grow at calls): a choice, no model constant */
const INITIAL_STACK_CELLS = 256;
/** frames the arrays start with (they double as calls go deeper): a choice, no model constant */
const INITIAL_FRAMES = 32;
/** DRAM reads of an allocation the host makes for the core: none on the core's side. */
const NO_DRAM: VmCosts["dram"] = { alloc: 0, sharedAlloc: 0, sharedAllocStores: 0, free: 0, collect: 0, newCell: 0, frameRelease: 0 };

/**
 * Stack cells a call must leave free above the callee's locals: none, since the budget counts
 * what ePython's scalar stack holds (variables and call temporaries, i.e. the frames here);
 * expression temporaries are C recursion in ePython and live in STACK_SLACK here.
 */
const CALL_STACK_MARGIN = 0;

/**
 * Instruction lengths the loop adds to pc, from the operand table (operands.ts). Named constants
 * rather than INSTRUCTION_LENGTH[op] in the loop: a typed-array load per instruction measurably
 * slows the interpreter. A case shared by several opcodes uses their common length (checked when
 * the module loads).
 */
const LEN_OPERATOR = groupLength(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MOD, Op.EQ, Op.NE, Op.LT, Op.GT, Op.LE, Op.GE);
const LEN_FUSED_I8 = groupLength(Op.ADD_I8, Op.SUB_I8, Op.MUL_I8, Op.MOD_I8, Op.EQ_I8, Op.NE_I8, Op.LT_I8, Op.GT_I8, Op.LE_I8, Op.GE_I8);
const LEN_AND_OR = groupLength(Op.AND_JUMP, Op.OR_JUMP);
const LEN_ARG_PASSED = INSTRUCTION_LENGTH[Op.ARG_PASSED]!;
const LEN_CALL = INSTRUCTION_LENGTH[Op.CALL]!;
const LEN_CALL_VALUE = INSTRUCTION_LENGTH[Op.CALL_VALUE]!;
const LEN_DUPN = INSTRUCTION_LENGTH[Op.DUPN]!;
const LEN_FOR_ITER = INSTRUCTION_LENGTH[Op.FOR_ITER]!;
const LEN_INC_GLOBAL = INSTRUCTION_LENGTH[Op.INC_GLOBAL]!;
const LEN_INC_LOCAL = INSTRUCTION_LENGTH[Op.INC_LOCAL]!;
const LEN_INDEX = INSTRUCTION_LENGTH[Op.INDEX]!;
const LEN_JUMP_IF_FALSE = INSTRUCTION_LENGTH[Op.JUMP_IF_FALSE]!;
const LEN_LOAD_GLOBAL = INSTRUCTION_LENGTH[Op.LOAD_GLOBAL]!;
const LEN_LOAD_LOCAL = INSTRUCTION_LENGTH[Op.LOAD_LOCAL]!;
const LEN_POP = INSTRUCTION_LENGTH[Op.POP]!;
const LEN_PUSH_FALSE = INSTRUCTION_LENGTH[Op.PUSH_FALSE]!;
const LEN_PUSH_FN = INSTRUCTION_LENGTH[Op.PUSH_FN]!;
const LEN_PUSH_I8 = INSTRUCTION_LENGTH[Op.PUSH_I8]!;
const LEN_PUSH_INT = INSTRUCTION_LENGTH[Op.PUSH_INT]!;
const LEN_PUSH_NONE = INSTRUCTION_LENGTH[Op.PUSH_NONE]!;
const LEN_PUSH_REAL = INSTRUCTION_LENGTH[Op.PUSH_REAL]!;
const LEN_PUSH_STR = INSTRUCTION_LENGTH[Op.PUSH_STR]!;
const LEN_PUSH_TRUE = INSTRUCTION_LENGTH[Op.PUSH_TRUE]!;
const LEN_REF_GLOBAL = INSTRUCTION_LENGTH[Op.REF_GLOBAL]!;
const LEN_REF_LOCAL = INSTRUCTION_LENGTH[Op.REF_LOCAL]!;
const LEN_STORE_GLOBAL = INSTRUCTION_LENGTH[Op.STORE_GLOBAL]!;
const LEN_STORE_INDEX = INSTRUCTION_LENGTH[Op.STORE_INDEX]!;
const LEN_STORE_LOCAL = INSTRUCTION_LENGTH[Op.STORE_LOCAL]!;

/** What the loop adds to pc per opcode where it steps by a constant (for the test against the operand table). */
export const LOOP_LENGTHS: Readonly<Partial<Record<OpName, number>>> = {
  ARG_PASSED: LEN_ARG_PASSED, CALL: LEN_CALL, CALL_VALUE: LEN_CALL_VALUE, DUPN: LEN_DUPN, FOR_ITER: LEN_FOR_ITER, INC_GLOBAL: LEN_INC_GLOBAL,
  INC_LOCAL: LEN_INC_LOCAL, INDEX: LEN_INDEX, JUMP_IF_FALSE: LEN_JUMP_IF_FALSE, LOAD_GLOBAL: LEN_LOAD_GLOBAL,
  LOAD_LOCAL: LEN_LOAD_LOCAL, POP: LEN_POP, PUSH_FALSE: LEN_PUSH_FALSE, PUSH_FN: LEN_PUSH_FN,
  PUSH_I8: LEN_PUSH_I8, PUSH_INT: LEN_PUSH_INT, PUSH_NONE: LEN_PUSH_NONE, PUSH_REAL: LEN_PUSH_REAL,
  PUSH_STR: LEN_PUSH_STR, PUSH_TRUE: LEN_PUSH_TRUE, REF_GLOBAL: LEN_REF_GLOBAL, REF_LOCAL: LEN_REF_LOCAL, STORE_GLOBAL: LEN_STORE_GLOBAL,
  STORE_INDEX: LEN_STORE_INDEX, STORE_LOCAL: LEN_STORE_LOCAL, ADD: LEN_OPERATOR, SUB: LEN_OPERATOR,
  MUL: LEN_OPERATOR, DIV: LEN_OPERATOR, MOD: LEN_OPERATOR, EQ: LEN_OPERATOR, NE: LEN_OPERATOR,
  LT: LEN_OPERATOR, GT: LEN_OPERATOR, LE: LEN_OPERATOR, GE: LEN_OPERATOR, ADD_I8: LEN_FUSED_I8,
  SUB_I8: LEN_FUSED_I8, MUL_I8: LEN_FUSED_I8, MOD_I8: LEN_FUSED_I8, EQ_I8: LEN_FUSED_I8, NE_I8: LEN_FUSED_I8,
  LT_I8: LEN_FUSED_I8, GT_I8: LEN_FUSED_I8, LE_I8: LEN_FUSED_I8, GE_I8: LEN_FUSED_I8, AND_JUMP: LEN_AND_OR,
  OR_JUMP: LEN_AND_OR,
};

const INT = Tag.Int;
const REAL = Tag.Real;
const STR = Tag.Str;
const BOOL = Tag.Bool;
const NONE = Tag.None;
const FN = Tag.Fn;
const ARR = Tag.Array;
const REF = Tag.Ref;
const UNBOUND = Tag.Unbound;
const REMOTE = Tag.Remote;
const REMOTE_ARRAY = Tag.RemoteArray;

export class Vm {
  readonly code: Uint8Array;
  /** first and second operands decoded once per image (see operands.ts) */
  readonly arg: Int32Array;
  readonly arg2: Int32Array;
  private readonly real: Float32Array;
  /** the value stack (variables of the frames, then temporaries); grows with the call depth (growStack) */
  tags: Uint8Array;
  vals: Float64Array;
  readonly gtags: Uint8Array;
  readonly gvals: Float64Array;
  readonly heap: Heap;
  /** cycles of the instruction at each pc, symbol-table scans included (scan-costs.ts) */
  private readonly pcCost: Float64Array;
  private readonly stackCap: number;
  /**
   * Cells kept free above every frame's variables for its temporaries: the slack for expressions,
   * plus what the image's list literals and calls push (decodedOperands), so a literal of
   * thousands of items fits wherever it stands (the arrays grow at calls, never at a push).
   */
  private readonly temporaryCells: number;

  // function table, flattened
  private readonly fnEntry: Int32Array;
  private readonly fnLocals: Int32Array;
  private readonly fnParams: Int32Array;

  // call frames
  private fRet: Int32Array;
  private fFp: Int32Array;
  private fBase: Int32Array;
  private fArgc: Int32Array;
  /** arguments of the frame bound by reference: they take no stack cell (ePython's aliases have no value storage) */
  private fRefs: Int32Array;
  private fValue: Uint8Array;
  /** stack cells of the live frames that hold references (not counted against the stack budget) */
  private refCells = 0;
  /** 1 for each of the image's files that is the user's (the main file, the user's own modules) */
  private readonly userFile: Uint8Array;
  depth = 0;
  /**
   * Cycles a local's lookup scans past the symbols of the frames between the globals and the
   * current one (recursion; scan-costs.ts counts the globals and the frame's own slots), and the
   * current function's frame size; saved per frame in fScan / fLocals.
   */
  frameScan = 0;
  private curLocals = 0;
  private fScan: Float64Array;
  /** the most frames a call chain may have (the frame arrays grow up to it) */
  private readonly frameCap: number;
  private fLocals: Int32Array;

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
  /** DRAM reads a call's frame costs beyond its cells (0 on a host core: the test in CALL) */
  private readonly frameDramReads: number;
  varReads = 0;
  varWrites = 0;
  /** after Status.Budget: true if the step limit stopped the core (else its cycle limit did) */
  outOfSteps = false;
  status: Status = Status.Budget;

  req: Req = Req.None;
  reqTagA = 0;
  reqValA = 0;
  reqTagB = 0;
  reqValB = 0;
  reqText: string | null = null;
  /**
   * The pid a blocking send may carry a string to, -1 for none (every ordinary run): the host
   * process of an offload session (src/offload), which reads it from this core's heap on arrival.
   */
  stringSink = -1;
  /** the access of Req.Remote (references.ts) */
  readonly remote = new RemoteAccess();

  /** the compiling tier (jit/tier.ts) shared by the cores that run this image with these costs; null: interpret only */
  tier: CompilingTier | null = null;

  error = "";
  errorPc = 0;
  gcHook: GcHook | null = null;
  /** stack high-water mark, in cells */
  maxSp = 0;

  // scratch for the slow paths (arrays.ts, natives.ts)
  readonly dimScratch = new Int32Array(16);
  /** the element arrays.ts locate() found */
  readonly loc = new Located();
  /** the variable locateTarget() found: its table (the stack or the globals) and index */
  private cellTags: Uint8Array = new Uint8Array(0);
  private cellVals: Float64Array = new Float64Array(0);
  private cell = 0;
  private readonly nativeCall = new NativeCall();

  constructor(
    readonly image: ProgramImage,
    readonly setup: CoreSetup,
    readonly costs: VmCosts,
  ) {
    this.code = image.code;
    const operands = decodedOperands(image);
    ({ arg: this.arg, arg2: this.arg2, real: this.real } = operands);
    this.temporaryCells = STACK_SLACK + operands.pushedOperands;
    this.nativeCall.vm = this;
    this.frameDramReads = costs.dram.newCell + costs.dram.frameRelease;
    // (an image with no file names still has its code in "file 0", the user's)
    this.userFile = Uint8Array.from({ length: Math.max(1, image.files.length) }, (_, i) => (i === 0 || !LIBRARY_MODULE_FILES.has(image.files[i]!) ? 1 : 0));
    this.stackCap = Math.max(16, setup.stackCells);
    // the cells of references are not counted against stackCap: room for one per possible frame.
    // The arrays start small and grow at calls (growStack): a core of an e1024 has room for
    // 16,254 cells and most programs use a few hundred (1,024 cores x 311 KB otherwise).
    this.tags = new Uint8Array(Math.min(2 * this.stackCap, INITIAL_STACK_CELLS) + this.temporaryCells);
    this.vals = new Float64Array(this.tags.length);
    this.gtags = new Uint8Array(image.nglobals).fill(NONE);
    this.gvals = new Float64Array(image.nglobals);
    this.heap = new Heap(setup.heapBytes, setup.sharedHeapBytes);
    this.pcCost = instructionCosts(image, costs);
    const nf = image.functions.length;
    this.fnEntry = new Int32Array(nf);
    this.fnLocals = new Int32Array(nf);
    this.fnParams = new Int32Array(nf);
    image.functions.forEach((f, i) => {
      this.fnEntry[i] = f.entry;
      this.fnLocals[i] = f.nlocals;
      this.fnParams[i] = f.nparams;
    });
    this.frameCap = Math.min(MAX_FRAMES, this.stackCap);
    // the frame arrays grow with the call depth (growFrames): most programs stay a few calls
    // deep, and a chip of 1,024 cores would otherwise hold half a megabyte of them per core
    const frames = Math.min(INITIAL_FRAMES, this.frameCap);
    this.fRet = new Int32Array(frames);
    this.fFp = new Int32Array(frames);
    this.fBase = new Int32Array(frames);
    this.fArgc = new Int32Array(frames);
    this.fRefs = new Int32Array(frames);
    this.fScan = new Float64Array(frames);
    this.fLocals = new Int32Array(frames);
    this.fValue = new Uint8Array(frames);
  }

  /** Room for frame `d` in the frame arrays (a call `d + 1` deep), doubling them up to frameCap. */
  private growFrames(d: number): void {
    const n = Math.min(this.frameCap, d + 1);
    this.fRet = grown(this.fRet, n);
    this.fFp = grown(this.fFp, n);
    this.fBase = grown(this.fBase, n);
    this.fArgc = grown(this.fArgc, n);
    this.fRefs = grown(this.fRefs, n);
    this.fScan = grown(this.fScan, n);
    this.fLocals = grown(this.fLocals, n);
    this.fValue = grown(this.fValue, n);
  }

  /**
   * Room for `cells` stack cells (doubling, up to the most a core can use: 2 * stackCap cells of
   * frames and references, plus the temporaries' room), so that every frame has temporaryCells
   * cells for its temporaries above its variables.
   */
  private growStack(cells: number): void {
    const n = Math.min(2 * this.stackCap + this.temporaryCells, Math.max(cells, 2 * this.tags.length));
    this.tags = grown(this.tags, n);
    this.vals = grown(this.vals, n);
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
  run(cycleLimit: number, stepLimit = Infinity): Status {
    if (this.status === Status.Done || this.status === Status.Error) return this.status;
    this.req = Req.None;
    const code = this.code;
    let tags = this.tags;
    let vals = this.vals;
    const gt = this.gtags;
    const gv = this.gvals;
    const cost = this.pcCost;
    const arg = this.arg;
    const arg2 = this.arg2;
    const real = this.real;
    const heap = this.heap;
    const image = this.image;
    let pc = this.pc;
    let sp = this.sp;
    let fp = this.fp;
    let cyc = this.cycles;
    let steps = this.steps;
    // variable accesses, counted in registers and added to varReads/varWrites on the way out
    let vr = 0;
    let vw = 0;
    let r: StepResult = 0;
    /** a RETURN landed where a compiled loop goes on */
    let resume = false;
    /** a backward jump reached a compiled loop's header */
    let entering: CompiledLoop | null = null;
    // The limits are checked where control can flow backwards (jumps back, calls): straight-line
    // code is finite, so a core overshoots its limit by at most one loop body.
    if (cyc >= cycleLimit || steps >= stepLimit) {
      this.outOfSteps = steps >= stepLimit;
      this.status = Status.Budget;
      return Status.Budget;
    }
    if (this.tier !== null && this.tier.resume[pc] !== undefined) {
      // back from a request (a print, a message) made inside a compiled loop
      this.resumeCompiled(cycleLimit, stepLimit);
      pc = this.pc;
      sp = this.sp;
      cyc = this.cycles;
      steps = this.steps;
    }
    for (;;) {
      const op = code[pc]!;
      cyc += cost[pc]!;
      steps++;
      switch (op) {
        case Op.PUSH_I8:
          tags[sp] = INT;
          vals[sp++] = arg[pc]!;
          pc += LEN_PUSH_I8;
          continue;
        case Op.PUSH_INT:
          tags[sp] = INT;
          vals[sp++] = arg[pc]!;
          pc += LEN_PUSH_INT;
          continue;
        case Op.PUSH_REAL:
          tags[sp] = REAL;
          vals[sp++] = real[pc]!;
          pc += LEN_PUSH_REAL;
          continue;
        case Op.PUSH_STR:
          tags[sp] = STR;
          vals[sp++] = -(arg[pc]! + 1);
          pc += LEN_PUSH_STR;
          continue;
        case Op.PUSH_TRUE:
          tags[sp] = BOOL;
          vals[sp++] = 1;
          pc += LEN_PUSH_TRUE;
          continue;
        case Op.PUSH_FALSE:
          tags[sp] = BOOL;
          vals[sp++] = 0;
          pc += LEN_PUSH_FALSE;
          continue;
        case Op.PUSH_NONE:
          tags[sp] = NONE;
          vals[sp++] = 0;
          pc += LEN_PUSH_NONE;
          continue;
        case Op.PUSH_FN:
          tags[sp] = FN;
          vals[sp++] = arg[pc]!;
          pc += LEN_PUSH_FN;
          continue;
        case Op.LOAD_GLOBAL: {
          vr++;
          const s = arg[pc]!;
          const t = gt[s]!;
          if (t < REF) {
            tags[sp] = t;
            vals[sp++] = gv[s]!;
            pc += LEN_LOAD_GLOBAL;
            continue;
          }
          break; // an alias (alias()) or a remote variable (concurrency.access)
        }
        case Op.STORE_GLOBAL: {
          vw++;
          const s = arg[pc]!;
          if (gt[s]! < REF) {
            sp--;
            gt[s] = tags[sp]!;
            gv[s] = vals[sp]!;
            pc += LEN_STORE_GLOBAL;
            continue;
          }
          break; // an alias, a remote variable (or an unbound parameter, an id() value: stored by the slow path)
        }
        case Op.LOAD_LOCAL: {
          vr++;
          cyc += this.frameScan;
          const s = fp + arg[pc]!;
          const t = tags[s]!;
          if (t < REF) {
            tags[sp] = t;
            vals[sp++] = vals[s]!;
            pc += LEN_LOAD_LOCAL;
            continue;
          }
          break; // a parameter bound by reference, or unbound
        }
        case Op.STORE_LOCAL: {
          vw++;
          cyc += this.frameScan;
          const s = fp + arg[pc]!;
          if (tags[s]! < REF) {
            sp--;
            tags[s] = tags[sp]!;
            vals[s] = vals[sp]!;
            pc += LEN_STORE_LOCAL;
            continue;
          }
          break; // a parameter bound by reference, a remote variable (or unbound, an id() value: stored by the slow path)
        }
        case Op.REF_LOCAL: {
          // an alias of an alias is an alias of the original (ePython walks the chain on each access)
          const s = fp + arg[pc]!;
          vals[sp] = tags[s] === REF ? vals[s]! : s;
          tags[sp++] = REF;
          pc += LEN_REF_LOCAL;
          continue;
        }
        case Op.REF_GLOBAL:
          tags[sp] = REF;
          vals[sp++] = -(arg[pc]! + 1);
          pc += LEN_REF_GLOBAL;
          continue;
        case Op.POP:
          sp--;
          pc += LEN_POP;
          continue;
        case Op.DUPN: {
          const n = arg[pc]!;
          for (let i = 0; i < n; i++) {
            tags[sp + i] = tags[sp - n + i]!;
            vals[sp + i] = vals[sp - n + i]!;
          }
          sp += n;
          pc += LEN_DUPN;
          continue;
        }
        case Op.ADD:
        case Op.SUB:
        case Op.MUL: {
          const a = sp - 2;
          const ta = tags[a]!;
          const tb = tags[a + 1]!;
          if (ta === INT && tb === INT) {
            const x = vals[a]!;
            const y = vals[a + 1]!;
            vals[a] = op === Op.ADD ? (x + y) | 0 : op === Op.SUB ? (x - y) | 0 : Math.imul(x, y);
          } else if (ta <= REAL && tb <= REAL) {
            const x = Math.fround(vals[a]!);
            const y = Math.fround(vals[a + 1]!);
            vals[a] = Math.fround(op === Op.ADD ? x + y : op === Op.SUB ? x - y : x * y);
            tags[a] = REAL;
          } else break;
          sp--;
          pc += LEN_OPERATOR;
          continue;
        }
        case Op.DIV:
        case Op.MOD: {
          const a = sp - 2;
          if (tags[a] === INT && tags[a + 1] === INT && vals[a + 1] !== 0) {
            vals[a] = op === Op.DIV ? (vals[a]! / vals[a + 1]!) | 0 : vals[a]! % vals[a + 1]! | 0;
            sp--;
            pc += LEN_OPERATOR;
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
            pc += LEN_OPERATOR;
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
            pc += LEN_OPERATOR;
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
          pc += LEN_FUSED_I8;
          continue;
        }
        case Op.JUMP: {
          const target = arg[pc]!;
          if (target <= pc) {
            if (cyc >= cycleLimit || steps >= stepLimit) {
              r = Status.Budget;
              break;
            }
            if (this.tier !== null) {
              this.fp = fp; // (the tier reads the frame's types when it compiles the loop)
              entering = this.tier.loopAt(this, target);
              if (entering !== null) {
                pc = target;
                break; // into the compiled loop (below, after the registers are saved)
              }
            }
          }
          pc = target;
          continue;
        }
        case Op.JUMP_IF_FALSE: {
          sp--;
          const t = tags[sp]!;
          const falsy = t === BOOL || t === INT || t === REAL ? vals[sp] === 0 : isFalsy(image, heap, t, vals[sp]!);
          pc = falsy ? arg[pc]! : pc + LEN_JUMP_IF_FALSE;
          continue;
        }
        case Op.AND_JUMP:
        case Op.OR_JUMP: {
          const falsy = isFalsy(image, heap, tags[sp - 1]!, vals[sp - 1]!);
          if (falsy === (op === Op.AND_JUMP)) pc = arg[pc]!;
          else {
            sp--;
            pc += LEN_AND_OR;
          }
          continue;
        }
        case Op.INC_LOCAL: {
          vr++;
          vw++;
          cyc += 2 * this.frameScan;
          const s = fp + arg[pc]!;
          if (tags[s] === INT) {
            vals[s] = (vals[s]! + arg2[pc]!) | 0;
            pc += LEN_INC_LOCAL;
            continue;
          }
          break;
        }
        case Op.INC_GLOBAL: {
          vr++;
          vw++;
          const s = arg[pc]!;
          if (gt[s] === INT) {
            gv[s] = (gv[s]! + arg2[pc]!) | 0;
            pc += LEN_INC_GLOBAL;
            continue;
          }
          break;
        }
        case Op.FOR_ITER: {
          const a = sp - 2;
          const i = vals[a + 1]!;
          const addr = heap.resolve(vals[a]!);
          const ar = heap.arena(addr);
          const o = addr - ar.base;
          const count = arrayLength(ar, o);
          if (i < count) {
            const data = arrayData(ar, o);
            const t = elementTag(ar, data, count, i);
            tags[sp] = t;
            vals[sp++] = elementValue(ar, data, i, t);
            vals[a + 1] = i + 1;
            if (ar === heap.shared) {
              cyc += this.costs.sharedReadCycles;
              this.sharedReads++;
            }
            pc += LEN_FOR_ITER;
          } else {
            sp -= 2;
            pc = arg[pc]!;
          }
          continue;
        }
        case Op.INDEX: {
          // one index into a 1-D array
          if (arg[pc] === 1 && tags[sp - 2] === ARR && tags[sp - 1] === INT) {
            const addr = vals[sp - 2]!;
            const ar = heap.arena(addr);
            const o = addr - ar.base;
            const i = vals[sp - 1]!;
            const count = arrayLength(ar, o);
            if (isVector(ar, o) && i >= 0 && i < count) {
              const data = vectorData(o);
              const t = elementTag(ar, data, count, i);
              sp--;
              tags[sp - 1] = t;
              vals[sp - 1] = elementValue(ar, data, i, t);
              if (ar === heap.shared) {
                cyc += this.costs.sharedReadCycles;
                this.sharedReads++;
              }
              pc += LEN_INDEX;
              continue;
            }
          }
          break;
        }
        case Op.STORE_INDEX: {
          // one index into a 1-D array
          if (arg[pc] === 1 && tags[sp - 3] === ARR && tags[sp - 2] === INT) {
            const addr = vals[sp - 3]!;
            const ar = heap.arena(addr);
            const o = addr - ar.base;
            const i = vals[sp - 2]!;
            const count = arrayLength(ar, o);
            if (isVector(ar, o) && i >= 0 && i < count) {
              setElement(ar, vectorData(o), count, i, tags[sp - 1]!, vals[sp - 1]!);
              if (ar === heap.shared) {
                cyc += this.costs.sharedWriteCycles;
                this.sharedWrites++;
              }
              sp -= 3;
              pc += LEN_STORE_INDEX;
              continue;
            }
          }
          break;
        }
        case Op.CALL:
        case Op.CALL_VALUE: {
          if (cyc >= cycleLimit || steps >= stepLimit) {
            r = Status.Budget;
            break;
          }
          let fi: number;
          let argc: number;
          let isValue = 0;
          if (op === Op.CALL) {
            fi = arg[pc]!;
            argc = arg2[pc]!;
          } else {
            argc = arg[pc]!;
            const fslot = sp - argc - 1;
            if (tags[fslot] !== FN) {
              r = this.fail(pc, `called ${aTag(tags[fslot]!)} as a function`);
              break;
            }
            fi = vals[fslot]!;
            isValue = 1;
          }
          // ePython binds min(argc, nparams) arguments (interpreter.c:299-314): extra arguments
          // were evaluated and are dropped, missing parameters stay unbound
          const np = this.fnParams[fi]!;
          if (argc > np) {
            sp -= argc - np;
            argc = np;
          }
          const nlocals = this.fnLocals[fi]!;
          const base = sp - argc;
          const d = this.depth;
          let refs = 0;
          for (let i = base; i < sp; i++) if (tags[i] === REF) refs++;
          const refCells = this.refCells + refs;
          if (base + nlocals - refCells + CALL_STACK_MARGIN > this.stackCap || refCells > this.stackCap || d >= this.frameCap) {
            r = this.fail(pc, `out of core and shared stack memory for data (recursion ${d + 1} calls deep)`);
            break;
          }
          if (d >= this.fRet.length) this.growFrames(d);
          if (base + nlocals + this.temporaryCells > tags.length) {
            this.growStack(base + nlocals + this.temporaryCells);
            tags = this.tags;
            vals = this.vals;
          }
          for (let i = argc; i < np; i++) {
            tags[base + i] = UNBOUND;
            vals[base + i] = fi * 256 + i;
          }
          for (let i = np; i < nlocals; i++) tags[base + i] = NONE;
          cyc += argc * this.costs.callPerArgCycles + (argc - refs) * this.costs.valueArgCycles;
          // ePython gives each value argument's temporary and each local a stack cell on first
          // use (getStackMemory: 2 DRAM reads) and releases the frame on return (2 more): charged
          // here, at the call, assuming every local is assigned
          const cells = argc - refs + nlocals - np;
          if (cells > 0 && this.frameDramReads > 0) {
            const n = cells * this.costs.dram.newCell + this.costs.dram.frameRelease;
            cyc += n * this.costs.sharedReadCycles;
            this.sharedReads += n;
          }
          this.fRet[d] = pc + (isValue ? LEN_CALL_VALUE : LEN_CALL);
          this.fFp[d] = fp;
          this.fBase[d] = base;
          this.fArgc[d] = argc;
          this.fRefs[d] = refs;
          this.fValue[d] = isValue;
          // ePython's table holds every active frame's symbols: the callee's locals sit after the caller's
          this.fScan[d] = this.frameScan;
          this.fLocals[d] = this.curLocals;
          this.frameScan += this.curLocals * this.costs.symbolScanCycles;
          this.curLocals = nlocals;
          this.refCells = refCells;
          this.depth = d + 1;
          sp = base + nlocals;
          if (sp - refCells > this.maxSp) this.maxSp = sp - refCells;
          fp = base;
          pc = this.fnEntry[fi]!;
          if (this.tier === null) continue;
          this.fp = fp; // (the tier reads the frame's types when it compiles the body)
          if (!this.tier.callAt(this, pc)) continue;
          resume = true; // into the compiled body (below, after the registers are saved)
          break;
        }
        case Op.RETURN:
        case Op.RETURN_NONE: {
          let rt: number = NONE;
          let rv = 0;
          if (op === Op.RETURN) {
            rt = tags[sp - 1]!;
            rv = vals[sp - 1]!;
          }
          // nothing to copy back: a parameter bound by reference was the caller's variable all along
          const d = this.depth - 1;
          this.refCells -= this.fRefs[d]!;
          sp = this.fBase[d]! - this.fValue[d]!;
          tags[sp] = rt;
          vals[sp++] = rv;
          pc = this.fRet[d]!;
          fp = this.fFp[d]!;
          this.frameScan = this.fScan[d]!;
          this.curLocals = this.fLocals[d]!;
          this.depth = d;
          if (this.tier === null || this.tier.resume[pc] === undefined) continue;
          resume = true; // back into the caller's compiled loop (below, after the registers are saved)
          break;
        }
        case Op.ARG_PASSED:
          pc = arg[pc]! < this.fArgc[this.depth - 1]! ? arg2[pc]! : pc + LEN_ARG_PASSED;
          continue;
        case Op.HALT:
          r = Status.Done;
          break;
        default:
          break;
      }
      if (r !== 0) {
        if (r === Status.Budget) {
          // a backward jump or a call at the limit: not executed yet, it runs (and is charged) on resume
          this.outOfSteps = steps >= stepLimit;
          cyc -= cost[pc]!;
          steps--;
        }
        break;
      }
      // slow paths: everything that may allocate, fail or leave the core
      this.pc = pc;
      this.sp = sp;
      this.fp = fp;
      this.cycles = cyc;
      this.steps = steps;
      this.varReads += vr;
      this.varWrites += vw;
      vr = vw = 0;
      if (entering !== null) {
        // the compiled loop leaves at the pc where the interpreter carries on (not back into it)
        const loop = entering;
        entering = null;
        if (loop(this, cycleLimit, stepLimit, 0) !== 0) this.tier!.speculationFailed(this, pc);
      } else {
        if (resume) resume = false;
        else r = this.slow(op);
        if (r === 0 && this.tier !== null) this.resumeCompiled(cycleLimit, stepLimit);
      }
      pc = this.pc;
      sp = this.sp;
      fp = this.fp;
      cyc = this.cycles;
      steps = this.steps; // a fused operation's slow path counts its second operation there
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

  /**
   * Go on in compiled code if a compiled loop has a block starting at this.pc (the operation it
   * left for is done); the registers are in the fields, and are left there.
   */
  private resumeCompiled(cycleLimit: number, stepLimit: number): void {
    const tier = this.tier!;
    const at = this.pc;
    const loop = tier.resume[at];
    if (loop === undefined) return;
    if (loop(this, cycleLimit, stepLimit, tier.resumeBlock[at]!) !== 0) tier.speculationFailed(this, tier.resumeHead[at]!);
  }

  /** Record a runtime error at pc; returns Status.Error. */
  fail(pc: number, message: string): typeof Status.Error {
    this.error = message;
    this.errorPc = pc;
    this.status = Status.Error;
    return Status.Error;
  }

  /**
   * A new heap string in the core's shared heap, where ePython's host puts string results: the
   * host allocates it, so the core pays nothing for the allocation.
   */
  newString(s: string): number {
    const addr = this.alloc(stringBytes(s.length), true, true, true);
    if (addr < 0) return -1;
    const ar = this.heap.arena(addr);
    initString(ar, addr - ar.base, s);
    return addr;
  }

  // --- heap ------------------------------------------------------------------------------------

  /**
   * Allocate a chunk of `bytes` (ePython's size); on failure collect and retry, then overflow to the shared heap, as ePython's
   * getHeapMemory does. Returns an address, or -1 after recording the out-of-memory error.
   * The core pays the allocator's work and its DRAM reads (costs.dram) unless the host allocates.
   */
  alloc(bytes: number, sharedOnly: boolean, quietFail = false, byHost = false): number {
    const heap = this.heap;
    const dram = byHost ? NO_DRAM : this.costs.dram;
    if (!byHost) this.cycles += this.costs.allocCycles;
    // allInSharedMemory is read once (R:384); each walk re-reads its heap's start (R:546, R:542)
    let local = false;
    if (!sharedOnly && heap.local.limitBytes > 0) {
      local = true;
      this.dramReads(dram.alloc);
      let a = heap.tryAlloc(heap.local, bytes);
      if (a < 0) {
        this.collect();
        this.dramReads(dram.alloc - 1);
        a = heap.tryAlloc(heap.local, bytes);
      }
      if (a >= 0) return a;
    }
    this.dramReads(local ? dram.sharedAlloc - 1 : dram.sharedAlloc);
    let a = heap.tryAlloc(heap.shared, bytes);
    if (a < 0) {
      this.collect();
      this.dramReads(dram.sharedAlloc - 1);
      a = heap.tryAlloc(heap.shared, bytes);
    }
    if (a >= 0) this.dramStores(dram.sharedAllocStores); // the split's headers
    if (a < 0 && !quietFail) {
      this.fail(this.pc, sharedOnly
        ? `out of shared heap memory for data (asked for ${bytes} bytes; ${heap.shared.limitBytes} bytes in all)`
        : `out of core and shared heap memory for data (asked for ${bytes} bytes; core heap ${heap.local.limitBytes} bytes, shared heap ${heap.shared.limitBytes} bytes)`);
    } else if (a < 0) this.fail(this.pc, `out of shared heap memory for a string of ${bytes} bytes`);
    return a;
  }

  /** `n` reads of ePython's control data in shared DRAM (costs.dram), booked on the eLink with the byte code's. */
  dramReads(n: number): void {
    this.cycles += n * this.costs.sharedReadCycles;
    this.sharedReads += n;
  }

  /** `n` posted stores to shared DRAM. */
  dramStores(n: number): void {
    this.cycles += n * this.costs.sharedWriteCycles;
    this.sharedWrites += n;
  }

  /** Garbage-collect both heaps; the roots are the whole stack and the globals. */
  collect(): void {
    this.dramReads(this.costs.dram.collect);
    const st = this.heap.collect(this.tags, this.vals, this.sp, this.gtags, this.gvals, STR, ARR);
    const pause = Math.round(st.wordsScanned * this.costs.gcCyclesPerWord);
    const at = this.cycles;
    this.cycles += pause;
    this.gcHook?.(at, st.usedBefore, st.usedAfter, pause);
  }

  // --- slow paths ------------------------------------------------------------------------------

  /** Execute `op` at this.pc outside the fast loop; returns 0 to continue or a Status. */
  private slow(op: number): StepResult {
    const pc = this.pc;
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
        return binary(this, op);
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
        this.push(INT, this.arg[pc]!);
        this.steps++;
        const r = binary(this, FUSED_I8[op]!);
        if (r === 0 || r === Status.Blocked) this.pc = pc + INSTRUCTION_LENGTH[op]!;
        return r;
      }
      case Op.NEG: {
        const a = this.sp - 1;
        const t = tags[a]!;
        if (t === INT || t === BOOL) {
          tags[a] = INT;
          vals[a] = -vals[a]! | 0;
        } else if (t === REAL) vals[a] = -vals[a]!;
        else return this.fail(pc, `unary minus needs a number, not ${aTag(t)}`);
        this.pc += INSTRUCTION_LENGTH[op]!;
        return 0;
      }
      case Op.NOT: {
        const a = this.sp - 1;
        vals[a] = isFalsy(this.image, this.heap, tags[a]!, vals[a]!) ? 1 : 0;
        tags[a] = BOOL;
        this.pc += INSTRUCTION_LENGTH[op]!;
        return 0;
      }
      case Op.INC_LOCAL:
      case Op.INC_GLOBAL:
        return this.increment(op === Op.INC_LOCAL);
      case Op.LOAD_LOCAL:
        return this.loadThroughReference(this.fp + this.arg[pc]!, LEN_LOAD_LOCAL);
      case Op.STORE_LOCAL:
        return this.storeThroughReference(this.fp + this.arg[pc]!, LEN_STORE_LOCAL);
      case Op.LOAD_GLOBAL:
        return this.loadThroughReference(-this.arg[pc]! - 1, LEN_LOAD_GLOBAL);
      case Op.STORE_GLOBAL:
        return this.storeThroughReference(-this.arg[pc]! - 1, LEN_STORE_GLOBAL);
      case Op.FOR_START: {
        const t = tags[this.sp - 1]!;
        if (t !== ARR) return this.fail(pc, `for-in needs an array to iterate over, not ${aTag(t)}`);
        this.push(INT, 0);
        this.pc += INSTRUCTION_LENGTH[op]!;
        return 0;
      }
      case Op.INDEX:
        if (tags[this.sp - this.arg[pc]! - 1] === REMOTE_ARRAY) return remoteIndex(this, this.arg[pc]!, false);
        return index(this, this.arg[pc]!);
      case Op.STORE_INDEX:
        if (tags[this.sp - this.arg[pc]! - 2] === REMOTE_ARRAY) return remoteIndex(this, this.arg[pc]!, true);
        return storeIndex(this, this.arg[pc]!);
      case Op.NEW_LIST:
        return buildList(this, this.arg[pc]!);
      case Op.REP_BEGIN:
        return repeatBegin(this, this.arg[pc]!);
      case Op.REP_TEST:
        if (vals[this.sp - 1]! >= vals[this.sp - 2]!) {
          this.sp -= 2;
          this.pc = this.arg[pc]!;
        } else this.pc += INSTRUCTION_LENGTH[op]!;
        return 0;
      case Op.REP_STORE:
        return repeatStore(this, this.arg[pc]!);
      case Op.PRINT: {
        this.sp--;
        this.reqText = toText(this.image, this.heap, tags[this.sp]!, vals[this.sp]!);
        this.reqTagA = tags[this.sp]!; // a string goes to the host through the shared heap
        this.pc += INSTRUCTION_LENGTH[op]!;
        this.req = Req.Print;
        return Status.Blocked;
      }
      case Op.NATIVE:
        return callNative(this.nativeCall, this.arg[pc]!, this.arg2[pc]!);
      default:
        return this.fail(pc, `internal error: bad opcode ${op} at ${pc}`);
    }
  }

  /**
   * Like locate, for a target (a stack cell s, or global g as -(g+1)): follows one reference (a
   * parameter's, or an alias() of a global; a reference never points at another).
   */
  private locateTarget(target: number): void {
    let t = target;
    const tt = t < 0 ? this.gtags[-t - 1]! : this.tags[t]!;
    if (tt === REF) t = t < 0 ? this.gvals[-t - 1]! : this.vals[t]!;
    if (t < 0) {
      this.cellTags = this.gtags;
      this.cellVals = this.gvals;
      this.cell = -t - 1;
      return;
    }
    this.cell = t;
    this.cellTags = this.tags;
    this.cellVals = this.vals;
  }

  /** A parameter read with no value passed: ePython reads garbage (research §2); we stop. */
  private unbound(payload: number): typeof Status.Error {
    const f = this.image.functions[Math.floor(payload / 256)];
    const name = f?.params?.[payload % 256];
    return this.fail(this.pc, name !== undefined && f ? `parameter '${name}' of ${f.name}() was not passed a value` : "a parameter was not passed a value");
  }

  /**
   * LOAD_LOCAL / LOAD_GLOBAL of a variable bound by reference, unbound, holding an id() value
   * or bound to another core's variable (whose read leaves the core).
   */
  private loadThroughReference(target: number, len: number): StepResult {
    this.locateTarget(target);
    const t = this.cellTags[this.cell]!;
    const v = this.cellVals[this.cell]!;
    if (t === UNBOUND) return this.unbound(v);
    this.pc += len;
    if (t === REMOTE) return remoteVariable(this, RemoteKind.Load, v);
    this.push(t, v);
    return 0;
  }

  /**
   * STORE_LOCAL / STORE_GLOBAL to a variable bound by reference (the variable it aliases is
   * written) or to another core's (the write leaves the core; storing another remote variable
   * rebinds it, as ePython's handleLet does for a dereferenced value).
   */
  private storeThroughReference(target: number, len: number): StepResult {
    this.locateTarget(target);
    this.sp--;
    const t = this.tags[this.sp]!;
    const v = this.vals[this.sp]!;
    this.pc += len;
    if (this.cellTags[this.cell] === REMOTE && t !== REMOTE) return remoteVariable(this, RemoteKind.Store, this.cellVals[this.cell]!, 0, t, v);
    this.cellTags[this.cell] = t;
    this.cellVals[this.cell] = v;
    return 0;
  }

  /** INC_LOCAL / INC_GLOBAL when the variable does not hold an int: the general add. */
  private increment(local: boolean): StepResult {
    const pc = this.pc;
    const slot = this.arg[pc]!;
    this.locateTarget(local ? this.fp + slot : -slot - 1);
    const vt = this.cellTags;
    const vv = this.cellVals;
    const s = this.cell;
    if (vt[s] === UNBOUND) return this.unbound(vv[s]!);
    if (vt[s] === REMOTE) {
      this.pc = pc + INSTRUCTION_LENGTH[this.code[pc]!]!;
      return remoteVariable(this, RemoteKind.Inc, vv[s]!, this.arg2[pc]!);
    }
    this.push(vt[s]!, vv[s]!);
    this.push(INT, this.arg2[pc]!);
    const r = binary(this, Op.ADD);
    if (r === Status.Error) return r;
    this.sp--;
    vt[s] = this.tags[this.sp]!;
    vv[s] = this.vals[this.sp]!;
    this.pc = pc + INSTRUCTION_LENGTH[this.code[pc]!]!;
    return r;
  }
}
