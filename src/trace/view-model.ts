/**
 * The view model the trace explorer (viz/) draws: flat number arrays per event kind, built by
 * playing a trace's events into this sink. State changes become intervals per process.
 */
import { NullSink } from "./sink.js";

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
  /** length of the windows the trace's link events report busy cycles for */
  linkWindowCycles: number;
}

export interface ViewModel extends ViewMeta {
  totalCycles: number;
  messages: number;
  messageBytes: number;
  /** bytes a message carries */
  msgBytes: number;
  /** [proc, start, end, state, line] per interval */
  states: number[];
  /** [src, dst, sendTime, arriveTime, hops] per message (every k-th when there are very many) */
  msgs: number[];
  /** 1 when msgs holds every message, k when it holds every k-th */
  msgStride: number;
  /** time buckets of linkLoad, each bucketCycles long (the trace's link windows) */
  bucketCycles: number;
  /**
   * [bucket, link, busy cycles] for every on-chip link between two routers that carried traffic
   * in a bucket, the three meshes added up; link = core * 4 + dir (0 E, 1 W, 2 S, 3 N)
   */
  linkLoad: number[];
  /** [bucket, busy cycles] of the eLink (both directions) */
  elinkLoad: number[];
  /** [proc, time, usedBefore, usedAfter, pause] per collection */
  gc: number[];
  /** [proc, time, text] per printed line */
  output: [number, number, string][];
  /** [proc, time, usedBytes] whenever a core's heap use changed */
  heap: number[];
}

/** Beyond this many messages the page gets every k-th one as an arrow. */
const MAX_VIEW_MESSAGES = 50_000;

export class ViewModelSink extends NullSink {
  private readonly states: number[] = [];
  private readonly msgs: number[] = [];
  private readonly gcs: number[] = [];
  private readonly outputs: [number, number, string][] = [];
  /** [windowStart, mesh, from, to, busyCycles] per link event (the mesh view adds the meshes up) */
  private readonly windows: number[] = [];
  private readonly heaps: number[] = [];
  private readonly openStart: number[];
  private readonly openState: number[];
  private readonly openLine: number[];
  private last = 0;
  private bytes = 0;
  private msgSize = 6;

  constructor(private readonly nprocs: number) {
    super();
    this.openStart = new Array<number>(nprocs).fill(-1);
    this.openState = new Array<number>(nprocs).fill(0);
    this.openLine = new Array<number>(nprocs).fill(0);
  }

  private seen(t: number): void {
    if (t > this.last) this.last = t;
  }

  override coreState(time: number, proc: number, state: number, line: number): void {
    this.seen(time);
    const start = this.openStart[proc]!;
    if (start >= 0 && time > start) this.states.push(proc, start, time, this.openState[proc]!, this.openLine[proc]!);
    this.openStart[proc] = time;
    this.openState[proc] = state;
    this.openLine[proc] = line;
  }
  override message(sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void {
    this.seen(arriveTime);
    this.msgs.push(src, dst, sendTime, arriveTime, hops);
    this.bytes += bytes;
    this.msgSize = bytes;
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
    this.outputs.push([proc, time, text]);
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
   * per window (meshes added up), and the eLink's per window.
   */
  private linkViews(meta: ViewMeta, windowCycles: number): { linkLoad: number[]; elinkLoad: number[] } {
    const { cols } = meta;
    const perWindow = new Map<number, number>();
    const elink = new Map<number, number>();
    const w = this.windows;
    const keys = meta.rows * cols * 4;
    for (let i = 0; i < w.length; i += 5) {
      const bucket = Math.round(w[i]! / windowCycles);
      const from = w[i + 2]!;
      const to = w[i + 3]!;
      const busy = w[i + 4]!;
      if (from < 0 && to < 0) elink.set(bucket, (elink.get(bucket) ?? 0) + busy);
      if (from < 0 || to < 0 || from === to) continue; // eLink, chip edge, a core's own ports
      const dir = to === from + 1 ? 0 : to === from - 1 ? 1 : to === from + cols ? 2 : 3;
      const key = bucket * keys + from * 4 + dir;
      perWindow.set(key, (perWindow.get(key) ?? 0) + busy);
    }
    const linkLoad: number[] = [];
    for (const key of [...perWindow.keys()].sort((x, y) => x - y)) linkLoad.push(Math.floor(key / keys), key % keys, perWindow.get(key)!);
    const elinkLoad: number[] = [];
    for (const b of [...elink.keys()].sort((x, y) => x - y)) elinkLoad.push(b, elink.get(b)!);
    return { linkLoad, elinkLoad };
  }

  /** The model, with every still-open state closed at the end of the run. */
  finish(meta: ViewMeta): ViewModel {
    const end = this.last;
    // a trace with no link events (a run that could not start) records no window length
    const bucketCycles = meta.linkWindowCycles > 0 ? meta.linkWindowCycles : Math.max(1, end);
    const { linkLoad, elinkLoad } = this.linkViews(meta, bucketCycles);
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
      elinkLoad,
      gc: this.gcs,
      output: this.outputs,
      heap: this.heaps,
    };
  }
}
