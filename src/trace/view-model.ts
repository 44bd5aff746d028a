/**
 * The view model the trace explorer (viz/) draws, built by playing a trace's events into this sink.
 *
 * It is compact so that a 1,024-core trace opens quickly: a little JSON (the run's facts, the
 * printed lines, the sources) and one byte array of varints that the page decodes into typed
 * arrays (viz/view-data.js). The byte array holds sections, each described in `sections`:
 *
 * - `lanes`: every core's state intervals. State changes become intervals per process, one after
 *   another with no gaps (an interval ends where the next begins), so a lane is its first start
 *   and then, per interval, its duration and `line * 8 + state`. For each process in order:
 *   uv(k intervals), and when k > 0: uv(first start), then k times uv(duration), uv(line*8+state).
 * - column sections (`msgs`, `links`, `elink`, `gc`, `heap`): rows one after another, each row its
 *   columns in order, each column one zig-zag varint of `round(value * scale) - base`, where base
 *   is 0 (`base: "none"`), the same column's value in the row before (`"delta"`, 0 for the first
 *   row), or another column's value in the same row (its name).
 *
 * uv is an unsigned LEB128 varint (up to 2^53), zz the zig-zag of a signed one. Times are in units
 * of 1/`timeScale` cycle (rounded: far below anything the page can show); everything else is an
 * integer.
 */
import type { TraceRunError } from "./header.js";
import { NullSink } from "./sink.js";

export interface ViewProc {
  label: string;
  /** logical core on the mesh, -1 for a host virtual core */
  core: number;
}

/** A source file of the program, as the trace header stores it. */
export interface ViewSource {
  name: string;
  text: string;
}

/** How the run failed: the trace footer's error (header.ts), as the page shows it. */
export type ViewRunError = TraceRunError;

export interface ViewMeta {
  program: string;
  chip: string;
  rows: number;
  cols: number;
  clockHz: number;
  procs: ViewProc[];
  ok: boolean;
  /** the error's message (the footer's), or null */
  error: string | null;
  /** length of the windows the trace's link events report busy cycles for */
  linkWindowCycles: number;
  /** the program's source files from the trace header (for the source text of a line) */
  sources?: readonly ViewSource[];
  /** the footer's error in full, for the report the CLI prints (describeRunError) */
  runError?: ViewRunError | null;
  /** the footer's totalCycles (the run's time as the CLI reports it); else the last event's time */
  runCycles?: number;
  /** names of the bundled modules among the sources (a state's line is never in one of them) */
  libraryFiles?: readonly string[];
}

export interface ViewColumn {
  name: string;
  scale: number;
  /** "none", "delta", or the name of an earlier column of the same row */
  base: string;
}

export interface ViewSection {
  /** byte offset and length in `data` */
  offset: number;
  length: number;
  /** rows of a column section; intervals of `lanes` */
  rows: number;
  /** the columns of a column section (none for `lanes`) */
  columns: ViewColumn[];
}

export interface ViewModel extends ViewMeta {
  /** the encoding of `data` (this file's comment); the page refuses any other */
  encoding: 2;
  totalCycles: number;
  messages: number;
  messageBytes: number;
  /** the longest time from a message's send to its arrival */
  maxLatency: number;
  /** times in `data` are in 1/timeScale cycles */
  timeScale: number;
  /** time buckets of the link sections, each bucketCycles long (the trace's link windows) */
  bucketCycles: number;
  /** directed links per mesh: link = core * 4 + dir (0 E, 1 W, 2 S, 3 N) */
  linksPerMesh: number;
  sources: ViewSource[];
  runError: ViewRunError | null;
  /** the error as the CLI prints it (several lines for a deadlock or a limit), or null */
  errorText: string | null;
  libraryFiles: string[];
  /** [proc, time, text] per printed line, the first MAX_OUTPUT_LINES of them */
  output: [number, number, string][];
  /** how many lines the program printed */
  outputLines: number;
  sections: Record<"lanes" | "msgs" | "links" | "elink" | "gc" | "heap", ViewSection>;
  /** the sections' bytes (not part of the JSON: base64 in the page, or served as a file) */
  data: Uint8Array;
}

/** Times in the page's data are in 1/16 cycles. */
export const VIEW_TIME_SCALE = 16;

