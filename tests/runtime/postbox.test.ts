/**
 * Postbox (src/runtime/postbox.ts) driven directly on an E16 mesh: slot bookkeeping, the timing of
 * post/consume/probe/testSent/pollSeen, and the host (shared-DRAM) paths.
 */
import { describe, expect, it } from "vitest";
import { CHIPS, type ChipSpec, fromReferenceCycles } from "../../src/machine/chip.js";
import { LOCAL_WORD_ACCESS_CYCLES, POSTBOX_POLL_CYCLES, localSpinResume } from "../../src/machine/costs.js";
import { Mesh } from "../../src/machine/mesh.js";
import { MSG_BYTES, Postbox, STORE_ISSUE_CYCLES } from "../../src/runtime/postbox.js";
import { HOST_TO_HOST_MESSAGE_CYCLES } from "../../src/runtime/runtime-costs.js";
import { Tag } from "../../src/vm/values.js";

/** processes 0..3: core 0, core 1 (1 hop from 0), core 5 (2 hops from 0), a host virtual core */
const CORES = [0, 1, 5, -1];
const HOST = 3;

function make(cores: readonly number[] = CORES, spec: ChipSpec = CHIPS.e16): { pb: Postbox; mesh: Mesh; spec: ChipSpec } {
  const mesh = new Mesh(spec);
  return { pb: new Postbox(spec, mesh, cores), mesh, spec };
}

describe("Postbox: post and consume", () => {
  it("delivers the value and tag, with the ack after the message became visible", () => {
    const { pb } = make();
    const visible = pb.post(0, 1, Tag.Real, 2.75, 100);
    expect(visible).toBeGreaterThan(100);
    const ack = pb.consume(1, 0, 50);
    expect(pb.gotTag).toBe(Tag.Real);
    expect(pb.gotVal).toBe(2.75);
    expect(ack).toBeGreaterThan(visible);
    // a receiver spinning since before the message landed sees it POLL_DETECT after it lands
    expect(ack).toBe(localSpinResume(50, visible) + LOCAL_WORD_ACCESS_CYCLES);
    expect(pb.ackTime(0, 1)).toBe(ack);
  });

  it("a receiver that starts looking after the message landed pays only the check and the ack", () => {
    const { pb } = make();
    const visible = pb.post(0, 1, Tag.Int, 7, 0);
    const since = visible + 1000;
    const ack = pb.consume(1, 0, since);
    expect(ack).toBe(localSpinResume(since, visible) + LOCAL_WORD_ACCESS_CYCLES);
    expect(ack).toBeGreaterThan(since);
    expect(ack).toBeLessThan(since + 50);
  });

  it("keeps values exactly (negative zero, non-integers, large magnitudes)", () => {
    const { pb } = make();
    for (const v of [-0, 0.1, -123456789.987, 2 ** 53 + 2, Number.MIN_VALUE]) {
      pb.post(2, 0, Tag.Real, v, 0);
      pb.consume(0, 2, 0);
      expect(Object.is(pb.gotVal, v)).toBe(true);
    }
  });

  it("isFull is per ordered pair: set by post, cleared by consume", () => {
    const { pb } = make();
    for (let s = 0; s < 4; s++) for (let d = 0; d < 4; d++) expect(pb.isFull(s, d)).toBe(false);
    pb.post(0, 1, Tag.Int, 1, 0);
    pb.post(2, 1, Tag.Int, 2, 0);
    for (let s = 0; s < 4; s++) for (let d = 0; d < 4; d++) expect(pb.isFull(s, d)).toBe((s === 0 || s === 2) && d === 1);
    pb.consume(1, 2, 0);
    expect(pb.gotVal).toBe(2);
    expect(pb.isFull(2, 1)).toBe(false);
    expect(pb.isFull(0, 1)).toBe(true);
    pb.consume(1, 0, 0);
    expect(pb.gotVal).toBe(1);
    expect(pb.isFull(0, 1)).toBe(false);
  });

  it("ackTime is -1 before any consume and again after the next post", () => {
    const { pb } = make();
    expect(pb.ackTime(0, 1)).toBe(-1);
    const v = pb.post(0, 1, Tag.Int, 1, 0);
    expect(pb.ackTime(0, 1)).toBe(-1);
    const ack = pb.consume(1, 0, 0);
    expect(ack).toBeGreaterThan(v);
    expect(pb.ackTime(0, 1)).toBe(ack);
    expect(pb.ackTime(1, 0)).toBe(-1);
    pb.post(0, 1, Tag.Int, 2, ack + 10);
    expect(pb.ackTime(0, 1)).toBe(-1);
  });

  it("a device-to-device message is six byte stores on the cMesh, the last one landing last", () => {
    const { pb } = make();
    const ref = new Mesh(CHIPS.e16);
    let expected = 0;
    for (let i = 0; i < MSG_BYTES; i++) expected = ref.write(0, 5, 1, 40 + i * STORE_ISSUE_CYCLES);
    expect(pb.post(0, 2, Tag.Int, 1, 40)).toBe(expected);
    expect(Postbox.issuedBy(40)).toBe(40 + MSG_BYTES * STORE_ISSUE_CYCLES);
  });

  it("a farther receiver sees the record later", () => {
    const near = make().pb.post(0, 1, Tag.Int, 1, 0);
    const far = make().pb.post(0, 2, Tag.Int, 1, 0);
    expect(far).toBeGreaterThan(near);
  });
});

