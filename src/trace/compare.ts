/**
 * Comparing traces: the first event where two traces part (for replay and diff) and per-core
 * summaries (for diff's table).
 *
 * Two traces agree up to event i exactly when their encoded events agree byte for byte: the
 * encoding is canonical and its state (per-process base times) depends only on earlier events.
 * So the walk compares byte ranges and decodes only the divergent pair.
 */
import { currentEvent, describeEvent, playInto, type TraceEvent } from "./events.js";
import { procLabels, type TraceFooter, type TraceHeader } from "./header.js";
import { EventCursor, type Trace } from "./reader.js";
import { CoreState, NullSink } from "./sink.js";

export interface Divergence {
  index: number;
  /** the events at `index`, or null where that trace has already ended */
  a: TraceEvent | null;
  b: TraceEvent | null;
}

/** The first event (of the first `limit`) where the traces differ, or null when they agree. */
export function firstDivergence(a: Trace, b: Trace, limit = Infinity): Divergence | null {
  const ca = new EventCursor(a);
  const cb = new EventCursor(b);
  for (let i = 0; i < limit; i++) {
    const ha = ca.next();
    const hb = cb.next();
    if (!ha && !hb) return null;
    if (ha && hb && sameBytes(a.events, ca.start, ca.end, b.events, cb.start, cb.end)) continue;
    return { index: ha ? ca.index : cb.index, a: ha ? currentEvent(ca) : null, b: hb ? currentEvent(cb) : null };
  }
  return null;
}

function sameBytes(x: Uint8Array, xs: number, xe: number, y: Uint8Array, ys: number, ye: number): boolean {
  if (xe - xs !== ye - ys) return false;
  for (let i = 0; i < xe - xs; i++) if (x[xs + i] !== y[ys + i]) return false;
  return true;
}

