/**
 * The collective plans (src/runtime/collectives.ts planReduce, src/runtime/runtime-calls.ts
 * planBcast) executed symbolically: every member's OpSequence is built as the runtime builds it,
 * then a tiny interpreter runs them all together over one-message slots per ordered pair (as the
 * postboxes are), with no timing. The C runtime's own work (DramRead, DramStore, Local) is a
 * no-op; NbSend posts `cur` into the peer's slot, which stays pending until the receiver's Ack;
 * Recv takes from the slot (blocking until a message is there); WaitAck blocks until my message
 * to the peer is acknowledged. It checks that the plans cannot deadlock, that every message sent
 * is received and acknowledged, and that every member ends with the right value. Every row of
 * REDUCE_PLANS is tested, so a new algorithm is covered as it is added.
 */
import { describe, expect, it } from "vitest";
import type { ReduceAlgorithm } from "../../src/config/names.js";
import { ReduceOp } from "../../src/lang/opcodes.js";
import { REDUCE_PLANS, applyLocal, combine, planReduce } from "../../src/runtime/collectives.js";
import { OpCode, OpSequence } from "../../src/runtime/process.js";
import { type CoreIds, planBcast } from "../../src/runtime/runtime-calls.js";
import { Tag } from "../../src/vm/values.js";

const ALGORITHMS = Object.keys(REDUCE_PLANS) as ReduceAlgorithm[];

/** The codes a collective plan may contain. */
const COLLECTIVE_OPS = new Set<number>([
  OpCode.DramRead,
  OpCode.DramReads,
  OpCode.DramStore,
  OpCode.Local,
  OpCode.NbSend,
  OpCode.Recv,
  OpCode.Ack,
  OpCode.WaitAck,
  OpCode.TestSent,
  OpCode.Combine,
  OpCode.CurGot,
  OpCode.AccGot,
  OpCode.CurAcc,
]);
/** The codes whose operand is a peer process. */
const PEER_OPS = new Set<number>([OpCode.NbSend, OpCode.Recv, OpCode.Ack, OpCode.WaitAck, OpCode.TestSent]);

interface Msg {
  tag: number;
  val: number;
}

interface Outcome {
  /** per process index */
  seqs: OpSequence[];
  sent: number;
  received: number;
  acked: number;
}

/**
 * Run the sequences of processes 0..n-1 together. `order` picks which process moves next:
 * "sweep" runs each as far as it can in ascending index order, "reverse" moves one operation at a
 * time in descending index order.
 */
