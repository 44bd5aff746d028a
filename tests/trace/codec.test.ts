/** The binary trace codec: events round-trip bit for bit, the framing and checksums are right. */
import { createHash } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32, sha256Hex } from "../../src/trace/checksum.js";
import { playInto, traceEvents, type TraceEvent } from "../../src/trace/events.js";
import { TRACE_FORMAT_VERSION, TraceFormatError } from "../../src/trace/format.js";
import { readTrace } from "../../src/trace/reader.js";
import { assembleTrace } from "../../src/trace/recorder.js";
import { FOOTER, newRecorder, record } from "./helpers.js";

// Times: mostly what the simulator makes (half cycles, near each other), plus every awkward float64.
const awkward = fc.constantFrom(0, -0, 0.1, 1 / 3, 1e300, -1e-300, 5e-324, Number.MAX_VALUE, Infinity, -Infinity, NaN, 2 ** 53, 2 ** 60 + 0.5 * 2 ** 9, 1e15 + 0.5);
const halfCycles = fc.integer({ min: 0, max: 1 << 24 }).map((n) => n / 2);
const nonDyadic = fc.double({ min: 0, max: 1e7, noNaN: true });
const time = fc.oneof({ weight: 6, arbitrary: halfCycles }, { weight: 2, arbitrary: nonDyadic }, { weight: 1, arbitrary: awkward }, { weight: 1, arbitrary: fc.double() });
const duration = fc.oneof(halfCycles, nonDyadic, awkward);
const proc = fc.integer({ min: 0, max: 1100 });
const count = fc.oneof(fc.nat(300), fc.nat(), fc.constant(Number.MAX_SAFE_INTEGER));
/** source lines share a varint with the state (line * 8 + state), so they stay below 2^50 */
const line = fc.oneof(fc.nat(300), fc.nat(), fc.constant(2 ** 50 - 1));
const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constant(""), fc.string({ minLength: 200, maxLength: 400 }));

const event: fc.Arbitrary<TraceEvent> = fc.oneof(
  fc.record({ kind: fc.constant("state" as const), time, proc, state: fc.integer({ min: 0, max: 7 }), line }),
  fc.record({ kind: fc.constant("message" as const), time, arrive: time, src: proc, dst: proc, hops: fc.nat(64), bytes: count }),
  fc.record({ kind: fc.constant("gc" as const), time, proc, before: count, after: count, pause: duration }),
  fc.record({ kind: fc.constant("host" as const), time, end: time, proc, service: fc.nat(4) }),
  fc.record({ kind: fc.constant("output" as const), time, proc, text }),
  fc.record({ kind: fc.constant("error" as const), time, proc, line: count, message: text }),
  fc.record({ kind: fc.constant("link" as const), time: duration, mesh: fc.nat(2), from: fc.integer({ min: -1, max: 1023 }), to: fc.integer({ min: -1, max: 1023 }), busy: duration }),
  fc.record({ kind: fc.constant("heap" as const), time, proc, used: count }),
);

