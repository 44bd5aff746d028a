/**
 * A core's heap: arrays and strings inside ePython's byte budgets, with a mark-sweep collector.
 *
 * As in ePython there are two arenas per core: the heap in the core's SRAM (what the memory map
 * leaves after interpreter, symbols, code, postbox and stack) and the core's share of shared DRAM
 * (448,000 bytes), used when the core heap is full even after a collection. The allocator is
 * ePython's (devices/epiphany/epiphany-runtime.c, branch dev):
 *   - the arena starts as one free chunk: a header and `limitBytes - header` bytes (:366-375);
 *   - a chunk is a header (core heap: u16 length + u8 in-use = 3 bytes; shared heap: u32 + u8 =
 *     5 bytes, :422-431) and `length` payload bytes;
 *   - allocation is first fit over the chunks in address order; a free chunk fits `size` bytes if
 *     its length is at least `size` + one header, and the new chunk is split off its END, so the
 *     first chunk (offset 0) stays free for ever (:534-579);
 *   - freeing or collecting coalesces adjacent free chunks (:416-420, :479-531).
 * Unlike ePython the collector's roots are the whole VM stack (so temporaries are safe) and
 * arrays are traced through, so arrays may hold strings and arrays.
 *
 * Modelled bytes and our words: the arena's offsets are ePython's byte offsets, and each modelled
 * byte is backed by one 32-bit word of ours. So every chunk lies exactly where, and is exactly as
 * large as, ePython's, and inside it we have four times the room ePython has: the object model
 * (object.ts) keeps its own header words, its 32-bit payloads and a type tag per array element
 * there without changing the modelled footprint (array(n) costs ePython's 1 + 4*dims + 4n bytes
 * plus the chunk header). The words are allocated lazily from the top of the arena down, where
 * ePython's allocator places chunks, so an idle shared heap costs almost nothing.
 *
 * Addresses: an arena's chunk at byte offset c has address addrBase + c (shared addresses are
 * offset by SHARED_BASE) and its words start at words[address - base]; `base` moves down when the
 * arena grows, so take `address - arena.base` after any allocation, never before.
 *
 * A chunk's first word is the allocator's: payload length << 2 | mark << 1 | in use. What follows
 * is the object model's (object.ts). The first chunk's header is kept in `head` (it may not be
 * backed by words).
 */
import { arrayData, arrayLength, chunkKind, elementTag, elementValue, forwardTarget, KIND_ARRAY, KIND_FORWARD } from "./object.js";

export { KIND_ARRAY, KIND_FORWARD, KIND_STRING } from "./object.js";

export const SHARED_BASE = 1 << 24;

/** Core-heap chunk header: unsigned short length + unsigned char in-use (epiphany-runtime.c:370, :545-547). */
export const CORE_CHUNK_HEADER_BYTES = 3;
/** Shared-heap chunk header: unsigned int length + unsigned char in-use (epiphany-runtime.c:371, :541-543). */
export const SHARED_CHUNK_HEADER_BYTES = 5;

/** Words a lazily backed arena starts with (ours: one per modelled byte, from the top down). */
const LAZY_INITIAL_WORDS = 4096;

const USED = 1;
const MARK = 2;

export class Arena {
  words: Int32Array;
  reals: Float32Array;
  bytes: Uint8Array;
  /** words[address - base] is the word of an address; moves down as the arena grows */
  base: number;
  /** lowest byte offset backed by words (the arena grows downwards, where chunks are placed) */
  low: number;
  /** payload length of the first chunk (offset 0), which is always free; -1 if the arena is too small for a chunk */
  head: number;
  /** modelled bytes of the chunks in use, their headers included */
  usedBytes = 0;
  liveChunks = 0;

