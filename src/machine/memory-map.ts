/**
 * ePython's per-core SRAM layout (semantics section 3.1):
 *
 *   0x0000 .. interpreterBytes   interpreter, runtime, C stack (24 KB)
 *   symbolBase                   symbol table (symbolBytes)
 *   codeBase                     byte code, when placed on the core
 *   postboxBase                  postbox: one 6-byte slot per possible sender
 *   stackBase                    scalar stack (1 KB), unless -datashared
 *   heapBase .. sramBytes        heap (what is left), unless -datashared
 *
 * plus, per core in shared DRAM, a 64,000-byte stack and a 448,000-byte heap.
 *
 * What lives there, in ePython's bytes (src/vm/heap.ts and object.ts model exactly these):
 *   - scalar stack: 4-byte cells (STACK_CELL_BYTES), 255 on the core + 15,999 shared (stackCells);
 *   - heap chunk: a 3-byte header in the core heap, 5 bytes in the shared heap, then the payload;
 *   - array payload: 1 + 4 * dims + 4 * elements bytes; string payload: length + 1.
 * So `array(n)` takes 4n + 8 bytes of the core heap or 4n + 10 of the shared heap, and a core's
 * shared heap holds one array of at most floor((448,000 - 5 - 5 - 1 - 4) / 4) = 111,996 elements:
 * two chunk headers (the first chunk's always stays, epiphany-runtime.c:558-559), the array's
 * header byte and its one dimension.
 */
import type { ChipSpec } from "./chip.js";

/**
 * Interpreter + runtime + C stack: INTERNAL_RAM 0x0000-0x5FFF (semantics 3.1; DOC facts: "take
 * about 24 KB of each core's 32 KB"). GUESS for the 64 KB e1024: the same 24 KB build, leaving
 * 40 KB for user state.
 */
export const INTERPRETER_BYTES = 0x6000;
/** CORE_CODE_MAX_SIZE: byte code longer than this stays in shared memory (semantics 3.1). */
export const CORE_CODE_MAX_SIZE = 2048;
/** Bytes per postbox slot: [type:u8][payload:4][seq:u8] (semantics 3.4). */
export const POSTBOX_SLOT_BYTES = 6;
/** ePython reserves 100 bytes of postbox for its 16 possible senders (semantics 3.1). */
export const EPYTHON_POSTBOX_BYTES = 100;
/** LOCAL_CORE_STACK_SIZE 0x400: the on-core scalar stack (semantics 3.1). */
export const CORE_STACK_BYTES = 0x400;
/** Shared-DRAM heap per core, 0x6D600 (semantics 3.1, shared.h). */
export const SHARED_HEAP_BYTES = 0x6d600;
/** Shared-DRAM stack per core, 0xFA00 (semantics 3.1, shared.h). */
export const SHARED_STACK_BYTES = 0xfa00;
/**
 * One scalar-stack cell: a variable's or call temporary's value, `getStackMemory(sizeof(int), 0)`
 * on its first assignment (interpreter/interpreter.c:439-444). Parameters alias their argument and
 * take none; strings, arrays and functions keep their pointer in the symbol and take none.
 */
export const STACK_CELL_BYTES = 4;

/**
 * Scalar-stack cells a core has: ePython's bump allocator (devices/epiphany/epiphany-runtime.c:595-611)
 * moves to the shared stack once the on-core count reaches LOCAL_CORE_STACK_SIZE (`>=`, :604), and
 * fails once the shared count reaches SHARED_STACK_DATA_AREA_PER_CORE (`>=`, :599, :607): so the
 * last 4 bytes of each are never used, 255 + 15,999 = 16,254 cells (15,999 with -datashared).
 */
export function stackCells(layout: Pick<CoreLayout, "stackBytes" | "sharedStackBytes">): number {
  const cells = (bytes: number) => (bytes > 0 ? Math.floor((bytes - 1) / STACK_CELL_BYTES) : 0);
  return cells(layout.stackBytes) + cells(layout.sharedStackBytes);
}
/** GUESS: regions after the symbol table start on 8-byte boundaries (doubleword alignment, DOC
 * facts: loads need natural alignment and 64-bit accesses are the widest). */
const ALIGN = 8;

export interface CoreLayoutParams {
  codeBytes: number;
  symbolBytes: number;
  /** processes that may send to this core; sizes the postbox (at least ePython's 100 bytes) */
  activeCores: number;
  /** -codeshared: byte code in shared memory even if it would fit */
  codeShared?: boolean;
  /** -codecore: byte code on the core even beyond the 2048-byte limit (error if it cannot fit) */
  codeCore?: boolean;
  /** -datashared: scalar stack and heap in shared memory */
  dataShared?: boolean;
}

export interface CoreLayout {
  sramBytes: number;
  interpreterBytes: number;
  symbolBase: number;
  symbolBytes: number;
  codeOnCore: boolean;
  /** where the byte code starts on the core; when codeOnCore is false, where it would have gone */
  codeBase: number;
  codeBytes: number;
  postboxBase: number;
  postboxBytes: number;
  stackBase: number;
  /** on-core scalar stack bytes (0 with dataShared) */
  stackBytes: number;
  heapBase: number;
  /** on-core heap bytes (0 with dataShared) */
  heapBytes: number;
  sharedHeapBytes: number;
  sharedStackBytes: number;
  warnings: string[];
}

export class MemoryMapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MemoryMapError";
  }
}

function alignUp(x: number): number {
  return Math.ceil(x / ALIGN) * ALIGN;
}

/**
 * The memory map's account of a layout that does not fit: each part's bytes, the alignment
 * padding between them, their sum against the core's SRAM, and the heap that is left (none).
 */
