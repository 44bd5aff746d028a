/**
 * The binary trace recorder: a TraceSink that appends each event to one growable byte buffer.
 *
 * Cost matters (every simulated event goes through here), so the hot methods allocate nothing:
 * they write varints straight into a Uint8Array that doubles when full, and keep one base time
 * per process in a Float64Array so most times become small half-cycle deltas (see FORMAT.md).
 */
import type { RunConfig } from "../config/run-config.js";
import { grown } from "../util/typed-arrays.js";
import { crc32, sha256Hex } from "./checksum.js";
import {
  FIXED_BYTES, MAX_HALF_DELTA, OFF_HEADER, OFF_HEADER_LENGTH, OFF_LENGTH, OFF_VERSION, RECENT, TIME_RAW_TAG, TIME_RECENT_TAG,
  TRACE_FORMAT_VERSION, TRACE_MAGIC,
} from "./format.js";
import { footerJson, headerJson, sourceHashInput, type TraceFooter, type TraceHeader, type TraceSource } from "./header.js";
import { OP_DURATION, OP_INT, OP_LOW3, OP_TIME, OP_TIME_AFTER, OP_UINT, PLANS, type WirePlan } from "./plan.js";
import type { TraceSink } from "./sink.js";

/** What the caller knows before the run; the recorder derives the source hash. */
export interface RecordingInfo {
  toolVersion: string;
  nodeMajor: number;
  clockHz: number;
  sources: readonly TraceSource[];
  /** the byte-code image, stored only when there are no sources (runs of `epython -l FILE`) */
  image?: Uint8Array | null;
  config: RunConfig;
}

export function makeHeader(info: RecordingInfo): TraceHeader {
  return {
    tool: "epython-sim",
    toolVersion: info.toolVersion,
    node: info.nodeMajor,
    clockHz: info.clockHz,
    sourceHash: sha256Hex(sourceHashInput(info.sources)),
    sources: info.sources.map((s) => ({ name: s.name, text: s.text })),
    image: info.sources.length === 0 && info.image ? toBase64(info.image) : null,
    config: info.config,
  };
}

