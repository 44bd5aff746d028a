import { describe, expect, it } from "vitest";
import { CausalityError, Kernel } from "../../src/machine/kernel.js";

/** A kernel that records every event it processes as [now, kind, a, b]. */
function recording(): { k: Kernel; log: number[][] } {
  const k = new Kernel();
  const log: number[][] = [];
  k.onEvent((kind, a, b) => log.push([k.now, kind, a, b]));
  return { k, log };
}

describe("Kernel", () => {
  it("starts empty: nextTime is Infinity, step does nothing, run returns", () => {
    const { k, log } = recording();
    expect(k.nextTime()).toBe(Infinity);
    expect(k.pending).toBe(0);
    expect(k.step()).toBe(false);
    k.run();
    expect(k.now).toBe(0);
    expect(k.processed).toBe(0);
    expect(log).toEqual([]);
  });

  it("processes events in time order, handing over kind, a and b", () => {
    const { k, log } = recording();
    k.at(30, 3, 300, -3);
    k.at(10, 1, 100, -1);
    k.at(20.5, 2, 200, -2);
    expect(k.pending).toBe(3);
    expect(k.nextTime()).toBe(10);
    k.run();
    expect(log).toEqual([
      [10, 1, 100, -1],
      [20.5, 2, 200, -2],
      [30, 3, 300, -3],
    ]);
    expect(k.now).toBe(30);
    expect(k.nextTime()).toBe(Infinity);
    expect(k.pending).toBe(0);
  });

  it("breaks ties by scheduling order, also for events scheduled from handlers", () => {
    const k = new Kernel();
    const order: number[] = [];
    k.onEvent((kind, a) => {
      order.push(a);
      // the first event schedules two more at the same time: they come after those already there
      if (a === 0) {
        k.at(5, kind, 100);
        k.after(0, kind, 101);
      }
    });
    for (let i = 0; i < 10; i++) k.at(5, 0, i);
    k.at(4, 0, -1);
    k.run();
    expect(order).toEqual([-1, ...Array.from({ length: 10 }, (_, i) => i), 100, 101]);
  });

  it("defaults a and b to 0", () => {
    const { k, log } = recording();
    k.at(1, 7);
    k.after(2, 8);
    k.run();
    expect(log).toEqual([
      [1, 7, 0, 0],
      [2, 8, 0, 0],
    ]);
  });

  it("sets now to the event's time inside the handler, and after() is relative to it", () => {
    const k = new Kernel();
    const seen: number[][] = [];
    k.onEvent((kind, a) => {
      seen.push([kind, a, k.now]);
      if (kind === 1 && a < 3) k.after(2.5, 1, a + 1);
    });
    k.after(10, 1, 0); // now = 0: at 10
    k.run();
    expect(seen).toEqual([
      [1, 0, 10],
      [1, 1, 12.5],
      [1, 2, 15],
      [1, 3, 17.5],
    ]);
    // after the run, after() counts from the last event's time
    k.after(1, 2, 9);
    expect(k.nextTime()).toBe(18.5);
  });

  it("throws CausalityError for an event before now, accepts one at exactly now", () => {
    const k = new Kernel();
    const errors: unknown[] = [];
    const got: number[][] = [];
    k.onEvent((kind, a) => {
      got.push([kind, a, k.now]);
      if (kind === 1) {
        try {
          k.at(k.now - 0.5, 9, 1);
        } catch (e) {
          errors.push(e);
        }
        try {
          k.after(-1, 9, 2);
        } catch (e) {
          errors.push(e);
        }
        k.at(k.now, 2, 3); // exactly now is fine
        k.after(0, 2, 4);
      }
    });
    k.at(100, 1, 0);
    k.run();
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toBeInstanceOf(CausalityError);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).name).toBe("CausalityError");
    }
    expect((errors[0] as Error).message).toContain("99.5");
    expect(got).toEqual([
      [1, 0, 100],
      [2, 3, 100],
      [2, 4, 100],
    ]);
    // outside a handler too, and NaN is never "not before now"
    expect(() => k.at(99, 1)).toThrow(CausalityError);
    expect(() => k.at(Number.NaN, 1)).toThrow(CausalityError);
    expect(() => k.at(100, 1)).not.toThrow();
  });

  it("rejects an event in the past from the start, before any event ran", () => {
    const k = new Kernel();
    expect(() => k.at(-1, 0)).toThrow(CausalityError);
    expect(() => k.after(-0.001, 0)).toThrow(CausalityError);
    expect(k.pending).toBe(0);
  });

  it("run(until) stops before later events; a second run continues", () => {
    const { k, log } = recording();
    for (const t of [1, 5, 10, 10, 11, 20]) k.at(t, 0, t);
    k.run(10);
    // events at exactly `until` are processed
    expect(log.map((e) => e[0])).toEqual([1, 5, 10, 10]);
    expect(k.now).toBe(10);
    expect(k.processed).toBe(4);
    expect(k.nextTime()).toBe(11);
    expect(k.pending).toBe(2);
    k.run(10.5);
    expect(log).toHaveLength(4); // nothing due yet
    k.run();
    expect(log.map((e) => e[0])).toEqual([1, 5, 10, 10, 11, 20]);
    expect(k.processed).toBe(6);
    expect(k.pending).toBe(0);
  });

  it("stop() from a handler ends run after the current event; run() again resumes", () => {
    const k = new Kernel();
    const got: number[] = [];
    k.onEvent((_kind, a) => {
      got.push(a);
      if (a === 2) {
        k.stop();
        expect(k.isStopped).toBe(true);
        k.at(k.now, 0, 99); // scheduled before stopping takes effect: still pending
      }
    });
    for (let i = 0; i < 5; i++) k.at(i, 0, i);
    k.run();
    expect(got).toEqual([0, 1, 2]);
    expect(k.isStopped).toBe(true);
    expect(k.now).toBe(2);
    expect(k.processed).toBe(3);
    expect(k.pending).toBe(3);
    // a new run clears the stop
    k.run();
    expect(k.isStopped).toBe(false);
    expect(got).toEqual([0, 1, 2, 99, 3, 4]);
  });

  it("step() processes exactly one event and counts it", () => {
    const { k, log } = recording();
    k.at(3, 1);
    k.at(2, 2);
    expect(k.step()).toBe(true);
    expect(log).toEqual([[2, 2, 0, 0]]);
    expect(k.processed).toBe(1);
    expect(k.now).toBe(2);
    expect(k.step()).toBe(true);
    expect(k.processed).toBe(2);
    expect(k.step()).toBe(false);
    expect(k.processed).toBe(2);
    expect(k.now).toBe(3);
  });

  it("counts processed events across runs, including those scheduled by handlers", () => {
    const k = new Kernel();
    let chain = 0;
    k.onEvent(() => {
      if (++chain < 50) k.after(1, 0);
    });
    k.at(0, 0);
    k.run(24.5);
    expect(k.processed).toBe(25);
    k.run();
    expect(k.processed).toBe(50);
    expect(k.now).toBe(49);
  });

  it("uses a no-op handler until one is set", () => {
    const k = new Kernel();
    k.at(1, 0);
    k.run();
    expect(k.processed).toBe(1);
    expect(k.now).toBe(1);
  });
});
