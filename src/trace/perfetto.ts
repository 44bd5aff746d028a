/**
 * Export to the Chrome trace event JSON that Perfetto (ui.perfetto.dev) and chrome://tracing open.
 * One track (tid) per core, named as the runtime names it ("device 3", "host 0"); a slice per
 * activity; instant events for GC, printed lines and errors; a flow arrow (ph s -> f) per message
 * from the sender's track to the receiver's; counter tracks of each core's heap and of the mesh and
 * eLink load per time window. `ts` and `dur` are microseconds: cycles * 1e6 / clock.
 *
 * Output is streamed through `write` (a long run makes more JSON than one string may hold) and is
 * a pure function of the trace: the same trace gives the same bytes.
 */
import { walkActivities } from "./activities.js";
import { node } from "./kinds.js";
import { procLabels } from "./header.js";
import type { Trace } from "./reader.js";
import { CORE_STATE_NAMES, CoreState, HOST_KIND_NAMES, MESH_NAMES } from "./sink.js";

const PID = 1;

/** Collects small strings and hands them on in chunks of about 64 KiB. */
export class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: (chunk: string) => void) {}
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    this.sink(this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}

export function exportPerfetto(trace: Trace, write: (chunk: string) => void): void {
  const { header, footer } = trace;
  const labels = procLabels(header.config);
  const scale = 1e6 / header.clockHz;
  const us = (cycles: number): number => cycles * scale;
  const out = new ChunkWriter(write);
  // events first, streamed; the metadata closes the object
  out.write('{"traceEvents":[');
  let first = true;
  const ev = (o: Record<string, unknown>): void => {
    out.write(first ? `\n${JSON.stringify(o)}` : `,\n${JSON.stringify(o)}`);
    first = false;
  };
  const tid = (p: number): number => p + 1;
  const links: Record<string, number> = {};
  /** window start -> busy cycles of the cMesh, rMesh, xMesh links and of the eLink */
  const windows = new Map<number, number[]>();
  const main = header.sources[0]?.name ?? "(byte code)";

  ev({ name: "process_name", ph: "M", pid: PID, tid: 0, args: { name: `epython-sim: ${main} on ${header.config.chip}` } });
  const named = new Set<number>();
  const nameTrack = (p: number): void => {
    if (named.has(p)) return;
    named.add(p);
    ev({ name: "thread_name", ph: "M", pid: PID, tid: tid(p), args: { name: labels[p] ?? `process ${p}` } });
    ev({ name: "thread_sort_index", ph: "M", pid: PID, tid: tid(p), args: { sort_index: p } });
  };
  labels.forEach((_, p) => nameTrack(p));

  walkActivities(trace, {
    slice(p, state, start, end, line, service) {
      nameTrack(p);
      const name = state === CoreState.Host && service >= 0 ? `host ${HOST_KIND_NAMES[service] ?? service}` : (CORE_STATE_NAMES[state] ?? `state ${state}`);
      ev({ name, cat: "state", ph: "X", pid: PID, tid: tid(p), ts: us(start), dur: us(end - start), args: { line, startCycle: start, endCycle: end } });
    },
    terminal(p, state, time, line) {
      nameTrack(p);
      ev({ name: CORE_STATE_NAMES[state] ?? `state ${state}`, cat: "state", ph: "i", s: "t", pid: PID, tid: tid(p), ts: us(time), args: { line, cycle: time } });
    },
    message(n, send, arrive, src, dst, hops, bytes) {
      nameTrack(src);
      nameTrack(dst);
      ev({ name: "message", cat: "message", ph: "s", id: n, pid: PID, tid: tid(src), ts: us(send), args: { to: labels[dst] ?? dst, bytes, hops, sendCycle: send, arriveCycle: arrive } });
      ev({ name: "message", cat: "message", ph: "f", bp: "e", id: n, pid: PID, tid: tid(dst), ts: us(arrive) });
    },
    gc(time, p, before, after, pause) {
      nameTrack(p);
      ev({ name: "gc", cat: "gc", ph: "i", s: "t", pid: PID, tid: tid(p), ts: us(time), args: { heapBefore: before, heapAfter: after, pauseCycles: pause, cycle: time } });
    },
    output(time, p, text) {
      nameTrack(p);
      ev({ name: "print", cat: "output", ph: "i", s: "t", pid: PID, tid: tid(p), ts: us(time), args: { text, cycle: time } });
    },
    error(time, p, line, message) {
      nameTrack(p);
      ev({ name: "error", cat: "error", ph: "i", s: "p", pid: PID, tid: tid(p), ts: us(time), args: { line, message, cycle: time } });
    },
    heap(time, p, used) {
      // a counter track per core: Perfetto draws it as a step chart
      ev({ name: `heap ${labels[p] ?? p}`, cat: "memory", ph: "C", pid: PID, tid: tid(p), ts: us(time), args: { bytes: used } });
    },
    link(time, mesh, from, to, busy) {
      // the eLink's two directions are both off-chip -> off-chip: keep both by adding them up
      const key = `${MESH_NAMES[mesh] ?? mesh} ${node(from)} -> ${node(to)}`;
      links[key] = (links[key] ?? 0) + busy;
      let w = windows.get(time);
      if (!w) windows.set(time, (w = [0, 0, 0, 0]));
      w[from < 0 && to < 0 ? 3 : mesh]! += busy;
    },
  });

  // counter tracks of the load over time: per window, busy cycles of all links of each mesh per
  // cycle (how many links were busy on average) and of the eLink (both directions)
  const span = footer.linkWindowCycles;
  if (span > 0) {
    let last = 0;
    for (const [start, [c, r, x, e]] of [...windows].sort((a, b) => a[0] - b[0])) {
      ev({ name: "mesh links busy", cat: "mesh", ph: "C", pid: PID, ts: us(start), args: { cMesh: c! / span, rMesh: r! / span, xMesh: x! / span } });
      ev({ name: "eLink busy", cat: "mesh", ph: "C", pid: PID, ts: us(start), args: { both: e! / span } });
      last = start + span;
    }
    if (windows.size > 0) {
      ev({ name: "mesh links busy", cat: "mesh", ph: "C", pid: PID, ts: us(last), args: { cMesh: 0, rMesh: 0, xMesh: 0 } });
      ev({ name: "eLink busy", cat: "mesh", ph: "C", pid: PID, ts: us(last), args: { both: 0 } });
    }
  }

  const otherData = {
    tool: `epython-sim ${header.toolVersion}`,
    program: main,
    sourceHash: header.sourceHash,
    chip: header.config.chip,
    clockHz: header.clockHz,
    config: header.config,
    ok: footer.ok,
    error: footer.error?.message ?? null,
    totalCycles: footer.totalCycles,
    messages: footer.messages,
    linkBusyCycles: links,
  };
  out.write(`\n],\n"displayTimeUnit":"ns",\n"otherData":${JSON.stringify(otherData)}\n}\n`);
  out.flush();
}
