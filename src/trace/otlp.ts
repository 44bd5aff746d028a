/**
 * Export to OpenTelemetry: OTLP/JSON (`{resourceSpans:[{resource, scopeSpans:[{scope, spans}]}]}`),
 * the body an OTLP/HTTP collector accepts at /v1/traces.
 *
 * The spans are made through the @opentelemetry/api `Tracer`/`Span` interfaces, by a small recording
 * tracer defined here rather than the SDK: the SDK would draw random ids and read the wall clock, and
 * a simulated run must export the same bytes every time. The tracer is used as an instance and never
 * registered globally, so exporting leaves no global OpenTelemetry state behind.
 *
 * Spans: one for the run (root), one per core (child of the run), one per core activity (child of
 * its core: running, recv, send, barrier, host print, ...), one per message (child of the sending
 * core, from send to arrival at the receiver, linked to the receiving core's span). GC, heap use,
 * printed lines, the core's end state and errors are span events on the core's span. Times are
 * simulated: HrTime computed exactly (integer arithmetic) from cycles and the chip clock, from the
 * Unix epoch unless a base is given. Ids are derived from the trace's bytes, so the same trace always
 * exports to the same bytes.
 */
import {
  type Attributes, type Context, context as otelContext, type Exception, type HrTime, isSpanContextValid, isValidTraceId, type Link,
  ROOT_CONTEXT, type Span, type SpanAttributes, type SpanAttributeValue, type SpanContext, SpanKind, type SpanOptions, type SpanStatus,
  SpanStatusCode, type TimeInput, trace as otelTrace, type Tracer, TraceFlags,
} from "@opentelemetry/api";
import { walkActivities } from "./activities.js";
import { sha256Hex } from "./checksum.js";
import { procLabels } from "./header.js";
import { ChunkWriter } from "./perfetto.js";
import type { Trace } from "./reader.js";
import { CORE_STATE_NAMES, CoreState, HOST_KIND_NAMES } from "./sink.js";

/** A finished span as the recording tracer hands it over (OpenTelemetry API types throughout). */
export interface SimSpan {
  name: string;
  kind: SpanKind;
  context: SpanContext;
  parentSpanId: string;
  start: HrTime;
  end: HrTime;
  attributes: Attributes;
  events: { name: string; time: HrTime; attributes: Attributes }[];
  links: Link[];
  status: SpanStatus;
}

export interface OtlpOptions {
  /** nanoseconds since the Unix epoch at simulated cycle 0 (default 0) */
  baseUnixNanos?: bigint;
}

const NS_PER_S = 1_000_000_000n;

/** A finite non-negative float64 as an exact fraction num/den (den a power of two, not always the least). */
function exactFraction(x: number): [bigint, bigint] {
  let k = 0n;
  // scaling by 2^32 is exact, and a float64 becomes whole after at most 34 such steps (1074 doublings);
  // whole words rather than single doublings keep a fractional cycle count to one or two steps
  while (!Number.isInteger(x)) {
    x *= 2 ** 32;
    k += 32n;
  }
  return [BigInt(x), 1n << k];
}

/** Cycles to nanoseconds at `clockHz`, rounded half up, computed exactly; the clock is decomposed once. */
function cycleClock(clockHz: number): (cycles: number) => bigint {
  const [hn, hd] = exactFraction(clockHz);
  const scale = NS_PER_S * hd;
  return (cycles) => {
    if (!Number.isFinite(cycles) || cycles <= 0) return 0n;
    const [cn, cd] = exactFraction(cycles);
    // ns = cycles * 1e9 / clock = (cn / cd) * 1e9 * (hd / hn)
    const num = cn * scale;
    const den = cd * hn;
    return (2n * num + den) / (2n * den);
  };
}

/** Nanoseconds for `cycles` at `clockHz`, rounded half up, computed exactly. */
export function cyclesToNanos(cycles: number, clockHz: number): bigint {
  return cycleClock(clockHz)(cycles);
}

