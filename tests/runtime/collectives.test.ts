/**
 * The collective plans (src/runtime/collectives.ts) executed symbolically: every member's
 * OpSequence is built with planReduce / planBcast, then a tiny interpreter runs them all together
 * over one-message slots per ordered pair (as the postboxes are), with no timing. It checks that
 * the plans cannot deadlock, that every message sent is received, and that every member ends with
 * the right value. Every row of REDUCE_PLANS is tested, so a new algorithm is covered as it is
 * added.
 */
import { describe, expect, it } from "vitest";
import type { ReduceAlgorithm } from "../../src/config/names.js";
import { ReduceOp } from "../../src/lang/opcodes.js";
import { REDUCE_PLANS, applyLocal, combine, planBcast, planReduce } from "../../src/runtime/collectives.js";
import { OpCode, OpSequence } from "../../src/runtime/process.js";
import { Tag } from "../../src/vm/values.js";

const ALGORITHMS = Object.keys(REDUCE_PLANS) as ReduceAlgorithm[];

interface Msg {
  tag: number;
  val: number;
}

interface Outcome {
  /** per member id */
  seqs: Map<number, OpSequence>;
  sent: number;
  received: number;
}

/**
 * Run the sequences of `members` (process ids) together. A slot holds at most one message:
 * Send/NbSend wait for their slot to be empty, Send then waits until it is consumed, WaitAck
 * waits until the last message to the peer is consumed, Recv waits for a message. `order` picks
 * which member moves next: "sweep" runs each as far as it can in ascending id order, "reverse"
 * moves one operation at a time in descending id order.
 */