function execute(seqs: OpSequence[], order: "sweep" | "reverse"): Outcome {
  const n = seqs.length;
  const key = (s: number, d: number) => s * 4096 + d;
  /** messages in a slot, not taken yet */
  const full = new Map<number, Msg>();
  /** posted and not acknowledged yet: the sender may not post again */
  const pending = new Set<number>();
  /** taken by the receiver and not acknowledged yet */
  const taken = new Set<number>();
  let sent = 0;
  let received = 0;
  let acked = 0;
  const ids = Array.from({ length: n }, (_, i) => i);
  if (order === "reverse") ids.reverse();

  function checkPeer(self: number, peer: number, op: number): void {
    if (peer === self || peer < 0 || peer >= n) throw new Error(`process ${self}: op ${op} names ${peer}, not another process`);
  }

  /** One operation of `self`, if it can go; true when it moved. */
  function stepOne(self: number): boolean {
    const seq = seqs[self]!;
    if (seq.done) return false;
    const op = seq.ops[seq.pos]!;
    const peer = seq.ops[seq.pos + 1]!;
    if (PEER_OPS.has(op)) checkPeer(self, peer, op);
    switch (op) {
      case OpCode.DramRead:
      case OpCode.DramReads:
      case OpCode.DramStore:
      case OpCode.Local:
        break;
      case OpCode.NbSend: {
        const k = key(self, peer);
        if (pending.has(k)) return false; // my previous message to peer is not acknowledged
        full.set(k, { tag: seq.curTag, val: seq.curVal });
        pending.add(k);
        sent++;
        break;
      }
      case OpCode.Recv: {
        const k = key(peer, self);
        const m = full.get(k);
        if (!m) return false;
        full.delete(k);
        taken.add(k);
        received++;
        seq.gotTag = m.tag;
        seq.gotVal = m.val;
        break;
      }
      case OpCode.Ack: {
        const k = key(peer, self);
        if (!taken.has(k)) throw new Error(`process ${self} acknowledges a message from ${peer} it has not taken`);
        taken.delete(k);
        pending.delete(k);
        acked++;
        break;
      }
      case OpCode.WaitAck:
        if (pending.has(key(self, peer))) return false;
        break;
      case OpCode.TestSent:
        seq.gotTag = Tag.Bool;
        seq.gotVal = pending.has(key(self, peer)) ? 0 : 1;
        break;
      default:
        if (!applyLocal(seq, op)) throw new Error(`unexpected op ${op} in a collective plan`);
    }
    seq.pos += 2;
    return true;
  }

  for (;;) {
    let moved = false;
    for (const id of ids) {
      if (order === "sweep") while (stepOne(id)) moved = true;
      else if (stepOne(id)) moved = true;
    }
    if (!moved) break;
  }
  const stuck = ids.filter((id) => !seqs[id]!.done).sort((a, b) => a - b);
  if (stuck.length > 0) throw new Error(`deadlock: processes ${stuck.join(",")} cannot go on`);
  if (full.size > 0) throw new Error(`${full.size} messages left unreceived`);
  if (taken.size > 0) throw new Error(`${taken.size} messages taken and never acknowledged`);
  if (pending.size > 0) throw new Error(`${pending.size} messages never acknowledged`);
  if (received !== sent || acked !== sent) throw new Error(`${sent} messages sent, ${received} received, ${acked} acknowledged`);
  return { seqs, sent, received, acked };
}

/** The pairs (code, operand) of a sequence (the whole plan: a lazy rest is planned first). */
function opsOf(seq: OpSequence): [number, number][] {
  seq.planAll();
  const out: [number, number][] = [];
  for (let i = 0; i < seq.length; i += 2) out.push([seq.ops[i]!, seq.ops[i + 1]!]);
  return out;
}

/**
 * CoreIds for processes 0..n-1 where process i runs on device core `procCores[i]` (-1: a host
 * virtual core); device ids run to `total` (ePython's TOTAL_CORES, at least 16).
 */
function coreIds(procCores: readonly number[], total = procCores.some((c) => c >= 16) || procCores.length > 16 ? 64 : 16): CoreIds {
  const ids = new Int32Array(total).fill(-1);
  const hostProcs: number[] = [];
  const pidOf = new Int32Array(procCores.length);
  procCores.forEach((c, idx) => {
    if (c < 0) {
      pidOf[idx] = total + hostProcs.length;
      hostProcs.push(idx);
    } else {
      if (ids[c] !== -1) throw new Error(`core ${c} twice`);
      ids[c] = idx;
      pidOf[idx] = c;
    }
  });
  return { ids, hostProcs, pidOf };
}

interface Layout {
  name: string;
  /** device core of each process index, -1 for a host virtual core */
  cores: number[];
}

/** Layouts of n processes: contiguous from core 0; spread over an e64 with indices not in core order; with host virtual cores. */
function layouts(n: number): Layout[] {
  const contiguous = Array.from({ length: n }, (_, i) => i);
  const spread: number[] = [];
  for (let i = 0; i < n; i++) spread[n - 1 - i] = (5 * i + 3) % 64;
  const hosts = Math.max(1, Math.floor(n / 4));
  const mixed: number[] = [];
  let h = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    if (i % 4 === 1 && h < hosts) {
      mixed.push(-1);
      h++;
    } else if (n - i <= hosts - h) {
      mixed.push(-1);
      h++;
    } else mixed.push(2 * d++ + 1);
  }
  return [
    { name: "contiguous", cores: contiguous },
    { name: "spread", cores: spread },
    { name: "mixed", cores: mixed },
  ];
}