describe("Postbox: probe and testSent", () => {
  it("probe is false before the record is visible, true from then until consumed", () => {
    const { pb } = make();
    expect(pb.probe(0, 1, 1e9)).toBe(false);
    const visible = pb.post(0, 1, Tag.Int, 5, 10);
    expect(pb.probe(0, 1, 10)).toBe(false);
    expect(pb.probe(0, 1, visible - 0.01)).toBe(false);
    expect(pb.probe(0, 1, visible)).toBe(true);
    expect(pb.probe(0, 1, visible + 1e6)).toBe(true);
    // the other direction and other pairs stay empty
    expect(pb.probe(1, 0, visible)).toBe(false);
    expect(pb.probe(2, 1, visible)).toBe(false);
    pb.consume(1, 0, 0);
    expect(pb.probe(0, 1, visible + 1e6)).toBe(false);
  });

  it("testSent is true with nothing ever sent, false while the message is un-acknowledged", () => {
    const { pb } = make();
    expect(pb.testSent(0, 1, 0)).toBe(true);
    const visible = pb.post(0, 1, Tag.Int, 5, 0);
    expect(pb.testSent(0, 1, 0)).toBe(false);
    expect(pb.testSent(0, 1, visible + 1e6)).toBe(false);
    const ack = pb.consume(1, 0, 0);
    const rt = pb.readRoundTrip(0, 1);
    // the read samples the slot half-way through its round trip
    expect(pb.testSent(0, 1, ack - rt / 2)).toBe(true);
    expect(pb.testSent(0, 1, ack + 1e6)).toBe(true);
    // a new message makes it outstanding again
    pb.post(0, 1, Tag.Int, 6, ack + 1e6);
    expect(pb.testSent(0, 1, ack + 2e6)).toBe(false);
  });

  // KNOWN ISSUE (reported, not fixed here): after consume(), testSent is !isFull, so a test whose
  // read samples the slot before the acknowledgement has landed (t + rt/2 < ackTime) already
  // answers true; the `ackAt <= t + rt/2` clause in testSent can never decide anything, as a full
  // slot always has ackAt = -1. Behaviour is unchanged from before the kernel refactor. When this
  // is fixed, `it.fails` starts failing: turn it into `it`.
  it.fails("testSent is false when its read samples the slot before the acknowledgement lands", () => {
    const { pb } = make();
    pb.post(0, 1, Tag.Int, 5, 0);
    const ack = pb.consume(1, 0, 0); // the receiver was already spinning (as operations.post does)
    const rt = pb.readRoundTrip(0, 1);
    const t = Postbox.issuedBy(0); // the sender tests right after its stores are issued
    expect(t + rt / 2).toBeLessThan(ack);
    expect(pb.testSent(0, 1, t)).toBe(false);
  });
});