function sramAccount(spec: ChipSpec, end: number, parts: readonly [string, number][]): string {
  const listed = parts.reduce((a, [, n]) => a + n, 0);
  const all: [string, number][] = end > listed ? [...parts, ["alignment", end - listed]] : [...parts];
  return (
    `The core's ${spec.sramBytes} bytes of SRAM (${spec.sramBytes / 1024} KB) would hold ` +
    `${all.map(([what, n]) => `${what} ${n}`).join(" + ")} = ${end} bytes, ${end - spec.sramBytes} more than there are, ` +
    `and nothing would be left for the heap.`
  );
}

export function layoutCore(spec: ChipSpec, p: CoreLayoutParams): CoreLayout {
  const sram = spec.sramBytes;
  const interpreterBytes = INTERPRETER_BYTES;
  const userBytes = sram - interpreterBytes;
  if (!(p.codeBytes >= 0 && p.symbolBytes >= 0 && p.activeCores >= 1)) {
    throw new MemoryMapError(
      `bad layout request: code ${p.codeBytes} bytes, symbols ${p.symbolBytes} bytes, ${p.activeCores} cores`,
    );
  }
  if (p.codeShared && p.codeCore) {
    throw new MemoryMapError("byte code cannot be forced both onto the cores and into shared memory");
  }
  const warnings: string[] = [];
  const dataShared = p.dataShared === true;
  const postboxBytes = Math.max(EPYTHON_POSTBOX_BYTES, p.activeCores * POSTBOX_SLOT_BYTES);
  const stackBytes = dataShared ? 0 : CORE_STACK_BYTES;

  const symbolBase = interpreterBytes;
  const codeBase = alignUp(symbolBase + p.symbolBytes);
  // space the fixed parts need without / with the code on the core
  const fixedEnd = (afterSymbols: number) => alignUp(alignUp(afterSymbols) + postboxBytes) + stackBytes;
  const endWithoutCode = fixedEnd(symbolBase + p.symbolBytes);
  if (endWithoutCode > sram) {
    throw new MemoryMapError(
      `core memory overflow on ${spec.name}: symbol table (${p.symbolBytes} bytes) + postbox (${postboxBytes}) + ` +
        `scalar stack (${stackBytes}) need ${endWithoutCode - interpreterBytes} bytes, but only ${userBytes} bytes ` +
        `are left after the ${interpreterBytes}-byte interpreter. ` +
        sramAccount(spec, endWithoutCode, [
          ["interpreter", interpreterBytes],
          ["symbol table", p.symbolBytes],
          ["postbox", postboxBytes],
          ["scalar stack", stackBytes],
        ]) +
        (p.codeBytes > 0 ? ` The byte code (${p.codeBytes} bytes) is not in this sum: it would go to shared memory.` : "") +
        ` The symbol table has an entry for every global variable and every local of every function (ten for a` +
        ` recursive function's): fewer of them make room` +
        (postboxBytes > EPYTHON_POSTBOX_BYTES ? `; so do fewer processes (the postbox has a ${POSTBOX_SLOT_BYTES}-byte slot for each of the ${p.activeCores})` : "") +
        (dataShared ? "." : `; so does -datashared (the scalar stack and the heap in shared memory).`),
    );
  }
  const fitsWithCode = fixedEnd(codeBase + p.codeBytes) <= sram;
  let codeOnCore: boolean;
  if (p.codeShared) {
    codeOnCore = false;
  } else if (p.codeCore) {
    if (!fitsWithCode) {
      throw new MemoryMapError(
        `core memory overflow on ${spec.name}: byte code (${p.codeBytes} bytes) forced onto the core does not fit ` +
          `with the symbol table (${p.symbolBytes}), postbox (${postboxBytes}) and stack (${stackBytes}) in ` +
          `${userBytes} bytes. ` +
          sramAccount(spec, fixedEnd(codeBase + p.codeBytes), [
            ["interpreter", interpreterBytes],
            ["symbol table", p.symbolBytes],
            ["byte code", p.codeBytes],
            ["postbox", postboxBytes],
            ["scalar stack", stackBytes],
          ]) +
          ` Without -codecore the byte code goes to shared memory (each instruction is then fetched from DRAM).`,
      );
    }
    codeOnCore = true;
  } else if (p.codeBytes > CORE_CODE_MAX_SIZE) {
    codeOnCore = false;
    warnings.push(
      `Warning: Your code size of ${p.codeBytes} bytes exceeds the ${CORE_CODE_MAX_SIZE} byte limit for placement on cores so storing in shared memory`,
    );
  } else if (!fitsWithCode) {
    codeOnCore = false;
    warnings.push(
      `Warning: Your code size of ${p.codeBytes} bytes does not fit in core memory next to the symbol table so storing in shared memory`,
    );
  } else {
    codeOnCore = true;
  }

  const postboxBase = alignUp(codeOnCore ? codeBase + p.codeBytes : codeBase);
  const stackBase = alignUp(postboxBase + postboxBytes);
  const heapBase = stackBase + stackBytes;
  const heapBytes = dataShared ? 0 : sram - heapBase;
  return {
    sramBytes: sram,
    interpreterBytes,
    symbolBase,
    symbolBytes: p.symbolBytes,
    codeOnCore,
    codeBase,
    codeBytes: p.codeBytes,
    postboxBase,
    postboxBytes,
    stackBase,
    stackBytes,
    heapBase,
    heapBytes,
    sharedHeapBytes: SHARED_HEAP_BYTES,
    sharedStackBytes: SHARED_STACK_BYTES,
    warnings,
  };
}
