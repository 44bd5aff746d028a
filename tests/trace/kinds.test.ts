/**
 * The event table (src/trace/kinds.ts) drives the codec: every row round-trips through the
 * recorder and the reader, heads carry the row's code (the extension code then the row's number for
 * extended kinds), the frequent kinds keep their version-2 bytes, and FORMAT.md lists every row.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currentEvent, describeEvent, playInto, traceEvents, type TraceEvent } from "../../src/trace/events.js";
import { EVENT_KINDS, EXT_CODE, type FieldSpec, KIND_BY_CODE, KIND_BY_EXT, type KindSpec } from "../../src/trace/kinds.js";
import { EventCursor, readTrace } from "../../src/trace/reader.js";
import { TraceRecorder } from "../../src/trace/recorder.js";
import { NULL_SINK, NullSink } from "../../src/trace/sink.js";
import { FOOTER, newRecorder, record } from "./helpers.js";

const KINDS = EVENT_KINDS as readonly KindSpec[];

/** Values a field of each encoding can hold (times also awkward float64s; indexes small). */
function arbitraryOf(f: FieldSpec): fc.Arbitrary<number | string> {
  switch (f.enc) {
    case "index": return fc.nat(1100);
    case "time":
    case "timeAfter": return fc.oneof(fc.integer({ min: 0, max: 1 << 24 }).map((n) => n / 2), fc.double());
    case "duration": return fc.oneof(fc.integer({ min: 0, max: 1 << 24 }).map((n) => n / 2), fc.double({ noNaN: false }));
    case "uint": return fc.oneof(fc.nat(300), fc.nat(), fc.constant(2 ** 40));
    case "int": return fc.integer({ min: -(2 ** 40), max: 2 ** 40 });
    case "low3": return fc.nat(7);
    case "string": return fc.string({ unit: "grapheme", maxLength: 40 });
  }
}

function arbitraryEvent(k: KindSpec): fc.Arbitrary<TraceEvent> {
  const shape: Record<string, fc.Arbitrary<unknown>> = { kind: fc.constant(k.name) };
  for (const f of k.fields) shape[f.name] = arbitraryOf(f);
  return fc.record(shape) as unknown as fc.Arbitrary<TraceEvent>;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, (_k, v) => (typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : v));
}

function bytesOf(events: readonly TraceEvent[]): Uint8Array {
  const r = newRecorder();
  record(events, r);
  return readTrace(r.finish(FOOTER)).events;
}

describe("the event table", () => {
  it("gives every kind a distinct head code below 8, the extension code to extended kinds only, numbered 0, 1, ...", () => {
    expect(EXT_CODE).toBe(5);
    for (const k of KINDS) {
      if (k.code === EXT_CODE) expect(KIND_BY_EXT[k.ext!]).toBe(k);
      else expect(KIND_BY_CODE[k.code]).toBe(k);
    }
    expect(KIND_BY_CODE[EXT_CODE]).toBeNull();
    expect(KIND_BY_EXT.map((k) => k.name)).toEqual(["error", "input", "command"]);
  });

  it("has a sink method per row on the TraceSink implementations made from it", () => {
    for (const k of KINDS) {
      for (const impl of [TraceRecorder.prototype, NullSink.prototype, NULL_SINK]) expect(typeof (impl as unknown as Record<string, unknown>)[k.sink]).toBe("function");
    }
    // one method per row and no others on the recorder's sink side
    const sinkNames = new Set(KINDS.map((k) => k.sink));
    expect(Object.getOwnPropertyNames(NullSink.prototype).filter((n) => n !== "constructor").sort()).toEqual([...sinkNames].sort());
  });

  for (const k of KINDS) {
    it(`round-trips ${k.name} events bit for bit through the recorder and reader, and through playInto`, () => {
      fc.assert(
        fc.property(fc.array(arbitraryEvent(k), { minLength: 1, maxLength: 20 }), (events) => {
          const r = newRecorder();
          record(events, r);
          const bytes = r.finish(FOOTER);
          const trace = readTrace(bytes);
          const back = traceEvents(trace);
          expect(back.length).toBe(events.length);
          for (let i = 0; i < events.length; i++) if (!same(back[i], events[i])) throw new Error(`wrote ${JSON.stringify(events[i])}, read ${JSON.stringify(back[i])}`);
          const c = new EventCursor(trace);
          c.next();
          // the head names the row: its code, then for an extended kind its number
          expect(c.plan.spec).toBe(k);
          const again = newRecorder();
          playInto(trace, again);
          expect(Buffer.from(again.finish(FOOTER)).equals(Buffer.from(bytes))).toBe(true);
          // every row has its human text
          expect(describeEvent(0, currentEvent(c), ["device 0"])).toMatch(/^#0 cycle \S+ /);
        }),
        { numRuns: 60 },
      );
    });
  }

  it("keeps the version-2 bytes of the frequent kinds", () => {
    // state: head 1*8+0, time 10 from base 0 (h = 20, written 4h = 80), line 7 * 8 + state 1
    expect([...bytesOf([{ kind: "state", time: 10, proc: 1, state: 1, line: 7 }])]).toEqual([8, 80, 57]);
    // message: head 2*8+1, send 4 (32), arrive 5.5 from the send (h = 3, 12), dst 3, hops 2, bytes 8
    expect([...bytesOf([{ kind: "message", time: 4, arrive: 5.5, src: 2, dst: 3, hops: 2, bytes: 8 }])]).toEqual([17, 32, 12, 3, 2, 8]);
    // link: head mesh 1 * 8 + 6, window start 1024 as a duration (8v), from 0, to -1 (zig-zag 1), busy 3 (24)
    expect([...bytesOf([{ kind: "link", time: 1024, mesh: 1, from: 0, to: -1, busy: 3 }])]).toEqual([14, 0x80, 0x40, 0, 1, 24]);
    // heap: head 0*8+7, time 2 (16), used 100
    expect([...bytesOf([{ kind: "heap", time: 2, proc: 0, used: 100 }])]).toEqual([7, 16, 100]);
  });

  it("writes an error behind the extension code: head proc*8+5, extended kind 0, then its fields", () => {
    expect([...bytesOf([{ kind: "error", time: 10, proc: 1, line: 3, message: "x" }])]).toEqual([13, 0, 80, 3, 1, 0x78]);
    // the error's time enters the process's base like any other: the next state is 2 cycles later
    expect([...bytesOf([{ kind: "error", time: 10, proc: 1, line: 3, message: "" }, { kind: "state", time: 12, proc: 1, state: 6, line: 3 }])]).toEqual([13, 0, 80, 3, 0, 8, 16, 30]);
  });

  it("rejects an unknown extended kind, naming the event and its byte", () => {
    const r = newRecorder();
    r.coreState(1, 0, 0, 1);
    const t = readTrace(r.finish(FOOTER));
    const forged = t.events.slice();
    // turn the state (head 0) into an extended kind 3 at the same length: [5, 3, 4] for [0, 4, 8]
    forged.set([5, 3, 4], 0);
    const c = new EventCursor({ events: forged });
    expect(() => c.next()).toThrow("event 0 at event-stream byte 0 has an unknown extended event kind 3");
  });

  it("is listed in FORMAT.md: every row with its code (or extended number) and name", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../src/trace/FORMAT.md"), "utf8");
    for (const k of KINDS) {
      const row = k.code === EXT_CODE ? new RegExp(`^\\| ${EXT_CODE}\\.${k.ext} \\| ${k.name} \\|`, "m") : new RegExp(`^\\| ${k.code} \\| ${k.name} \\|`, "m");
      expect(doc).toMatch(row);
    }
  });
});
