/**
 * The compiling tier (issue 14): hot loops and functions of the byte code become JavaScript
 * functions that V8 optimises (codegen.ts), entered from the interpreter at a loop's backward jump
 * or a function's entry, left, with the VM's state exactly the interpreter's, wherever the
 * interpreter has to carry on (a call, a print, a message, an operand of another type), and
 * entered again where that operation ends if it ends at the start of a compiled block.
 *
 * Whether and when a loop is compiled changes nothing in the run: compiled code counts every
 * cycle, step and access as the interpreter does, checks the limits where it does and leaves
 * before any operation it does not carry out the interpreter's way. So the tier is shared by all
 * the cores that run one image with one cost table, and its counters may be shared too.
 */
import { arrayData, arrayLength, elementTag, elementValue, isVector, setElement, vectorData } from "../object.js";
import { isFalsy } from "../operators.js";
import { Op } from "../../lang/opcodes.js";
import type { ProgramImage } from "../../lang/image.js";
import { decodedOperands, INSTRUCTION_LENGTH } from "../operands.js";
import { instructionCosts } from "../scan-costs.js";
import type { VmCosts } from "../setup.js";
import { loopSource } from "./codegen.js";
import { inlineOp, loopRegion } from "./region.js";

/** How the byte code is executed: a choice of speed, never of results (so it is not in the trace). */
export interface Execution {
  /** compile hot loops (false: the interpreter alone, `--no-jit`) */
  compile: boolean;
  /** backward jumps to a loop header before its loop is compiled */
  threshold: number;
}

/**
 * 16 trips: enough that a loop run once or twice (set-up code) stays interpreted, few enough
 * that any loop worth the compile (a few hundred microseconds of V8) gets it. A speed choice.
 */
export const DEFAULT_EXECUTION: Execution = { compile: true, threshold: 16 };

/** What the tier needs of a VM (vm.ts implements it); kept narrow so the tier does not import vm.ts. */
export interface TierVm {
  readonly code: Uint8Array;
  readonly arg: Int32Array;
  readonly arg2: Int32Array;
  readonly gtags: Uint8Array;
  readonly tags: Uint8Array;
  readonly fp: number;
}

/**
 * A compiled loop: runs from block `entry` (0: its header) until it leaves; returns 1 when a
 * speculation on a variable's type failed.
 */
export type CompiledLoop = (vm: TierVm, cycleLimit: number, stepLimit: number, entry: number) => number;

/** Type speculations that fail this often make the loop recompile without them. */
const SPECULATION_FAILURES = 8;
/** Instructions beyond which a loop is not compiled (V8 handles huge functions badly). */
const MAX_INSTRUCTIONS = 4000;

/** The functions generated code calls, under these names. */
const HELPERS = { arrayLength, arrayData, isVector, vectorData, elementTag, elementValue, setElement, isFalsy };

export interface TierCosts {
  readonly real: Float32Array;
  readonly cost: Float64Array;
  readonly sharedReadCycles: number;
  readonly sharedWriteCycles: number;
}

export class CompilingTier {
  /** backward jumps seen per loop header */
  private readonly trips: Int32Array;
  /** compiled loops by header pc; null: cannot be compiled; undefined: not yet tried */
  private readonly loops: (CompiledLoop | null | undefined)[];
  private readonly failures: Int32Array;
  private readonly generic: Uint8Array;
  /** loops compiled (for tests and the benchmark) */
  compiled = 0;
  /**
   * Where the interpreter may go back into compiled code: the pc after an operation a compiled
   * loop leaves for (a call, a print, a native), when that pc starts a block of the loop; the
   * loop, the block and the loop's header.
   */
  readonly resume: (CompiledLoop | undefined)[];
  readonly resumeBlock: Int32Array;
  readonly resumeHead: Int32Array;

  constructor(
    codeLength: number,
    private readonly costs: TierCosts,
    private readonly threshold: number,
    /** each function's entry pc and the pc of its body's last instruction */
    private readonly functionEnds: ReadonlyMap<number, number> = new Map(),
  ) {
    this.trips = new Int32Array(codeLength + 1);
    // dense from the start (written at scattered pcs, a growing array would turn sparse)
    this.loops = Array.from({ length: codeLength + 1 }, () => undefined);
    this.resume = Array.from({ length: codeLength + 1 }, () => undefined);
    this.failures = new Int32Array(codeLength + 1);
    this.generic = new Uint8Array(codeLength + 1);
    this.resumeBlock = new Int32Array(codeLength + 1);
    this.resumeHead = new Int32Array(codeLength + 1);
  }

