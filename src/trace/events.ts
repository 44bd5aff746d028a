/**
 * Decoded trace events as plain objects (for tests, messages and small tools), their one-line
 * human-readable form, and feeding a recorded trace into any TraceSink: all three walk the event
 * table (kinds.ts), so none of them knows a kind's fields.
 */
import { type Describe, type EventFields, kindSpec, type TableEvent } from "./kinds.js";
import { EventCursor, type Trace } from "./reader.js";
import type { TraceSink } from "./sink.js";

/** A decoded event: `kind` (the table row's name) and its fields by name, e.g. `{ kind: "gc", time, proc, before, after, pause }`. */
export type TraceEvent = TableEvent;

/** The cursor's current event as an object. */
export function currentEvent(c: EventCursor): TraceEvent {
  const { spec } = c.plan;
  const e: Record<string, number | string> = { kind: spec.name };
  spec.fields.forEach((f, i) => (e[f.name] = c.values[i]!));
  return e as unknown as TraceEvent;
}

/** All events of a trace as objects (fine for small traces; big ones should walk an EventCursor). */
export function traceEvents(trace: Trace): TraceEvent[] {
  const out: TraceEvent[] = [];
  const c = new EventCursor(trace);
  while (c.next()) out.push(currentEvent(c));
  return out;
}

type AnySinkMethod = (this: TraceSink, ...args: (number | string)[]) => void;

/**
 * Replay the events of a trace into a sink, in order (a recorder fed this way writes the same
 * bytes). Every consumer of a trace's events (summaries, exporters, the view model) is a sink fed
 * by this one walk.
 */
export function playInto(trace: Trace, sink: TraceSink): void {
  const c = new EventCursor(trace);
  const v = c.values;
  const methods = sink as unknown as Record<string, AnySinkMethod>;
  while (c.next()) {
    const { spec, arity } = c.plan;
    const m = methods[spec.sink]!;
    // by arity, so no array is made per event
    if (arity === 3) m.call(sink, v[0]!, v[1]!, v[2]!);
    else if (arity === 4) m.call(sink, v[0]!, v[1]!, v[2]!, v[3]!);
    else if (arity === 5) m.call(sink, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!);
    else if (arity === 6) m.call(sink, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!);
    else m.apply(sink, v.slice(0, arity));
  }
}

/** Times as JavaScript prints them: the shortest text that reads back to the same float64. */
function cyc(t: number): string {
  return Object.is(t, -0) ? "-0" : String(t);
}

/** One line per event, e.g. `#12 cycle 1783 device 3: state recv (line 7)`. */
export function describeEvent(index: number, e: TraceEvent, labels: readonly string[]): string {
  const spec = kindSpec(e.kind);
  const d: Describe = {
    cyc,
    who: (p) => labels[p] ?? `process ${p}`,
    name: (field, v) => spec.fields.find((f) => f.name === field)?.names?.[v] ?? String(v),
  };
  return `#${index} cycle ${cyc(e.time)} ${spec.describe(e as unknown as EventFields, d)}`;
}
