/**
 * The simulation kernel's event queue: a 4-ary min-heap keyed by (time, seq) where `seq` is the
 * insertion counter, so events at the same time come out in the order they were pushed. That
 * fixed tie order is what makes whole runs deterministic. (The keys are unique, so the order
 * events come out in depends on the keys alone, not on the heap's shape: 4 children per node
 * halve the levels a pop walks down, which is most of the kernel's work on 1,024 cores.)
 *
 * The heap holds the keys and a slot number; an event's payload (kind, a, b) waits in its slot,
 * so a pop moves three values per level, not five. Storage is typed arrays grown by doubling;
 * push and pop allocate nothing (except when the arrays grow). pop() exposes the removed event
 * through the public fields `time`, `kind`, `a`, `b`, `seq` of the queue itself: read them, do
 * not write them.
 */
import { grown } from "../util/typed-arrays.js";

export class EventQueue {
  /** time of the event last removed by pop() */
  time = 0;
  /** kind of the event last removed by pop() */
  kind = 0;
  /** first payload word of the event last removed by pop() */
  a = 0;
  /** second payload word of the event last removed by pop() */
  b = 0;
  /** insertion number of the event last removed by pop() */
  seq = 0;

  // the heap: keys and slot numbers
  private times: Float64Array;
  // Float64 rather than Uint32: a long run may push more than 2^32 events; exact to 2^53.
  private seqs: Float64Array;
  private slots: Int32Array;
  // the payloads by slot, and the free slots (a stack)
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private free: Int32Array;
  private nFree: number;
  private n = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    const cap = initialCapacity < 2 ? 2 : initialCapacity | 0;
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.kinds = new Int32Array(cap);
    this.as = new Int32Array(cap);
    this.bs = new Int32Array(cap);
    this.free = new Int32Array(cap);
    this.nFree = 0;
    this.freeAll();
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event, Infinity when empty. */
  peekTime(): number {
    return this.n === 0 ? Infinity : this.times[0]!;
  }

  /** Insert an event. `time` must not be NaN; `kind`, `a`, `b` are int32. */
  push(time: number, kind: number, a: number, b: number): void {
    if (time !== time) throw new RangeError("EventQueue.push: time is NaN");
    if (this.n === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const slot = this.free[--this.nFree]!;
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    // sift up: move parents down until the place for the new event is found
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      slots[i] = slots[p]!;
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    slots[i] = slot;
  }

  /**
   * Remove the earliest event and expose it in `time`, `kind`, `a`, `b`, `seq`.
   * Returns false (and leaves the fields alone) when the queue is empty.
   */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    const top = slots[0]!;
    this.time = times[0]!;
    this.seq = seqs[0]!;
    this.kind = this.kinds[top]!;
    this.a = this.as[top]!;
    this.b = this.bs[top]!;
    this.free[this.nFree++] = top;
    const last = --this.n;
    if (last === 0) return true;
    // sift the last element down from the root
    const lt = times[last]!;
    const ls = seqs[last]!;
    const lslot = slots[last]!;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= last) break;
      // the earliest of up to four children
      let c = first;
      let ct = times[first]!;
      const end = first + 4 < last ? first + 4 : last;
      for (let k = first + 1; k < end; k++) {
        const kt = times[k]!;
        if (kt < ct || (kt === ct && seqs[k]! < seqs[c]!)) {
          c = k;
          ct = kt;
        }
      }
      if (lt < ct || (lt === ct && ls < seqs[c]!)) break;
      times[i] = ct;
      seqs[i] = seqs[c]!;
      slots[i] = slots[c]!;
      i = c;
    }
    times[i] = lt;
    seqs[i] = ls;
    slots[i] = lslot;
    return true;
  }

  /** Drop every event and restart the insertion counter. */
  clear(): void {
    this.n = 0;
    this.nextSeq = 0;
    this.freeAll();
  }

  /** Every slot free. */
  private freeAll(): void {
    const cap = this.free.length;
    for (let k = 0; k < cap; k++) this.free[k] = cap - 1 - k;
    this.nFree = cap;
  }

  private grow(): void {
    const old = this.times.length;
    const cap = old + 1;
    this.times = grown(this.times, cap);
    this.seqs = grown(this.seqs, cap);
    this.slots = grown(this.slots, cap);
    this.kinds = grown(this.kinds, cap);
    this.as = grown(this.as, cap);
    this.bs = grown(this.bs, cap);
    // the heap is full, so no slot is free: the new ones are
    const next = this.times.length;
    this.free = new Int32Array(next);
    for (let k = 0; k < next - old; k++) this.free[k] = next - 1 - k;
    this.nFree = next - old;
  }
}
