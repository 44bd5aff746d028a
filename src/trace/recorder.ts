/**
 * The binary trace recorder: a TraceSink that encodes each event into the current event chunk and
 * hands every finished chunk to its output as the run goes (FORMAT.md): a file written as the run
 * goes (the CLI), or memory (replay, tests, experiments).
 *
 * Cost matters (every simulated event goes through here), so the hot methods allocate nothing:
 * they write varints straight into one Uint8Array, and keep one base time per process in a
 * Float64Array so most times become small half-cycle deltas. The buffer holds one chunk (about
 * CHUNK_EVENT_BYTES), so memory stays flat however long the run.
 */
import type { RunConfig } from "../config/run-config.js";
import { grown } from "../util/typed-arrays.js";
import { crc32, sha256Hex } from "./checksum.js";
import {
  CHUNK_CRC_BYTES, CHUNK_EVENT_BYTES, CHUNK_EVENTS, CHUNK_FOOTER, CHUNK_HEAD_BYTES, CHUNK_HEADER, EVENTS_PREFIX_BYTES, FOOTER_PREFIX_BYTES,
  MAX_HALF_DELTA, OFF_VERSION, PREFIX_BYTES, RECENT, TIME_RAW_TAG, TIME_RECENT_TAG, TRACE_FORMAT_VERSION, TRACE_MAGIC,
} from "./format.js";
import { footerJson, headerJson, sourceHashInput, type TraceFooter, type TraceHeader, type TraceSource } from "./header.js";
import { OP_DURATION, OP_INT, OP_LOW3, OP_TIME, OP_TIME_AFTER, OP_UINT, PLANS, type WirePlan } from "./plan.js";
import type { TraceSink } from "./sink.js";

/**
 * Where a recorder's bytes go, in file order: the prefix with the header chunk, each event chunk
 * as it fills, the footer chunk. `bytes` is only valid during the call (copy to keep it).
 */
export interface TraceOutput {
  write(bytes: Uint8Array): void;
}

/** A TraceOutput that keeps the file in memory. */
export class MemoryTraceOutput implements TraceOutput {
  private parts: Uint8Array[] = [];
  private size = 0;

  write(bytes: Uint8Array): void {
    this.parts.push(bytes.slice());
    this.size += bytes.length;
  }

  /** Everything written so far, as one file. */
  bytes(): Uint8Array {
    if (this.parts.length !== 1) {
      const all = new Uint8Array(this.size);
      let o = 0;
      for (const p of this.parts) {
        all.set(p, o);
        o += p.length;
      }
      this.parts = [all];
    }
    return this.parts[0] ?? new Uint8Array(0);
  }
}

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
/** where the events start in the chunk buffer: after the chunk head and the event prefix */
const EVENTS_START = CHUNK_HEAD_BYTES + EVENTS_PREFIX_BYTES;
const RECENT_MASK = RECENT - 1;
/** a sink method's argument: a number, or the text of an output or error */
type Arg = number | string | undefined;

/** The recorder is a TraceSink: its methods are made from the event table (the static block below). */
export interface TraceRecorder extends TraceSink {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the TraceSink methods are installed from the event table
export class TraceRecorder {
  /** the event chunk being filled: its head and event prefix (patched when it ends), then events */
  private buf: Uint8Array;
  private view: DataView;
  private pos = EVENTS_START;
  private count = 0;
  /** index of the first event of the chunk being filled */
  private chunkFirst = 0;
  /** sequence number of the next chunk */
  private seq = 0;
  private totalEventBytes = 0;
  /** per process: the last time written for it, the base of its next delta */
  private base = new Float64Array(64);
  /** the last RECENT times written, a ring (see timeSlow) */
  private readonly recent = new Float64Array(RECENT);
  private recentPos = 0;
  /** the current event's arguments (reused: no allocation per event) */
  private readonly args: Arg[] = [0, 0, 0, 0, 0, 0];
  private finished = false;
  private readonly out: TraceOutput;
  private readonly memory: MemoryTraceOutput | null;
  readonly header: TraceHeader;

  /** where the chunk being filled ends: its event bytes reached CHUNK_EVENT_BYTES (tests use less) */
  private readonly chunkEnd: number;

  /** Record to `output` as the run goes, or (without one) to memory: finish() returns the file. */
  constructor(header: TraceHeader, output?: TraceOutput, chunkEventBytes = CHUNK_EVENT_BYTES) {
    this.chunkEnd = EVENTS_START + chunkEventBytes;
    this.header = header;
    this.memory = output ? null : new MemoryTraceOutput();
    this.out = output ?? this.memory!;
    const h = encoder.encode(headerJson(header));
    const first = new Uint8Array(PREFIX_BYTES + CHUNK_HEAD_BYTES + h.length + CHUNK_CRC_BYTES);
    first.set(TRACE_MAGIC, 0);
    new DataView(first.buffer).setUint32(OFF_VERSION, TRACE_FORMAT_VERSION, true);
    first.set(h, PREFIX_BYTES + CHUNK_HEAD_BYTES);
    this.seal(first, PREFIX_BYTES, CHUNK_HEADER, h.length);
    this.out.write(first);
    this.buf = new Uint8Array(Math.min(chunkEventBytes, CHUNK_EVENT_BYTES) + 1024);
    this.view = new DataView(this.buf.buffer);
  }

  /** Events recorded so far. */
  get events(): number {
    return this.count;
  }

  /** Bytes of the events so far (without the chunks' framing). */
  get eventBytes(): number {
    return this.totalEventBytes + this.pos - EVENTS_START;
  }