/** The two sides of a divergence, one line each, with the labels of each trace's processes. */
export function formatDivergence(d: Divergence, a: Trace, b: Trace, names: [string, string]): string[] {
  const la = procLabels(a.header.config);
  const lb = procLabels(b.header.config);
  const width = Math.max(names[0].length, names[1].length);
  const side = (name: string, e: TraceEvent | null, labels: string[], t: Trace): string =>
    `  ${(name + ":").padEnd(width + 1)} ${e ? describeEvent(d.index, e, labels) : `(no event #${d.index}: the trace ends after ${t.eventCount} events)`}`;
  return [side(names[0], d.a, la, a), side(names[1], d.b, lb, b)];
}

export interface CoreSummary {
  label: string;
  /** cycle of the core's last state change (done or failed), or of its last event */
  finish: number;
  /** cycles in each core state (index: CoreState) until `finish` */
  stateCycles: Float64Array;
  messagesSent: number;
  bytesSent: number;
  messagesReceived: number;
  gcs: number;
  outputs: number;
}

export interface TraceSummary {
  cores: CoreSummary[];
  events: number;
  messages: number;
  messageBytes: number;
  totalCycles: number;
  ok: boolean;
}

/** Per-core sums of a trace's events (diff's table): a sink fed by playInto. */
class CoreSummarySink extends NullSink {
  readonly cores: CoreSummary[] = [];
  /** per core: the state it is in (-1: none yet, or finished) and since when */
  private readonly state: number[] = [];
  private readonly since: number[] = [];
  messages = 0;
  messageBytes = 0;

  constructor(private readonly labels: readonly string[]) {
    super();
    for (let p = 0; p < labels.length; p++) this.core(p);
  }

  private core(p: number): CoreSummary {
    while (this.cores.length <= p) {
      this.cores.push({ label: this.labels[this.cores.length] ?? `process ${this.cores.length}`, finish: 0, stateCycles: new Float64Array(8), messagesSent: 0, bytesSent: 0, messagesReceived: 0, gcs: 0, outputs: 0 });
      this.state.push(-1);
      this.since.push(0);
    }
    return this.cores[p]!;
  }

  /** the core of an event at `time`: its finish is at least then */
  private at(p: number, time: number): CoreSummary {
    const s = this.core(p);
    s.finish = Math.max(s.finish, time);
    return s;
  }

  override coreState(time: number, proc: number, state: number): void {
    const s = this.at(proc, time);
    if (this.state[proc]! >= 0) s.stateCycles[this.state[proc]!]! += time - this.since[proc]!;
    this.state[proc] = state === CoreState.Done || state === CoreState.Failed ? -1 : state;
    this.since[proc] = time;
  }
  override message(sendTime: number, _arriveTime: number, src: number, dst: number, _hops: number, bytes: number): void {
    const s = this.at(src, sendTime);
    s.messagesSent++;
    s.bytesSent += bytes;
    this.core(dst).messagesReceived++;
    this.messages++;
    this.messageBytes += bytes;
  }
  override gc(time: number, proc: number): void {
    this.at(proc, time).gcs++;
  }
  override output(time: number, proc: number): void {
    this.at(proc, time).outputs++;
  }
  override error(time: number, proc: number): void {
    this.at(proc, time);
  }
}

export function summarize(trace: Trace): TraceSummary {
  const sink = new CoreSummarySink(procLabels(trace.header.config));
  playInto(trace, sink);
  const { cores, messages, messageBytes } = sink;
  return { cores, events: trace.eventCount, messages, messageBytes, totalCycles: trace.footer.totalCycles, ok: trace.footer.ok };
}

/** Differences between two headers worth telling the reader about (configuration, program, tool). */
export function headerDifferences(a: TraceHeader, b: TraceHeader): string[] {
  const out: string[] = [];
  const ca = a.config as Record<string, unknown>;
  const cb = b.config as Record<string, unknown>;
  for (const k of Object.keys(ca)) {
    const va = JSON.stringify(ca[k]);
    const vb = JSON.stringify(cb[k]);
    if (va !== vb) out.push(`config ${k}: ${short(va)} vs ${short(vb)}`);
  }
  if (a.sourceHash !== b.sourceHash) out.push(`program: ${a.sources[0]?.name ?? "(byte code)"} (sha256 ${a.sourceHash.slice(0, 12)}) vs ${b.sources[0]?.name ?? "(byte code)"} (sha256 ${b.sourceHash.slice(0, 12)})`);
  if (a.toolVersion !== b.toolVersion || a.node !== b.node) out.push(`recorded by: epython-sim ${a.toolVersion} on Node ${a.node} vs epython-sim ${b.toolVersion} on Node ${b.node}`);
  return out;
}

/** The footer fields that differ, one line each (`field: a vs b`), per-process fields by label. */
export function footerDifferences(a: TraceFooter, b: TraceFooter): string[] {
  const out: string[] = [];
  const fields = (f: TraceFooter): [string, unknown][] => [
    ["ok", f.ok], ["error", f.error], ["totalCycles", f.totalCycles], ["messages", f.messages], ["messageBytes", f.messageBytes],
    ["simEvents", f.simEvents], ["linkWindowCycles", f.linkWindowCycles], ["processes", f.procs.length],
    ...f.procs.flatMap((p): [string, unknown][] => [
      [`${p.label} finishCycles`, p.finishCycles], [`${p.label} steps`, p.steps], [`${p.label} gcCount`, p.gcCount], [`${p.label} maxStackCells`, p.maxStackCells],
    ]),
  ];
  const fb = new Map(fields(b).map(([k, v]) => [k, JSON.stringify(v)]));
  for (const [k, v] of fields(a)) {
    const va = JSON.stringify(v);
    const vb = fb.get(k) ?? "(none)";
    if (va !== vb) out.push(`${k}: ${short(va)} vs ${short(vb)}`);
  }
  return out;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Cycles as a short number for tables: whole cycles when large, otherwise up to 2 decimals. */
function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function signed(v: number): string {
  if (v === 0) return "0";
  return (v > 0 ? "+" : "") + num(v);
}

/** Side-by-side table of per-core and total time, messages and bytes. */
export function formatSummaryTable(a: TraceSummary, b: TraceSummary, names: [string, string]): string[] {
  const rows: string[][] = [["core", `cycles ${names[0]}`, `cycles ${names[1]}`, "change", `msgs ${names[0]}`, `msgs ${names[1]}`, `bytes ${names[0]}`, `bytes ${names[1]}`]];
  const byLabel = new Map<string, [CoreSummary | undefined, CoreSummary | undefined]>();
  for (const c of a.cores) byLabel.set(c.label, [c, undefined]);
  for (const c of b.cores) byLabel.set(c.label, [byLabel.get(c.label)?.[0], c]);
  const dash = "-";
  for (const [label, [x, y]] of byLabel) {
    rows.push([
      label,
      x ? num(x.finish) : dash,
      y ? num(y.finish) : dash,
      x && y ? signed(y.finish - x.finish) : dash,
      x ? String(x.messagesSent) : dash,
      y ? String(y.messagesSent) : dash,
      x ? String(x.bytesSent) : dash,
      y ? String(y.bytesSent) : dash,
    ]);
  }
  rows.push(["total", num(a.totalCycles), num(b.totalCycles), signed(b.totalCycles - a.totalCycles), String(a.messages), String(b.messages), String(a.messageBytes), String(b.messageBytes)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => {
    const cells = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)));
    return cells.join("  ").trimEnd();
  });
}
