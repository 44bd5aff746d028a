/**
 * sync() (src/runtime/barrier.ts with the per-process plans of src/runtime/runtime-calls.ts
 * planBarrier), driven directly with real Proc objects (the barrier reads only core, isHost, idx
 * and the wait record; the VM is never touched): the WAND rendezvous, ePython's flags and
 * releases, the host's meeting of the host processes (command 8), the plans' DRAM accesses, and a
 * small driver that runs every process's barrier plan against one Barrier in time order, as the
 * messaging engine (operations.ts) does, to check that no process leaves before the last arrives.
 */
import { describe, expect, it } from "vitest";
import type { BarrierAlgorithm } from "../../src/config/names.js";
import { CHIPS, type ChipSpec, fromReferenceCycles } from "../../src/machine/chip.js";
import { BARRIER_WAND_CYCLES, POLL_EXIT_CYCLES, localSpinResume } from "../../src/machine/costs.js";
import { Mesh } from "../../src/machine/mesh.js";
import { Prng } from "../../src/machine/prng.js";
import { Barrier } from "../../src/runtime/barrier.js";
import { OpCode, OpSequence, Proc, WaitKind } from "../../src/runtime/process.js";
import { coreIdsOf, planBarrier } from "../../src/runtime/runtime-calls.js";
import { HOST_TO_HOST_MESSAGE_CYCLES } from "../../src/runtime/runtime-costs.js";
import type { Vm } from "../../src/vm/vm.js";

/** Processes on `cores` (-1: a host virtual core), indexed 0.. in that order; pid = core, host pids after. */
function procs(cores: readonly number[]): Proc[] {
  const noVm = null as unknown as Vm; // never used by the barrier
  return cores.map((c, i) => new Proc(i, c < 0 ? 64 + i : c, c, c < 0, c < 0 ? `host ${i}` : `device ${c}`, noVm, new Prng(i + 1)));
}

const coreIds = coreIdsOf; // ePython's view of the active cores, as the simulation builds it

interface Woken {
  p: Proc;
  t: number;
}

/** A barrier over `parts` whose wakes are recorded (the device root: the lowest device core). */
function barrier(alg: BarrierAlgorithm, parts: Proc[], spec: ChipSpec = CHIPS.e16): { b: Barrier; mesh: Mesh; woken: Woken[] } {
  const mesh = new Mesh(spec);
  const woken: Woken[] = [];
  const devices = parts.filter((p) => !p.isHost).sort((a, b) => a.core - b.core);
  const b = new Barrier(alg, parts, { spec, mesh }, devices[0] ?? null, (p, t) => woken.push({ p, t }));
  return { b, mesh, woken };
}

/** Set p waiting at the barrier, as the engine does before it returns -1. */
function waitOn(p: Proc, on: number, since: number): void {
  p.wait.kind = WaitKind.Barrier;
  p.wait.on = on;
  p.wait.start = since;
}

const hostStep = (spec: ChipSpec) => fromReferenceCycles(spec, HOST_TO_HOST_MESSAGE_CYCLES);

describe("WAND", () => {
  it("releases everyone together at the last arrival + BARRIER_WAND_CYCLES, scaled to the chip's clock", () => {
    for (const spec of [CHIPS.e16, CHIPS.e64]) {
      const parts = procs([0, 5, 15, -1]);
      const { b, woken } = barrier("wand", parts, spec);
      const times = [10, 400, 30, 20];
      for (const i of [2, 0, 3, 1]) {
        expect(woken, `nobody goes before everyone arrived (${i})`).toHaveLength(0);
        b.wand(parts[i]!, times[i]!);
        expect(parts[i]!.wait.kind === WaitKind.Barrier || woken.length === 4).toBe(true);
      }
      const release = 400 + fromReferenceCycles(spec, BARRIER_WAND_CYCLES);
      expect(woken.map((w) => w.p.idx).sort()).toEqual([0, 1, 2, 3]);
      for (const w of woken) expect(w.t).toBe(release);
      for (const p of parts) expect(p.wait.kind).toBe(WaitKind.None);
    }
    expect(fromReferenceCycles(CHIPS.e64, BARRIER_WAND_CYCLES)).toBeGreaterThan(BARRIER_WAND_CYCLES);
  });

  it("resets for the next round (count and last arrival); a barrier of one releases at every entry", () => {
    const parts = procs([3, 7]);
    const { b, woken } = barrier("wand", parts);
    const w = fromReferenceCycles(CHIPS.e16, BARRIER_WAND_CYCLES);
    b.wand(parts[0]!, 1000);
    b.wand(parts[1]!, 900);
    expect(woken.map((x) => x.t)).toEqual([1000 + w, 1000 + w]);
    b.wand(parts[1]!, 50);
    expect(woken).toHaveLength(2);
    b.wand(parts[0]!, 60);
    expect(woken.slice(2).map((x) => x.t)).toEqual([60 + w, 60 + w]);
    const one = procs([9]);
    const single = barrier("wand", one);
    single.b.wand(one[0]!, 10);
    single.b.wand(one[0]!, 20);
    expect(single.woken.map((x) => x.t)).toEqual([10 + w, 20 + w]);
  });
});

