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

/** Rewrite the checksum after editing, to reach the checks behind it. */
function resealed(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  new DataView(b.buffer).setUint32(b.length - 4, crc32(b, 0, b.length - 4), true);
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

  it("names what is wrong: empty, bad magic, version, truncation, trailing bytes, checksum", () => {
    expect(errorOf(new Uint8Array(0))).toBe("the file is empty, not a trace");
    expect(errorOf(new TextEncoder().encode("print 'hello'\n"))).toMatch(/^not an epython-sim trace \(bad magic number/);
    expect(errorOf(good.subarray(0, 5))).toBe("truncated at byte 5: too short to hold the 16-byte fixed header");
    const v1 = good.slice(); // a trace of the first format (link load as run totals, no windows)
    new DataView(v1.buffer).setUint32(8, 1, true);
    expect(errorOf(v1)).toBe("unsupported trace format version 1 (this epython-sim reads version 3)");
    const v2 = good.slice(); // a trace of the second format (error events had head code 5 of their own)
    new DataView(v2.buffer).setUint32(8, 2, true);
    expect(errorOf(v2)).toBe("unsupported trace format version 2 (this epython-sim reads version 3)");
    expect(errorOf(good.subarray(0, 100))).toBe(`truncated at byte 100: the trace says it is ${good.length} bytes long`);
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(errorOf(longer)).toBe(`3 unexpected bytes after the end of the trace at byte ${good.length}`);
    const flipped = good.slice();
    flipped[good.length - 20]! ^= 0x10;
    expect(errorOf(flipped)).toMatch(/^checksum mismatch: the file stores CRC-32 0x[0-9a-f]{8} but its bytes give 0x[0-9a-f]{8} \(the file is damaged\)$/);
  });

  it("validates the JSON header with its schema (behind a valid checksum)", () => {
    const t = readTrace(good);
    const headerText = new TextDecoder().decode(good.subarray(20, t.eventsStart - 8));
    const events = good.subarray(t.eventsStart, t.eventsEnd);
    const footerText = JSON.stringify(t.footer);
    const forge = (h: string, f = footerText) => errorOf(assembleTrace(h, events, t.eventCount, f));
    expect(forge(headerText.replace('"chip":"e16"', '"chip":"e99"'))).toMatch(/^bad header: Expected "e16" \| "e64" \| "e1024" at \["config"\]\["chip"\]$/);
    expect(forge(headerText.replace('"clockHz":600000000', '"clockHz":-1'))).toMatch(/^bad header: .*clockHz/);
    expect(forge(headerText.replace('"toolVersion"', '"surprise":1,"toolVersion"'))).toMatch(/^bad header: .*surprise/);
    expect(forge("{not json")).toBe("the header is not valid JSON");
    expect(forge(headerText, footerText.replace('"ok":true', '"ok":false'))).toBe("bad footer: ok is false but the error is missing");
  });

  it("checks the sections fit the length (behind a valid checksum)", () => {
    const b = good.slice();
    new DataView(b.buffer).setUint32(16, 1_000_000, true); // header length
    expect(errorOf(resealed(b))).toBe("header length 1000000 runs past the end of the trace");
  });

  it("property: any flipped bytes or truncation is reported as a TraceFormatError, never another exception", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(good.length - 1), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat(good.length - 1), { nil: undefined }),
        (flips, cut) => {
          const b = good.slice();
          for (const f of flips) b[f.at]! ^= f.xor;
          const damaged = cut === undefined ? b : b.subarray(0, cut);
          const unchanged = cut === undefined && b.every((v, i) => v === good[i]);
          let error: unknown = null;
          try {
            readTrace(damaged);
          } catch (e) {
            error = e;
          }
          if (unchanged) return error === null; // flips that cancelled out
          // the checksum (or the length/magic/version checks before it) must catch every change
          return error instanceof TraceFormatError && error.message.length > 0;
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("property: even with the checksum forged to match, damaged bytes decode or give a TraceFormatError", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.integer({ min: 16, max: good.length - 5 }), value: fc.nat(255) }), { minLength: 1, maxLength: 6 }), (edits) => {
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
