/** Damaged, truncated and foreign files: the reader says what is wrong, and throws nothing else. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../src/trace/checksum.js";
import { TraceFormatError } from "../../src/trace/format.js";
import { readTrace } from "../../src/trace/reader.js";
import { assembleTrace } from "../../src/trace/recorder.js";
import { FOOTER, newRecorder } from "./helpers.js";

function sample(): Uint8Array {
  const r = newRecorder();
  r.coreState(0, 0, 0, 1);
  r.message(10, 22.5, 0, 1, 1, 6);
  r.host(30, 2794.298270615496, 0, 0);
  r.output(2794.298270615496, 0, "hello");
  r.gc(3000, 1, 400, 100, 75);
  r.link(0, 0, 0, 1, 6);
  r.coreState(3100, 0, 5, 2);
  return r.finish(FOOTER).slice();
}

function errorOf(bytes: Uint8Array): string {
  try {
    readTrace(bytes);
  } catch (e) {
    if (e instanceof TraceFormatError) return e.message;
    throw e;
  }
  return "no error";
}

/** Rewrite every chunk's checksum after editing, to reach the checks behind them (stops at a length that does not fit). */
function resealed(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  const dv = new DataView(b.buffer);
  for (let at = 12; at + 12 <= b.length; ) {
    const end = at + 12 + dv.getUint32(at + 8, true);
    if (end + 4 > b.length) break;
    dv.setUint32(end, crc32(b, at, end), true);
    at = end + 4;
  }
  return b;
}

