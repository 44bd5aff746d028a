/**
 * Model-based test of a core's heap (WHITE-BOX: drives src/vm/heap.ts's Heap directly).
 *
 * fc.commands allocates strings, arrays (whose elements may refer to other chunks) and forwarding
 * chunks in either arena, frees unreferenced chunks, changes the root set and collects, against a
 * model that is just a map of live chunks with their contents and references. After every command:
 *   - every chunk the model holds is still allocated with its contents intact (an allocation that
 *     overlapped a live chunk, or a collection that freed a reachable one, would break this);
 *   - the arenas' counters equal the model's, and the chunk list tiles each arena;
 *   - every chunk lies where, and is as long as, ePython's allocator (a reference written from
 *     devices/epiphany/epiphany-runtime.c:479-579 below) puts it, in ePython's bytes;
 *   - a failed allocation had no free chunk large enough, and ePython's failed too;
 *   - resolve() follows forwarding chunks to their final target.
 * Collections use roots that also contain traps: ints whose value is the address of an unreachable
 * chunk and constant strings (negative payloads), neither of which may keep anything alive.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Arena, Heap, KIND_ARRAY, KIND_FORWARD, KIND_STRING, SHARED_BASE } from "../src/vm/heap.js";
import { Tag } from "../src/vm/values.js";
import { params, replayPath } from "./config.js";
import { arenaProblems, chunksOf, largestFree } from "./heap-check.js";

interface Chunk {
  id: number;
  addr: number;
  shared: boolean;
  kind: "str" | "arr" | "fwd";
  /** payload length in ePython's bytes (what the allocator gave) */
  size: number;
  /** string bytes, or array element payloads */
  data: number[];
  /** array element tags */
  tags: number[];
  /** ids of chunks this one refers to */
  refs: number[];
}

/** ePython's allocator on a list of chunks: first fit, split off the end, coalesce on free. */
class RefArena {
  chunks: { at: number; len: number; used: boolean }[];
  constructor(
    limit: number,
    readonly h: number,
  ) {
    this.chunks = limit >= h ? [{ at: 0, len: limit - h, used: false }] : [];
  }
  alloc(size: number): number {
    for (let k = 0; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      if (!c.used && c.len >= size + this.h) {
        c.len -= size + this.h;
        const at = c.at + this.h + c.len;
        this.chunks.splice(k + 1, 0, { at, len: size, used: true });
        return at;
      }
    }
    return -1;
  }
  free(ats: number[]): void {
    for (const c of this.chunks) if (ats.includes(c.at)) c.used = false;
    if (ats.length === 0) return;
    const out: typeof this.chunks = [];
    for (const c of this.chunks) {
      const last = out[out.length - 1];
      if (last && !last.used && !c.used) last.len += c.len + this.h;
      else out.push(c);
    }
    this.chunks = out;
  }
}

interface Model {
  ref: { local: RefArena; shared: RefArena };
  chunks: Map<number, Chunk>;
  roots: Set<number>;
  nextId: number;
}

interface Real {
  heap: Heap;
}

// ePython's payload bytes (object.ts stringBytes, arrayBytes) and a forward's (any size holds it)
const strBytes = (len: number) => len + 1;
const arrBytes = (count: number) => 1 + 4 * (count + 1);

function offset(a: Arena, addr: number): number {
  return addr - a.addrBase;
}

function live(m: Model): Chunk[] {
  return [...m.chunks.values()];
}

function pick(m: Model, k: number): Chunk | undefined {
  const l = live(m);
  return l.length ? l[k % l.length] : undefined;
}

function referenced(m: Model, id: number): boolean {
  return live(m).some((c) => c.refs.includes(id));
}

/** The tag an element or root uses to refer to chunk c. */
function refTag(c: Chunk): number {
  return c.kind === "str" ? Tag.Str : Tag.Array;
}

function loc(heap: Heap, addr: number) {
  const a = heap.arena(addr);
  return { a, i: addr - a.base };
}