function reduceAll(alg: ReduceAlgorithm, layout: Layout, op: number, tag: number, values: number[], order: "sweep" | "reverse"): Outcome {
  const cores = coreIds(layout.cores);
  const n = layout.cores.length;
  const seqs = layout.cores.map((_, idx) => {
    const seq = new OpSequence();
    seq.reset(tag, values[idx]!);
    seq.reduceOp = op;
    planReduce(alg, seq, idx, cores, n);
    return seq;
  });
  return execute(seqs, order);
}

/** Distinct-ish int values, some negative, some large (sums wrap). */
function intValues(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 2_000_000_000 - i : i % 3 === 1 ? -7 * i - 1 : i * i + 5));
}

/** Reals whose float32 sums are exact in every order (multiples of 0.25, small). */
function realValues(n: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 37) % 41) / 4 - 5);
}

const OPS = [
  ["sum", ReduceOp.sum],
  ["min", ReduceOp.min],
  ["max", ReduceOp.max],
  ["prod", ReduceOp.prod],
] as const;

function intFold(op: number, vs: number[]): number {
  return vs.reduce((a, b) => (op === ReduceOp.sum ? (a + b) | 0 : op === ReduceOp.prod ? Math.imul(a, b) : op === ReduceOp.min ? Math.min(a, b) : Math.max(a, b)));
}

/** Messages each known algorithm sends for n > 1 processes. */
const EXPECTED_MESSAGES: Partial<Record<ReduceAlgorithm, (n: number) => number>> = {
  epython: (n) => n * (n - 1),
  ring: (n) => n * (n - 1),
  tree: (n) => 2 * (n - 1),
};

describe("the symbolic interpreter", () => {
  function seqOf(ops: number[][]): OpSequence {
    const s = new OpSequence();
    s.reset(Tag.Int, 0);
    for (const [code, peer] of ops) s.add(code!, peer!);
    return s;
  }
  const { NbSend, Recv, Ack, WaitAck } = OpCode;

  it("reports a deadlock (both processes receive first)", () => {
    const seqs = [seqOf([[Recv, 1], [Ack, 1], [NbSend, 1]]), seqOf([[Recv, 0], [Ack, 0], [NbSend, 0]])];
    expect(() => execute(seqs, "sweep")).toThrow(/deadlock: processes 0,1/);
  });

  it("reports a blocking send nobody receives, a message left behind and one taken but never acknowledged", () => {
    expect(() => execute([seqOf([[NbSend, 1], [WaitAck, 1]]), seqOf([])], "sweep")).toThrow(/deadlock: processes 0/);
    expect(() => execute([seqOf([[NbSend, 1]]), seqOf([])], "reverse")).toThrow(/unreceived/);
    expect(() => execute([seqOf([[NbSend, 1]]), seqOf([[Recv, 0]])], "sweep")).toThrow(/never acknowledged/);
    // a blocking send whose message is taken but not acknowledged waits forever
    expect(() => execute([seqOf([[NbSend, 1], [WaitAck, 1]]), seqOf([[Recv, 0]])], "sweep")).toThrow(/deadlock: processes 0/);
    expect(() => execute([seqOf([]), seqOf([[Ack, 0]])], "sweep")).toThrow(/has not taken/);
  });

  it("a second send waits for the acknowledgement of the first, not just for its take", () => {
    const sender = () => seqOf([[NbSend, 1], [NbSend, 1], [WaitAck, 1]]);
    const ok = execute([sender(), seqOf([[Recv, 0], [Ack, 0], [Recv, 0], [Ack, 0]])], "sweep");
    expect([ok.sent, ok.received, ok.acked]).toEqual([2, 2, 2]);
    // the receiver takes both before acknowledging either: the second message can never be posted
    expect(() => execute([sender(), seqOf([[Recv, 0], [Recv, 0], [Ack, 0], [Ack, 0]])], "sweep")).toThrow(/deadlock: processes 0,1/);
  });

  it("the C runtime's own work moves nothing; TestSent reads the acknowledgement", () => {
    const a = seqOf([[OpCode.DramRead, 0], [OpCode.Local, 99], [OpCode.DramStore, 0], [NbSend, 1], [OpCode.TestSent, 1]]);
    const b = seqOf([[OpCode.Local, 5], [Recv, 0], [Ack, 0]]);
    a.curVal = 17;
    execute([a, b], "sweep"); // a tests before b has received
    expect([a.gotTag, a.gotVal]).toEqual([Tag.Bool, 0]);
    expect(b.gotVal).toBe(17);
    const c = seqOf([[NbSend, 1], [WaitAck, 1], [OpCode.TestSent, 1]]);
    execute([c, seqOf([[Recv, 0], [Ack, 0]])], "reverse");
    expect([c.gotTag, c.gotVal]).toEqual([Tag.Bool, 1]);
  });

  it("the layouts put process indices out of core order and include host virtual cores", () => {
    const [contiguous, spread, mixed] = layouts(9);
    expect(contiguous!.cores).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(spread!.cores).size).toBe(9);
    expect(spread!.cores).not.toEqual([...spread!.cores].sort((a, b) => a - b));
    expect(mixed!.cores.filter((c) => c < 0)).toHaveLength(2);
    const ids = coreIds(mixed!.cores);
    expect(ids.hostProcs).toEqual([1, 5]);
    expect(ids.ids.length).toBe(16);
    expect(ids.ids[1]).toBe(0);
  });
});

