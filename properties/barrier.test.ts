/**
 * Barrier: no core leaves a `sync()` before the last core has entered it, for both barrier
 * algorithms, whatever work of random length the cores do between barriers.
 *
 * Identifying a barrier in the event stream: the runtime reports `coreState(t, proc, Barrier)` when
 * a process's sync request is served (its entry time) and `coreState(t', proc, Running)` when the
 * process resumes its byte code after release (its exit time); a process does nothing else in
 * between. So each Barrier event of a process must be followed, for that process, by a Running
 * event, and the k-th such pair of every process belongs to the k-th barrier (every process,
 * host virtual cores included, takes part in every sync).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BarrierAlgorithm, CORE_STATE_NAMES, CoreState, type ChipName } from "../src/index.js";
import { params } from "./config.js";
import { describeRun, placementArb, RecordingSink, runProgram, type StateEvent } from "./harness.js";

const ALGORITHMS: BarrierAlgorithm[] = ["epython", "wand"];

interface Phase {
  /** loop iterations per process (indexed by process order: device cores, then host cores) */
  work: number[];
  /** does each process print before the barrier (a host round trip of its own) */
  print: boolean[];
}

interface Case {
  chip: ChipName;
  cores: number[];
  hostCores: number;
  phases: Phase[];
}

const caseArb: fc.Arbitrary<Case> = placementArb({ e16: [1, 16], e64: [1, 40] }, 3)
  .chain(({ chip, cores, hostCores }) => {
    const n = cores.length + hostCores;
    const phase = fc.record({
      work: fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 400 })), { minLength: n, maxLength: n }),
      print: fc.array(fc.integer({ min: 0, max: 4 }).map((x) => x === 0), { minLength: n, maxLength: n }),
    });
    return fc.array(phase, { minLength: 1, maxLength: 6 }).map((phases) => ({ chip, cores, hostCores, phases }));
  });

/** Process ids in process order: device cores (pid = core id), then host cores (pids after them). */
function pids(c: Case): number[] {
  return [...c.cores, ...Array.from({ length: c.hostCores }, (_, t) => c.cores.length + t)];
}

function program(c: Case): string {
  const ps = pids(c);
  const size = Math.max(...ps) + 1;
  const list = (vals: (number | boolean)[]) => {
    const items: string[] = Array.from({ length: size }, () => "0");
    ps.forEach((pid, i) => (items[pid] = String(vals[i] === true ? 1 : vals[i] === false ? 0 : vals[i])));
    return `[${items.join(",")}]`;
  };
  const out = ["from parallel import *", "me=coreid()"];
  c.phases.forEach((ph, k) => {
    out.push(`w=${list(ph.work)}[me]`, "j=0", "while j<w:", "\tj+=1");
    if (ph.print.some((b) => b)) out.push(`if ${list(ph.print)}[me]==1:`, `\tprint "phase ${k}"`);
    out.push("sync()");
  });
  out.push('print "done"', "");
  return out.join("\n");
}

/** Per process: [entry, exit] of each barrier, from the Barrier -> Running pairs. */
function barrierSpans(states: StateEvent[], nprocs: number): { spans: [number, number][][]; problems: string[] } {
  const spans: [number, number][][] = Array.from({ length: nprocs }, () => []);
  const open: (number | null)[] = Array.from({ length: nprocs }, () => null);
  const last: number[] = Array.from({ length: nprocs }, () => -Infinity);
  const problems: string[] = [];
  for (const e of states) {
    if (e.time < last[e.proc]!) problems.push(`proc ${e.proc}: time goes back from ${last[e.proc]} to ${e.time} (${CORE_STATE_NAMES[e.state]})`);
    last[e.proc] = e.time;
    const entry = open[e.proc];
    if (entry !== null && entry !== undefined) {
      if (e.state !== CoreState.Running) problems.push(`proc ${e.proc}: after entering a barrier at ${entry} it went to ${CORE_STATE_NAMES[e.state]}, not running`);
      else spans[e.proc]!.push([entry, e.time]);
      open[e.proc] = null;
    }
    if (e.state === CoreState.Barrier) open[e.proc] = e.time;
  }
  open.forEach((o, p) => {
    if (o !== null) problems.push(`proc ${p}: never left the barrier it entered at ${o}`);
  });
  return { spans, problems };
}

/** Barriers where some process left before the last one entered, as messages. */
function earlyExits(spans: [number, number][][], barriers: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < barriers; k++) {
    const lastEntry = Math.max(...spans.map((s) => s[k]![0]));
    spans.forEach((s, p) => {
      if (s[k]![1] < lastEntry) out.push(`barrier ${k}: proc ${p} left at ${s[k]![1]}, before the last entry at ${lastEntry}`);
    });
  }
  return out;
}

describe("barrier", () => {
  it("the checker finds an early exit in a made-up event stream", () => {
    const ev = (time: number, proc: number, state: number): StateEvent => ({ time, proc, state, line: 1 });
    const states = [ev(0, 0, CoreState.Running), ev(0, 1, CoreState.Running), ev(10, 0, CoreState.Barrier), ev(12, 0, CoreState.Running), ev(15, 1, CoreState.Barrier), ev(20, 1, CoreState.Running)];
    const { spans, problems } = barrierSpans(states, 2);
    expect(problems).toEqual([]);
    expect(spans).toEqual([[[10, 12]], [[15, 20]]]);
    expect(earlyExits(spans, 1)).toEqual(["barrier 0: proc 0 left at 12, before the last entry at 15"]);
    expect(barrierSpans([ev(10, 0, CoreState.Barrier), ev(11, 0, CoreState.Done)], 1).problems.length).toBe(1);
    expect(barrierSpans([ev(10, 0, CoreState.Barrier)], 1).problems.length).toBe(1);
    expect(barrierSpans([ev(10, 0, CoreState.Running), ev(9, 0, CoreState.Host)], 1).problems.length).toBe(1);
  });

  it("no process leaves sync() before the last one has entered it (every barrier algorithm)", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const src = program(c);
        const nprocs = c.cores.length + c.hostCores;
        for (const barrier of ALGORITHMS) {
          const sink = new RecordingSink();
          const run = runProgram(src, { chip: c.chip, cores: c.cores, hostCores: c.hostCores, barrier }, sink);
          const what = `barrier=${barrier}`;
          expect(run.result.ok, `${what}: ${describeRun(run)}`).toBe(true);
          const { spans, problems } = barrierSpans(sink.states, nprocs);
          expect(problems, what).toEqual([]);
          for (let p = 0; p < nprocs; p++) expect(spans[p]!.length, `${what}: barriers passed by proc ${p}`).toBe(c.phases.length);
          expect(earlyExits(spans, c.phases.length), what).toEqual([]);
          // and the program's own view: every process got through every barrier and finished
          for (const label of run.byLabel.keys()) expect(run.byLabel.get(label)!.at(-1), `${what}: ${label}`).toBe("done");
          expect(run.byLabel.size, what).toBe(nprocs);
        }
      }),
      params(30),
    );
  });
});
