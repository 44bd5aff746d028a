/**
 * The simulation kernel's event queue, keyed by (time, seq) where `seq` is the insertion counter,
 * so events at the same time come out in the order they were pushed. That fixed tie order is what
 * makes whole runs deterministic. The keys are unique, so the order events come out in depends on
 * the keys alone, not on how they are stored; they are stored in two places:
 *
 * - a run: a FIFO of events pushed in time order, each at or after the last one in it. Many are
 *   (on 1,024 cores half of all pushes: a core's blocking read of shared DRAM ends after every
 *   read queued before it on the saturated eLink); push and pop there cost O(1).
 * - a 4-ary min-heap for the others (4 children per node halve the levels a pop walks down).
 *
 * pop() takes the earlier of the two heads by (time, seq). Both hold the keys and a slot number;
 * an event's payload (kind, a, b) waits in its slot, so a heap level moves three values, not five.
 * Storage is typed arrays grown by doubling; push and pop allocate nothing (except when the
 * arrays grow). pop() exposes the removed event through the public fields `time`, `kind`, `a`,
 * `b`, `seq` of the queue itself: read them, do not write them.
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
  private n = 0;
  // the run: a ring of keys and slot numbers (capacity a power of two), oldest at runHead
  private runTimes: Float64Array;
  private runSeqs: Float64Array;
  private runSlots: Int32Array;
  private runHead = 0;
  private runCount = 0;
  /** time of the last event put in the run (-Infinity while the run is empty) */
  private runTail = -Infinity;
  // the payloads by slot, and the free slots (a stack)
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private free: Int32Array;
  private nFree = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    let cap = 2;
    while (cap < initialCapacity) cap *= 2;
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.runTimes = new Float64Array(cap);
    this.runSeqs = new Float64Array(cap);
    this.runSlots = new Int32Array(cap);
    this.kinds = new Int32Array(cap);
    this.as = new Int32Array(cap);
    this.bs = new Int32Array(cap);
    this.free = new Int32Array(cap);
    this.freeAll();
  }

  get size(): number {
    return this.n + this.runCount;
  }

  /** Time of the earliest event, Infinity when empty. */
  peekTime(): number {
    const h = this.n === 0 ? Infinity : this.times[0]!;
    const r = this.runCount === 0 ? Infinity : this.runTimes[this.runHead]!;
    return h < r ? h : r;
  }

  /** Insert an event. `time` must not be NaN; `kind`, `a`, `b` are int32. */
  push(time: number, kind: number, a: number, b: number): void {
    if (time !== time) throw new RangeError("EventQueue.push: time is NaN");
    if (this.nFree === 0) this.growSlots();
    const seq = this.nextSeq++;
    const slot = this.free[--this.nFree]!;
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    if (time >= this.runTail) this.pushRun(time, seq, slot);
    else this.pushHeap(time, seq, slot);
  }

  /** Append to the run (time is at or after every event in it; seq is the largest yet). */
  private pushRun(time: number, seq: number, slot: number): void {
    if (this.runCount === this.runTimes.length) this.growRun();
    const i = (this.runHead + this.runCount++) & (this.runTimes.length - 1);
    this.runTimes[i] = time;
    this.runSeqs[i] = seq;
    this.runSlots[i] = slot;
    this.runTail = time;
  }

  private pushHeap(time: number, seq: number, slot: number): void {
    if (this.n === this.times.length) this.growHeap();
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
    let slot: number;
    if (this.runCount > 0) {
      const h = this.runHead;
      const rt = this.runTimes[h]!;
      const ht = this.n === 0 ? Infinity : this.times[0]!;
      if (rt < ht || (rt === ht && this.runSeqs[h]! < this.seqs[0]!)) {
        this.time = rt;
        this.seq = this.runSeqs[h]!;
        slot = this.runSlots[h]!;
        this.runHead = (h + 1) & (this.runTimes.length - 1);
        if (--this.runCount === 0) this.runTail = -Infinity; // an empty run takes any time next
      } else slot = this.popHeap();
    } else if (this.n > 0) slot = this.popHeap();
    else return false;
    this.kind = this.kinds[slot]!;
    this.a = this.as[slot]!;
    this.b = this.bs[slot]!;
    this.free[this.nFree++] = slot;
    return true;
  }

  /** Remove the heap's root (the heap is not empty): its key goes to `time` and `seq`; returns its slot. */
  private popHeap(): number {
    const times = this.times;
    const seqs = this.seqs;
    const slots = this.slots;
    const top = slots[0]!;
    this.time = times[0]!;
    this.seq = seqs[0]!;
    const last = --this.n;
    if (last === 0) return top;
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
    return top;
  }

  /** Drop every event and restart the insertion counter. */
  clear(): void {
    this.n = 0;
    this.runHead = 0;
    this.runCount = 0;
    this.runTail = -Infinity;
    this.nextSeq = 0;
    this.freeAll();
  }

  /** Every slot free. */
  private freeAll(): void {
    const cap = this.free.length;
    for (let k = 0; k < cap; k++) this.free[k] = cap - 1 - k;
    this.nFree = cap;
  }

  private growHeap(): void {
    this.times = grown(this.times, this.n + 1);
    this.seqs = grown(this.seqs, this.n + 1);
    this.slots = grown(this.slots, this.n + 1);
  }

  /** Double the run's ring, its events moved to the front in order. */
  private growRun(): void {
    const cap = this.runTimes.length;
    const times = new Float64Array(cap * 2);
    const seqs = new Float64Array(cap * 2);
    const slots = new Int32Array(cap * 2);
    for (let k = 0; k < this.runCount; k++) {
      const i = (this.runHead + k) & (cap - 1);
      times[k] = this.runTimes[i]!;
      seqs[k] = this.runSeqs[i]!;
      slots[k] = this.runSlots[i]!;
    }
    this.runTimes = times;
    this.runSeqs = seqs;
    this.runSlots = slots;
    this.runHead = 0;
  }

  /** Every slot is taken: double them, the new ones free. */
  private growSlots(): void {
    const old = this.kinds.length;
    this.kinds = grown(this.kinds, old + 1);
    this.as = grown(this.as, old + 1);
    this.bs = grown(this.bs, old + 1);
    const next = this.kinds.length;
    this.free = new Int32Array(next);
    for (let k = 0; k < next - old; k++) this.free[k] = next - 1 - k;
    this.nFree = next - old;
  }
}