describe("Postbox: distances and round trips", () => {
  it("hops are mesh hops between devices and 0 through shared DRAM", () => {
    const { pb } = make();
    expect(pb.hops(0, 1)).toBe(1);
    expect(pb.hops(0, 2)).toBe(2);
    expect(pb.hops(1, 2)).toBe(1);
    expect(pb.hops(2, 0)).toBe(2);
    expect(pb.hops(0, 0)).toBe(0);
    for (let p = 0; p < 4; p++) {
      expect(pb.hops(p, HOST)).toBe(0);
      expect(pb.hops(HOST, p)).toBe(0);
    }
  });

  it("readRoundTrip grows with hops, is symmetric, and equals a zero-load mesh read", () => {
    const { pb } = make();
    const rt1 = pb.readRoundTrip(0, 1);
    const rt2 = pb.readRoundTrip(0, 2);
    expect(rt1).toBeGreaterThan(0);
    expect(rt2).toBeGreaterThan(rt1);
    expect(pb.readRoundTrip(1, 0)).toBe(rt1);
    expect(pb.readRoundTrip(2, 0)).toBe(rt2);
    expect(pb.readRoundTrip(1, 2)).toBe(rt1); // also one hop
    expect(rt1).toBe(new Mesh(CHIPS.e16).read(0, 1, 4, 0));
    expect(rt2).toBe(new Mesh(CHIPS.e16).read(0, 5, 4, 0));
  });

  it("readRoundTrip grows with hops across the whole chip (e16 and e64)", () => {
    for (const spec of [CHIPS.e16, CHIPS.e64]) {
      const cores = Array.from({ length: spec.cores }, (_, i) => i);
      const { pb } = make(cores, spec);
      const byHops = new Map<number, number>();
      for (let q = 0; q < spec.cores; q++) {
        const h = pb.hops(0, q);
        const rt = pb.readRoundTrip(0, q);
        if (byHops.has(h)) expect(rt).toBe(byHops.get(h));
        else byHops.set(h, rt);
      }
      const hs = [...byHops.keys()].sort((a, b) => a - b);
      expect(hs[hs.length - 1]).toBe(spec.rows + spec.cols - 2);
      for (let i = 1; i < hs.length; i++) expect(byHops.get(hs[i]!)!).toBeGreaterThan(byHops.get(hs[i - 1]!)!);
    }
  });

  it("readRoundTrip to or from a host virtual core is the DRAM read latency of the device end", () => {
    const { pb, mesh } = make();
    expect(pb.readRoundTrip(0, HOST)).toBe(mesh.dramReadLatency(0));
    expect(pb.readRoundTrip(HOST, 0)).toBe(mesh.dramReadLatency(0));
    expect(pb.readRoundTrip(2, HOST)).toBe(mesh.dramReadLatency(5));
    expect(pb.readRoundTrip(HOST, 2)).toBe(mesh.dramReadLatency(5));
    expect(pb.readRoundTrip(HOST, 1)).toBe(mesh.dramReadLatency(1));
    // a DRAM round trip is much longer than any on-chip one
    expect(pb.readRoundTrip(0, HOST)).toBeGreaterThan(pb.readRoundTrip(0, 2));
  });
});

