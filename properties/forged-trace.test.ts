/**
 * Forged traces: well-framed, correctly checksummed traces whose events carry values no run can
 * produce (a process the run does not have, an unnamed state or host service, a negative or
 * infinite time, an arrival before its send). readRunTrace, the reader the CLI's trace commands
 * use, must reject each by name with a TraceFormatError, never pass it on to replay, diff, the
 * exporters or the explorer, and never throw anything else; a trace whose values are all in range
 * must read back. (readTrace, which checks only the form, round-trips any values: the codec tests.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TraceFormatError } from "../src/trace/format.js";
import { readRunTrace as readTrace } from "../src/trace/reader.js";
import { FOOTER, newRecorder } from "../tests/trace/helpers.js";
import { params } from "./config.js";

/** The helpers' recorder's run: 4 device cores and 1 host core. */
const PROCS = 5;

type Ev =
  | { k: "state"; time: number; proc: number; state: number }
  | { k: "message"; time: number; arrive: number; src: number; dst: number }
  | { k: "host"; time: number; end: number; proc: number; service: number }
  | { k: "gc"; time: number; proc: number; pause: number };

const proc = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: PROCS - 1 }) }, fc.integer({ min: PROCS, max: 5000 }));
const time = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 1_000_000 }).map((x) => x / 2) }, fc.constantFrom(-1, -0.5, Infinity, Number.NaN));
const evArb: fc.Arbitrary<Ev> = fc.oneof(
  fc.record({ k: fc.constant("state" as const), time, proc, state: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ k: fc.constant("message" as const), time, arrive: time, src: proc, dst: proc }),
  fc.record({ k: fc.constant("host" as const), time, end: time, proc, service: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ k: fc.constant("gc" as const), time, proc, pause: time }),
);

/** Why the event is impossible, or null when every value is in range. */
function impossible(e: Ev): string | null {
  const t = (x: number) => Number.isFinite(x) && x >= 0;
  switch (e.k) {
    case "state":
      return e.proc >= PROCS ? "process" : !t(e.time) ? "time" : null;
    case "message":
      return e.src >= PROCS || e.dst >= PROCS ? "process" : !t(e.time) || !t(e.arrive) ? "time" : e.arrive < e.time ? "time" : null;
    case "host":
      return e.proc >= PROCS ? "process" : e.service >= 5 ? "names nothing" : !t(e.time) || !t(e.end) || e.end < e.time ? "time" : null;
    case "gc":
      return e.proc >= PROCS ? "process" : !t(e.time) || !t(e.pause) ? "time" : null;
  }
}

function forge(events: readonly Ev[]): Uint8Array {
  const r = newRecorder();
  for (const e of events) {
    if (e.k === "state") r.coreState(e.time, e.proc, e.state, 1);
    else if (e.k === "message") r.message(e.time, e.arrive, e.src, e.dst, 1, 6);
    else if (e.k === "host") r.host(e.time, e.end, e.proc, e.service);
    else r.gc(e.time, e.proc, 10, 5, e.pause);
  }
  return r.finish(FOOTER);
}

describe("forged traces", () => {
  it("a message to a process the run does not have is rejected by name", () => {
    const bytes = forge([{ k: "message", time: 10, arrive: 20, src: 0, dst: 4000 }]);
    expect(() => readTrace(bytes)).toThrow(TraceFormatError);
    expect(() => readTrace(bytes)).toThrow(/event 0 at event-stream byte \d+ \(message\) names process 4000 in its dst field, but the run has 5 processes/);
  });

  it("any event with an impossible value is rejected with a TraceFormatError; all in range reads back", () => {
    fc.assert(
      fc.property(fc.array(evArb, { minLength: 1, maxLength: 12 }), (events) => {
        let bytes: Uint8Array;
        try {
          bytes = forge(events);
        } catch {
          return; // the recorder may refuse a value it cannot encode: nothing was written
        }
        const bad = events.map(impossible).find((w) => w !== null) ?? null;
        if (bad === null) {
          expect(readTrace(bytes).eventCount).toBe(events.length);
          return;
        }
        let err: unknown = null;
        try {
          readTrace(bytes);
        } catch (e) {
          err = e;
        }
        expect(err, `accepted a trace with an impossible ${bad}`).toBeInstanceOf(TraceFormatError);
        expect(String((err as Error).message)).toMatch(/^event \d+ at event-stream byte \d+ /);
      }),
      params(2000),
    );
  });
});