describe("trace reader", () => {
  const good = sample();

  it("reads a good trace", () => {
    const t = readTrace(good);
    expect(t.eventCount).toBe(7);
    expect(t.header.sources[0]!.name).toBe("t.py");
    expect(t.footer.ok).toBe(true);
  });

  it("names what is wrong: empty, bad magic, version, trailing bytes, checksum, chunk order", () => {
    expect(errorOf(new Uint8Array(0))).toBe("the file is empty, not a trace");
    expect(errorOf(new TextEncoder().encode("print 'hello'\n"))).toMatch(/^not an epython-sim trace \(bad magic number/);
    expect(errorOf(good.subarray(0, 5))).toBe("truncated at byte 5: too short to hold the 12-byte prefix (magic and version)");
    for (const v of [1, 2, 3]) {
      // earlier formats (v3: one section and one checksum for the whole file) are not read
      const old = good.slice();
      new DataView(old.buffer).setUint32(8, v, true);
      expect(errorOf(old)).toBe(`unsupported trace format version ${v} (this epython-sim reads version 4: record the run again)`);
    }
    expect(errorOf(good.subarray(0, 30))).toBe("truncated at byte 30: the file ends inside its header chunk");
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(errorOf(longer)).toBe(`3 unexpected bytes after the footer chunk, which ends at byte ${good.length}`);
    const flipped = good.slice();
    flipped[good.length - 20]! ^= 0x10;
    expect(errorOf(flipped)).toMatch(/^checksum mismatch in chunk 2 at byte \d+: it stores CRC-32 0x[0-9a-f]{8} but its bytes give 0x[0-9a-f]{8} \(the file is damaged\)$/);
    const t = readTrace(good);
    // chunks out of place: no header first, a chunk dropped, an unknown type
    expect(errorOf(assembleTrace(t.headerText, t.events, t.eventCount, t.footerText, [...t.eventChunks, ...t.eventChunks]))).toMatch(/says it starts at event 7, but|the trace says it has 7 events but its event chunks hold 14/);
    const dropped = good.slice();
    new DataView(dropped.buffer).setUint32(12 + 4, 5, true);
    expect(errorOf(resealed(dropped))).toBe("chunk 0 at byte 12 has sequence number 5 (a chunk is missing, repeated or out of place)");
    const unknown = good.slice();
    unknown.set(new TextEncoder().encode("JUNK"), 12);
    expect(errorOf(resealed(unknown))).toBe("chunk 0 at byte 12 has an unknown type JUNK");
    const noHeader = good.slice();
    noHeader.set(new TextEncoder().encode("EVTS"), 12);
    expect(errorOf(resealed(noHeader))).toBe("chunk 0 at byte 12 is a EVTS chunk where the HEAD chunk must be");
  });

  it("reads a trace without its footer chunk as incomplete, with a made-up footer saying so", () => {
    const t = readTrace(good);
    const cut = readTrace(assembleTrace(t.headerText, t.events, t.eventCount, null, t.eventChunks));
    expect(cut.complete).toBe(false);
    expect(cut.eventCount).toBe(7);
    expect(cut.footer).toMatchObject({ ok: false, error: { kind: "incomplete" }, messages: 1, messageBytes: 6, procs: [] });
    expect(cut.footer.error!.message).toMatch(/^incomplete trace: it ends at byte \d+ of \d+ after 7 events, without its footer/);
    expect(cut.footer.totalCycles).toBe(3100);
    // 'incomplete' is the reader's word: a footer that says it is forged
    expect(errorOf(assembleTrace(t.headerText, t.events, t.eventCount, JSON.stringify({ ...t.footer, ok: false, error: { kind: "incomplete", message: "x", proc: -1, label: "", file: "", line: 0, time: 0 } }), t.eventChunks))).toMatch(/never written/);
  });

  it("validates the JSON header with its schema (behind a valid checksum)", () => {
    const t = readTrace(good);
    const headerText = t.headerText;
    const footerText = JSON.stringify(t.footer);
    const forge = (h: string, f = footerText) => errorOf(assembleTrace(h, t.events, t.eventCount, f));
    expect(forge(headerText.replace('"chip":"e16"', '"chip":"e99"'))).toMatch(/^bad header: Expected "e16" \| "e64" \| "e1024" at \["config"\]\["chip"\]$/);
    expect(forge(headerText.replace('"clockHz":600000000', '"clockHz":-1'))).toMatch(/^bad header: .*clockHz/);
    expect(forge(headerText.replace('"toolVersion"', '"surprise":1,"toolVersion"'))).toMatch(/^bad header: .*surprise/);
    expect(forge("{not json")).toBe("the header is not valid JSON");
    expect(forge(headerText, footerText.replace('"ok":true', '"ok":false'))).toBe("bad footer: ok is false but the error is missing");
  });

  it("checks a chunk's length against the file: one that runs past the end is the cut, unless whole chunks follow it", () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(12 + 8, 1_000_000, true); // the header chunk's length
    expect(errorOf(b)).toMatch(/^chunk 0 at byte 12 has a length \(1000000\) that runs past the end of the file, yet chunk 1 follows at byte \d+ \(the file is damaged\)$/);
    // the same length with nothing whole after it: a file cut inside its header
    expect(errorOf(b.subarray(0, 40))).toBe("truncated at byte 40: the file ends inside its header chunk");
  });

  it("property: flipped bytes are a TraceFormatError (never another exception); a cut file reads as a prefix", () => {
    const whole = readTrace(good);
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(good.length - 1), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 4 }),
        fc.option(fc.nat(good.length - 1), { nil: undefined }),
        (flips, cut) => {
          const b = good.slice();
          for (const f of flips) b[f.at]! ^= f.xor;
          const damaged = cut === undefined ? b : b.subarray(0, cut);
          const end = cut ?? good.length;
          let firstChange = -1;
          for (let i = 0; i < end && firstChange < 0; i++) if (b[i] !== good[i]) firstChange = i;
          let error: unknown = null;
          let read = null;
          try {
            read = readTrace(damaged);
          } catch (e) {
            error = e;
          }
          if (error !== null) return error instanceof TraceFormatError && error.message.length > 0 && (firstChange >= 0 || cut !== undefined);
          if (firstChange < 0 && cut === undefined) return read!.complete;
          // read without error: a cut file (or a damaged length, which reads as a cut there), and
          // every changed byte is in the part it ignores; what it gives is a prefix of the events
          return !read!.complete && (firstChange < 0 || firstChange >= read!.cutAt!) && Buffer.from(read!.events).equals(Buffer.from(whole.events.subarray(0, read!.events.length)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("property: even with the checksum forged to match, damaged bytes decode or give a TraceFormatError", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.integer({ min: 12, max: good.length - 5 }), value: fc.nat(255) }), { minLength: 1, maxLength: 6 }), (edits) => {
        const b = good.slice();
        for (const e of edits) b[e.at] = e.value;
        try {
          readTrace(resealed(b));
          return true;
        } catch (e) {
          return e instanceof TraceFormatError;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