describe("Postbox: pollSeen", () => {
  it("never returns before the ack plus half a round trip, on the poll grid", () => {
    const { pb } = make();
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [2, HOST],
      [HOST, 1],
    ] as const) {
      const rt = pb.readRoundTrip(p, q);
      const period = rt + POSTBOX_POLL_CYCLES;
      for (const pollStart of [0, 3.5, 17, 100, 250.25]) {
        for (const ack of [0, 1, 10.5, 60, 99.9, 100, 101, 333, 1000]) {
          const seen = pb.pollSeen(p, q, pollStart, ack);
          const k = (seen - pollStart - rt) / period;
          expect(Number.isInteger(Math.round(k * 1e9) / 1e9)).toBe(true);
          expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
          expect(Math.round(k)).toBeGreaterThanOrEqual(0);
          expect(seen).toBeGreaterThanOrEqual(pollStart + rt);
          if (ack - rt / 2 > pollStart) {
            // the sampling read (half-way) is at or after the ack...
            expect(seen - rt / 2).toBeGreaterThanOrEqual(ack - 1e-9);
            // ...and it is the first such read: the one before sampled too early
            if (Math.round(k) > 0) expect(seen - period - rt / 2).toBeLessThan(ack);
          } else {
            // the ack was there before the first read sampled: that read sees it
            expect(seen).toBe(pollStart + rt);
          }
        }
      }
    }
  });

  it("matches a hand-computed case", () => {
    const { pb } = make();
    const rt = pb.readRoundTrip(0, 1);
    const period = rt + POSTBOX_POLL_CYCLES;
    // ack lands just after the sampling point of the third read (k = 2): the fourth sees it
    const ack = 1000 + 2 * period + rt / 2 + 0.5;
    expect(pb.pollSeen(0, 1, 1000, ack)).toBe(1000 + 3 * period + rt);
    // exactly at the sampling point of the third read: that one sees it
    expect(pb.pollSeen(0, 1, 1000, 1000 + 2 * period + rt / 2)).toBe(1000 + 2 * period + rt);
  });

  it("the sender sees its message acknowledged after the receiver consumed it", () => {
    const { pb } = make();
    for (const [s, d] of [
      [0, 1],
      [1, 2],
      [HOST, 0],
      [2, HOST],
    ] as const) {
      const visible = pb.post(s, d, Tag.Int, 9, 0);
      const ack = pb.consume(d, s, 0);
      const seen = pb.pollSeen(s, d, Postbox.issuedBy(0), ack);
      expect(ack).toBeGreaterThan(visible);
      expect(seen).toBeGreaterThanOrEqual(ack + pb.readRoundTrip(s, d) / 2);
    }
  });
});

describe("Postbox: host virtual cores", () => {
  it("a message between host virtual cores takes HOST_TO_HOST_MESSAGE_CYCLES at 600 MHz", () => {
    for (const spec of [CHIPS.e16, CHIPS.e64, CHIPS.e1024]) {
      const { pb } = make([-1, 0, -1], spec);
      const expected = fromReferenceCycles(spec, HOST_TO_HOST_MESSAGE_CYCLES);
      expect(pb.post(0, 2, Tag.Int, 3, 500)).toBe(500 + expected);
      expect(pb.post(2, 0, Tag.Int, 4, 7)).toBe(7 + expected);
      expect(pb.hops(0, 2)).toBe(0);
      pb.consume(2, 0, 0);
      expect(pb.gotVal).toBe(3);
      pb.consume(0, 2, 0);
      expect(pb.gotVal).toBe(4);
    }
    expect(fromReferenceCycles(CHIPS.e16, HOST_TO_HOST_MESSAGE_CYCLES)).toBe(HOST_TO_HOST_MESSAGE_CYCLES);
  });

  it("a message between a host virtual core and a device is a DRAM write by the device end", () => {
    const { pb } = make();
    const ref = new Mesh(CHIPS.e16);
    expect(pb.post(HOST, 2, Tag.Int, 1, 30)).toBe(ref.dramWrite(5, MSG_BYTES, 30));
    const ref2 = new Mesh(CHIPS.e16);
    const { pb: pb2 } = make();
    expect(pb2.post(1, HOST, Tag.Int, 1, 30)).toBe(ref2.dramWrite(1, MSG_BYTES, 30));
    // slower than an on-chip message
    expect(make().pb.post(1, HOST, Tag.Int, 1, 30)).toBeGreaterThan(make().pb.post(0, 2, Tag.Int, 1, 30));
  });
});
