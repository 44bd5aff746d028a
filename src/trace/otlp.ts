/**
 * Export to OpenTelemetry: OTLP/JSON (`{resourceSpans:[{resource, scopeSpans:[{scope, spans}]}]}`),
 * the body an OTLP/HTTP collector accepts at /v1/traces, built from @opentelemetry/api types.
 *
 * Spans: one for the run (root), one per core (child of the run), one per core activity (child of
 * its core: running, recv, send, barrier, host print, ...), one per message (child of the sending
 * core, from send to arrival at the receiver). GC, printed lines and errors are span events on the
 * core's span. Times are simulated: HrTime computed exactly (integer arithmetic) from cycles and the
 * chip clock, from the Unix epoch unless a base is given. Ids are derived from the trace's bytes, so
 * the same trace always exports to the same bytes.
 */
import { type Attributes, type HrTime, isValidSpanId, isValidTraceId, type SpanContext, SpanKind, type SpanStatus, SpanStatusCode, TraceFlags } from "@opentelemetry/api";
import { walkActivities } from "./activities.js";
import { sha256Hex } from "./checksum.js";
import { procLabels } from "./header.js";
import { ChunkWriter } from "./perfetto.js";
import type { Trace } from "./reader.js";
import { CORE_STATE_NAMES, CoreState, HOST_KIND_NAMES } from "./sink.js";

/** One span as the exporter builds it before encoding (OpenTelemetry API types throughout). */
export interface SimSpan {
  name: string;
  kind: SpanKind;
  context: SpanContext;
  parentSpanId: string;
  start: HrTime;
  end: HrTime;
  attributes: Attributes;
  events: { name: string; time: HrTime; attributes: Attributes }[];
  status: SpanStatus;
}

export interface OtlpOptions {
  /** nanoseconds since the Unix epoch at simulated cycle 0 (default 0) */
  baseUnixNanos?: bigint;
}

const NS_PER_S = 1_000_000_000n;

/** A finite non-negative float64 as an exact fraction num/den (den a power of two). */
function exactFraction(x: number): [bigint, bigint] {
  let k = 0n;
  // doubling is exact, and a float64 becomes whole after at most 1074 doublings
  while (!Number.isInteger(x)) {
    x *= 2;
    k++;
  }
  return [BigInt(x), 1n << k];
}

/** Nanoseconds for `cycles` at `clockHz`, rounded half up, computed exactly. */
export function cyclesToNanos(cycles: number, clockHz: number): bigint {
  if (!Number.isFinite(cycles) || cycles <= 0) return 0n;
  const [cn, cd] = exactFraction(cycles);
  const [hn, hd] = exactFraction(clockHz);
  // ns = cycles * 1e9 / clock = (cn / cd) * 1e9 * (hd / hn)
  const num = cn * NS_PER_S * hd;
  const den = cd * hn;
  return (2n * num + den) / (2n * den);
}

export function nanosToHrTime(ns: bigint): HrTime {
  return [Number(ns / NS_PER_S), Number(ns % NS_PER_S)];
}

function hrTimeToNanos(t: HrTime): bigint {
  return BigInt(t[0]) * NS_PER_S + BigInt(t[1]);
}

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers that scatters neighbouring inputs. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Trace id: the first 16 bytes of the SHA-256 of the trace file. */
export function otlpTraceId(trace: Trace): string {
  const id = sha256Hex(trace.bytes).slice(0, 32);
  return isValidTraceId(id) ? id : "00000000000000000000000000000001";
}

/** Span id of the n-th span: the high half is a bijection of n (so ids never collide), keyed by the trace id. */
export function otlpSpanId(traceId: string, n: number): string {
  const k1 = parseInt(traceId.slice(0, 8), 16);
  const k2 = parseInt(traceId.slice(8, 16), 16);
  const hi = fmix32((n ^ k1) >>> 0);
  let lo = fmix32((n + k2) >>> 0);
  if (hi === 0 && lo === 0) lo = 1;
  const id = hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
  return isValidSpanId(id) ? id : "0000000000000001";
}

function anyValue(v: unknown): unknown {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (typeof v === "number") return Number.isSafeInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { stringValue: String(v) };
}

