import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { exportOtlp, RecordingTracer, type SimSpan } from "../../src/trace/otlp.js";
import { readTrace, type Trace } from "../../src/trace/reader.js";
import { ROOT } from "../helpers/cli.js";

const load = (name: string): Trace => readTrace(new Uint8Array(readFileSync(join(ROOT, "traces", name))));

function exportText(t: Trace, baseUnixNanos?: bigint): string {
  const parts: string[] = [];
  exportOtlp(t, (c) => parts.push(c), { baseUnixNanos });
  return parts.join("");
}

interface OtlpSpan {
  traceId: string; spanId: string; parentSpanId: string; name: string; kind: number;
  startTimeUnixNano: string; endTimeUnixNano: string; links?: { traceId: string; spanId: string }[];
}
const spansOf = (text: string): OtlpSpan[] => JSON.parse(text).resourceSpans[0].scopeSpans[0].spans;

describe("OTLP export", () => {
  const t = load("collectives-d16.trace");

  it("gives identical bytes when the same trace is exported twice", () => {
    const a = exportText(t, 1_700_000_000_000_000_000n);
    expect(exportText(load("collectives-d16.trace"), 1_700_000_000_000_000_000n)).toBe(a);
    expect(exportText(t)).not.toBe(a); // the base time is really used
  });

  it("links every span to an existing parent: run -> cores -> activities and messages", () => {
    const spans = spansOf(exportText(t));
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.size).toBe(spans.length);
    const roots = spans.filter((s) => s.parentSpanId === "");
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(root.name).toBe("epython examples/collectives.py");
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([root.traceId]));
    const cores = new Set(spans.filter((s) => s.parentSpanId === root.spanId).map((s) => s.spanId));
    expect(cores.size).toBe(16);
    for (const s of spans) {
      if (s === root || cores.has(s.spanId)) continue;
      // everything else hangs off a core, and an activity lies inside its core's span
      expect(cores.has(s.parentSpanId)).toBe(true);
      const parent = byId.get(s.parentSpanId)!;
      expect(BigInt(s.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(parent.startTimeUnixNano));
      if (!s.name.startsWith("message to ")) expect(BigInt(s.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(parent.endTimeUnixNano));
    }
    const messages = spans.filter((s) => s.name.startsWith("message to "));
    expect(messages).toHaveLength(t.footer.messages);
    for (const m of messages) {
      expect(m.kind).toBe(SpanKind.PRODUCER + 1);
      expect(m.links).toHaveLength(1);
      const target = byId.get(m.links![0]!.spanId)!;
      expect(cores.has(target.spanId)).toBe(true);
      expect(m.name).toBe(`message to ${target.name}`);
    }
  });

  it("leaves no global tracer provider behind", () => {
    exportText(load("hello-d4.trace"));
    expect(trace.getTracer("probe").startSpan("x").isRecording()).toBe(false);
  });
});

describe("RecordingTracer", () => {
  const TRACE_ID = "0123456789abcdef0123456789abcdef";
  const record = (): [RecordingTracer, SimSpan[]] => {
    const tracer = new RecordingTracer(TRACE_ID);
    return [tracer, tracer.finished];
  };

  it("numbers spans deterministically, takes parents from the context and records explicit times", () => {
    const run = () => {
      const [tracer, done] = record();
      const parent = tracer.startSpan("parent", { startTime: [1, 0] }, ROOT_CONTEXT);
      const child = tracer.startSpan("child", { startTime: [1, 5], attributes: { a: 1 } }, trace.setSpan(ROOT_CONTEXT, parent));
      child.addEvent("e", { b: "x" }, [1, 6]).addEvent("timeOnly", 1500.25).setStatus({ code: SpanStatusCode.ERROR, message: "bad" });
      child.setStatus({ code: SpanStatusCode.UNSET });
      child.end([1, 7]);
      parent.end(new Date(2000));
      return done;
    };
    const done = run();
    expect(run()).toEqual(done);
    const [child, parent] = done;
    expect(child!.context.traceId).toBe(TRACE_ID);
    expect(child!.parentSpanId).toBe(parent!.context.spanId);
    expect(parent!.parentSpanId).toBe("");
    expect(child!.context.spanId).not.toBe(parent!.context.spanId);
    expect(child!.start).toEqual([1, 5]);
    expect(child!.end).toEqual([1, 7]);
    expect(child!.events).toEqual([{ name: "e", time: [1, 6], attributes: { b: "x" } }, { name: "timeOnly", time: [1, 500_250_000], attributes: {} }]);
    expect(child!.status).toEqual({ code: SpanStatusCode.ERROR, message: "bad" });
    expect(parent!.end).toEqual([2, 0]);
  });

  it("never reads the clock: a span or event without a time is an error", () => {
    const [tracer] = record();
    expect(() => tracer.startSpan("x", {}, ROOT_CONTEXT)).toThrow(/explicit times/);
    const span = tracer.startSpan("x", { startTime: 0 }, ROOT_CONTEXT);
    expect(() => span.addEvent("e")).toThrow(/explicit times/);
    expect(() => span.end()).toThrow(/explicit times/);
  });

  it("ignores changes after end, supports startActiveSpan and can stream finished spans", () => {
    const done: SimSpan[] = [];
    const tracer = new RecordingTracer(TRACE_ID, (s) => done.push(s));
    const result = tracer.startActiveSpan("active", { startTime: 0 }, ROOT_CONTEXT, (span) => {
      span.end(1);
      span.setAttribute("late", true).addEvent("late", 2).updateName("renamed");
      span.end(3);
      return span.isRecording();
    });
    expect(result).toBe(false);
    expect(tracer.finished).toEqual([]);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ name: "active", attributes: {}, events: [], end: [0, 1_000_000] });
  });
});