describe("ePython's flags", () => {
  const parts = () => procs([0, 5, 10]); // the root is process 0, on core 0

  it("a flag set before the root waits is seen at once (localSpinResume), and only once", () => {
    const ps = parts();
    const { b, woken } = barrier("epython", ps);
    const landed = new Mesh(CHIPS.e16).write(5, 0, 1, 100);
    expect(b.flagRoot(ps[1]!, ps[0]!, 100)).toBe(101); // a posted store: the core goes on
    expect(woken).toHaveLength(0);
    expect(b.waitFlag(2, 1000)).toBe(-1); // another process's flag is not set
    expect(landed).toBeLessThan(1000);
    expect(b.waitFlag(1, 1000)).toBe(localSpinResume(1000, landed));
    expect(localSpinResume(1000, landed)).toBe(1000 + POLL_EXIT_CYCLES); // one check
    // the root cleared it: the next round's wait has to wait
    expect(b.waitFlag(1, 2000)).toBe(-1);
  });

  it("a flag that lands while the root is already spinning is seen POLL_DETECT after it lands", () => {
    const ps = parts();
    const { b, woken } = barrier("epython", ps);
    expect(b.waitFlag(1, 50)).toBe(-1);
    waitOn(ps[0]!, 1, 50);
    const landed = new Mesh(CHIPS.e16).write(5, 0, 1, 100);
    b.flagRoot(ps[1]!, ps[0]!, 100);
    expect(woken).toEqual([{ p: ps[0], t: localSpinResume(50, landed) }]);
    expect(woken[0]!.t).toBeGreaterThan(landed);
    expect(ps[0]!.wait.kind).toBe(WaitKind.None);
    // handed over directly: not left behind for a later wait
    expect(b.waitFlag(1, 5000)).toBe(-1);
  });

  it("a root spinning on another process's flag is not woken by this one", () => {
    const ps = parts();
    const { b, woken } = barrier("epython", ps);
    waitOn(ps[0]!, 2, 50);
    b.flagRoot(ps[1]!, ps[0]!, 100);
    expect(woken).toHaveLength(0);
    expect(ps[0]!.wait.kind).toBe(WaitKind.Barrier);
    expect(b.waitFlag(1, 3000)).toBeGreaterThan(0);
  });

  it("a farther core's flag lands later", () => {
    const ps = parts();
    const near = barrier("epython", ps);
    near.b.flagRoot(ps[1]!, ps[0]!, 0);
    const far = barrier("epython", ps);
    far.b.flagRoot(ps[2]!, ps[0]!, 0);
    expect(far.b.waitFlag(2, 0)).toBeGreaterThan(near.b.waitFlag(1, 0));
  });

  it("a release before the core spins is seen at once; one that lands while it spins wakes it", () => {
    const ps = parts();
    const { b, woken } = barrier("epython", ps);
    const ref = new Mesh(CHIPS.e16);
    const landed1 = ref.write(0, 5, 1, 200);
    expect(b.release(ps[0]!, ps[1]!, 200)).toBe(201);
    expect(woken).toHaveLength(0);
    expect(b.waitRelease(ps[2]!, 300)).toBe(-1);
    expect(b.waitRelease(ps[1]!, 300)).toBe(localSpinResume(300, landed1));
    expect(b.waitRelease(ps[1]!, 400)).toBe(-1); // cleared (R:856)

    waitOn(ps[2]!, 0, 150);
    const landed2 = ref.write(0, 10, 1, 250);
    b.release(ps[0]!, ps[2]!, 250);
    expect(woken).toEqual([{ p: ps[2], t: localSpinResume(150, landed2) }]);
    expect(ps[2]!.wait.kind).toBe(WaitKind.None);
    expect(b.waitRelease(ps[2]!, 5000)).toBe(-1);
  });

  it("a core waiting at the barrier for something else (not the root) is not woken by a release", () => {
    const ps = parts();
    const { b, woken } = barrier("epython", ps);
    waitOn(ps[1]!, -1, 10);
    b.release(ps[0]!, ps[1]!, 20);
    expect(woken).toHaveLength(0);
    expect(b.waitRelease(ps[1]!, 100)).toBeGreaterThanOrEqual(100);
  });
});