/** Equal with floats compared by bits (Object.is tells -0 from 0 and NaN equals NaN). */
function sameBits(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return Object.is(a, b);
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

describe("trace codec", () => {
  it("round-trips any event sequence bit for bit, and re-recording the decoded events gives the same bytes", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const r = newRecorder();
        record(events, r);
        const bytes = r.finish(FOOTER);
        const trace = readTrace(bytes);
        expect(trace.eventCount).toBe(events.length);
        const back = traceEvents(trace);
        for (let i = 0; i < events.length; i++) {
          if (!sameBits(back[i], events[i])) throw new Error(`event ${i}: wrote ${JSON.stringify(events[i])}, read ${JSON.stringify(back[i])}`);
        }
        const again = newRecorder();
        playInto(trace, again);
        expect(Buffer.from(again.finish(FOOTER)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("stores simulator-like times compactly: a state change with a small half-cycle step is 3 bytes", () => {
    const r = newRecorder();
    r.coreState(0, 2, 0, 3);
    const before = r.eventBytes;
    r.coreState(1783.5, 2, 1, 3);
    expect(r.eventBytes - before).toBe(4); // head 1, time 2 (delta 3567 half cycles), line+state 1
    const b2 = r.eventBytes;
    r.coreState(1790, 2, 0, 3);
    expect(r.eventBytes - b2).toBe(3);
  });

  it("falls back to the raw float64 (9 bytes) for a time that is no whole number of half cycles from any recent time", () => {
    const r = newRecorder();
    r.coreState(0.1, 0, 0, 0);
    expect(r.eventBytes).toBe(1 + 9 + 1);
  });

  it("stores a time relative to a recently written time of another core when that is exact", () => {
    const r = newRecorder();
    r.coreState(1000.123456789, 0, 0, 0); // raw
    const before = r.eventBytes;
    r.coreState(1010.123456789, 1, 0, 0); // core 1's base is 0, but core 0 just wrote a time 10 cycles earlier
    expect(r.eventBytes - before).toBe(4); // head, tag, delta, line+state
    expect(traceEvents(readTrace(r.finish(FOOTER)))[1]).toEqual({ kind: "state", time: 1010.123456789, proc: 1, state: 0, line: 0 });
  });

  it("frames the file as FORMAT.md says: magic, version, then HEAD, EVTS ... and FOOT chunks, each with its CRC-32", () => {
    const r = newRecorder(4);
    for (let i = 0; i < 10; i++) r.coreState(i * 1000.5, i % 4, 0, 1);
    const bytes = r.finish(FOOTER);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe("EPYTRACE");
    expect(dv.getUint32(8, true)).toBe(TRACE_FORMAT_VERSION);
    expect(TRACE_FORMAT_VERSION).toBe(4);
    const types: string[] = [];
    let at = 12;
    for (let seq = 0; at < bytes.length; seq++) {
      types.push(new TextDecoder().decode(bytes.subarray(at, at + 4)));
      expect(dv.getUint32(at + 4, true)).toBe(seq);
      const end = at + 12 + dv.getUint32(at + 8, true);
      expect(dv.getUint32(end, true)).toBe(crc32(bytes, at, end));
      at = end + 4;
    }
    expect(at).toBe(bytes.length);
    // 4-byte chunks: each ends at the first event that fills it
    expect(types[0]).toBe("HEAD");
    expect(types.at(-1)).toBe("FOOT");
    expect(types.slice(1, -1).every((t) => t === "EVTS")).toBe(true);
    expect(types.length).toBeGreaterThan(4);
    const t = readTrace(bytes);
    expect(t.eventCount).toBe(10);
    expect(assembleTrace(t.headerText, t.events, t.eventCount, t.footerText, t.eventChunks)).toEqual(bytes);
  });

  it("reads a trace cut anywhere as incomplete: its whole chunks, never a damaged event", () => {
    const r = newRecorder(16);
    for (let i = 0; i < 10; i++) r.coreState(i, i % 4, 0, 1);
    const bytes = r.finish(FOOTER);
    const whole = readTrace(bytes);
    let previous = -1;
    for (let cut = whole.headerText.length + 28; cut < bytes.length; cut++) {
      const t = readTrace(bytes.subarray(0, cut));
      expect(t.complete).toBe(false);
      expect(t.footer.error?.kind).toBe("incomplete");
      expect(t.cutAt).toBeLessThanOrEqual(cut);
      expect(t.eventCount).toBeGreaterThanOrEqual(previous);
      previous = t.eventCount;
      expect(Buffer.from(t.events).equals(Buffer.from(whole.events.subarray(0, t.events.length)))).toBe(true);
    }
    expect(previous).toBe(10);
    // a cut inside the header chunk leaves nothing to read
    expect(() => readTrace(bytes.subarray(0, 20))).toThrow(/ends inside its header chunk/);
  });

  it("records the same bytes for the same calls (no clock, no randomness)", () => {
    const run = (): Uint8Array => {
      const r = newRecorder();
      record([{ kind: "output", time: 5, proc: 1, text: "héllo ✓" }, { kind: "link", time: 4096, mesh: 2, from: -1, to: -1, busy: 55.7 }], r);
      return r.finish(FOOTER);
    };
    expect(run()).toEqual(run());
  });

  it("refuses events after finish() and values the format can not hold", () => {
    const r = newRecorder();
    r.finish(FOOTER);
    expect(() => r.coreState(1, 0, 0, 0)).toThrow(/finished/);
    expect(() => newRecorder().coreState(1, 0, 8, 0)).toThrow(RangeError);
    expect(() => newRecorder().coreState(1, -1, 0, 0)).toThrow(RangeError);
    expect(() => newRecorder().gc(1, 0, -5, 0, 0)).toThrow(RangeError);
    expect(() => newRecorder().coreState(1, 0, 0, 2 ** 50)).toThrow(RangeError);
  });

  it("computes CRC-32 and SHA-256 as zlib and node:crypto do", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(crc32(b)).toBe(zlibCrc32(b));
        expect(sha256Hex(b)).toBe(createHash("sha256").update(b).digest("hex"));
      }),
    );
  });

  it("reports a forged event section with a valid checksum as a TraceFormatError", () => {
    const r = newRecorder();
    r.coreState(1, 0, 0, 1);
    const t = readTrace(r.finish(FOOTER));
    const header = t.headerText;
    const footer = JSON.stringify(t.footer);
    // kind 7 (heap) with its fields missing
    expect(() => readTrace(assembleTrace(header, Uint8Array.of(7), 1, footer))).toThrow(/event 0 at event-stream byte \d+/);
    expect(() => readTrace(assembleTrace(header, Uint8Array.of(0x80), 1, footer))).toThrow(/cut off/);
    expect(() => readTrace(assembleTrace(header, Uint8Array.of(0, 2, 0), 2, footer))).toThrow(/says it holds events up to #1, but it holds events up to #0/);
    expect(() => readTrace(assembleTrace(header, Uint8Array.of(4, 0, 2, 0xff, 0xfe), 1, footer))).toThrow(/not valid UTF-8/);
    expect(() => readTrace(assembleTrace(header, new Uint8Array(0), 0, footer))).not.toThrow();
    expect(() => readTrace(assembleTrace(header, Uint8Array.of(0x80), 1, footer))).toThrow(TraceFormatError);
  });
});