function nanosToHrTime(ns: bigint): HrTime {
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
function otlpTraceId(trace: Trace): string {
  const id = sha256Hex(trace.bytes).slice(0, 32);
  return isValidTraceId(id) ? id : "00000000000000000000000000000001";
}

/** Span ids for a trace: the n-th id's high half is a bijection of n (so ids never collide), keyed by the trace id. */
function spanIds(traceId: string): (n: number) => string {
  const k1 = parseInt(traceId.slice(0, 8), 16);
  const k2 = parseInt(traceId.slice(8, 16), 16);
  return (n) => {
    const hi = fmix32((n ^ k1) >>> 0);
    let lo = fmix32((n + k2) >>> 0);
    if (hi === 0 && lo === 0) lo = 1;
    // 16 lowercase hex digits, not all zero: what isValidSpanId checks, without a regex per span
    return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
  };
}

/** Milliseconds (the API's meaning of a numeric time) as HrTime. */
function millisToHrTime(ms: number): HrTime {
  const s = Math.floor(ms / 1000);
  const ns = Math.round((ms - s * 1000) * 1e6);
  return ns >= 1e9 ? [s + 1, ns - 1e9] : [s, ns];
}

/** The recording tracer never reads a clock, so a missing time is a bug in the caller, not "now". */
function toHrTime(t: TimeInput | undefined): HrTime {
  if (t === undefined) throw new Error("OTLP export: simulated spans and events need explicit times");
  if (Array.isArray(t)) return [t[0], t[1]];
  return millisToHrTime(typeof t === "number" ? t : t.getTime());
}

const isTimeInput = (x: unknown): x is TimeInput => typeof x === "number" || Array.isArray(x) || x instanceof Date;

/** A span that records into a SimSpan and hands it to the tracer's sink when it ends. */
class RecordingSpan implements Span {
  private ended = false;
  constructor(private readonly data: SimSpan, private readonly onEnd: (span: SimSpan) => void) {}

  spanContext(): SpanContext {
    return this.data.context;
  }
  // like the SDK, a span ignores changes once ended: what was handed over stays as it was
  isRecording(): boolean {
    return !this.ended;
  }
  setAttribute(key: string, value: SpanAttributeValue): this {
    if (!this.ended) this.data.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: SpanAttributes): this {
    if (!this.ended) Object.assign(this.data.attributes, attributes);
    return this;
  }
  addEvent(name: string, attributesOrTime?: SpanAttributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const timeFirst = isTimeInput(attributesOrTime);
    this.data.events.push({ name, time: toHrTime(timeFirst ? attributesOrTime : time), attributes: timeFirst ? {} : { ...attributesOrTime } });
    return this;
  }
  addLink(link: Link): this {
    if (!this.ended) this.data.links.push(link);
    return this;
  }
  addLinks(links: Link[]): this {
    for (const l of links) this.addLink(l);
    return this;
  }
  setStatus(status: SpanStatus): this {
    // the API says setting UNSET is ignored, so it cannot clear an error
    if (!this.ended && status.code !== SpanStatusCode.UNSET) this.data.status = { ...status };
    return this;
  }
  updateName(name: string): this {
    if (!this.ended) this.data.name = name;
    return this;
  }
  recordException(exception: Exception, time?: TimeInput): void {
    const e = typeof exception === "string" ? { message: exception } : exception;
    const attributes: SpanAttributes = { "exception.type": e.name ?? (e.code === undefined ? undefined : String(e.code)), "exception.message": e.message, "exception.stacktrace": e.stack };
    this.addEvent("exception", attributes, time);
  }
  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.data.end = toHrTime(endTime);
    this.ended = true;
    this.onEnd(this.data);
  }
}

/**
 * An @opentelemetry/api Tracer whose spans get deterministic ids (the n-th span started gets
 * `spanIds(traceId)(n)`) and explicit times only. Finished spans are kept in `finished`, in the
 * order they end, unless an `onEnd` is given: the exporter streams them instead, as a 1024-core run
 * can have millions of spans, too many to hold.
 */
export class RecordingTracer implements Tracer {
  readonly finished: SimSpan[] = [];
  private started = 0;
  private readonly spanId: (n: number) => string;
  private readonly onEnd: (span: SimSpan) => void;
  constructor(readonly traceId: string, onEnd?: (span: SimSpan) => void) {
    this.spanId = spanIds(traceId);
    this.onEnd = onEnd ?? ((span) => this.finished.push(span));
  }

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = otelContext.active()): Span {
    const parentSpan = options.root ? undefined : otelTrace.getSpan(ctx);
    const parent = parentSpan?.spanContext();
    // our own spans have valid ids by construction: skip the API's regex check, run once per span
    const hasParent = parent !== undefined && (parentSpan instanceof RecordingSpan || isSpanContextValid(parent));
    const start = toHrTime(options.startTime);
    return new RecordingSpan({
      name,
      kind: options.kind ?? SpanKind.INTERNAL,
      context: { traceId: hasParent ? parent.traceId : this.traceId, spanId: this.spanId(this.started++), traceFlags: TraceFlags.SAMPLED },
      parentSpanId: hasParent ? parent.spanId : "",
      start,
      end: start,
      attributes: { ...options.attributes },
      events: [],
      links: options.links ? [...options.links] : [],
      status: { code: SpanStatusCode.UNSET },
    }, this.onEnd);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...args: unknown[]): ReturnType<F> {
    const fn = args.pop() as (span: Span) => ReturnType<F>;
    const [options, ctx = otelContext.active()] = args as [SpanOptions | undefined, Context | undefined];
    const span = this.startSpan(name, options, ctx);
    return otelContext.with(otelTrace.setSpan(ctx, span), fn, undefined, span);
  }
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
function encodeSpan(s: SimSpan): string {
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
    // omitted when empty (OTLP/JSON allows it): most spans have none, and big exports are mostly spans
    links: s.links.length === 0 ? undefined : s.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId, attributes: otlpAttributes(l.attributes ?? {}), flags: l.context.traceFlags })),
    status: s.status.message === undefined ? { code: s.status.code } : { code: s.status.code, message: s.status.message },
  });
}