describe("the host's meeting (hostSync)", () => {
  it("host processes only: all released together after the last arrival, and again next round", () => {
    const ps = procs([-1, -1, -1]);
    const { b, woken } = barrier("epython", ps);
    const step = hostStep(CHIPS.e16);
    for (const [round, times] of [
      [0, [100, 300, 200]],
      [1, [900, 700, 800]],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        expect(woken, `round ${round}: released after ${i} arrivals`).toHaveLength(3 * round);
        b.hostSync(ps[i]!, times[i]!, 0);
        if (i < 2) expect(ps[i]!.wait.kind).toBe(WaitKind.Barrier);
      }
      const these = woken.slice(3 * round);
      expect(these.map((w) => w.p.idx).sort()).toEqual([0, 1, 2]);
      const last = Math.max(...times);
      expect(new Set(these.map((w) => w.t)).size).toBe(1);
      expect(these[0]!.t).toBeGreaterThanOrEqual(last + step);
      for (const p of ps) expect(p.wait.kind).toBe(WaitKind.None);
    }
  });

  it("with a device root: the host answers the root once all have met; host processes wait until releaseHosts", () => {
    const spec = CHIPS.e16;
    const ps = procs([0, 3, -1, -1]);
    const { b, woken } = barrier("epython", ps, spec);
    b.hostSync(ps[2]!, 100, 0);
    b.hostSync(ps[3]!, 2000, 0);
    expect(woken).toHaveLength(0);
    b.hostSync(ps[0]!, 500, 520); // the root's command stores landed at 520
    const expected = new Mesh(spec).hostReply(0, 2000, 500, hostStep(spec));
    expect(woken).toEqual([{ p: ps[0], t: expected }]);
    expect(expected).toBeGreaterThan(2000);
    expect(ps[2]!.wait.kind).toBe(WaitKind.Barrier);
    b.releaseHosts(expected + 300);
    expect(woken.slice(1).map((w) => [w.p.idx, w.t])).toEqual([
      [2, expected + 300 + hostStep(spec)],
      [3, expected + 300 + hostStep(spec)],
    ]);
    for (const p of ps) expect(p.wait.kind).toBe(WaitKind.None);
  });

  it("with a device root arriving first: it waits for the last host process", () => {
    const spec = CHIPS.e16;
    const ps = procs([2, -1]);
    const { b, woken } = barrier("epython", ps, spec);
    b.hostSync(ps[0]!, 100, 150);
    expect(woken).toHaveLength(0);
    expect(ps[0]!.wait.kind).toBe(WaitKind.Barrier);
    b.hostSync(ps[1]!, 9000, 0);
    expect(woken).toEqual([{ p: ps[0], t: new Mesh(spec).hostReply(2, 9000, 100, hostStep(spec)) }]);
    expect(woken[0]!.t).toBeGreaterThan(9000);
  });
});