function execute(seqs: Map<number, OpSequence>, order: "sweep" | "reverse"): Outcome {
  const slots = new Map<number, Msg>();
  const key = (s: number, d: number) => s * 4096 + d;
  /** members in a Send that has posted and now waits for its ack */
  const posted = new Set<number>();
  let sent = 0;
  let received = 0;
  const ids = [...seqs.keys()].sort((a, b) => a - b);
  if (order === "reverse") ids.reverse();

  /** One operation of `self`, if it can go; true when it moved. */
  function stepOne(self: number): boolean {
    const seq = seqs.get(self)!;
    if (seq.done) return false;
    const op = seq.ops[seq.pos]!;
    const peer = seq.ops[seq.pos + 1]!;
    switch (op) {
      case OpCode.Send:
      case OpCode.NbSend: {
        if (peer === self || !seqs.has(peer)) throw new Error(`member ${self} sends to ${peer}, not another member`);
        const k = key(self, peer);
        if (op === OpCode.Send && posted.has(self)) {
          if (slots.has(k)) return false; // waiting for the ack
          posted.delete(self);
          break;
        }
        if (slots.has(k)) return false; // previous message not consumed yet
        slots.set(k, { tag: seq.curTag, val: seq.curVal });
        sent++;
        if (op === OpCode.Send) {
          posted.add(self);
          return true; // same operation, now waiting for the ack
        }
        break;
      }
      case OpCode.WaitAck:
        if (slots.has(key(self, peer))) return false;
        break;
      case OpCode.Recv: {
        if (peer === self || !seqs.has(peer)) throw new Error(`member ${self} receives from ${peer}, not another member`);
        const k = key(peer, self);
        const m = slots.get(k);
        if (!m) return false;
        slots.delete(k);
        received++;
        seq.gotTag = m.tag;
        seq.gotVal = m.val;
        break;
      }
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
  const stuck = ids.filter((id) => !seqs.get(id)!.done);
  if (stuck.length > 0) throw new Error(`deadlock: members ${stuck.join(",")} cannot go on`);
  if (slots.size > 0) throw new Error(`${slots.size} messages left unreceived`);
  if (received !== sent) throw new Error(`${sent} messages sent, ${received} received`);
  return { seqs, sent, received };
}

/** Member id lists of n members: contiguous from 0, and spread out (gaps, not from 0). */
function memberSets(n: number): number[][] {
  const contiguous = Array.from({ length: n }, (_, i) => i);
  const spread = Array.from({ length: n }, (_, i) => 3 * i + (i % 2) + (i > 2 ? 2 : 0));
  const shifted = Array.from({ length: n }, (_, i) => 40 + i * i);
  return [contiguous, spread, shifted];
}

function reduceAll(alg: ReduceAlgorithm, members: number[], op: number, tag: number, values: number[], order: "sweep" | "reverse"): Outcome {
  const seqs = new Map<number, OpSequence>();
  members.forEach((id, rank) => {
    const seq = new OpSequence();
    seq.reset(tag, values[rank]!);
    seq.reduceOp = op;
    planReduce(alg, seq, id, members);
    seqs.set(id, seq);
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

describe("the symbolic interpreter", () => {
  function seqOf(ops: number[][]): OpSequence {
    const s = new OpSequence();
    s.reset(Tag.Int, 0);
    for (const [code, peer] of ops) s.add(code!, peer!);
    return s;
  }

  it("reports a deadlock (both members receive first)", () => {
    const seqs = new Map([
      [0, seqOf([[OpCode.Recv, 1], [OpCode.Send, 1]])],
      [1, seqOf([[OpCode.Recv, 0], [OpCode.Send, 0]])],
    ]);
    expect(() => execute(seqs, "sweep")).toThrow(/deadlock: members 0,1/);
  });

  it("reports a blocking send nobody receives, and a message left behind", () => {
    expect(() => execute(new Map([[0, seqOf([[OpCode.Send, 1]])], [1, seqOf([])]]), "sweep")).toThrow(/deadlock: members 0/);
    expect(() => execute(new Map([[0, seqOf([[OpCode.NbSend, 1]])], [1, seqOf([])]]), "reverse")).toThrow(/unreceived/);
  });

  it("a second non-blocking send waits for the slot", () => {
    const seqs = new Map([
      [0, seqOf([[OpCode.NbSend, 1], [OpCode.NbSend, 1], [OpCode.WaitAck, 1]])],
      [1, seqOf([[OpCode.Recv, 0], [OpCode.Recv, 0]])],
    ]);
    expect(execute(seqs, "sweep").sent).toBe(2);
  });
});

describe("reduce plans", () => {
  it("has a plan for every algorithm name", () => {
    expect(ALGORITHMS.length).toBeGreaterThanOrEqual(3);
    for (const a of ALGORITHMS) expect(typeof REDUCE_PLANS[a]).toBe("function");
  });

  for (const alg of ALGORITHMS) {
    describe(alg, () => {
      it("ints, 1..33 members, contiguous and spread ids: every member gets the fold (sum, min, max, prod)", () => {
        for (let n = 1; n <= 33; n++) {
          for (const members of memberSets(n)) {
            const values = intValues(n);
            for (const [name, op] of OPS) {
              const expected = intFold(op, values);
              for (const order of ["sweep", "reverse"] as const) {
                const { seqs, sent } = reduceAll(alg, members, op, Tag.Int, values, order);
                if (n === 1) expect(sent).toBe(0);
                else if (sent < n - 1) expect.fail(`${alg} ${name} n=${n}: only ${sent} messages`);
                const wrong = [...seqs].filter(([, seq]) => seq.accTag !== Tag.Int || seq.accVal !== expected);
                if (wrong.length > 0) {
                  const desc = wrong.map(([id, seq]) => `member ${id}: tag ${seq.accTag} value ${seq.accVal}`).join("; ");
                  expect.fail(`${alg} ${name} n=${n} members ${members.join(",")} (${order}): expected ${expected}, ${desc}`);
                }
              }
            }
          }
        }
      });

      it("reals, 1..33 members: every member gets the float32 fold (sum, min, max)", () => {
        for (let n = 1; n <= 33; n++) {
          for (const members of memberSets(n)) {
            const values = realValues(n);
            const sum = values.reduce((a, b) => a + b);
            const expected = { [ReduceOp.sum]: sum, [ReduceOp.min]: Math.min(...values), [ReduceOp.max]: Math.max(...values) } as Record<number, number>;
            for (const op of [ReduceOp.sum, ReduceOp.min, ReduceOp.max]) {
              const { seqs } = reduceAll(alg, members, op, Tag.Real, values, "sweep");
              const wrong = [...seqs].filter(([, seq]) => seq.accTag !== Tag.Real || seq.accVal !== expected[op]);
              if (wrong.length > 0) {
                const desc = wrong.map(([id, seq]) => `member ${id}: tag ${seq.accTag} value ${seq.accVal}`).join("; ");
                expect.fail(`${alg} op ${op} n=${n} members ${members.join(",")}: expected ${expected[op]}, ${desc}`);
              }
            }
          }
        }
      });

      it("sends only to and receives only from members, never to itself", () => {
        const members = [2, 3, 7, 11, 12, 20, 21];
        for (let rank = 0; rank < members.length; rank++) {
          const seq = new OpSequence();
          seq.reset(Tag.Int, 1);
          planReduce(alg, seq, members[rank]!, members);
          expect(seq.length).toBeGreaterThan(0);
          for (let i = 0; i < seq.length; i += 2) {
            const op = seq.ops[i]!;
            if (op === OpCode.Send || op === OpCode.NbSend || op === OpCode.Recv || op === OpCode.WaitAck) {
              expect(members).toContain(seq.ops[i + 1]);
              expect(seq.ops[i + 1]).not.toBe(members[rank]);
            }
          }
        }
      });
    });
  }

  it("a single member plans nothing and keeps its value", () => {
    for (const alg of ALGORITHMS) {
      const seq = new OpSequence();
      seq.reset(Tag.Int, 42);
      planReduce(alg, seq, 9, [9]);
      expect(seq.length).toBe(0);
      expect(seq.done).toBe(true);
      expect(seq.accVal).toBe(42);
    }
  });
});

describe("bcast plan", () => {
  for (let n = 1; n <= 33; n++) {
    it(`${n} members: every root's value reaches every member`, () => {
      for (const members of memberSets(n)) {
        for (const root of members) {
          const seqs = new Map<number, OpSequence>();
          const results = new Map<number, "acc" | "got">();
          for (const id of members) {
            const seq = new OpSequence();
            seq.reset(Tag.Int, id * 1000 + 1);
            results.set(id, planBcast(seq, id, root, members));
            seqs.set(id, seq);
          }
          const { sent } = execute(seqs, "sweep");
          if (sent !== n - 1) expect.fail(`root ${root} of ${members.join(",")}: ${sent} messages`);
          for (const [id, seq] of seqs) {
            const r = results.get(id)!;
            const v = r === "acc" ? seq.accVal : seq.gotVal;
            const t = r === "acc" ? seq.accTag : seq.gotTag;
            if (r !== (id === root ? "acc" : "got") || v !== root * 1000 + 1 || t !== Tag.Int) {
              expect.fail(`root ${root} of ${members.join(",")}: member ${id} hands back ${r} = (tag ${t}) ${v}`);
            }
          }
        }
      }
    });
  }

  it("the root sends in ascending id order", () => {
    const members = [1, 4, 6, 9];
    const seq = new OpSequence();
    seq.reset(Tag.Int, 0);
    planBcast(seq, 6, 6, members);
    expect(Array.from(seq.ops.subarray(0, seq.length))).toEqual([OpCode.Send, 1, OpCode.Send, 4, OpCode.Send, 9]);
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
});
