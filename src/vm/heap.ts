/**
 * A core's heap: arrays and strings inside a fixed byte budget, with a mark-sweep collector.
 *
 * As in ePython (device/device-functions.c:366-623) there are two arenas per core: the heap in the
 * core's SRAM (what the memory map leaves after interpreter, symbols, code, postbox and stack)
 * and the core's share of shared DRAM (448,000 bytes), used when the core heap is full even after
 * a collection. Allocation is first-fit over an implicit list of chunks, freeing coalesces
 * neighbours, nothing moves. Unlike ePython the collector's roots are the whole VM stack (so
 * temporaries are safe) and arrays are traced through, so arrays may hold strings and arrays.
 *
 * Addresses are word indices; shared-arena addresses are offset by SHARED_BASE.
 *
 * A chunk's first word is the allocator's: size in words (header included) << 2 | mark << 1 | used.
 * What follows is the object model's (object.ts).
 */
import { arrayData, arrayLength, chunkKind, elementTag, elementValue, forwardTarget, KIND_ARRAY, KIND_FORWARD } from "./object.js";

export { KIND_ARRAY, KIND_FORWARD, KIND_STRING } from "./object.js";

export const SHARED_BASE = 1 << 24;

const MIN_CHUNK = 4;
const SHARED_INITIAL_WORDS = 1024;

export class Arena {
  words: Int32Array;
  reals: Float32Array;
  bytes: Uint8Array;
  /** words currently backed by memory (the shared arena grows lazily up to limitWords) */
  capacity: number;
  usedWords = 0;
  liveChunks = 0;

  constructor(
    readonly limitWords: number,
    readonly base: number,
    lazy: boolean,
  ) {
    this.capacity = lazy ? Math.min(limitWords, SHARED_INITIAL_WORDS) : limitWords;
    const buf = new ArrayBuffer(Math.max(this.capacity, MIN_CHUNK) * 4);
    this.words = new Int32Array(buf);
    this.reals = new Float32Array(buf);
    this.bytes = new Uint8Array(buf);
    if (this.capacity >= MIN_CHUNK) this.words[0] = this.capacity << 2;
    else this.capacity = 0;
  }

  /** First-fit allocation of `n` words; returns the chunk index or -1. */
  alloc(n: number): number {
    const w = this.words;
    const cap = this.capacity;
    let i = 0;
    while (i < cap) {
      const h = w[i]!;
      const size = h >>> 2;
      if ((h & 1) === 0) {
        // coalesce following free chunks lazily while we are here
        let s = size;
        while (i + s < cap && (w[i + s]! & 1) === 0) s += w[i + s]! >>> 2;
        if (s !== size) w[i] = s << 2;
        if (s >= n) {
          if (s - n >= MIN_CHUNK) {
            w[i + n] = (s - n) << 2;
            w[i] = (n << 2) | 1;
          } else {
            w[i] = (s << 2) | 1;
            n = s;
          }
          this.usedWords += n;
          this.liveChunks++;
          return i;
        }
        i += s;
      } else i += size;
    }
    return -1;
  }

  /** Grow a lazily backed arena (doubling) so that at least `need` more words could fit. */
  grow(need: number): boolean {
    if (this.capacity >= this.limitWords) return false;
    let cap = Math.max(this.capacity * 2, MIN_CHUNK);
    while (cap - this.capacity < need + MIN_CHUNK && cap < this.limitWords) cap *= 2;
    cap = Math.min(cap, this.limitWords);
    const buf = new ArrayBuffer(cap * 4);
    const words = new Int32Array(buf);
    words.set(this.words.subarray(0, this.capacity));
    const old = this.capacity;
    this.words = words;
    this.reals = new Float32Array(buf);
    this.bytes = new Uint8Array(buf);
    this.capacity = cap;
    words[old] = (cap - old) << 2; // a free chunk over the new space; alloc coalesces it
    return true;
  }

  free(i: number): void {
    const size = this.words[i]! >>> 2;
    this.words[i] = size << 2;
    this.usedWords -= size;
    this.liveChunks--;
  }

  /** Sweep: free unmarked chunks, clear marks, coalesce. Returns words freed. */
  sweep(): number {
    const w = this.words;
    let freed = 0;
    let i = 0;
    let freeStart = -1;
    while (i < this.capacity) {
      const h = w[i]!;
      const size = h >>> 2;
      if ((h & 1) === 1 && (h & 2) === 0) {
        freed += size;
        this.liveChunks--;
        w[i] = size << 2;
      } else if ((h & 2) !== 0) w[i] = h & ~2;
      if ((w[i]! & 1) === 0) {
        if (freeStart >= 0) w[freeStart] = ((w[freeStart]! >>> 2) + size) << 2;
        else freeStart = i;
      } else freeStart = -1;
      i += size;
    }
    this.usedWords -= freed;
    return freed;
  }
}

/** Outcome of a collection, for the trace and the cycle cost. */
export interface GcStats {
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
    this.local = new Arena(Math.floor(localBytes / 4), 0, false);
    this.shared = new Arena(Math.floor(sharedBytes / 4), SHARED_BASE, true);
  }

  arena(addr: number): Arena {
    return addr >= SHARED_BASE ? this.shared : this.local;
  }

  /** Bytes in use in both arenas. */
  usedBytes(): number {
    return (this.local.usedWords + this.shared.usedWords) * 4;
  }

  /** Try to allocate `n` words in one arena; returns an address or -1. */
  tryAlloc(a: Arena, n: number): number {
    let i = a.alloc(n);
    while (i < 0 && a.grow(n)) i = a.alloc(n);
    return i < 0 ? -1 : a.base + i;
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
      if ((h & 2) !== 0) continue;
      a.words[i] = h | 2;
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
    scanned += this.local.capacity / 8 + this.shared.capacity / 8; // the sweep walks chunk headers
    this.local.sweep();
    this.shared.sweep();
    this.collections++;
    return { usedBefore: before, usedAfter: this.usedBytes(), wordsScanned: Math.round(scanned) };
  }
}