describe("reduce plans", () => {
  it("has a plan for every algorithm name", () => {
    expect(ALGORITHMS).toEqual(expect.arrayContaining(["epython", "ring", "tree"]));
    for (const a of ALGORITHMS) expect(typeof REDUCE_PLANS[a]).toBe("function");
  });

  for (const alg of ALGORITHMS) {
    describe(alg, () => {
      it("ints, 1..33 processes, three layouts: every process gets the fold (sum, min, max, prod)", () => {
        for (let n = 1; n <= 33; n++) {
          for (const layout of layouts(n)) {
            const values = intValues(n);
            for (const [name, op] of OPS) {
              const expected = intFold(op, values);
              for (const order of ["sweep", "reverse"] as const) {
                const { seqs, sent } = reduceAll(alg, layout, op, Tag.Int, values, order);
                const expectedSent = n === 1 ? 0 : (EXPECTED_MESSAGES[alg]?.(n) ?? sent);
                if (sent !== expectedSent || (n > 1 && sent < n - 1)) expect.fail(`${alg} ${name} n=${n} ${layout.name}: ${sent} messages, expected ${expectedSent}`);
                const wrong = seqs.map((seq, idx) => [idx, seq] as const).filter(([, seq]) => seq.accTag !== Tag.Int || seq.accVal !== expected);
                if (wrong.length > 0) {
                  const desc = wrong.map(([idx, seq]) => `process ${idx}: tag ${seq.accTag} value ${seq.accVal}`).join("; ");
                  expect.fail(`${alg} ${name} n=${n} ${layout.name} ${layout.cores.join(",")} (${order}): expected ${expected}, ${desc}`);
                }
              }
            }
          }
        }
      });

      it("reals, 1..33 processes: every process gets the float32 fold (sum, min, max)", () => {
        for (let n = 1; n <= 33; n++) {
          for (const layout of layouts(n)) {
            const values = realValues(n);
            const sum = values.reduce((a, b) => a + b);
            const expected = { [ReduceOp.sum]: sum, [ReduceOp.min]: Math.min(...values), [ReduceOp.max]: Math.max(...values) } as Record<number, number>;
            for (const op of [ReduceOp.sum, ReduceOp.min, ReduceOp.max]) {
              const { seqs } = reduceAll(alg, layout, op, Tag.Real, values, "sweep");
              const wrong = seqs.map((seq, idx) => [idx, seq] as const).filter(([, seq]) => seq.accTag !== Tag.Real || seq.accVal !== expected[op]);
              if (wrong.length > 0) {
                const desc = wrong.map(([idx, seq]) => `process ${idx}: tag ${seq.accTag} value ${seq.accVal}`).join("; ");
                expect.fail(`${alg} op ${op} n=${n} ${layout.name}: expected ${expected[op]}, ${desc}`);
              }
            }
          }
        }
      });

      it("only runtime and register codes; peers are other processes; every Recv acknowledged, every send waited for", () => {
        for (const layout of layouts(7)) {
          const cores = coreIds(layout.cores);
          for (let self = 0; self < 7; self++) {
            const seq = new OpSequence();
            seq.reset(Tag.Int, 1);
            planReduce(alg, seq, self, cores, 7);
            expect(seq.length).toBeGreaterThan(0);
            /** peers with a message taken and not yet acknowledged, or sent and not yet waited for */
            const unacked = new Set<number>();
            const unwaited = new Set<number>();
            for (const [op, peer] of opsOf(seq)) {
              const at = `${alg} ${layout.name} process ${self}: op ${op} peer ${peer}`;
              expect(COLLECTIVE_OPS.has(op), at).toBe(true);
              if (!PEER_OPS.has(op)) continue;
              expect(peer, at).not.toBe(self);
              expect(peer >= 0 && peer < 7, at).toBe(true);
              if (op === OpCode.Recv) {
                expect(unacked.has(peer), `${at}: a second Recv before the Ack`).toBe(false);
                unacked.add(peer);
              } else if (op === OpCode.Ack) {
                expect(unacked.delete(peer), `${at}: an Ack without a Recv`).toBe(true);
              } else if (op === OpCode.NbSend) unwaited.add(peer);
              else if (op === OpCode.WaitAck) unwaited.delete(peer);
            }
            expect([...unacked], `${alg} ${layout.name} process ${self}`).toEqual([]);
            expect([...unwaited], `${alg} ${layout.name} process ${self}`).toEqual([]);
          }
        }
      });
    });
  }

  it("a single process exchanges nothing and keeps its value (ePython's loop still reads its own active flag)", () => {
    for (const alg of ALGORITHMS) {
      for (const procCores of [[9], [-1]]) {
        const seq = new OpSequence();
        seq.reset(Tag.Int, 42);
        planReduce(alg, seq, 0, coreIds(procCores), 1);
        const ops = opsOf(seq);
        expect(ops.filter(([op]) => PEER_OPS.has(op))).toEqual([]);
        if (alg !== "epython") expect(seq.length).toBe(0);
        else expect(ops.some(([op]) => op === OpCode.DramRead || op === OpCode.DramReads)).toBe(true);
        for (const [op] of ops) if (!PEER_OPS.has(op)) expect(applyLocal(seq, op) || op === OpCode.DramRead || op === OpCode.DramReads || op === OpCode.Local).toBe(true);
        seq.pos = seq.length;
        expect(seq.done).toBe(true);
        expect(seq.accVal).toBe(42);
      }
    }
  });

  it("epython's reduce is a sendrecv with every other process in core-id order, host processes last", () => {
    const procCores = [6, -1, 2, 11, 0];
    const seq = new OpSequence();
    seq.reset(Tag.Int, 0);
    planReduce("epython", seq, 2, coreIds(procCores), 5);
    const sends = opsOf(seq).filter(([op]) => op === OpCode.NbSend).map(([, q]) => q);
    expect(sends).toEqual([4, 0, 3, 1]); // cores 0, 6, 11, then the host process
    expect(opsOf(seq).filter(([op]) => op === OpCode.Combine)).toHaveLength(4);
  });
});

