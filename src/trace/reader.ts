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
  CHUNK_CRC_BYTES, CHUNK_EVENTS, CHUNK_FOOTER, CHUNK_HEAD_BYTES, CHUNK_HEADER, chunkTypeName, EVENTS_PREFIX_BYTES, FOOTER_PREFIX_BYTES, OFF_VERSION,
  PREFIX_BYTES, RECENT, TIME_RAW_TAG, TIME_RECENT_TAG, TRACE_FORMAT_VERSION, TRACE_MAGIC, TraceFormatError,
} from "./format.js";
import { parseFooter, parseHeader, type TraceFooter, type TraceHeader } from "./header.js";
import { EXT_CODE } from "./kinds.js";
import { OP_DURATION, OP_INT, OP_LOW3, OP_TIME, OP_TIME_AFTER, OP_UINT, PLAN_BY_CODE, PLAN_BY_EXT, PLANS, type WirePlan } from "./plan.js";

export interface Trace {
  /** the file */
  readonly bytes: Uint8Array;
  readonly header: TraceHeader;
  /**
   * how the run ended; for an incomplete trace (no footer chunk: the run was killed, or is still
   * being written) one made up by the reader, of error kind "incomplete", from the events it holds
   */
  readonly footer: TraceFooter;
  /** false when the file ends before its footer chunk */
  readonly complete: boolean;
  /** for an incomplete trace: the byte after its last whole chunk, where its readable part ends */
  readonly cutAt: number | null;
  readonly eventCount: number;
  /** the event stream: every event chunk's events, in order, as one array */
  readonly events: Uint8Array;
  /** where each event chunk's events are in `events`, and how many (for tools that rewrite or forge traces) */
  readonly eventChunks: readonly { readonly start: number; readonly end: number; readonly count: number }[];
  /** the header and footer JSON as stored (no footer text in an incomplete trace) */
  readonly headerText: string;
  readonly footerText: string | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function text(bytes: Uint8Array, start: number, end: number, what: string): string {
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    throw new TraceFormatError(`the ${what} at byte ${start} is not valid UTF-8`);
  }
}

interface Chunk {
  type: number;
  seq: number;
  /** payload range in the file */
  start: number;
  end: number;
}

/**
 * The chunks of a file, checked one by one (FORMAT.md): a chunk that runs past the end of the file
 * is the cut of an incomplete trace (`cut` says where its last whole chunk ends); every whole chunk
 * must have its CRC, its sequence number and a type the reader knows.
 */
function readChunks(bytes: Uint8Array, dv: DataView): { chunks: Chunk[]; cut: number | null } {
  const n = bytes.length;
  const chunks: Chunk[] = [];
  let at = PREFIX_BYTES;
  while (at < n) {
    if (at + CHUNK_HEAD_BYTES > n) return { chunks, cut: at };
    const type = dv.getUint32(at, true);
    const seq = dv.getUint32(at + 4, true);
    const length = dv.getUint32(at + 8, true);
    const end = at + CHUNK_HEAD_BYTES + length;
    if (end + CHUNK_CRC_BYTES > n) {
      // the cut of a killed run, unless a damaged length field hides whole chunks behind it
      const next = nextWholeChunk(bytes, dv, at + CHUNK_HEAD_BYTES, chunks.length + 1);
      if (next >= 0) throw new TraceFormatError(`chunk ${chunks.length} at byte ${at} has a length (${length}) that runs past the end of the file, yet chunk ${chunks.length + 1} follows at byte ${next} (the file is damaged)`);
      return { chunks, cut: at };
    }
    const stored = dv.getUint32(end, true);
    const computed = crc32(bytes, at, end);
    if (stored !== computed) {
      throw new TraceFormatError(`checksum mismatch in chunk ${chunks.length} at byte ${at}: it stores CRC-32 ${hex32(stored)} but its bytes give ${hex32(computed)} (the file is damaged)`);
    }
    if (seq !== chunks.length) throw new TraceFormatError(`chunk ${chunks.length} at byte ${at} has sequence number ${seq} (a chunk is missing, repeated or out of place)`);
    if (type !== CHUNK_HEADER && type !== CHUNK_EVENTS && type !== CHUNK_FOOTER) {
      throw new TraceFormatError(`chunk ${seq} at byte ${at} has an unknown type ${chunkTypeName(type)}`);
    }
    const want = seq === 0 ? CHUNK_HEADER : CHUNK_EVENTS;
    if (type !== want && !(seq > 0 && type === CHUNK_FOOTER)) {
      throw new TraceFormatError(`chunk ${seq} at byte ${at} is a ${chunkTypeName(type)} chunk where ${seq === 0 ? "the HEAD chunk" : "an EVTS or the FOOT chunk"} must be`);
    }
    chunks.push({ type, seq, start: at + CHUNK_HEAD_BYTES, end });
    at = end + CHUNK_CRC_BYTES;
    if (type === CHUNK_FOOTER && at < n) throw new TraceFormatError(`${n - at} unexpected bytes after the footer chunk, which ends at byte ${at}`);
  }
  return { chunks, cut: chunks.at(-1)?.type === CHUNK_FOOTER ? null : at };
}

