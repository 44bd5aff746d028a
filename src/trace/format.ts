/**
 * Constants of the binary trace format (see FORMAT.md, which is the specification; keep the two in
 * step and bump TRACE_FORMAT_VERSION on any change to the bytes written).
 */

/** "EPYTRACE" in ASCII: the first 8 bytes of every trace. */
export const TRACE_MAGIC = Uint8Array.from([0x45, 0x50, 0x59, 0x54, 0x52, 0x41, 0x43, 0x45]);
export const TRACE_FORMAT_VERSION = 3;

// offsets of the fixed prefix
export const OFF_VERSION = 8;
export const OFF_LENGTH = 12;
export const OFF_HEADER_LENGTH = 16;
export const OFF_HEADER = 20;
/** magic, version, length, header length + event count, event bytes + footer length + checksum */
export const FIXED_BYTES = 36;

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