  constructor(
    /** the arena's size in ePython's bytes */
    readonly limitBytes: number,
    /** chunk header bytes: CORE_CHUNK_HEADER_BYTES or SHARED_CHUNK_HEADER_BYTES */
    readonly headerBytes: number,
    /** address of byte offset 0 */
    readonly addrBase: number,
    lazy: boolean,
  ) {
    this.head = limitBytes >= headerBytes ? limitBytes - headerBytes : -1;
    this.low = lazy ? Math.max(0, limitBytes - LAZY_INITIAL_WORDS) : 0;
    this.base = addrBase + this.low;
    const buf = new ArrayBuffer(Math.max(1, limitBytes - this.low) * 4);
    this.words = new Int32Array(buf);
    this.reals = new Float32Array(buf);
    this.bytes = new Uint8Array(buf);
  }

  /** Payload length of the chunk at byte offset c. */
  lengthAt(c: number): number {
    return c === 0 ? this.head : this.words[c - this.low]! >>> 2;
  }

  /** The chunk at byte offset c is in use. */
  usedAt(c: number): boolean {
    return c !== 0 && (this.words[c - this.low]! & USED) !== 0;
  }

  private setLength(c: number, len: number): void {
    if (c === 0) this.head = len;
    else this.words[c - this.low] = (len << 2) | (this.words[c - this.low]! & (USED | MARK));
  }

  /**
   * ePython's allocateChunkInHeapMemory (epiphany-runtime.c:534-579): the first free chunk whose
   * length is at least `size` + a header gives up its last `size` + header bytes. Returns the new
   * chunk's byte offset or -1.
   */
  alloc(size: number): number {
    const h = this.headerBytes;
    const end = this.limitBytes;
    if (this.head < 0) return -1;
    for (let c = 0; c < end; ) {
      const len = this.lengthAt(c);
      if (!this.usedAt(c) && len >= size + h) {
        const rest = len - size - h;
        const at = c + h + rest;
        if (at < this.low) this.growTo(at);
        this.setLength(c, rest);
        this.words[at - this.low] = (size << 2) | USED;
        this.usedBytes += size + h;
        this.liveChunks++;
        return at;
      }
      c += len + h;
    }
    return -1;
  }

  /** Back the arena with words from byte offset `at` up (at least doubling what is backed). */
  private growTo(at: number): void {
    const backed = this.limitBytes - this.low;
    const low = Math.max(0, Math.min(at, this.limitBytes - 2 * backed));
    const buf = new ArrayBuffer((this.limitBytes - low) * 4);
    const words = new Int32Array(buf);
    words.set(this.words, this.low - low);
    this.words = words;
    this.reals = new Float32Array(buf);
    this.bytes = new Uint8Array(buf);
    this.low = low;
    this.base = this.addrBase + low;
  }

  /** Words backing the arena (ours, for the collector's cost). */
  backedWords(): number {
    return this.limitBytes - this.low;
  }

  /** Free the chunk whose words start at words[i] and coalesce, as ePython's freeMemoryInHeap (epiphany-runtime.c:416-420). */
  free(i: number): void {
    const w = this.words[i]!;
    this.words[i] = w & ~(USED | MARK);
    this.usedBytes -= (w >>> 2) + this.headerBytes;
    this.liveChunks--;
    this.coalesce();
  }

  /** Merge each run of adjacent free chunks into its first (consolidateHeapChunks, epiphany-runtime.c:479-531). */
  coalesce(): void {
    const h = this.headerBytes;
    let run = -1;
    for (let c = 0; c < this.limitBytes && this.head >= 0; ) {
      const len = this.lengthAt(c);
      if (this.usedAt(c)) run = -1;
      else if (run < 0) run = c;
      else this.setLength(run, this.lengthAt(run) + len + h);
      c += len + h;
    }
  }

  /** Sweep: free unmarked chunks in use, clear marks, coalesce. Returns modelled bytes freed. */
  sweep(): number {
    const h = this.headerBytes;
    let freed = 0;
    for (let c = h + Math.max(0, this.head); c < this.limitBytes; ) {
      const i = c - this.low;
      const w = this.words[i]!;
      const len = w >>> 2;
      if ((w & (USED | MARK)) === USED) {
        freed += len + h;
        this.liveChunks--;
      }
      this.words[i] = (w & MARK) !== 0 ? w & ~MARK : w & ~USED;
      c += len + h;
    }
    this.usedBytes -= freed;
    if (freed > 0) this.coalesce();
    return freed;
  }
}