/** Where a whole chunk with sequence number `seq` and a good CRC starts at or after `from`, or -1. */
function nextWholeChunk(bytes: Uint8Array, dv: DataView, from: number, seq: number): number {
  for (let at = from; at + CHUNK_HEAD_BYTES + CHUNK_CRC_BYTES <= bytes.length; at++) {
    const type = dv.getUint32(at, true);
    if ((type !== CHUNK_EVENTS && type !== CHUNK_FOOTER) || dv.getUint32(at + 4, true) !== seq) continue;
    const end = at + CHUNK_HEAD_BYTES + dv.getUint32(at + 8, true);
    if (end + CHUNK_CRC_BYTES <= bytes.length && dv.getUint32(end, true) === crc32(bytes, at, end)) return at;
  }
  return -1;
}

/**
 * Parse and check a whole trace (every event is decoded once, so later walks can not fail). A file
 * cut short (a killed run) reads as an incomplete trace: its whole chunks, `complete` false.
 * Allocates at most about twice the file's size, whatever its fields say.
 */
export function readTrace(bytes: Uint8Array): Trace {
  const n = bytes.length;
  if (n === 0) throw new TraceFormatError("the file is empty, not a trace");
  for (let i = 0; i < Math.min(n, TRACE_MAGIC.length); i++) {
    if (bytes[i] !== TRACE_MAGIC[i]) throw new TraceFormatError("not an epython-sim trace (bad magic number: the file should start with EPYTRACE)");
  }
  if (n < PREFIX_BYTES) throw new TraceFormatError(`truncated at byte ${n}: too short to hold the ${PREFIX_BYTES}-byte prefix (magic and version)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(OFF_VERSION, true);
  if (version !== TRACE_FORMAT_VERSION) {
    throw new TraceFormatError(`unsupported trace format version ${version} (this epython-sim reads version ${TRACE_FORMAT_VERSION}${version < TRACE_FORMAT_VERSION ? ": record the run again" : ""})`);
  }
  const { chunks, cut } = readChunks(bytes, dv);
  if (chunks.length === 0) throw new TraceFormatError(`truncated at byte ${n}: the file ends inside its header chunk`);
  // from here on every chunk is what the writer wrote; the checks below catch writer bugs and forgeries
  const headerText = text(bytes, chunks[0]!.start, chunks[0]!.end, "header");
  const header = parseHeader(headerText);
  const evts = chunks.filter((c) => c.type === CHUNK_EVENTS);
  let total = 0;
  for (const c of evts) {
    if (c.end - c.start < EVENTS_PREFIX_BYTES) throw new TraceFormatError(`event chunk ${c.seq} is too short to hold its event count`);
    total += c.end - c.start - EVENTS_PREFIX_BYTES;
  }
  const events = new Uint8Array(total);
  const ends: number[] = [];
  const eventChunks: { start: number; end: number; count: number }[] = [];
  let o = 0;
  let expected = 0;
  for (const c of evts) {
    const first = dv.getUint32(c.start, true);
    if (first !== expected) throw new TraceFormatError(`event chunk ${c.seq} says it starts at event ${first}, but ${expected} events come before it`);
    const count = dv.getUint32(c.start + 4, true);
    expected += count;
    events.set(bytes.subarray(c.start + EVENTS_PREFIX_BYTES, c.end), o);
    eventChunks.push({ start: o, end: o + c.end - c.start - EVENTS_PREFIX_BYTES, count });
    o += c.end - c.start - EVENTS_PREFIX_BYTES;
    ends.push(o, expected);
  }
  // decode every event once: each chunk must hold whole events, as many as it says
  const cursor = new EventCursor({ events });
  const stats = { lastTime: 0, messages: 0, messageBytes: 0 };
  for (let k = 0; k < ends.length; k += 2) {
    while (cursor.end < ends[k]!) {
      cursor.next();
      noteEvent(cursor, stats);
    }
    if (cursor.end !== ends[k]) throw new TraceFormatError(`event ${cursor.index} at event-stream byte ${cursor.start} runs past the end of its chunk`);
    if (cursor.index + 1 !== ends[k + 1]) {
      throw new TraceFormatError(`event chunk ${evts[k / 2]!.seq} says it holds events up to #${ends[k + 1]! - 1}, but it holds events up to #${cursor.index}`);
    }
  }
  const footerChunk = cut === null ? chunks.at(-1)! : null;
  let footer: TraceFooter;
  let footerText: string | null = null;
  if (footerChunk) {
    if (footerChunk.end - footerChunk.start < FOOTER_PREFIX_BYTES) throw new TraceFormatError("the footer chunk is too short to hold the event count");
    const count = dv.getUint32(footerChunk.start, true);
    if (count !== expected) throw new TraceFormatError(`the trace says it has ${count} events but its event chunks hold ${expected}`);
    footerText = text(bytes, footerChunk.start + FOOTER_PREFIX_BYTES, footerChunk.end, "footer");
    footer = parseFooter(footerText);
  } else {
    footer = {
      ok: false,
      error: {
        kind: "incomplete",
        message: `incomplete trace: it ends at byte ${cut} of ${n} after ${expected} events, without its footer (the run was killed, or is still being recorded)`,
        proc: -1, label: "", file: "", line: 0, time: stats.lastTime,
      },
      totalCycles: stats.lastTime,
      messages: stats.messages,
      messageBytes: stats.messageBytes,
      simEvents: 0,
      linkWindowCycles: 0,
      procs: [],
    };
  }
  return { bytes, header, footer, complete: footerChunk !== null, cutAt: cut, eventCount: expected, events, eventChunks, headerText, footerText };
}

const MESSAGE_PLAN = PLANS.find((p) => p.spec.name === "message")!;

/** What an incomplete trace's made-up footer says: the latest time, the messages. */
function noteEvent(c: EventCursor, stats: { lastTime: number; messages: number; messageBytes: number }): void {
  const fields = c.plan.spec.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const x = c.values[i] as number;
    if ((f.enc === "time" || f.enc === "timeAfter") && x > stats.lastTime && Number.isFinite(x)) stats.lastTime = x;
  }
  if (c.plan === MESSAGE_PLAN) {
    stats.messages++;
    stats.messageBytes += c.values[5] as number;
  }
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
    const where = () => `event ${c.index} at event-stream byte ${c.start} (${c.plan.spec.name})`;
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
  /** byte range of the current event in the event stream (Trace.events) */
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

  constructor(trace: Pick<Trace, "events">) {
    this.bytes = trace.events;
    this.dv = new DataView(trace.events.buffer, trace.events.byteOffset, trace.events.byteLength);
    this.end = 0;
    this.limit = trace.events.length;
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
    return new TraceFormatError(`event ${Math.max(0, this.index)} at event-stream byte ${this.start} ${what}`);
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

