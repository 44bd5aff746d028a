/**
 * Constants of the binary trace format (see FORMAT.md, which is the specification; keep the two in
 * step and bump TRACE_FORMAT_VERSION on any change to the bytes written).
 */

/** "EPYTRACE" in ASCII: the first 8 bytes of every trace. */
export const TRACE_MAGIC = Uint8Array.from([0x45, 0x50, 0x59, 0x54, 0x52, 0x41, 0x43, 0x45]);
export const TRACE_FORMAT_VERSION = 4;

// the fixed prefix: magic, then the version; chunks follow
export const OFF_VERSION = 8;
export const PREFIX_BYTES = 12;

/**
 * A chunk: its type (4 ASCII bytes), its sequence number (0, 1, 2, ... in file order), its payload
 * length P, the payload, and the CRC-32 of those 12 + P bytes.
 */
export const CHUNK_HEAD_BYTES = 12;
export const CHUNK_CRC_BYTES = 4;
/** chunk types as the u32 their ASCII bytes make (little-endian) */
export const CHUNK_HEADER = chunkType("HEAD");
export const CHUNK_EVENTS = chunkType("EVTS");
export const CHUNK_FOOTER = chunkType("FOOT");
/** an event chunk's payload starts with the index of its first event and its event count */
export const EVENTS_PREFIX_BYTES = 8;
/** a footer chunk's payload starts with the run's event count */
export const FOOTER_PREFIX_BYTES = 4;
/**
 * The recorder ends an event chunk at the first event boundary at or after this many event bytes:
 * what a killed run can lose at most, and the recorder's memory (64 KiB, a choice: small next
 * to the run's own memory, large enough that the 24 bytes of framing are 0.04%).
 */
export const CHUNK_EVENT_BYTES = 1 << 16;

export function chunkType(name: string): number {
  return name.charCodeAt(0) | (name.charCodeAt(1) << 8) | (name.charCodeAt(2) << 16) | ((name.charCodeAt(3) << 24) >>> 0);
}

export function chunkTypeName(type: number): string {
  const t = type >>> 0;
  const s = String.fromCharCode(t & 255, (t >>> 8) & 255, (t >>> 16) & 255, t >>> 24);
  return /^[A-Z]{4}$/.test(s) ? s : `0x${t.toString(16).padStart(8, "0")}`;
}

/** The event kinds and their fields are in kinds.ts, the event table. */

/** Times are stored as half-cycle deltas when that is exact; the tag of the raw float64 escape. */
export const TIME_RAW_TAG = 1;
/** how many recently written times a time may refer to; a power of 2 */
export const RECENT = 4;
/** tags 3, 5, 7, 9: a half-cycle delta from the j-th most recently written time follows */
export const TIME_RECENT_TAG = 3;
/** largest |2 * delta| stored as a varint (keeps the varint below 2^53) */
export const MAX_HALF_DELTA = 2 ** 50;

/**
 * What is wrong with a trace file (bad magic, version, truncation, checksum, malformed content).
 * The only error the reader throws; the message never includes the file name (the CLI adds it).
 */
export class TraceFormatError extends Error {
  override readonly name = "TraceFormatError";
}
