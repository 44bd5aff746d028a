/**
 * Reading a trace file: framing, version and checksum checks, the JSON header and footer, and a
 * cursor over the events that decodes one at a time into reusable fields (no object per event), so
 * replay, diff and the exporters can walk millions of events cheaply.
 *
 * Every problem is reported as a TraceFormatError saying what is wrong and where; nothing else is
 * thrown, whatever the bytes (a property test flips and truncates bytes to hold us to that).
 */
import { grown } from "../util/typed-arrays.js";
import { crc32 } from "./checksum.js";
import {
  FIXED_BYTES, OFF_HEADER, OFF_HEADER_LENGTH, OFF_LENGTH, OFF_VERSION, RECENT, TIME_RAW_TAG, TIME_RECENT_TAG, TRACE_FORMAT_VERSION,
  TRACE_MAGIC, TraceFormatError,
} from "./format.js";
import { parseFooter, parseHeader, type TraceFooter, type TraceHeader } from "./header.js";
import { EXT_CODE } from "./kinds.js";
import { OP_DURATION, OP_INT, OP_LOW3, OP_TIME, OP_TIME_AFTER, OP_UINT, PLAN_BY_CODE, PLAN_BY_EXT, PLANS, type WirePlan } from "./plan.js";

export interface Trace {
  readonly bytes: Uint8Array;
  readonly header: TraceHeader;
  readonly footer: TraceFooter;
  readonly eventCount: number;
  /** offsets of the event section in `bytes` */
  readonly eventsStart: number;
  readonly eventsEnd: number;
  readonly checksum: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function text(bytes: Uint8Array, start: number, end: number, what: string): string {
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    throw new TraceFormatError(`the ${what} at byte ${start} is not valid UTF-8`);
  }
}