/** Compare the real heap with the model. */
function verify(m: Model, r: Real): void {
  const heap = r.heap;
  for (const c of live(m)) {
    const { a, i } = loc(heap, c.addr);
    const what = `chunk #${c.id} (${c.kind} at ${c.addr})`;
    expect(a.words[i]! & 1, `${what} is allocated`).toBe(1);
    expect(a.words[i]! >>> 2, `${what} length`).toBe(c.size);
    if (c.kind === "str") {
      expect(a.words[i + 1], what).toBe(KIND_STRING);
      expect(a.words[i + 2], what).toBe(c.data.length);
      expect(Array.from(a.bytes.subarray((i + 3) * 4, (i + 3) * 4 + c.data.length)), `${what} bytes`).toEqual(c.data);
    } else if (c.kind === "fwd") {
      expect(a.words[i + 1], what).toBe(KIND_FORWARD);
      const target = m.chunks.get(c.refs[0]!)!;
      expect(a.words[i + 2], `${what} target`).toBe(target.addr);
      let end = target;
      while (end.kind === "fwd") end = m.chunks.get(end.refs[0]!)!;
      expect(heap.resolve(c.addr), `${what} resolves to its final target`).toBe(end.addr);
    } else {
      const n = c.data.length;
      expect(a.words[i + 1], what).toBe(KIND_ARRAY | (1 << 4));
      expect(a.words[i + 2], what).toBe(n);
      expect(a.words[i + 3], what).toBe(n);
      expect(Array.from(a.words.subarray(i + 4, i + 4 + n)), `${what} elements`).toEqual(c.data);
      expect(Array.from(a.bytes.subarray((i + 4 + n) * 4, (i + 4 + n) * 4 + n)), `${what} tags`).toEqual(c.tags);
    }
  }
  for (const shared of [false, true]) {
    const a = shared ? heap.shared : heap.local;
    const mine = live(m).filter((c) => c.shared === shared);
    const name = shared ? "shared" : "local";
    expect(arenaProblems(a, name)).toEqual([]);
    expect(a.usedBytes, `${name} bytes in use`).toBe(mine.reduce((s, c) => s + c.size + a.headerBytes, 0));
    expect(a.liveChunks, `${name} chunks in use`).toBe(mine.length);
    const ref = shared ? m.ref.shared : m.ref.local;
    expect([...chunksOf(a)].map((c) => ({ at: c.at, len: c.length, used: c.used })), `${name} chunks as ePython's`).toEqual(ref.chunks);
  }
}

class AllocCmd implements fc.Command<Model, Real> {
  constructor(
    readonly kind: "str" | "arr" | "fwd",
    readonly shared: boolean,
    readonly count: number,
    readonly picks: number[],
    readonly seed: number,
  ) {}
  check(m: Model): boolean {
    return this.kind !== "fwd" || m.chunks.size > 0;
  }
  run(m: Model, r: Real): void {
    const heap = r.heap;
    const arena = this.shared ? heap.shared : heap.local;
    const n = this.kind === "str" ? strBytes(this.count) : this.kind === "arr" ? arrBytes(this.count) : this.count % 4;
    const ref = this.shared ? m.ref.shared : m.ref.local;
    const expected = ref.alloc(n);
    const addr = heap.tryAlloc(arena, n);
    if (addr < 0) {
      expect(largestFree(arena), `allocating ${n} bytes failed with a free chunk that large`).toBeLessThan(n + arena.headerBytes);
      expect(expected, "ePython's allocator failed too").toBe(-1);
      verify(m, r);
      return;
    }
    expect(addr >= SHARED_BASE, "allocated in the arena asked for").toBe(this.shared);
    const { a, i } = loc(heap, addr);
    expect(offset(a, addr), "where ePython's allocator puts it").toBe(expected);
    const size = a.words[i]! >>> 2;
    expect(size).toBe(n);
    expect(i + size + a.headerBytes).toBeLessThanOrEqual(a.words.length);
    const c: Chunk = { id: m.nextId++, addr, shared: this.shared, kind: this.kind, size, data: [], tags: [], refs: [] };
    if (this.kind === "str") {
      c.data = Array.from({ length: this.count }, (_, k) => (this.seed + k * 7) & 0xff);
      a.words[i + 1] = KIND_STRING;
      a.words[i + 2] = this.count;
      a.bytes.set(c.data, (i + 3) * 4);
    } else if (this.kind === "fwd") {
      const target = pick(m, this.picks[0] ?? 0)!;
      c.refs = [target.id];
      a.words[i + 1] = KIND_FORWARD;
      a.words[i + 2] = target.addr;
    } else {
      const others = live(m);
      for (let k = 0; k < this.count; k++) {
        const p = this.picks[k];
        if (p !== undefined && others.length > 0 && p % 3 !== 0) {
          const t = others[p % others.length]!;
          c.data.push(t.addr);
          c.tags.push(refTag(t));
          c.refs.push(t.id);
        } else if (p !== undefined && others.length > 0) {
          // a trap: an int that happens to equal a chunk's address must not keep it alive
          c.data.push(others[p % others.length]!.addr);
          c.tags.push(Tag.Int);
        } else {
          c.data.push((this.seed * 31 + k) | 0);
          c.tags.push(k % 5 === 4 ? Tag.Real : Tag.Int);
        }
      }
      a.words[i + 1] = KIND_ARRAY | (1 << 4);
      a.words[i + 2] = this.count;
      a.words[i + 3] = this.count;
      a.words.set(c.data, i + 4);
      a.bytes.set(c.tags, (i + 4 + this.count) * 4);
      c.data = Array.from(a.words.subarray(i + 4, i + 4 + this.count)); // as stored (int32)
    }
    m.chunks.set(c.id, c);
    verify(m, r);
  }
  toString(): string {
    return `alloc(${this.kind}, ${this.shared ? "shared" : "local"}, ${this.count}, [${this.picks.join(",")}], ${this.seed})`;
  }
}