function otlpAttributes(a: Attributes): unknown[] {
  return Object.entries(a).filter(([, v]) => v !== undefined).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** One span in OTLP/JSON (ids as hex, enums as numbers, 64-bit integers as strings). */
export function encodeSpan(s: SimSpan): string {
  return JSON.stringify({
    traceId: s.context.traceId,
    spanId: s.context.spanId,
    parentSpanId: s.parentSpanId,
    flags: s.context.traceFlags,
    name: s.name,
    // OTLP's SpanKind counts from SPAN_KIND_UNSPECIFIED = 0; the API's starts at INTERNAL = 0
    kind: s.kind + 1,
    startTimeUnixNano: hrTimeToNanos(s.start).toString(),
    endTimeUnixNano: hrTimeToNanos(s.end).toString(),
    attributes: otlpAttributes(s.attributes),
    events: s.events.map((e) => ({ timeUnixNano: hrTimeToNanos(e.time).toString(), name: e.name, attributes: otlpAttributes(e.attributes) })),
    status: s.status.message === undefined ? { code: s.status.code } : { code: s.status.code, message: s.status.message },
  });
}

export function exportOtlp(trace: Trace, write: (chunk: string) => void, options: OtlpOptions = {}): void {
  const { header, footer } = trace;
  const base = options.baseUnixNanos ?? 0n;
  const time = (cycles: number): HrTime => nanosToHrTime(base + cyclesToNanos(cycles, header.clockHz));
  const traceId = otlpTraceId(trace);
  const labels = procLabels(header.config);
  const main = header.sources[0]?.name ?? "(byte code)";
  let nextSpan = 0;
  const context = (): SpanContext => ({ traceId, spanId: otlpSpanId(traceId, nextSpan++), traceFlags: TraceFlags.SAMPLED });
  const root = context();
  const cores: { context: SpanContext; events: SimSpan["events"]; end: number; failed: string | null }[] = [];
  const core = (p: number) => {
    while (cores.length <= p) cores.push({ context: context(), events: [], end: 0, failed: null });
    return cores[p]!;
  };
  labels.forEach((_, p) => core(p));
  const label = (p: number): string => labels[p] ?? `process ${p}`;

  const out = new ChunkWriter(write);
  const resource: Attributes = {
    "service.name": "epython-sim",
    "service.version": header.toolVersion,
    "epython.program": main,
    "epython.source_sha256": header.sourceHash,
    "epython.chip": header.config.chip,
    "epython.clock_hz": header.clockHz,
    "epython.seed": header.config.seed,
  };
  out.write(`{"resourceSpans":[{"resource":${JSON.stringify({ attributes: otlpAttributes(resource) })},"scopeSpans":[{"scope":${JSON.stringify({ name: "epython-sim", version: header.toolVersion })},"spans":[`);
  let first = true;
  const emit = (s: SimSpan): void => {
    out.write(first ? `\n${encodeSpan(s)}` : `,\n${encodeSpan(s)}`);
    first = false;
  };
  const ok: SpanStatus = { code: SpanStatusCode.UNSET };

  walkActivities(trace, {
    slice(p, state, start, end, line, service) {
      const c = core(p);
      c.end = Math.max(c.end, end);
      const name = state === CoreState.Host && service >= 0 ? `host ${HOST_KIND_NAMES[service] ?? service}` : (CORE_STATE_NAMES[state] ?? `state ${state}`);
      emit({
        name, kind: SpanKind.INTERNAL, context: context(), parentSpanId: c.context.spanId, start: time(start), end: time(end),
        attributes: { "epython.core": label(p), "epython.line": line, "epython.start_cycle": start, "epython.end_cycle": end }, events: [], status: ok,
      });
    },
    terminal(p, state, t, line) {
      const c = core(p);
      c.end = Math.max(c.end, t);
      c.events.push({ name: CORE_STATE_NAMES[state] ?? `state ${state}`, time: time(t), attributes: { "epython.line": line, "epython.cycle": t } });
    },
    message(_n, src, dst, send, arrive, hops, bytes) {
      const c = core(src);
      core(dst);
      emit({
        name: `message to ${label(dst)}`, kind: SpanKind.PRODUCER, context: context(), parentSpanId: c.context.spanId, start: time(send), end: time(arrive),
        attributes: { "epython.from": label(src), "epython.to": label(dst), "epython.bytes": bytes, "epython.hops": hops, "epython.send_cycle": send, "epython.arrive_cycle": arrive },
        events: [], status: ok,
      });
    },
    gc(p, t, before, after, pause) {
      core(p).events.push({ name: "gc", time: time(t), attributes: { "epython.heap_before": before, "epython.heap_after": after, "epython.pause_cycles": pause, "epython.cycle": t } });
    },
    output(p, t, text) {
      core(p).events.push({ name: "print", time: time(t), attributes: { "epython.text": text, "epython.cycle": t } });
    },
    error(p, t, line, message) {
      const c = core(p);
      c.failed = message;
      c.events.push({ name: "exception", time: time(t), attributes: { "exception.message": message, "epython.line": line, "epython.cycle": t } });
    },
    heap(p, t, used) {
      core(p).events.push({ name: "heap", time: time(t), attributes: { "epython.heap_bytes": used, "epython.cycle": t } });
    },
    link() {
      // link load is a property of the whole run, not of a span; it stays in the trace file
    },
  });

  cores.forEach((c, p) => {
    const end = footer.ok ? c.end : Math.max(c.end, footer.totalCycles);
    emit({
      name: label(p), kind: SpanKind.INTERNAL, context: c.context, parentSpanId: root.spanId, start: time(0), end: time(end),
      attributes: { "epython.core": label(p), "epython.process": p, "epython.finish_cycle": end }, events: c.events,
      status: c.failed === null ? ok : { code: SpanStatusCode.ERROR, message: c.failed },
    });
  });
  emit({
    name: `epython ${main}`, kind: SpanKind.INTERNAL, context: root, parentSpanId: "", start: time(0), end: time(footer.totalCycles),
    attributes: {
      "epython.program": main, "epython.chip": header.config.chip, "epython.cores": header.config.cores.length, "epython.host_cores": header.config.hostCores,
      "epython.reduce": header.config.reduce, "epython.barrier": header.config.barrier, "epython.total_cycles": footer.totalCycles, "epython.messages": footer.messages,
    },
    events: [],
    status: footer.ok ? ok : { code: SpanStatusCode.ERROR, message: footer.error?.message ?? "failed" },
  });
  out.write(`\n]}]}]}\n`);
  out.flush();
}