describe("bcast plan", () => {
  for (let n = 1; n <= 33; n++) {
    it(`${n} processes: every root's value reaches every process`, () => {
      for (const layout of layouts(n)) {
        const cores = coreIds(layout.cores);
        for (let root = 0; root < n; root++) {
          const results: ("acc" | "got")[] = [];
          const seqs = layout.cores.map((_, idx) => {
            const seq = new OpSequence();
            seq.reset(Tag.Int, idx * 1000 + 1);
            results.push(planBcast(seq, idx, root, cores, n));
            return seq;
          });
          const { sent } = execute(seqs, root % 2 === 0 ? "sweep" : "reverse");
          if (sent !== n - 1) expect.fail(`${layout.name} root ${root}: ${sent} messages`);
          seqs.forEach((seq, idx) => {
            const r = results[idx]!;
            const v = r === "acc" ? seq.accVal : seq.gotVal;
            const t = r === "acc" ? seq.accTag : seq.gotTag;
            if (r !== (idx === root ? "acc" : "got") || v !== root * 1000 + 1 || t !== Tag.Int) {
              expect.fail(`${layout.name} root ${root}: process ${idx} hands back ${r} = (tag ${t}) ${v}`);
            }
          });
        }
      }
    });
  }

  it("the root sends in ascending core-id order, host processes last, each send blocking (NbSend then WaitAck)", () => {
    const procCores = [9, 1, -1, 4, 6];
    const seq = new OpSequence();
    seq.reset(Tag.Int, 0);
    expect(planBcast(seq, 4, 4, coreIds(procCores), 5)).toBe("acc");
    const talk = opsOf(seq).filter(([op]) => PEER_OPS.has(op));
    expect(talk).toEqual([
      [OpCode.NbSend, 1],
      [OpCode.WaitAck, 1],
      [OpCode.NbSend, 3],
      [OpCode.WaitAck, 3],
      [OpCode.NbSend, 0],
      [OpCode.WaitAck, 0],
      [OpCode.NbSend, 2],
      [OpCode.WaitAck, 2],
    ]);
    expect(opsOf(seq).some(([op]) => op === OpCode.Send)).toBe(false);
  });

  it("the root reads `active` of each core id until it has seen every process; each send adds its own four DRAM reads", () => {
    const dramReads = (procCores: number[], root: number) => {
      const seq = new OpSequence();
      seq.reset(Tag.Int, 0);
      planBcast(seq, root, root, coreIds(procCores), procCores.length);
      return opsOf(seq).reduce((n, [op, arg]) => n + (op === OpCode.DramRead ? 1 : op === OpCode.DramReads ? arg : 0), 0);
    };
    // getLargestCoreId (2), active, postbox_start per send (R:630-658)
    // ids 0..9; cores 3 and 9 are at or above num_procs (3), so getLargestCoreId also reads
    // core_ctrl[x].active and all 16 ids' (R:697-700) for each
    expect(dramReads([0, 3, 9], 0)).toBe(10 + 2 * 4 + 2 * 17);
    expect(dramReads(Array.from({ length: 16 }, (_, i) => i), 0)).toBe(16 + 15 * 4);
    // a host process is never counted by the device loop: it runs over all 16 ids
    expect(dramReads([0, 3, -1], 0)).toBe(16 + 2 * 4 + 17);
  });

  it("a non-root receives from the root and acknowledges: recv with its five DRAM reads", () => {
    const seq = new OpSequence();
    seq.reset(Tag.Int, 0);
    expect(planBcast(seq, 2, 0, coreIds([0, 3, 9]), 3)).toBe("got");
    const ops = opsOf(seq);
    expect(ops.filter(([op]) => PEER_OPS.has(op))).toEqual([
      [OpCode.Recv, 0],
      [OpCode.Ack, 0],
    ]);
    expect(ops.filter(([op]) => op === OpCode.DramRead)).toHaveLength(5);
  });
});