  /** Fill in a chunk's head (type, sequence number, payload length) at `at` and its CRC after the payload. */
  private seal(bytes: Uint8Array, at: number, type: number, payloadBytes: number): void {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    dv.setUint32(at, type, true);
    dv.setUint32(at + 4, this.seq++, true);
    dv.setUint32(at + 8, payloadBytes, true);
    const end = at + CHUNK_HEAD_BYTES + payloadBytes;
    dv.setUint32(end, crc32(bytes, at, end), true);
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
    if (this.pos >= this.chunkEnd) this.endChunk();
  }

  // --- chunks and finishing ----------------------------------------------------------------------

  /**
   * Hand the events recorded since the last chunk to the output as one chunk now (nothing if there
   * are none). The recorder does this every CHUNK_EVENT_BYTES; a caller may too, e.g. before the
   * process waits for input, so that a kill then loses nothing.
   */
  flush(): void {
    if (this.finished) return;
    this.endChunk();
  }

  private endChunk(): void {
    const n = this.count - this.chunkFirst;
    if (n === 0) return;
    const eventBytes = this.pos - EVENTS_START;
    this.view.setUint32(CHUNK_HEAD_BYTES, this.chunkFirst, true);
    this.view.setUint32(CHUNK_HEAD_BYTES + 4, n, true);
    this.seal(this.buf, 0, CHUNK_EVENTS, EVENTS_PREFIX_BYTES + eventBytes);
    this.out.write(this.buf.subarray(0, this.pos + CHUNK_CRC_BYTES));
    this.totalEventBytes += eventBytes;
    this.chunkFirst = this.count;
    this.pos = EVENTS_START;
  }

  /**
   * End the trace: the last event chunk, then the footer chunk. Returns the whole file when
   * recording to memory (an empty array when the bytes went to an output). Later calls return
   * the same bytes and write nothing.
   */
  finish(footer: TraceFooter): Uint8Array {
    if (!this.finished) {
      this.endChunk();
      this.finished = true;
      const f = encoder.encode(footerJson(footer));
      const chunk = new Uint8Array(CHUNK_HEAD_BYTES + FOOTER_PREFIX_BYTES + f.length + CHUNK_CRC_BYTES);
      new DataView(chunk.buffer).setUint32(CHUNK_HEAD_BYTES, this.count, true);
      chunk.set(f, CHUNK_HEAD_BYTES + FOOTER_PREFIX_BYTES);
      this.seal(chunk, 0, CHUNK_FOOTER, FOOTER_PREFIX_BYTES + f.length);
      this.out.write(chunk);
    }
    return this.memory ? this.memory.bytes() : new Uint8Array(0);
  }

  // --- encoding helpers --------------------------------------------------------------------------

  private reserve(n: number): void {
    if (this.finished) throw new Error("the trace recorder is finished: no more events can be added");
    if (this.pos + n + CHUNK_CRC_BYTES <= this.buf.length) return;
    this.buf = grown(this.buf, this.pos + n + CHUNK_CRC_BYTES, this.pos);
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
 * Assemble a trace from its parts (header and footer JSON text, the event stream, cut into chunks at
 * the given ranges with their event counts): what a recorder writes, for tests that forge traces
 * and tools that rewrite a header or footer (`Trace.eventChunks` gives a read trace's chunks). Without
 * `chunks` all events go in one chunk (none when there are no events); a null footer leaves the
 * trace incomplete.
 */
export function assembleTrace(headerText: string, events: Uint8Array, eventCount: number, footerText: string | null, chunks?: readonly { start: number; end: number; count: number }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const prefix = new Uint8Array(PREFIX_BYTES);
  prefix.set(TRACE_MAGIC, 0);
  new DataView(prefix.buffer).setUint32(OFF_VERSION, TRACE_FORMAT_VERSION, true);
  parts.push(prefix);
  let seq = 0;
  const chunk = (type: number, payload: Uint8Array): void => {
    const c = new Uint8Array(CHUNK_HEAD_BYTES + payload.length + CHUNK_CRC_BYTES);
    const dv = new DataView(c.buffer);
    dv.setUint32(0, type, true);
    dv.setUint32(4, seq++, true);
    dv.setUint32(8, payload.length, true);
    c.set(payload, CHUNK_HEAD_BYTES);
    dv.setUint32(CHUNK_HEAD_BYTES + payload.length, crc32(c, 0, CHUNK_HEAD_BYTES + payload.length), true);
    parts.push(c);
  };
  chunk(CHUNK_HEADER, encoder.encode(headerText));
  let first = 0;
  for (const c of chunks ?? (events.length > 0 || eventCount > 0 ? [{ start: 0, end: events.length, count: eventCount }] : [])) {
    const payload = new Uint8Array(EVENTS_PREFIX_BYTES + c.end - c.start);
    const dv = new DataView(payload.buffer);
    dv.setUint32(0, first, true);
    dv.setUint32(4, c.count, true);
    payload.set(events.subarray(c.start, c.end), EVENTS_PREFIX_BYTES);
    chunk(CHUNK_EVENTS, payload);
    first += c.count;
  }
  if (footerText !== null) {
    const f = encoder.encode(footerText);
    const payload = new Uint8Array(FOOTER_PREFIX_BYTES + f.length);
    new DataView(payload.buffer).setUint32(0, eventCount, true);
    payload.set(f, FOOTER_PREFIX_BYTES);
    chunk(CHUNK_FOOTER, payload);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