class FreeCmd implements fc.Command<Model, Real> {
  constructor(readonly k: number) {}
  check(m: Model): boolean {
    const c = pick(m, this.k);
    return c !== undefined && !referenced(m, c.id);
  }
  run(m: Model, r: Real): void {
    const c = pick(m, this.k)!;
    const { a, i } = loc(r.heap, c.addr);
    a.free(i);
    (c.shared ? m.ref.shared : m.ref.local).free([offset(a, c.addr)]);
    m.chunks.delete(c.id);
    m.roots.delete(c.id);
    verify(m, r);
  }
  toString(): string {
    return `free(${this.k})`;
  }
}

class RootCmd implements fc.Command<Model, Real> {
  constructor(
    readonly k: number,
    readonly on: boolean,
  ) {}
  check(m: Model): boolean {
    return m.chunks.size > 0;
  }
  run(m: Model, r: Real): void {
    const c = pick(m, this.k)!;
    if (this.on) m.roots.add(c.id);
    else m.roots.delete(c.id);
    verify(m, r);
  }
  toString(): string {
    return `${this.on ? "root" : "unroot"}(${this.k})`;
  }
}

class CollectCmd implements fc.Command<Model, Real> {
  constructor(
    readonly traps: number[],
    readonly asGlobals: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const rootChunks = [...m.roots].map((id) => m.chunks.get(id)!);
    const tags: number[] = [];
    const vals: number[] = [];
    for (const c of rootChunks) {
      tags.push(refTag(c));
      vals.push(c.addr);
    }
    const all = live(m);
    for (const t of this.traps) {
      if (all.length === 0) break;
      tags.push(t % 2 ? Tag.Int : Tag.Real);
      vals.push(all[t % all.length]!.addr);
    }
    tags.push(Tag.Str, Tag.None);
    vals.push(-1, 0); // a constant string and a none: nothing to follow
    const none = { t: new Uint8Array(0), v: new Float64Array(0) };
    const T = Uint8Array.from(tags);
    const V = Float64Array.from(vals);
    // roots come either as stack cells or as globals; the collector treats both alike
    if (this.asGlobals) r.heap.collect(none.t, none.v, 0, T, V, Tag.Str, Tag.Array);
    else r.heap.collect(T, V, T.length, none.t, none.v, Tag.Str, Tag.Array);
    // model: keep what the roots reach
    const keep = new Set<number>();
    const stack = [...m.roots];
    while (stack.length) {
      const id = stack.pop()!;
      if (keep.has(id)) continue;
      keep.add(id);
      stack.push(...m.chunks.get(id)!.refs);
    }
    const dropped = { local: [] as number[], shared: [] as number[] };
    for (const [id, c] of [...m.chunks]) {
      if (keep.has(id)) continue;
      dropped[c.shared ? "shared" : "local"].push(offset(r.heap.arena(c.addr), c.addr));
      m.chunks.delete(id);
    }
    m.ref.local.free(dropped.local);
    m.ref.shared.free(dropped.shared);
    verify(m, r);
  }
  toString(): string {
    return `collect([${this.traps.join(",")}], ${this.asGlobals ? "globals" : "stack"})`;
  }
}

const commands = [
  fc
    .record({
      kind: fc.constantFrom("str" as const, "arr" as const, "fwd" as const),
      shared: fc.boolean(),
      count: fc.integer({ min: 0, max: 60 }),
      picks: fc.array(fc.nat(), { maxLength: 8 }),
      seed: fc.integer(),
    })
    .map((a) => new AllocCmd(a.kind, a.shared, a.count, a.picks, a.seed)),
  fc.nat().map((k) => new FreeCmd(k)),
  fc.record({ k: fc.nat(), on: fc.boolean() }).map(({ k, on }) => new RootCmd(k, on)),
  fc.record({ traps: fc.array(fc.nat(), { maxLength: 4 }), g: fc.boolean() }).map(({ traps, g }) => new CollectCmd(traps, g)),
];

describe("heap (model-based)", () => {
  it("allocation, free, roots and collection agree with a map of live chunks", () => {
    const arb = fc.record({
      localBytes: fc.integer({ min: 0, max: 2400 }),
      // above 4096 bytes the shared arena's words start at the top and grow down on demand
      sharedBytes: fc.integer({ min: 4, max: 10000 }),
      cmds: fc.commands(commands, { maxCommands: 120, size: "large", replayPath: replayPath() }),
    });
    fc.assert(
      fc.property(arb, ({ localBytes, sharedBytes, cmds }) => {
        const setup = () => {
          const heap = new Heap(localBytes, sharedBytes);
          const ref = { local: new RefArena(localBytes, heap.local.headerBytes), shared: new RefArena(sharedBytes, heap.shared.headerBytes) };
          return { model: { ref, chunks: new Map(), roots: new Set(), nextId: 0 } as Model, real: { heap } as Real };
        };
        fc.modelRun(setup, cmds);
      }),
      params(150),
    );
  });
});
