import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/machine/event-queue.js";
import { Prng } from "../../src/machine/prng.js";

describe("EventQueue", () => {
  it("is empty at first", () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBe(false);
  });

  it("pops in time order and exposes the payload", () => {
    const q = new EventQueue(2);
    q.push(5, 1, 50, -5);
    q.push(1, 2, 10, -1);
    q.push(3, 3, 30, -3);
    expect(q.size).toBe(3);
    expect(q.peekTime()).toBe(1);
    const got: number[][] = [];
    while (q.pop()) got.push([q.time, q.kind, q.a, q.b]);
    expect(got).toEqual([
      [1, 2, 10, -1],
      [3, 3, 30, -3],
      [5, 1, 50, -5],
    ]);
    expect(q.size).toBe(0);
  });

  it("breaks ties by insertion order", () => {
    const q = new EventQueue(2);
    for (let i = 0; i < 20; i++) q.push(7.5, 0, i, 0);
    q.push(7, 0, 100, 0);
    const order: number[] = [];
    const seqs: number[] = [];
    while (q.pop()) {
      order.push(q.a);
      seqs.push(q.seq);
    }
    expect(order).toEqual([100, ...Array.from({ length: 20 }, (_, i) => i)]);
    expect(seqs[0]).toBe(20);
    expect(seqs.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("matches a sorted reference on random interleaved pushes and pops", () => {
    const rng = Prng.forStream(12345, 0);
    const q = new EventQueue(4);
    const ref: { t: number; s: number; a: number }[] = [];
    let seq = 0;
    for (let step = 0; step < 20000; step++) {
      if (rng.nextFloat() < 0.6 || ref.length === 0) {
        const t = rng.nextBelow(50) + (rng.nextFloat() < 0.3 ? 0.5 : 0); // many ties
        q.push(t, 0, step, 0);
        ref.push({ t, s: seq++, a: step });
      } else {
        ref.sort((x, y) => x.t - y.t || x.s - y.s);
        const want = ref.shift()!;
        expect(q.pop()).toBe(true);
        expect(q.time).toBe(want.t);
        expect(q.a).toBe(want.a);
        expect(q.seq).toBe(want.s);
      }
      expect(q.size).toBe(ref.length);
    }
  });

  it("keeps (time, seq) order when most pushes come in time order (the run) and some do not (the heap), ties across both", () => {
    const rng = Prng.forStream(777, 0);
    const q = new EventQueue(2);
    const ref: { t: number; s: number; a: number }[] = [];
    let seq = 0;
    let clock = 0;
    for (let step = 0; step < 20000; step++) {
      if (rng.nextFloat() < 0.55 || ref.length === 0) {
        // mostly after everything pushed so far, sometimes earlier, often at a time already queued
        if (rng.nextFloat() < 0.7) clock += rng.nextBelow(3);
        const earlier = ref.length > 0 && rng.nextFloat() < 0.3;
        const t = earlier ? ref[rng.nextBelow(ref.length)]!.t : clock;
        q.push(t, 0, step, 100000 - step);
        ref.push({ t, s: seq++, a: step });
      } else {
        ref.sort((x, y) => x.t - y.t || x.s - y.s);
        const want = ref.shift()!;
        expect(q.peekTime()).toBe(want.t);
        expect(q.pop()).toBe(true);
        expect([q.time, q.seq, q.a, q.b]).toEqual([want.t, want.s, want.a, 100000 - want.a]);
      }
      expect(q.size).toBe(ref.length);
    }
  });

  it("clear empties it and restarts the sequence", () => {
    const q = new EventQueue();
    q.push(1, 0, 0, 0);
    q.push(2, 0, 0, 0);
    q.clear();
    expect(q.size).toBe(0);
    q.push(3, 9, 0, 0);
    expect(q.pop()).toBe(true);
    expect(q.seq).toBe(0);
    expect(q.kind).toBe(9);
  });

  it("rejects NaN times", () => {
    expect(() => new EventQueue().push(NaN, 0, 0, 0)).toThrow(RangeError);
  });
});
