/** The trace package: binary recorder and reader, comparison, exporters (no I/O, no runtime imports). */
export { TRACE_FORMAT_VERSION, TraceFormatError } from "./format.js";
export { EVENT_KINDS, KIND_NAMES, kindSpec, type KindSpec, type FieldSpec, type FieldEncoding } from "./kinds.js";
export { MESH_LETTERS, MESH_NAMES, meshCode, NullSink, type MeshLetter } from "./sink.js";
export { parseHeader, parseFooter, procLabels, type TraceFooter, type TraceHeader, type TraceProc, type TraceRunError, type TraceSource } from "./header.js";
export { assembleTrace, makeHeader, TraceRecorder, type RecordingInfo } from "./recorder.js";
export { checkTraceMeaning, EventCursor, readRunTrace, readTrace, type Trace } from "./reader.js";
export { currentEvent, describeEvent, playInto, traceEvents, type TraceEvent } from "./events.js";
export { firstDivergence, formatDivergence, formatSummaryTable, summarize, type CoreSummary, type Divergence, type TraceSummary } from "./compare.js";
export { walkActivities, type ActivityHandler } from "./activities.js";
export { exportPerfetto } from "./perfetto.js";
export { cyclesToNanos, exportOtlp, type OtlpOptions, type SimSpan } from "./otlp.js";
export { crc32, sha256Hex } from "./checksum.js";
