/**
 * The view model the trace explorer (viz/) draws: flat number arrays per event kind, built by
 * playing a trace's events into this sink. State changes become intervals per process.
 */
import type { TraceSink } from "./sink.js";

export interface ViewProc {
  label: string;
  /** logical core on the mesh, -1 for a host virtual core */
  core: number;
}

export interface ViewMeta {
  program: string;
  chip: string;
  rows: number;
  cols: number;
  clockHz: number;
  procs: ViewProc[];
  ok: boolean;
  error: string | null;
}

export interface ViewModel extends ViewMeta {
  totalCycles: number;
  messages: number;
  messageBytes: number;
  /** bytes one message puts on each link it crosses */
  msgBytes: number;
  /** [proc, start, end, state, line] per interval */
  states: number[];
  /** [src, dst, sendTime, arriveTime, hops] per message (every k-th when there are very many) */
  msgs: number[];
  /** 1 when msgs holds every message, k when it holds every k-th */
  msgStride: number;
  /** time buckets of linkLoad, each bucketCycles long */
  bucketCycles: number;
  /** [bucket, link, bytes] for every link that carried traffic in a bucket; link = core * 4 + dir (0 E, 1 W, 2 S, 3 N), X/Y routes */
  linkLoad: number[];
  /** [proc, time, usedBefore, usedAfter, pause] per collection */
  gc: number[];
  /** [proc, time, text] per printed line */
  output: [number, number, string][];
  /** [mesh, from, to, busyCycles] per link, totals over the run */
  links: number[];
  /** [proc, time, usedBytes] whenever a core's heap use changed */
  heap: number[];
}

/** Beyond this many messages the page gets every k-th one as an arrow (the link load keeps them all). */
const MAX_VIEW_MESSAGES = 50_000;
const LOAD_BUCKETS = 200;

export class ViewModelSink implements TraceSink {
  private readonly states: number[] = [];
  private readonly msgs: number[] = [];
  private readonly gcs: number[] = [];
  private readonly outputs: [number, number, string][] = [];
  private readonly links: number[] = [];
  private readonly heaps: number[] = [];
  private readonly openStart: number[];
  private readonly openState: number[];
  private readonly openLine: number[];
  private last = 0;
  private bytes = 0;
  private msgSize = 6;

  constructor(private readonly nprocs: number) {
    this.openStart = new Array<number>(nprocs).fill(-1);
    this.openState = new Array<number>(nprocs).fill(0);
    this.openLine = new Array<number>(nprocs).fill(0);
  }

  private seen(t: number): void {
    if (t > this.last) this.last = t;
  }

  coreState(time: number, proc: number, state: number, line: number): void {
    this.seen(time);
    const start = this.openStart[proc]!;
    if (start >= 0 && time > start) this.states.push(proc, start, time, this.openState[proc]!, this.openLine[proc]!);
    this.openStart[proc] = time;
    this.openState[proc] = state;
    this.openLine[proc] = line;
  }
  message(sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void {
    this.seen(arriveTime);
    this.msgs.push(src, dst, sendTime, arriveTime, hops);
    this.bytes += bytes;
    this.msgSize = bytes;
  }
  gc(time: number, proc: number, usedBefore: number, usedAfter: number, pauseCycles: number): void {
    this.seen(time + pauseCycles);
    this.gcs.push(proc, time, usedBefore, usedAfter, pauseCycles);
  }
  host(_start: number, end: number): void {
    this.seen(end);
  }
  output(time: number, proc: number, text: string): void {
    this.seen(time);
    this.outputs.push([proc, time, text]);
  }
  error(time: number): void {
    this.seen(time);
  }
  link(mesh: number, from: number, to: number, busyCycles: number): void {
    this.links.push(mesh, from, to, busyCycles);
  }
  heap(time: number, proc: number, usedBytes: number): void {
    this.seen(time);
    this.heaps.push(proc, time, usedBytes);
  }

  /** Bytes per directed link per time bucket, routing every message X first then Y. */
  private bucketLinkLoad(meta: ViewMeta, bucketCycles: number): number[] {
    const { cols } = meta;
    const load = new Map<number, number>();
    const m = this.msgs;
    const links = meta.rows * cols * 4;
    for (let i = 0; i < m.length; i += 5) {
      const a = meta.procs[m[i]!]?.core ?? -1;
      const b = meta.procs[m[i + 1]!]?.core ?? -1;
      if (a < 0 || b < 0) continue;
      const bucket = Math.min(LOAD_BUCKETS - 1, Math.floor(m[i + 2]! / bucketCycles));
      let r = Math.floor(a / cols);
      let c = a % cols;
      const rb = Math.floor(b / cols);
      const cb = b % cols;
      while (c !== cb) {
        const key = bucket * links + (r * cols + c) * 4 + (cb > c ? 0 : 1);
        load.set(key, (load.get(key) ?? 0) + this.msgSize);
        c += cb > c ? 1 : -1;
      }
      while (r !== rb) {
        const key = bucket * links + (r * cols + c) * 4 + (rb > r ? 2 : 3);
        load.set(key, (load.get(key) ?? 0) + this.msgSize);
        r += rb > r ? 1 : -1;
      }
    }
    const out: number[] = [];
    for (const key of [...load.keys()].sort((x, y) => x - y)) out.push(Math.floor(key / links), key % links, load.get(key)!);
    return out;
  }

  /** The model, with every still-open state closed at the end of the run. */
  finish(meta: ViewMeta): ViewModel {
    const end = this.last;
    const bucketCycles = Math.max(1, Math.ceil(end / LOAD_BUCKETS));
    const linkLoad = this.bucketLinkLoad(meta, bucketCycles);
    const count = this.msgs.length / 5;
    const stride = Math.max(1, Math.ceil(count / MAX_VIEW_MESSAGES));
    let msgs = this.msgs;
    if (stride > 1) {
      msgs = [];
      for (let i = 0; i < count; i += stride) for (let k = 0; k < 5; k++) msgs.push(this.msgs[i * 5 + k]!);
    }
    for (let p = 0; p < this.nprocs; p++) {
      const start = this.openStart[p]!;
      // a finished core's "done" state is not drawn out to the end of the run
      if (start >= 0 && end > start && this.openState[p] !== 5) this.states.push(p, start, end, this.openState[p]!, this.openLine[p]!);
    }
    return {
      ...meta,
      totalCycles: end,
      messages: count,
      messageBytes: this.bytes,
      msgBytes: this.msgSize,
      states: this.states,
      msgs,
      msgStride: stride,
      bucketCycles,
      linkLoad,
      gc: this.gcs,
      output: this.outputs,
      links: this.links,
      heap: this.heaps,
    };
  }
}