/** Outcome of a collection, for the trace and the cycle cost. */
export interface GcStats {
  /** modelled bytes in use (chunk headers included) before and after */
  usedBefore: number;
  usedAfter: number;
  /** words the collector walked (marking plus sweeping), the basis of its cycle cost */
  wordsScanned: number;
}

export class Heap {
  readonly local: Arena;
  readonly shared: Arena;
  private markStack: number[] = [];
  collections = 0;

  constructor(localBytes: number, sharedBytes: number) {
    this.local = new Arena(localBytes, CORE_CHUNK_HEADER_BYTES, 0, true);
    this.shared = new Arena(sharedBytes, SHARED_CHUNK_HEADER_BYTES, SHARED_BASE, true);
  }

  arena(addr: number): Arena {
    return addr >= SHARED_BASE ? this.shared : this.local;
  }

  /** Modelled bytes in use in both arenas (ePython's: payloads plus chunk headers). */
  usedBytes(): number {
    return this.local.usedBytes + this.shared.usedBytes;
  }

  /** Try to allocate a chunk of `size` payload bytes (ePython's getHeapMemory size) in one arena; returns an address or -1. */
  tryAlloc(a: Arena, size: number): number {
    const c = a.alloc(size);
    return c < 0 ? -1 : a.addrBase + c;
  }

  /** Follow forwarding chunks of grown list literals. */
  resolve(addr: number): number {
    for (;;) {
      const a = addr >= SHARED_BASE ? this.shared : this.local;
      const i = addr - a.base;
      if (chunkKind(a, i) !== KIND_FORWARD) return addr;
      addr = forwardTarget(a, i);
    }
  }

  /** Mark from root values (tags/payloads of the VM stack and globals), then sweep both arenas. */
  collect(rootTags: Uint8Array, rootVals: Float64Array, nroots: number, gTags: Uint8Array, gVals: Float64Array, strTag: number, arrTag: number): GcStats {
    const before = this.usedBytes();
    const stack = this.markStack;
    stack.length = 0;
    let scanned = 0;
    const pushRoot = (tag: number, val: number): void => {
      if ((tag === strTag && val >= 0) || tag === arrTag) stack.push(val);
    };
    for (let i = 0; i < nroots; i++) pushRoot(rootTags[i]!, rootVals[i]!);
    for (let i = 0; i < gTags.length; i++) pushRoot(gTags[i]!, gVals[i]!);
    while (stack.length > 0) {
      const addr = stack.pop()!;
      const a = addr >= SHARED_BASE ? this.shared : this.local;
      const i = addr - a.base;
      const h = a.words[i]!;
      if ((h & MARK) !== 0) continue;
      a.words[i] = h | MARK;
      scanned += 3;
      const kind = chunkKind(a, i);
      if (kind === KIND_FORWARD) stack.push(forwardTarget(a, i));
      else if (kind === KIND_ARRAY) {
        const count = arrayLength(a, i);
        const data = arrayData(a, i);
        scanned += count;
        for (let k = 0; k < count; k++) {
          const t = elementTag(a, data, count, k);
          if (t === strTag || t === arrTag) {
            const v = elementValue(a, data, k, t);
            if (t === arrTag || v >= 0) stack.push(v);
          }
        }
      }
    }
    // the sweep walks chunk headers: one per 32 bytes of the core heap and of the shared heap's
    // part in use so far (as it was one per 8 words); the core heap's words are lazy too (ours)
    scanned += this.local.limitBytes / 32 + this.shared.backedWords() / 32;
    this.local.sweep();
    this.shared.sweep();
    this.collections++;
    return { usedBefore: before, usedAfter: this.usedBytes(), wordsScanned: Math.round(scanned) };
  }
}