/** Parse and check a whole trace (every event is decoded once, so later walks can not fail). */
export function readTrace(bytes: Uint8Array): Trace {
  const n = bytes.length;
  if (n === 0) throw new TraceFormatError("the file is empty, not a trace");
  for (let i = 0; i < Math.min(n, TRACE_MAGIC.length); i++) {
    if (bytes[i] !== TRACE_MAGIC[i]) throw new TraceFormatError("not an epython-sim trace (bad magic number: the file should start with EPYTRACE)");
  }
  if (n < OFF_HEADER_LENGTH) throw new TraceFormatError(`truncated at byte ${n}: too short to hold the ${OFF_HEADER_LENGTH}-byte fixed header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(OFF_VERSION, true);
  if (version !== TRACE_FORMAT_VERSION) throw new TraceFormatError(`unsupported trace format version ${version} (this epython-sim reads version ${TRACE_FORMAT_VERSION})`);
  const total = dv.getUint32(OFF_LENGTH, true);
  if (n < total) throw new TraceFormatError(`truncated at byte ${n}: the trace says it is ${total} bytes long`);
  if (n > total) throw new TraceFormatError(`${n - total} unexpected bytes after the end of the trace at byte ${total}`);
  if (total < FIXED_BYTES) throw new TraceFormatError(`the length field says ${total} bytes, less than the ${FIXED_BYTES} every trace has`);
  const stored = dv.getUint32(total - 4, true);
  const computed = crc32(bytes, 0, total - 4);
  if (stored !== computed) {
    throw new TraceFormatError(`checksum mismatch: the file stores CRC-32 ${hex32(stored)} but its bytes give ${hex32(computed)} (the file is damaged)`);
  }
  // from here on the bytes are what the writer wrote; the checks below catch writer bugs and forgeries
  const hLen = dv.getUint32(OFF_HEADER_LENGTH, true);
  if (OFF_HEADER + hLen + 8 > total - 8) throw new TraceFormatError(`header length ${hLen} runs past the end of the trace`);
  const header = parseHeader(text(bytes, OFF_HEADER, OFF_HEADER + hLen, "header"));
  const countAt = OFF_HEADER + hLen;
  const eventCount = dv.getUint32(countAt, true);
  const eBytes = dv.getUint32(countAt + 4, true);
  const eventsStart = countAt + 8;
  const eventsEnd = eventsStart + eBytes;
  if (eventsEnd + 4 > total - 4) throw new TraceFormatError(`event section of ${eBytes} bytes runs past the end of the trace`);
  const fLen = dv.getUint32(eventsEnd, true);
  if (eventsEnd + 4 + fLen !== total - 4) throw new TraceFormatError(`footer length ${fLen} does not match the trace length ${total}`);
  const footer = parseFooter(text(bytes, eventsEnd + 4, eventsEnd + 4 + fLen, "footer"));
  const trace: Trace = { bytes, header, footer, eventCount, eventsStart, eventsEnd, checksum: stored };
  const c = new EventCursor(trace);
  while (c.next()) {
    // decoding checks each event's form
  }
  if (c.index !== eventCount) throw new TraceFormatError(`the trace says it has ${eventCount} events but its event section holds ${c.index}`);
  return trace;
}

/**
 * A trace the tools act on (replay, diff, export, view): readTrace's checks of its form, then
 * checkMeaning's of every event's values against the run it describes.
 */
export function readRunTrace(bytes: Uint8Array): Trace {
  const trace = readTrace(bytes);
  checkTraceMeaning(trace);
  return trace;
}

/** checkMeaning for every event of a trace readTrace accepted. */
export function checkTraceMeaning(trace: Trace): void {
  const procs = trace.header.config.cores.length + trace.header.config.hostCores;
  const c = new EventCursor(trace);
  while (c.next()) checkMeaning(c, procs);
}

/** Fields that name a process of the run (an index into the header's processes). */
const PROCESS_FIELDS = new Set(["proc", "src", "dst"]);

/**
 * What a well-formed event can still get wrong, which a forged or buggy trace could carry into
 * replay, diff, the exporters or the explorer: a process the run does not have, a value of an
 * enumerated field with no name, a time that is negative, not finite, or (for an arrival or an
 * end) before its start. Throws a TraceFormatError naming the event.
 */
function checkMeaning(c: EventCursor, procs: number): void {
  const fields = c.plan.spec.fields;
  const v = c.values;
  let prev = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const x = v[i]!;
    if (typeof x !== "number") continue;
    const where = () => `event ${c.index} at byte ${c.start} (${c.plan.spec.name})`;
    if (PROCESS_FIELDS.has(f.name) && !(Number.isInteger(x) && x >= 0 && x < procs)) {
      throw new TraceFormatError(`${where()} names process ${x} in its ${f.name} field, but the run has ${procs} processes`);
    }
    if (f.names && !(x < f.names.length)) throw new TraceFormatError(`${where()} has ${f.name} ${x}, which names nothing (0 to ${f.names.length - 1})`);
    if (f.enc === "time" || f.enc === "timeAfter" || f.enc === "duration") {
      if (!Number.isFinite(x) || x < 0) throw new TraceFormatError(`${where()} has ${f.name} ${x}, not a time of the run`);
      if (f.enc === "timeAfter" && x < prev) throw new TraceFormatError(`${where()} has ${f.name} ${x} before its start ${prev}`);
      if (f.enc !== "duration") prev = x;
    }
  }
}

function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, "0")}`;
}

/** a process index above this is certainly damage (chips have at most 1024 cores plus 64 host cores) */
const MAX_PROC = 1 << 16;

/**
 * Walks the events of a trace. After next() returns true, `plan.spec` is the current event's row in
 * the event table (kinds.ts) and `values` holds its fields in that row's order (the sink method's
 * arguments): numbers, and the text of an output or error.
 */
export class EventCursor {
  /** index of the current event (-1 before the first); after the last, the event count */
  index = -1;
  /** byte range of the current event in the trace */
  start = 0;
  end: number;
  /** the current event's wire plan (its kind: `plan.spec`) */
  plan: WirePlan = PLANS[0]!;
  readonly values: (number | string)[] = [0, 0, 0, 0, 0, 0];
  private readonly bytes: Uint8Array;
  private readonly dv: DataView;
  private readonly limit: number;
  private base = new Float64Array(64);
  private readonly recent = new Float64Array(RECENT);
  private recentPos = 0;
  private pos = 0;
  private decoded = 0;

  constructor(trace: Pick<Trace, "bytes" | "eventsStart" | "eventsEnd">) {
    this.bytes = trace.bytes;
    this.dv = new DataView(trace.bytes.buffer, trace.bytes.byteOffset, trace.bytes.byteLength);
    this.end = trace.eventsStart;
    this.limit = trace.eventsEnd;
  }

  next(): boolean {
    if (this.end >= this.limit) {
      this.index = this.decoded;
      this.start = this.end;
      return false;
    }
    this.index = this.decoded++;
    this.start = this.end;
    this.pos = this.end;
    const head = this.uint();
    const code = head % 8;
    const index = Math.floor(head / 8);
    let p = PLAN_BY_CODE[code];
    if (code === EXT_CODE) {
      const ext = this.uint();
      p = PLAN_BY_EXT[ext];
      if (!p) throw this.bad(`has an unknown extended event kind ${ext}`);
    }
    if (!p) throw this.bad(`has an unknown event kind ${code}`);
    this.plan = p;
    const v = this.values;
    v[p.indexArg] = index;
    const { ops, args } = p;
    let prev = 0;
    for (let i = 0; i < ops.length; i++) {
      const at = args[i]!;
      switch (ops[i]) {
        case OP_TIME:
          v[at] = prev = this.time(this.baseOf(index));
          break;
        case OP_TIME_AFTER:
          v[at] = prev = this.time(prev);
          break;
        case OP_DURATION:
          v[at] = this.duration();
          break;
        case OP_UINT:
          v[at] = this.uint();
          break;
        case OP_INT:
          v[at] = this.int();
          break;
        case OP_LOW3: {
          const u = this.uint();
          v[at] = u % 8;
          v[at + 1] = Math.floor(u / 8);
          break;
        }
        default:
          v[at] = this.string();
      }
    }
    if (p.resumeArg >= 0) this.base[index] = v[p.resumeArg] as number;
    if (this.pos > this.limit) throw this.bad("runs past the end of the event section");
    this.end = this.pos;
    return true;
  }

  private bad(what: string): TraceFormatError {
    return new TraceFormatError(`event ${Math.max(0, this.index)} at byte ${this.start} ${what}`);
  }

  private baseOf(proc: number): number {
    if (proc >= this.base.length) {
      if (proc > MAX_PROC) throw this.bad(`names process ${proc}, more than any chip has`);
      this.base = grown(this.base, proc + 1);
    }
    return this.base[proc]!;
  }

  private uint(): number {
    const b = this.bytes;
    let p = this.pos;
    let x = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (p >= this.limit) throw this.bad("is cut off (a number runs past the end of the event section)");
      if (i === 8) throw this.bad("holds a number longer than 8 bytes");
      const byte = b[p++]!;
      x += (byte & 127) * scale;
      if (byte < 128) break;
      scale *= 128;
    }
    if (x > Number.MAX_SAFE_INTEGER) throw this.bad("holds a number beyond 2^53");
    this.pos = p;
    return x;
  }

  private int(): number {
    const u = this.uint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** A time (FORMAT.md): even tag, half-cycle delta from `base`; 1, raw float64; 3 + 2j, delta from the j-th most recent time. */
  private time(base: number): number {
    const u = this.uint();
    let v: number;
    if (u % 2 === 0) v = base + (u % 4 === 0 ? u / 4 : -(u + 2) / 4) / 2;
    else if (u === TIME_RAW_TAG) v = this.raw();
    else {
      const j = (u - TIME_RECENT_TAG) / 2;
      if (j >= RECENT) throw this.bad(`has a bad time tag ${u}`);
      v = this.recent[(this.recentPos - 1 - j) & (RECENT - 1)]! + this.int() / 2;
    }
    this.recent[this.recentPos++ & (RECENT - 1)] = v;
    return v;
  }

  private duration(): number {
    const u = this.uint();
    if (u === TIME_RAW_TAG) return this.raw();
    if (u % 4 !== 0) throw this.bad(`has a bad duration tag ${u}`);
    return u / 8;
  }

  private raw(): number {
    if (this.pos + 8 > this.limit) throw this.bad("is cut off (a time runs past the end of the event section)");
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  private string(): string {
    const n = this.uint();
    if (this.pos + n > this.limit) throw this.bad(`has a ${n}-byte text running past the end of the event section`);
    const s = text(this.bytes, this.pos, this.pos + n, "text of an event");
    this.pos += n;
    return s;
  }
}