export function exportOtlp(trace: Trace, write: (chunk: string) => void, options: OtlpOptions = {}): void {
  const { header, footer } = trace;
  const base = options.baseUnixNanos ?? 0n;
  const nanos = cycleClock(header.clockHz);
  const time = (cycles: number): HrTime => nanosToHrTime(base + nanos(cycles));
  const labels = procLabels(header.config);
  const label = (p: number): string => labels[p] ?? `process ${p}`;
  const main = header.sources[0]?.name ?? "(byte code)";

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
  // spans are written as they end: activities and messages at once, cores and the run at the close
  const tracer = new RecordingTracer(otlpTraceId(trace), (s) => {
    out.write(first ? `\n${encodeSpan(s)}` : `,\n${encodeSpan(s)}`);
    first = false;
  });

  const root = tracer.startSpan(`epython ${main}`, {
    startTime: time(0),
    attributes: {
      "epython.program": main, "epython.chip": header.config.chip, "epython.cores": header.config.cores.length, "epython.host_cores": header.config.hostCores,
      "epython.reduce": header.config.reduce, "epython.barrier": header.config.barrier, "epython.total_cycles": footer.totalCycles, "epython.messages": footer.messages,
    },
  }, ROOT_CONTEXT);
  const runContext = otelTrace.setSpan(ROOT_CONTEXT, root);
  // a core's span and the context its activities start in, made once per core, not once per span
  const cores: { span: Span; context: Context; end: number }[] = [];
  const core = (p: number) => {
    while (cores.length <= p) {
      const q = cores.length;
      const span = tracer.startSpan(label(q), { startTime: time(0), attributes: { "epython.core": label(q), "epython.process": q } }, runContext);
      cores.push({ span, context: otelTrace.setSpan(ROOT_CONTEXT, span), end: 0 });
    }
    return cores[p]!;
  };
  labels.forEach((_, p) => core(p));

  walkActivities(trace, {
    slice(p, state, start, end, line, service) {
      const c = core(p);
      c.end = Math.max(c.end, end);
      const name = state === CoreState.Host && service >= 0 ? `host ${HOST_KIND_NAMES[service] ?? service}` : (CORE_STATE_NAMES[state] ?? `state ${state}`);
      tracer.startSpan(name, {
        startTime: time(start),
        attributes: { "epython.core": label(p), "epython.line": line, "epython.start_cycle": start, "epython.end_cycle": end },
      }, c.context).end(time(end));
    },
    terminal(p, state, t, line) {
      const c = core(p);
      c.end = Math.max(c.end, t);
      c.span.addEvent(CORE_STATE_NAMES[state] ?? `state ${state}`, { "epython.line": line, "epython.cycle": t }, time(t));
    },
    message(_n, send, arrive, src, dst, hops, bytes) {
      const from = core(src);
      const to = core(dst);
      tracer.startSpan(`message to ${label(dst)}`, {
        kind: SpanKind.PRODUCER,
        startTime: time(send),
        attributes: { "epython.from": label(src), "epython.to": label(dst), "epython.bytes": bytes, "epython.hops": hops, "epython.send_cycle": send, "epython.arrive_cycle": arrive },
        links: [{ context: to.span.spanContext() }],
      }, from.context).end(time(arrive));
    },
    gc(t, p, before, after, pause) {
      core(p).span.addEvent("gc", { "epython.heap_before": before, "epython.heap_after": after, "epython.pause_cycles": pause, "epython.cycle": t }, time(t));
    },
    output(t, p, text) {
      core(p).span.addEvent("print", { "epython.text": text, "epython.cycle": t }, time(t));
    },
    error(t, p, line, message) {
      const c = core(p);
      c.span.setStatus({ code: SpanStatusCode.ERROR, message });
      c.span.addEvent("exception", { "exception.message": message, "epython.line": line, "epython.cycle": t }, time(t));
    },
    heap(t, p, used) {
      core(p).span.addEvent("heap", { "epython.heap_bytes": used, "epython.cycle": t }, time(t));
    },
    link() {
      // link load is a property of the whole run, not of a span; it stays in the trace file
    },
  });

  for (const c of cores) {
    const end = footer.ok ? c.end : Math.max(c.end, footer.totalCycles);
    c.span.setAttribute("epython.finish_cycle", end);
    c.span.end(time(end));
  }
  if (!footer.ok) root.setStatus({ code: SpanStatusCode.ERROR, message: footer.error?.message ?? "failed" });
  root.end(time(footer.totalCycles));
  out.write(`\n]}]}]}\n`);
  out.flush();
}
