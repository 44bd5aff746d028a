/**
 * Decoded trace events as plain objects (for tests, messages and small tools), their one-line
 * human-readable form, and feeding a recorded trace back into any TraceSink.
 */
import { K_ERROR, K_GC, K_HEAP, K_HOST, K_LINK, K_MESSAGE, K_OUTPUT, K_STATE } from "./format.js";
import { EventCursor, type Trace } from "./reader.js";
import { CORE_STATE_NAMES, HOST_KIND_NAMES, type TraceSink } from "./sink.js";

export type TraceEvent =
  | { kind: "state"; time: number; proc: number; state: number; line: number }
  | { kind: "message"; time: number; arrive: number; src: number; dst: number; hops: number; bytes: number }
  | { kind: "gc"; time: number; proc: number; before: number; after: number; pause: number }
  | { kind: "host"; time: number; end: number; proc: number; service: number }
  | { kind: "output"; time: number; proc: number; text: string }
  | { kind: "error"; time: number; proc: number; line: number; message: string }
  | { kind: "link"; time: number; mesh: number; from: number; to: number; busy: number }
  | { kind: "heap"; time: number; proc: number; used: number };

/** The cursor's current event as an object. */
export function currentEvent(c: EventCursor): TraceEvent {
  switch (c.kind) {
    case K_STATE:
      return { kind: "state", time: c.t, proc: c.proc, state: c.a, line: c.b };
    case K_MESSAGE:
      return { kind: "message", time: c.t, arrive: c.t2, src: c.proc, dst: c.a, hops: c.b, bytes: c.c };
    case K_GC:
      return { kind: "gc", time: c.t, proc: c.proc, before: c.a, after: c.b, pause: c.t2 };
    case K_HOST:
      return { kind: "host", time: c.t, end: c.t2, proc: c.proc, service: c.a };
    case K_OUTPUT:
      return { kind: "output", time: c.t, proc: c.proc, text: c.text };
    case K_ERROR:
      return { kind: "error", time: c.t, proc: c.proc, line: c.a, message: c.text };
    case K_HEAP:
      return { kind: "heap", time: c.t, proc: c.proc, used: c.a };
    default:
      return { kind: "link", time: c.t, mesh: c.proc, from: c.a, to: c.b, busy: c.t2 };
  }
}

/** All events of a trace as objects (fine for small traces; big ones should walk an EventCursor). */
export function traceEvents(trace: Trace): TraceEvent[] {
  const out: TraceEvent[] = [];
  const c = new EventCursor(trace);
  while (c.next()) out.push(currentEvent(c));
  return out;
}

/** Replay the events of a trace into a sink, in order (a recorder fed this way writes the same bytes). */
export function playInto(trace: Trace, sink: TraceSink): void {
  const c = new EventCursor(trace);
  while (c.next()) {
    switch (c.kind) {
      case K_STATE:
        sink.coreState(c.t, c.proc, c.a, c.b);
        break;
      case K_MESSAGE:
        sink.message(c.t, c.t2, c.proc, c.a, c.b, c.c);
        break;
      case K_GC:
        sink.gc(c.t, c.proc, c.a, c.b, c.t2);
        break;
      case K_HOST:
        sink.host(c.t, c.t2, c.proc, c.a);
        break;
      case K_OUTPUT:
        sink.output(c.t, c.proc, c.text);
        break;
      case K_ERROR:
        sink.error(c.t, c.proc, c.a, c.text);
        break;
      case K_LINK:
        sink.link(c.t, c.proc, c.a, c.b, c.t2);
        break;
      case K_HEAP:
        sink.heap?.(c.t, c.proc, c.a);
        break;
    }
  }
}

const MESH_NAMES = ["c", "r", "x"];

/** a link end: a core id, or -1 for off-chip (eLink, chip edge) */
export function node(n: number): string {
  return n < 0 ? "off-chip" : `core ${n}`;
}

/** Times as JavaScript prints them: the shortest text that reads back to the same float64. */
function cyc(t: number): string {
  return Object.is(t, -0) ? "-0" : String(t);
}

/** One line per event, e.g. `#12 cycle 1783 device 3: state recv (line 7)`. */
export function describeEvent(index: number, e: TraceEvent, labels: readonly string[]): string {
  const who = (p: number): string => labels[p] ?? `process ${p}`;
  const at = (t: number): string => `#${index} cycle ${cyc(t)}`;
  switch (e.kind) {
    case "state":
      return `${at(e.time)} ${who(e.proc)}: state ${CORE_STATE_NAMES[e.state] ?? e.state} (line ${e.line})`;
    case "message":
      return `${at(e.time)} ${who(e.src)}: message to ${who(e.dst)}, ${e.bytes} bytes, ${e.hops} hop${e.hops === 1 ? "" : "s"}, visible at cycle ${cyc(e.arrive)} (latency ${cyc(e.arrive - e.time)})`;
    case "gc":
      return `${at(e.time)} ${who(e.proc)}: gc, heap ${e.before} -> ${e.after} bytes, pause ${cyc(e.pause)} cycles`;
    case "host":
      return `${at(e.time)} ${who(e.proc)}: host ${HOST_KIND_NAMES[e.service] ?? e.service} until cycle ${cyc(e.end)}`;
    case "output":
      return `${at(e.time)} ${who(e.proc)}: output ${JSON.stringify(e.text)}`;
    case "error":
      return `${at(e.time)} ${who(e.proc)}: error at line ${e.line}: ${JSON.stringify(e.message)}`;
    case "heap":
      return `${at(e.time)} ${who(e.proc)}: heap ${e.used} bytes in use`;
    case "link":
      return `${at(e.time)} link ${MESH_NAMES[e.mesh] ?? e.mesh}Mesh ${node(e.from)} -> ${node(e.to)}: busy ${cyc(e.busy)} cycles in the window from here`;
  }
}