function toBase64(bytes: Uint8Array): string {
  // btoa exists in Node and browsers; feed it in slices to keep argument lists short
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

const encoder = new TextEncoder();
const RECENT_MASK = RECENT - 1;
/** a sink method's argument: a number, or the text of an output or error */
type Arg = number | string | undefined;

/** The recorder is a TraceSink: its methods are made from the event table (the static block below). */
export interface TraceRecorder extends TraceSink {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the TraceSink methods are installed from the event table
export class TraceRecorder {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private count = 0;
  /** per process: the last time written for it, the base of its next delta */
  private base = new Float64Array(64);
  /** the last RECENT times written, a ring (see timeSlow) */
  private readonly recent = new Float64Array(RECENT);
  private recentPos = 0;
  /** the current event's arguments (reused: no allocation per event) */
  private readonly args: Arg[] = [0, 0, 0, 0, 0, 0];
  private readonly eventsStart: number;
  private done: Uint8Array | null = null;
  readonly header: TraceHeader;

  constructor(header: TraceHeader, initialBytes = 1 << 16) {
    this.header = header;
    const h = encoder.encode(headerJson(header));
    this.buf = new Uint8Array(Math.max(initialBytes, FIXED_BYTES + h.length + 64));
    this.view = new DataView(this.buf.buffer);
    this.buf.set(TRACE_MAGIC, 0);
    this.view.setUint32(OFF_VERSION, TRACE_FORMAT_VERSION, true);
    this.view.setUint32(OFF_HEADER_LENGTH, h.length, true);
    this.buf.set(h, OFF_HEADER);
    // event count and event byte length are patched in by finish()
    this.eventsStart = OFF_HEADER + h.length + 8;
    this.pos = this.eventsStart;
  }

  /** Events recorded so far. */
  get events(): number {
    return this.count;
  }

  /** Bytes of the event section so far. */
  get eventBytes(): number {
    return this.pos - this.eventsStart;
  }

  // --- TraceSink: one method per row of the event table, installed from the table -------------

  static {
    for (const p of PLANS) {
      const write = function (this: TraceRecorder, a: Arg, b: Arg, c: Arg, d: Arg, e: Arg, f: Arg): void {
        this.write(p, a, b, c, d, e, f);
      };
      Object.defineProperty(TraceRecorder.prototype, p.spec.sink, { value: write, writable: true, configurable: true });
    }
  }

  /** One event: its head, then its fields in the plan's wire order (FORMAT.md). */
  private write(p: WirePlan, a: Arg, b: Arg, c: Arg, d: Arg, e: Arg, f: Arg): void {
    const v = this.args;
    v[0] = a;
    v[1] = b;
    v[2] = c;
    v[3] = d;
    v[4] = e;
    v[5] = f;
    this.reserve(p.reserve);
    const index = v[p.indexArg] as number;
    this.head(index, p.code);
    if (p.ext >= 0) this.uint32(p.ext);
    const { ops, args } = p;
    let prev = 0;
    for (let i = 0; i < ops.length; i++) {
      const at = args[i]!;
      const x = v[at]!;
      switch (ops[i]) {
        case OP_TIME:
          this.time(x as number, this.baseOf(index));
          prev = x as number;
          break;
        case OP_TIME_AFTER:
          this.time(x as number, prev);
          prev = x as number;
          break;
        case OP_DURATION:
          this.duration(x as number);
          break;
        case OP_UINT:
          this.uint(x as number);
          break;
        case OP_INT:
          this.int(x as number);
          break;
        case OP_LOW3:
          if ((x as number) >>> 3 !== 0) throw new RangeError(`trace format ${TRACE_FORMAT_VERSION} has room for 8 values of ${p.spec.name} ${p.spec.fields[at]!.name} (0-7), got ${x}`);
          this.uint((v[at + 1] as number) * 8 + (x as number));
          break;
        default:
          this.string(x as string);
      }
    }
    if (p.resumeArg >= 0) this.base[index] = v[p.resumeArg] as number;
    this.count++;
  }

  // --- finishing -------------------------------------------------------------------------------

  /** Append the footer and checksum; returns the whole trace file. Later calls return the same bytes. */
  finish(footer: TraceFooter): Uint8Array {
    if (this.done) return this.done;
    const f = encoder.encode(footerJson(footer));
    const eventBytes = this.pos - this.eventsStart;
    this.reserve(f.length + 8);
    this.view.setUint32(this.eventsStart - 8, this.count, true);
    this.view.setUint32(this.eventsStart - 4, eventBytes, true);
    this.view.setUint32(this.pos, f.length, true);
    this.buf.set(f, this.pos + 4);
    this.pos += 4 + f.length;
    const total = this.pos + 4;
    if (total > 0xffffffff) throw new RangeError("trace is larger than 4 GiB, the limit of the format");
    this.view.setUint32(OFF_LENGTH, total, true);
    this.view.setUint32(this.pos, crc32(this.buf, 0, this.pos), true);
    this.pos += 4;
    this.done = this.buf.subarray(0, this.pos);
    return this.done;
  }

  // --- encoding helpers --------------------------------------------------------------------------

  private reserve(n: number): void {
    if (this.done) throw new Error("the trace recorder is finished: no more events can be added");
    if (this.pos + n <= this.buf.length) return;
    this.buf = grown(this.buf, this.pos + n, this.pos);
    this.view = new DataView(this.buf.buffer);
  }

  private baseOf(proc: number): number {
    if (proc >= this.base.length) {
      this.base = grown(this.base, proc + 1);
    }
    return this.base[proc]!;
  }

  /** First varint of an event: (index << 3) | kind. */
  private head(index: number, kind: number): void {
    if (index >>> 0 !== index || index > 0xfffffff) throw new RangeError(`trace: bad process/mesh index ${index}`);
    this.uint32((index << 3) | kind);
  }

  /** Unsigned varint (7 bits a byte, low first) of a safe non-negative integer. */
  private uint(x: number): void {
    const b = this.buf;
    let p = this.pos;
    if (x >>> 0 === x) {
      while (x > 127) {
        b[p++] = (x & 127) | 128;
        x >>>= 7;
      }
      b[p++] = x;
    } else {
      if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`trace: ${x} is not a count (a non-negative whole number)`);
      while (x > 127) {
        b[p++] = (x % 128) | 128;
        x = Math.floor(x / 128);
      }
      b[p++] = x;
    }
    this.pos = p;
  }

  /** Zig-zag signed varint (0, -1, 1, -2 ... as 0, 1, 2, 3 ...) of a safe integer. */
  private int(x: number): void {
    this.uint(x >= 0 ? x * 2 : -x * 2 - 1);
  }

  /**
   * A float64 time, relative to `base`: when v - base is an exact multiple of 1/2 (and adding it
   * back gives v bit for bit) a zig-zag varint of the half-cycle count times 2 (even); otherwise
   * the tag 1 and the raw little-endian float64 of v.
   */
  private time(v: number, base: number): void {
    const d = v - base;
    const h = d * 2;
    if ((h | 0) === h && h < 0x20000000 && h > -0x20000000 && base + d === v && (v !== 0 || 1 / v > 0)) {
      // the common case, kept to 32-bit integer arithmetic: |delta| < 2^28 cycles
      this.uint32(h >= 0 ? h << 2 : (-h << 2) - 2);
    } else if (base + d === v && h === Math.trunc(h) && h <= MAX_HALF_DELTA && h >= -MAX_HALF_DELTA && (v !== 0 || 1 / v > 0)) {
      this.uint(h >= 0 ? h * 4 : -h * 4 - 2);
    } else this.timeSlow(v);
    this.recent[this.recentPos++ & RECENT_MASK] = v;
  }

  /** uint() for 0 <= x < 2^31 */
  private uint32(x: number): void {
    const b = this.buf;
    let p = this.pos;
    while (x > 127) {
      b[p++] = (x & 127) | 128;
      x >>>= 7;
    }
    b[p++] = x;
    this.pos = p;
  }

  /** A duration (GC pause, link busy time): relative to 0 and not remembered as a recent time. */
  private duration(v: number): void {
    const h = v * 2;
    if (h === Math.trunc(h) && h <= MAX_HALF_DELTA && h >= 0 && (v !== 0 || 1 / v > 0)) this.uint(h * 4);
    else {
      this.buf[this.pos] = TIME_RAW_TAG;
      this.view.setFloat64(this.pos + 1, v, true);
      this.pos += 9;
    }
  }

  /**
   * v is no whole number of half cycles from its base: typically the core was just woken at a
   * time derived from another core's clock, so try the times written last (newest first), then
   * fall back to the raw float64. (A cache of recent odd deltas was tried for e64 runs, whose
   * poll times are not dyadic: it saved under 1%, so it is not part of the format.)
   */
  private timeSlow(v: number): void {
    for (let j = 0; j < RECENT; j++) {
      const b = this.recent[(this.recentPos - 1 - j) & RECENT_MASK]!;
      const d = v - b;
      const h = d * 2;
      if (b + d === v && h === Math.trunc(h) && h <= MAX_HALF_DELTA && h >= -MAX_HALF_DELTA && (v !== 0 || 1 / v > 0)) {
        this.uint(TIME_RECENT_TAG + 2 * j);
        this.uint(h >= 0 ? h * 2 : -h * 2 - 1);
        return;
      }
    }
    this.buf[this.pos] = TIME_RAW_TAG;
    this.view.setFloat64(this.pos + 1, v, true);
    this.pos += 9;
  }

  private string(s: string): void {
    // worst case 3 UTF-8 bytes per UTF-16 unit; write after a 5-byte gap, then close it up
    this.reserve(5 + s.length * 3);
    const at = this.pos + 5;
    const n = encoder.encodeInto(s, this.buf.subarray(at)).written;
    this.uint(n);
    this.buf.copyWithin(this.pos, at, at + n);
    this.pos += n;
  }
}

/**
 * Assemble a trace from its parts (header and footer JSON text, encoded events): what finish()
 * writes, for tools that rewrite a trace's header or footer and for tests that forge traces.
 */
export function assembleTrace(headerText: string, events: Uint8Array, eventCount: number, footerText: string): Uint8Array {
  const h = encoder.encode(headerText);
  const f = encoder.encode(footerText);
  const total = FIXED_BYTES + h.length + events.length + f.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(TRACE_MAGIC, 0);
  dv.setUint32(OFF_VERSION, TRACE_FORMAT_VERSION, true);
  dv.setUint32(OFF_LENGTH, total, true);
  dv.setUint32(OFF_HEADER_LENGTH, h.length, true);
  out.set(h, OFF_HEADER);
  let o = OFF_HEADER + h.length;
  dv.setUint32(o, eventCount, true);
  dv.setUint32(o + 4, events.length, true);
  out.set(events, o + 8);
  o += 8 + events.length;
  dv.setUint32(o, f.length, true);
  out.set(f, o + 4);
  o += 4 + f.length;
  dv.setUint32(o, crc32(out, 0, o), true);
  return out;
}
