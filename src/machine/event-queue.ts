/**
 * The simulation kernel's event queue: a binary min-heap keyed by (time, seq) where `seq` is
 * the insertion counter, so events at the same time come out in the order they were pushed.
 * That fixed tie order is what makes whole runs deterministic.
 *
 * Storage is five parallel typed arrays grown by doubling; push and pop allocate nothing
 * (except when the arrays grow). pop() exposes the removed event through the public fields
 * `time`, `kind`, `a`, `b`, `seq` of the queue itself: read them, do not write them.
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

  private times: Float64Array;
  // Float64 rather than Uint32: a long run may push more than 2^32 events; exact to 2^53.
  private seqs: Float64Array;
  private kinds: Int32Array;
  private as: Int32Array;
  private bs: Int32Array;
  private n = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    const cap = initialCapacity < 2 ? 2 : initialCapacity | 0;
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.kinds = new Int32Array(cap);
    this.as = new Int32Array(cap);
    this.bs = new Int32Array(cap);
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
    // sift up: move parents down until the slot for the new event is found
    const times = this.times;
    const seqs = this.seqs;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      this.move(p, i);
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    this.kinds[i] = kind;
    this.as[i] = a;
    this.bs[i] = b;
  }

  /**
   * Remove the earliest event and expose it in `time`, `kind`, `a`, `b`, `seq`.
   * Returns false (and leaves the fields alone) when the queue is empty.
   */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    this.time = times[0]!;
    this.seq = seqs[0]!;
    this.kind = this.kinds[0]!;
    this.a = this.as[0]!;
    this.b = this.bs[0]!;
    const last = --this.n;
    if (last === 0) return true;
    // sift the last element down from the root
    const lt = times[last]!;
    const ls = seqs[last]!;
    const lk = this.kinds[last]!;
    const la = this.as[last]!;
    const lb = this.bs[last]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last) {
        const ct = times[c]!;
        const rt = times[r]!;
        if (rt < ct || (rt === ct && seqs[r]! < seqs[c]!)) c = r;
      }
      const ct = times[c]!;
      if (lt < ct || (lt === ct && ls < seqs[c]!)) break;
      this.move(c, i);
      i = c;
    }
    times[i] = lt;
    seqs[i] = ls;
    this.kinds[i] = lk;
    this.as[i] = la;
    this.bs[i] = lb;
    return true;
  }

  /** Drop every event and restart the insertion counter. */
  clear(): void {
    this.n = 0;
    this.nextSeq = 0;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.kinds[to] = this.kinds[from]!;
    this.as[to] = this.as[from]!;
    this.bs[to] = this.bs[from]!;
  }

  private grow(): void {
    const cap = this.times.length + 1;
    this.times = grown(this.times, cap);
    this.seqs = grown(this.seqs, cap);
    this.kinds = grown(this.kinds, cap);
    this.as = grown(this.as, cap);
    this.bs = grown(this.bs, cap);
  }

}