describe("planBarrier", () => {
  const spec = CHIPS.e16;
  /** How many operations of `code`; DRAM reads count each read of a DramReads run. */
  const count = (seq: OpSequence, code: number) => {
    let n = 0;
    for (let i = 0; i < seq.length; i += 2) {
      if (seq.ops[i] === code) n++;
      else if (code === OpCode.DramRead && seq.ops[i] === OpCode.DramReads) n += seq.ops[i + 1]!;
    }
    return n;
  };
  const peers = (seq: OpSequence, code: number) => {
    const out: number[] = [];
    for (let i = 0; i < seq.length; i += 2) if (seq.ops[i] === code) out.push(seq.ops[i + 1]!);
    return out;
  };
  const plan = (parts: Proc[], self: number, root: number, global: boolean) => {
    const seq = new OpSequence();
    seq.reset(0, 0);
    planBarrier(seq, self, root, coreIds(spec, parts), global, parts[self]!.isHost);
    return seq;
  };

  it("the root on a 16-core E16 with 16 active cores: 48 DRAM reads when global (2 + 15 + 16 + 15), 46 when not", () => {
    const parts = procs(Array.from({ length: 16 }, (_, i) => i));
    const global = plan(parts, 0, 0, true);
    expect(count(global, OpCode.DramRead)).toBe(48);
    expect(count(plan(parts, 0, 0, false), OpCode.DramRead)).toBe(46);
    const others = Array.from({ length: 15 }, (_, i) => i + 1);
    expect(peers(global, OpCode.WaitFlag)).toEqual(others);
    expect(peers(global, OpCode.Release)).toEqual(others);
    // every flag is awaited before the first release
    const ops = Array.from(global.ops.subarray(0, global.length)).filter((_, i) => i % 2 === 0);
    expect(ops.lastIndexOf(OpCode.WaitFlag)).toBeLessThan(ops.indexOf(OpCode.Release));
    expect(count(global, OpCode.DramStore) + count(global, OpCode.HostSync) + count(global, OpCode.HostRelease)).toBe(0);
  });

  it("a non-root sets its flag on the root and spins on its release: no DRAM access", () => {
    const parts = procs(Array.from({ length: 16 }, (_, i) => i));
    for (const global of [true, false]) {
      const seq = plan(parts, 7, 0, global);
      expect(count(seq, OpCode.DramRead)).toBe(0);
      expect(count(seq, OpCode.DramStore)).toBe(0);
      expect(peers(seq, OpCode.FlagRoot)).toEqual([0]);
      expect(peers(seq, OpCode.WaitRelease)).toEqual([0]);
      expect(count(seq, OpCode.WaitFlag) + count(seq, OpCode.Release)).toBe(0);
    }
  });

  it("a root that is not core 0 never waits for or releases itself; inactive ids are still read", () => {
    const parts = procs([12, 3, 7]); // process 1 (core 3) is the root
    const seq = plan(parts, 1, 1, false);
    expect(peers(seq, OpCode.WaitFlag)).toEqual([2, 0]);
    expect(peers(seq, OpCode.Release)).toEqual([2, 0]);
    expect(count(seq, OpCode.DramRead)).toBe(15 + 16 + 15);
  });

  it("with host processes: the root meets the host (command 8) and releases the host processes last; they only HostSync", () => {
    const parts = procs([0, 1, 2, -1, -1]);
    const seq = plan(parts, 0, 0, true);
    expect(count(seq, OpCode.DramRead)).toBe(2 + 1 + 15 + 16 + 15);
    expect(count(seq, OpCode.DramStore)).toBe(2);
    expect(peers(seq, OpCode.HostSync)).toEqual([0]);
    expect(seq.ops[seq.length - 2]).toBe(OpCode.HostRelease);
    // the start-up barrier does not meet the host
    expect(count(plan(parts, 0, 0, false), OpCode.HostSync)).toBe(0);
    const host = plan(parts, 3, 0, true);
    expect(Array.from(host.ops.subarray(0, host.length))).toEqual([OpCode.HostSync, 0]);
  });
});

/**
 * Run every process's barrier (planBarrier, or the WAND op) from its entry time against one
 * Barrier, in time order: DramRead/DramStore on the mesh, Local as its cycles, the flag and host
 * steps through the Barrier, waits resumed by its wake. Returns when each process left.
 */
function runBarrier(alg: BarrierAlgorithm, spec: ChipSpec, cores: readonly number[], entry: readonly number[]): number[] {
  const parts = procs(cores);
  const ids = coreIds(spec, parts);
  let root = -1;
  for (let id = 0; id < ids.ids.length && root < 0; id++) root = ids.ids[id]!;
  const queue: Woken[] = [];
  const mesh = new Mesh(spec);
  const b = new Barrier(alg, parts, { spec, mesh }, root >= 0 ? parts[root]! : null, (p, t) => queue.push({ p, t }));
  const left = parts.map(() => -1);
  for (const p of parts) {
    p.seq.reset(0, 0);
    if (alg === "wand") p.seq.add(OpCode.Barrier, 0);
    else planBarrier(p.seq, p.idx, root, ids, true, p.isHost);
    queue.push({ p, t: entry[p.idx]! });
  }
  const step = (p: Proc, t: number): void => {
    const seq = p.seq;
    while (!seq.done) {
      const op = seq.ops[seq.pos]!;
      const q = seq.ops[seq.pos + 1]!;
      let next = t;
      switch (op) {
        case OpCode.Local:
          next = t + q;
          break;
        case OpCode.DramRead:
          next = p.isHost ? t : mesh.dramRead(p.core, 4, t);
          break;
        case OpCode.DramReads:
          next = p.isHost ? t : t + q * mesh.dramReadLatency(p.core);
          break;
        case OpCode.DramStore:
          seq.storeLanded = mesh.dramWrite(p.core, 1, t);
          next = mesh.lastIssueDone;
          break;
        case OpCode.FlagRoot:
          next = b.flagRoot(p, parts[q]!, t);
          break;
        case OpCode.Release:
          next = b.release(p, parts[q]!, t);
          break;
        case OpCode.WaitFlag:
        case OpCode.WaitRelease:
          next = op === OpCode.WaitFlag ? b.waitFlag(q, t) : b.waitRelease(p, t);
          if (next < 0) {
            waitOn(p, q, t);
            seq.pos += 2;
            return;
          }
          break;
        case OpCode.HostSync:
          seq.pos += 2;
          return b.hostSync(p, t, seq.storeLanded);
        case OpCode.HostRelease:
          b.releaseHosts(t);
          break;
        case OpCode.Barrier:
          seq.pos += 2;
          return b.wand(p, t);
        default:
          throw new Error(`unexpected op ${op} in a barrier`);
      }
      seq.pos += 2;
      if (next > t) return void queue.push({ p, t: next }); // let earlier events happen first
    }
    if (left[p.idx]! >= 0) throw new Error(`process ${p.idx} left twice`);
    left[p.idx] = t;
  };
  for (let guard = 0; queue.length > 0; guard++) {
    if (guard > 1e6) throw new Error("runaway");
    let k = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i]!.t < queue[k]!.t) k = i;
    const { p, t } = queue.splice(k, 1)[0]!;
    step(p, t);
  }
  return left;
}