  /** The compiled loop to enter at `head` (reached by a backward jump), or null to interpret. */
  loopAt(vm: TierVm, head: number): CompiledLoop | null {
    const known = this.loops[head];
    if (known !== undefined) return known;
    if (++this.trips[head]! < this.threshold) return null;
    const loop = this.compile(vm, head, true);
    this.loops[head] = loop;
    return loop;
  }

  /**
   * A call has reached the function whose body starts at `entry` (its frame set up): true when
   * its body is compiled (resume[entry]), compiling it on its `threshold`-th call.
   */
  callAt(vm: TierVm, entry: number): boolean {
    if (this.loops[entry] !== undefined) return this.resume[entry] !== undefined;
    if (++this.trips[entry]! < this.threshold) return false;
    this.loops[entry] = this.compile(vm, entry, true);
    return this.resume[entry] !== undefined;
  }

  /** A compiled region left on a failed type speculation: after a few, compile it again without speculating. */
  speculationFailed(vm: TierVm, head: number): void {
    if (++this.failures[head]! < SPECULATION_FAILURES || this.generic[head]) return;
    this.generic[head] = 1;
    this.loops[head] = this.compile(vm, head, false);
  }

  private compile(vm: TierVm, head: number, speculate: boolean): CompiledLoop | null {
    const { code, arg } = vm;
    const fnEnd = this.functionEnds.get(head);
    const last = fnEnd ?? closingJump(code, arg, head);
    if (last < 0) return null;
    const region = loopRegion(code, arg, head, last);
    if (region === null || region.pcs.length > MAX_INSTRUCTIONS) return null;
    const c = this.costs;
    const source = loopSource({
      code, arg, arg2: vm.arg2, real: c.real, cost: c.cost, region,
      sharedReadCycles: c.sharedReadCycles, sharedWriteCycles: c.sharedWriteCycles,
      observe: speculate ? (global, slot) => (global ? vm.gtags[slot]! : vm.tags[vm.fp + slot]!) : null,
    });
    this.compiled++;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generating code is this module's job
    const loop = new Function(...Object.keys(HELPERS), source)(...Object.values(HELPERS)) as CompiledLoop;
    // a function's body is entered at its start; a region (an enclosing one compiled later, or
    // this one recompiled, takes over) resumes after the operations it leaves for
    if (fnEnd !== undefined) {
      this.resume[head] = loop;
      this.resumeBlock[head] = 0;
      this.resumeHead[head] = head;
    }
    for (const pc of region.pcs) {
      const next = pc + INSTRUCTION_LENGTH[code[pc]!]!;
      const block = region.blockAt.get(next);
      // (not where the next operation is one compiled code leaves for too: it would leave at once)
      if (inlineOp(code[pc]!) || block === undefined || !inlineOp(code[next]!)) continue;
      this.resume[next] = loop;
      this.resumeBlock[next] = block;
      this.resumeHead[next] = head;
    }
    return loop;
  }
}

/** The tier for the cores that run `image` with `costs`, or null when `execution` says interpret only. */
export function compilingTier(image: ProgramImage, costs: VmCosts, execution: Execution): CompilingTier | null {
  if (!execution.compile) return null;
  const tierCosts: TierCosts = {
    real: decodedOperands(image).real,
    cost: instructionCosts(image, costs),
    sharedReadCycles: costs.sharedReadCycles,
    sharedWriteCycles: costs.sharedWriteCycles,
  };
  return new CompilingTier(image.code.length, tierCosts, Math.max(1, execution.threshold), functionEnds(image));
}

/** Each function's entry and the start of its last instruction (functions lie one after another after the main code). */
function functionEnds(image: ProgramImage): Map<number, number> {
  const entries = image.functions.map((f) => f.entry).sort((a, b) => a - b);
  const ends = new Map<number, number>();
  entries.forEach((entry, i) => {
    const limit = i + 1 < entries.length ? entries[i + 1]! : image.code.length;
    let last = -1;
    for (let pc = entry; pc < limit; pc += INSTRUCTION_LENGTH[image.code[pc]!]!) last = pc;
    if (last >= entry) ends.set(entry, last);
  });
  return ends;
}

/** The last backward JUMP to `head` at or after it (the loop's closing jump; `continue` jumps come earlier), or -1. */
function closingJump(code: Uint8Array, arg: Int32Array, head: number): number {
  let last = -1;
  for (let pc = head; pc < code.length; pc += INSTRUCTION_LENGTH[code[pc]!]!) {
    if (code[pc] === Op.JUMP && arg[pc] === head) last = pc;
  }
  return last;
}