/** A growing byte array of varints. */
export class VarintWriter {
  bytes = new Uint8Array(64);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.bytes.subarray(0, this.length));
    this.bytes = b;
  }

  /** an unsigned integer up to 2^53 */
  uv(n: number): void {
    if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) throw new RangeError(`view model: ${n} is not a varint`);
    this.room(8);
    while (n >= 128) {
      this.bytes[this.length++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.bytes[this.length++] = n;
  }

  /** a signed integer, zig-zag encoded */
  zz(n: number): void {
    this.uv(n < 0 ? -2 * n - 1 : 2 * n);
  }

  append(w: VarintWriter): void {
    this.room(w.length);
    this.bytes.set(w.bytes.subarray(0, w.length), this.length);
    this.length += w.length;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** A growing column of float64. */
class Floats {
  a = new Float64Array(256);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  get(i: number): number {
    return this.a[i]!;
  }
}

/** Rows of numbers, stored by column, written as a column section. */
class Table {
  readonly cols: Floats[];
  constructor(readonly columns: ViewColumn[]) {
    this.cols = columns.map(() => new Floats());
  }
  get rows(): number {
    return this.cols[0]!.n;
  }
  push(...values: number[]): void {
    for (let i = 0; i < values.length; i++) this.cols[i]!.push(values[i]!);
  }
  /** rows in the order given (all rows, in order, when null) */
  write(out: VarintWriter, order: Uint32Array | null): void {
    const { columns, cols } = this;
    const k = columns.length;
    const prev = new Array<number>(k).fill(0);
    const cur = new Array<number>(k).fill(0);
    const rel = columns.map((c) => (c.base === "none" || c.base === "delta" ? -1 : columns.findIndex((d) => d.name === c.base)));
    for (let r = 0; r < this.rows; r++) {
      const row = order ? order[r]! : r;
      for (let j = 0; j < k; j++) {
        const c = columns[j]!;
        const q = Math.round(cols[j]!.get(row) * c.scale);
        cur[j] = q;
        out.zz(q - (c.base === "delta" ? prev[j]! : rel[j]! >= 0 ? cur[rel[j]!]! : 0));
        prev[j] = q;
      }
    }
  }
}

const T = VIEW_TIME_SCALE;

/** Beyond this much of printed output, the page gets the first lines only. */
const MAX_OUTPUT_LINES = 20_000;

export class ViewModelSink extends NullSink {
  /** per process: its intervals so far, as `lanes` wants them */
  private readonly lanes: VarintWriter[];
  private readonly laneCount: number[];
  private readonly laneFirst: number[];
  private readonly openStart: number[];
  private readonly openQ: number[];
  private readonly openState: number[];
  private readonly openLine: number[];
  private readonly msgs = new Table([
    { name: "send", scale: T, base: "delta" },
    { name: "arrive", scale: T, base: "send" },
    { name: "src", scale: 1, base: "none" },
    { name: "dst", scale: 1, base: "none" },
    { name: "hops", scale: 1, base: "none" },
    { name: "bytes", scale: 1, base: "none" },
  ]);
  private readonly gcs = new Table([
    { name: "proc", scale: 1, base: "none" },
    { name: "time", scale: T, base: "none" },
    { name: "before", scale: 1, base: "none" },
    { name: "after", scale: 1, base: "before" },
    { name: "pause", scale: T, base: "none" },
  ]);
  private readonly heaps = new Table([
    { name: "proc", scale: 1, base: "none" },
    { name: "time", scale: T, base: "none" },
    { name: "used", scale: 1, base: "none" },
  ]);
  private readonly outputs: [number, number, string][] = [];
  private outputLines = 0;
  /** [windowStart, mesh, from, to, busyCycles] per link event */
  private readonly windows: number[] = [];
  private last = 0;
  private bytes = 0;
  private maxLatency = 0;
  private msgsSorted = true;
  private lastSend = -Infinity;

  constructor(private readonly nprocs: number) {
    super();
    this.lanes = Array.from({ length: nprocs }, () => new VarintWriter());
    this.laneCount = new Array<number>(nprocs).fill(0);
    this.laneFirst = new Array<number>(nprocs).fill(0);
    this.openStart = new Array<number>(nprocs).fill(-1);
    this.openQ = new Array<number>(nprocs).fill(0);
    this.openState = new Array<number>(nprocs).fill(0);
    this.openLine = new Array<number>(nprocs).fill(0);
  }

  private seen(t: number): void {
    if (t > this.last) this.last = t;
  }

  /** close p's open interval at time (quantised) q */
  private close(p: number, q: number): void {
    if (this.laneCount[p] === 0) this.laneFirst[p] = this.openQ[p]!;
    this.laneCount[p]!++;
    const w = this.lanes[p]!;
    w.uv(q - this.openQ[p]!);
    w.uv(this.openLine[p]! * 8 + this.openState[p]!);
  }

  override coreState(time: number, proc: number, state: number, line: number): void {
    this.seen(time);
    const start = this.openStart[proc]!;
    if (start >= 0 && time > start) {
      const q = Math.round(time * T);
      this.close(proc, q);
      this.openQ[proc] = q;
      this.openStart[proc] = time;
    } else if (start < 0) {
      this.openStart[proc] = time;
      this.openQ[proc] = Math.round(time * T);
    }
    // (a change at the same time replaces the open state: the lane has no gaps)
    this.openState[proc] = state;
    this.openLine[proc] = Math.max(0, line);
  }
  override message(sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void {
    this.seen(arriveTime);
    this.msgs.push(sendTime, arriveTime, src, dst, hops, bytes);
    if (sendTime < this.lastSend) this.msgsSorted = false;
    this.lastSend = sendTime;
    if (arriveTime - sendTime > this.maxLatency) this.maxLatency = arriveTime - sendTime;
    this.bytes += bytes;
  }
  override gc(time: number, proc: number, usedBefore: number, usedAfter: number, pauseCycles: number): void {
    this.seen(time + pauseCycles);
    this.gcs.push(proc, time, usedBefore, usedAfter, pauseCycles);
  }
  override host(_start: number, end: number): void {
    this.seen(end);
  }
  override output(time: number, proc: number, text: string): void {
    this.seen(time);
    this.outputLines++;
    if (this.outputs.length < MAX_OUTPUT_LINES) this.outputs.push([proc, time, text]);
  }
  override error(time: number): void {
    this.seen(time);
  }
  override link(time: number, mesh: number, from: number, to: number, busyCycles: number): void {
    this.windows.push(time, mesh, from, to, busyCycles);
  }
  override heap(time: number, proc: number, usedBytes: number): void {
    this.seen(time);
    this.heaps.push(proc, time, usedBytes);
  }

  /**
   * The trace's link windows as the mesh view wants them: busy cycles per directed on-chip link
   * between two routers, per mesh, per window; and the eLink's (both directions) per window.
   * A core's own ports and the chip's edge are left out.
   */
  private linkTables(meta: ViewMeta, windowCycles: number): { links: Table; elink: Table } {
    const { cols } = meta;
    const perLink = new Map<number, number>();
    const elinkPer = new Map<number, number>();
    const w = this.windows;
    const linksPerMesh = meta.rows * cols * 4;
    for (let i = 0; i < w.length; i += 5) {
      const bucket = Math.round(w[i]! / windowCycles);
      const mesh = w[i + 1]!;
      const from = w[i + 2]!;
      const to = w[i + 3]!;
      const busy = w[i + 4]!;
      if (from < 0 && to < 0) elinkPer.set(bucket, (elinkPer.get(bucket) ?? 0) + busy);
      if (from < 0 || to < 0 || from === to) continue;
      const dir = to === from + 1 ? 0 : to === from - 1 ? 1 : to === from + cols ? 2 : 3;
      const key = (bucket * 3 + mesh) * linksPerMesh + from * 4 + dir;
      perLink.set(key, (perLink.get(key) ?? 0) + busy);
    }
    const links = new Table([
      { name: "bucket", scale: 1, base: "delta" },
      { name: "mesh", scale: 1, base: "none" },
      { name: "link", scale: 1, base: "delta" },
      { name: "busy", scale: T, base: "none" },
    ]);
    for (const key of [...perLink.keys()].sort((x, y) => x - y)) {
      const link = key % linksPerMesh;
      const bm = Math.floor(key / linksPerMesh);
      links.push(Math.floor(bm / 3), bm % 3, link, perLink.get(key)!);
    }
    const elink = new Table([
      { name: "bucket", scale: 1, base: "delta" },
      { name: "busy", scale: T, base: "none" },
    ]);
    for (const b of [...elinkPer.keys()].sort((x, y) => x - y)) elink.push(b, elinkPer.get(b)!);
    return { links, elink };
  }

  /** The model, with every still-open state closed at the end of the run. */
  finish(meta: ViewMeta): ViewModel {
    const end = this.last;
    const endQ = Math.round(end * T);
    // a trace with no link events (a run that could not start) records no window length
    const bucketCycles = meta.linkWindowCycles > 0 ? meta.linkWindowCycles : Math.max(1, end);
    for (let p = 0; p < this.nprocs; p++) {
      // a finished core's "done" state is not drawn out to the end of the run
      if (this.openStart[p]! >= 0 && end > this.openStart[p]! && this.openState[p] !== 5) this.close(p, endQ);
    }
    const out = new VarintWriter();
    const sections = {} as ViewModel["sections"];
    const section = (name: keyof ViewModel["sections"], rows: number, columns: ViewColumn[], write: () => void): void => {
      const offset = out.length;
      write();
      sections[name] = { offset, length: out.length - offset, rows, columns };
    };
    let intervals = 0;
    for (const c of this.laneCount) intervals += c;
    section("lanes", intervals, [], () => {
      for (let p = 0; p < this.nprocs; p++) {
        out.uv(this.laneCount[p]!);
        if (this.laneCount[p]! > 0) {
          out.uv(this.laneFirst[p]!);
          out.append(this.lanes[p]!);
        }
      }
    });
    // messages by send time (the page finds the ones in view by binary search)
    let order: Uint32Array | null = null;
    const m = this.msgs;
    if (!this.msgsSorted) {
      order = new Uint32Array(m.rows);
      for (let i = 0; i < order.length; i++) order[i] = i;
      const send = m.cols[0]!.a;
      order.sort((a, b) => send[a]! - send[b]! || a - b);
    }
    section("msgs", m.rows, m.columns, () => m.write(out, order));
    const { links, elink } = this.linkTables(meta, bucketCycles);
    section("links", links.rows, links.columns, () => links.write(out, null));
    section("elink", elink.rows, elink.columns, () => elink.write(out, null));
    section("gc", this.gcs.rows, this.gcs.columns, () => this.gcs.write(out, null));
    section("heap", this.heaps.rows, this.heaps.columns, () => this.heaps.write(out, null));
    const sources = (meta.sources ?? []).map((s) => ({ name: s.name, text: s.text }));
    const runError = meta.runError ?? null;
    return {
      ...meta,
      encoding: 2,
      totalCycles: end,
      messages: m.rows,
      messageBytes: this.bytes,
      maxLatency: this.maxLatency,
      timeScale: T,
      bucketCycles,
      linksPerMesh: meta.rows * meta.cols * 4,
      sources,
      runError,
      errorText: runError ? describeRunError(runError, sources, meta.runCycles ?? end) : meta.error,
      libraryFiles: [...(meta.libraryFiles ?? [])],
      output: this.outputs,
      outputLines: this.outputLines,
      sections,
      data: out.result(),
    };
  }
}

/** Line `line` (from 1) of a source text, or "". */
function sourceLine(text: string, line: number): string {
  return text.split(/\r?\n/)[line - 1] ?? "";
}

/**
 * A failed run's error as `epython` prints it when the run ends (src/cli/main.ts): a deadlock
 * with a line per waiting core, an error or a limit with the source line and, for a limit, a line
 * per core that did not complete. `totalCycles` is the run's simulated time.
 */
export function describeRunError(e: ViewRunError, sources: readonly ViewSource[], totalCycles: number): string {
  if (e.kind === "deadlock") return `Deadlock after ${Math.round(totalCycles)} cycles: ${e.message.replace(/^deadlock: /, "")}`;
  if (e.kind === "interrupted") return `Interrupted at cycle ${Math.round(e.time)}: ${e.message}`;
  if (e.kind === "config" || e.kind === "incomplete") return e.message;
  if (e.kind === "internal") return `internal error (a bug in epython-sim): ${e.message}`;
  const src = sources.find((f) => f.name === e.file);
  const text = src && e.line > 0 ? `\n  ${e.line} | ${sourceLine(src.text, e.line).trim()}` : "";
  const what = e.kind === "limit" ? "Stopped" : "Error";
  const nl = e.message.indexOf("\n");
  const [head, rest] = nl < 0 ? [e.message, ""] : [e.message.slice(0, nl), e.message.slice(nl)];
  return `${what} on ${e.label} at ${e.file}:${e.line}: ${head}${text}${rest}`;
}

/** The model without its bytes: what goes into the page as JSON. */
export function viewModelMeta(model: ViewModel): Omit<ViewModel, "data"> {
  const { data: _data, ...meta } = model;
  return meta;
}