const LAYOUTS: { name: string; spec: ChipSpec; cores: number[] }[] = [
  { name: "one core", spec: CHIPS.e16, cores: [3] },
  { name: "two neighbours", spec: CHIPS.e16, cores: [0, 1] },
  { name: "all 16 of e16", spec: CHIPS.e16, cores: Array.from({ length: 16 }, (_, i) => i) },
  { name: "spread, not from 0, out of order", spec: CHIPS.e16, cores: [13, 2, 8, 7, 15] },
  { name: "devices and host virtual cores", spec: CHIPS.e16, cores: [0, 5, 10, -1, -1] },
  { name: "host only", spec: CHIPS.e16, cores: [-1, -1, -1] },
  { name: "e64 corners", spec: CHIPS.e64, cores: [0, 7, 56, 63, 27] },
];

function entryPatterns(n: number): { name: string; times: number[] }[] {
  return [
    { name: "together", times: Array(n).fill(500) },
    { name: "ascending", times: Array.from({ length: n }, (_, i) => 100 + 37 * i) },
    { name: "descending", times: Array.from({ length: n }, (_, i) => 100 + 37 * (n - i)) },
    { name: "first much later", times: Array.from({ length: n }, (_, i) => (i === 0 ? 1e5 : 10 * i)) },
    { name: "one straggler", times: Array.from({ length: n }, (_, i) => (i === n - 1 ? 9e4 + 0.5 : 1000 + i)) },
  ];
}

describe("a whole barrier, every process's plan run against one Barrier", () => {
  for (const alg of ["epython", "wand"] as const satisfies readonly BarrierAlgorithm[]) {
    for (const layout of LAYOUTS) {
      it(`${alg}, ${layout.name}: everyone leaves once, none before the last arrival`, () => {
        for (const { name, times } of entryPatterns(layout.cores.length)) {
          const left = runBarrier(alg, layout.spec, layout.cores, times);
          const last = Math.max(...times);
          left.forEach((t, i) => {
            expect(t, `${alg} ${layout.name} ${name}: process ${i} never left`).toBeGreaterThanOrEqual(0);
            expect(t, `${alg} ${layout.name} ${name}: process ${i} left before the last arrival`).toBeGreaterThanOrEqual(last);
          });
          if (alg === "wand") expect(new Set(left).size).toBe(1);
        }
      });
    }

    it(`${alg}: a later last arrival never lets anyone leave earlier`, () => {
      const cores = [0, 3, 6, 9, 12, -1];
      const at = (last: number) => runBarrier(alg, CHIPS.e16, cores, cores.map((_, i) => (i === 2 ? last : 100 * i)));
      const early = at(1000);
      const late = at(5000);
      for (let i = 0; i < cores.length; i++) {
        expect(late[i]!).toBeGreaterThanOrEqual(early[i]!);
        expect(late[i]!).toBeGreaterThanOrEqual(5000);
      }
    });
  }

  it("epython: the others leave in id order of their release, the root (which reads on to the last id) last of all", () => {
    const left = runBarrier("epython", CHIPS.e16, [1, 2, 6, 11, 14], [100, 100, 100, 100, 100]);
    expect(left[0]!).toBeGreaterThan(Math.max(...left.slice(1)));
    for (let i = 2; i < 5; i++) expect(left[i]!).toBeGreaterThan(left[i - 1]!);
  });
});