describe("combine", () => {
  function seqWith(op: number, accTag: number, accVal: number, gotTag: number, gotVal: number): OpSequence {
    const s = new OpSequence();
    s.reset(accTag, accVal);
    s.reduceOp = op;
    s.gotTag = gotTag;
    s.gotVal = gotVal;
    combine(s);
    return s;
  }

  it("an int local value wins: a real received is truncated toward zero", () => {
    let s = seqWith(ReduceOp.sum, Tag.Int, 10, Tag.Real, 2.9);
    expect([s.accTag, s.accVal]).toEqual([Tag.Int, 12]);
    s = seqWith(ReduceOp.sum, Tag.Int, 10, Tag.Real, -2.9);
    expect([s.accTag, s.accVal]).toEqual([Tag.Int, 8]);
    s = seqWith(ReduceOp.prod, Tag.Int, 3, Tag.Real, 2.5);
    expect([s.accTag, s.accVal]).toEqual([Tag.Int, 6]);
    s = seqWith(ReduceOp.max, Tag.Int, 3, Tag.Real, 3.99);
    expect([s.accTag, s.accVal]).toEqual([Tag.Int, 3]);
    s = seqWith(ReduceOp.min, Tag.Int, 3, Tag.Real, -0.5);
    expect([s.accTag, s.accVal]).toEqual([Tag.Int, 0]);
  });

  it("int arithmetic wraps at 32 bits", () => {
    expect(seqWith(ReduceOp.sum, Tag.Int, 2147483647, Tag.Int, 1).accVal).toBe(-2147483648);
    expect(seqWith(ReduceOp.prod, Tag.Int, 65536, Tag.Int, 65536).accVal).toBe(0);
    expect(seqWith(ReduceOp.prod, Tag.Int, 46341, Tag.Int, 46341).accVal).toBe(Math.imul(46341, 46341));
    expect(seqWith(ReduceOp.min, Tag.Int, -5, Tag.Int, 4).accVal).toBe(-5);
    expect(seqWith(ReduceOp.max, Tag.Int, -5, Tag.Int, 4).accVal).toBe(4);
  });

  it("a boolean local value combines as an int", () => {
    const s = seqWith(ReduceOp.sum, Tag.Bool, 1, Tag.Bool, 1);
    expect([s.accTag, s.accVal]).toEqual([Tag.Int, 2]);
  });

  it("a real local value wins: the result is rounded to float32", () => {
    let s = seqWith(ReduceOp.sum, Tag.Real, 0.1, Tag.Real, 0.2);
    expect(s.accTag).toBe(Tag.Real);
    expect(s.accVal).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(s.accVal).not.toBe(0.1 + 0.2);
    s = seqWith(ReduceOp.sum, Tag.Real, 0.5, Tag.Int, 3);
    expect([s.accTag, s.accVal]).toEqual([Tag.Real, 3.5]);
    s = seqWith(ReduceOp.prod, Tag.Real, 1.1, Tag.Real, 3);
    expect(s.accVal).toBe(Math.fround(Math.fround(1.1) * 3));
    // float32 loses the low bits of a large int received
    s = seqWith(ReduceOp.sum, Tag.Real, 0, Tag.Int, 16777217);
    expect(s.accVal).toBe(16777216);
    s = seqWith(ReduceOp.min, Tag.Real, 0.1, Tag.Real, 0.3);
    expect(s.accVal).toBe(Math.fround(0.1));
    s = seqWith(ReduceOp.max, Tag.Real, 0.1, Tag.Real, 0.3);
    expect(s.accVal).toBe(Math.fround(0.3));
    // float32 overflow
    s = seqWith(ReduceOp.prod, Tag.Real, 1e30, Tag.Real, 1e30);
    expect(s.accVal).toBe(Infinity);
  });

  it("applyLocal moves the registers and refuses codes that talk to other processes", () => {
    const s = new OpSequence();
    s.reset(Tag.Int, 5);
    s.gotTag = Tag.Real;
    s.gotVal = 2.5;
    expect(applyLocal(s, OpCode.CurGot)).toBe(true);
    expect([s.curTag, s.curVal, s.accVal]).toEqual([Tag.Real, 2.5, 5]);
    s.gotVal = 7;
    s.gotTag = Tag.Int;
    expect(applyLocal(s, OpCode.AccGot)).toBe(true);
    expect([s.accTag, s.accVal]).toEqual([Tag.Int, 7]);
    expect(applyLocal(s, OpCode.CurAcc)).toBe(true);
    expect([s.curTag, s.curVal]).toEqual([Tag.Int, 7]);
    for (const op of [OpCode.NbSend, OpCode.Recv, OpCode.Ack, OpCode.WaitAck, OpCode.DramRead, OpCode.Local]) expect(applyLocal(s, op)).toBe(false);
  });
});
