/**
 * Point-to-point messages: between any two cores values arrive in the order sent, none is lost or
 * duplicated; messaging a core that is not active is a runtime error with a clear message.
 *
 * Programs come from a random global schedule of steps (blocking send, non-blocking send, receive,
 * sendrecv, busy work). Every core executes, in schedule order, the steps it takes part in. A
 * normalising pass over the schedule keeps it deadlock-free: a blocking send, a sendrecv and a
 * non-blocking send are only issued on a pair whose slot is empty (a receive is inserted first
 * otherwise), and a blocking send is immediately followed by its receive. Then the earliest
 * unfinished step of the schedule can always complete, because every participant has finished
 * all its earlier steps.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ChipName } from "../src/index.js";
import { params } from "./config.js";
import { coreSet, describeRun, linesOf, placementArb, realLiteral, runProgram, showValue } from "./harness.js";

type RawStep =
  | { k: "send" | "nb" | "recv"; a: number; b: number; real: boolean }
  | { k: "sendrecv"; a: number; b: number; real: boolean }
  | { k: "work"; a: number; n: number };

/** A step of the normalised schedule; a and b are indices into the core list. */
type Step =
  | { k: "send" | "nb"; src: number; dst: number; v: number; real: boolean }
  | { k: "recv"; src: number; dst: number }
  | { k: "sendrecv"; a: number; b: number; va: number; vb: number; real: boolean }
  | { k: "work"; core: number; n: number };

/** Make the raw steps a deadlock-free schedule; values are unique: the message's number. */
function normalise(raw: RawStep[], n: number): Step[] {
  const pending = new Map<string, number>(); // messages in each pair's slot (0 or 1)
  const key = (s: number, d: number) => `${s}>${d}`;
  const out: Step[] = [];
  let next = 1;
  const value = (real: boolean) => (real ? next++ + 0.5 : next++);
  const drain = (s: number, d: number) => {
    if (pending.get(key(s, d))) {
      out.push({ k: "recv", src: s, dst: d });
      pending.set(key(s, d), 0);
    }
  };
  for (const r of raw) {
    if (r.k === "work") {
      out.push({ k: "work", core: r.a % n, n: r.n });
      continue;
    }
    const a = r.a % n;
    let b = r.b % n;
    if (a === b) b = (b + 1) % n;
    if (a === b) continue; // a single core has no one to talk to
    switch (r.k) {
      case "send":
        drain(a, b);
        out.push({ k: "send", src: a, dst: b, v: value(r.real), real: r.real }, { k: "recv", src: a, dst: b });
        break;
      case "nb":
        drain(a, b);
        out.push({ k: "nb", src: a, dst: b, v: value(r.real), real: r.real });
        pending.set(key(a, b), 1);
        break;
      case "recv":
        drain(a, b);
        break;
      case "sendrecv":
        drain(a, b);
        drain(b, a);
        out.push({ k: "sendrecv", a, b, va: value(r.real), vb: value(r.real), real: r.real });
        break;
    }
  }
  for (const [k, v] of pending) {
    if (!v) continue;
    const [s, d] = k.split(">").map(Number) as [number, number];
    out.push({ k: "recv", src: s, dst: d });
  }
  return out;
}

interface Case {
  chip: ChipName;
  cores: number[];
  /** host virtual cores (pids after the device count; the device cores are then 0..n-1) */
  hostCores: number;
  steps: Step[];
}

/** Process ids: the device cores, then the host cores. */
function pidsOf(c: Case): number[] {
  return [...c.cores, ...Array.from({ length: c.hostCores }, (_, t) => c.cores.length + t)];
}

const rawStep = (n: number): fc.Arbitrary<RawStep> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ k: fc.constantFrom("send" as const, "nb" as const, "recv" as const), a: fc.nat(n - 1), b: fc.nat(n - 1), real: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("sendrecv" as const), a: fc.nat(n - 1), b: fc.nat(n - 1), real: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("work" as const), a: fc.nat(n - 1), n: fc.integer({ min: 1, max: 200 }) }) },
  );

const caseArb: fc.Arbitrary<Case> = placementArb({ e16: [2, 8], e64: [2, 8] }, 3).chain(({ chip, cores, hostCores }) => {
  const n = cores.length + hostCores;
  return fc.array(rawStep(n), { minLength: 1, maxLength: 60, size: "large" }).map((raw) => ({ chip, cores, hostCores, steps: normalise(raw, n) }));
});

function lit(v: number, real: boolean): string {
  return real ? realLiteral(v) : String(v);
}

/** The program text, and what each core (by index) must print. */
function program(c: Case): { src: string; want: string[][]; sends: number } {
  const out = ["from parallel import *", "me=coreid()"];
  const pids = pidsOf(c);
  const want: string[][] = pids.map(() => []);
  const queues = new Map<string, { v: number; real: boolean }[]>();
  const q = (s: number, d: number) => {
    const k = `${s}>${d}`;
    if (!queues.has(k)) queues.set(k, []);
    return queues.get(k)!;
  };
  const id = (i: number) => pids[i]!;
  let sends = 0;
  for (const s of c.steps) {
    switch (s.k) {
      case "work":
        out.push(`if me==${id(s.core)}:`, "\tj=0", `\twhile j<${s.n}:`, "\t\tj+=1");
        break;
      case "send":
      case "nb":
        out.push(`if me==${id(s.src)}:`, `\t${s.k === "send" ? "send" : "nonblocking_send"}(${lit(s.v, s.real)}, ${id(s.dst)})`);
        q(s.src, s.dst).push({ v: s.v, real: s.real });
        sends++;
        break;
      case "recv": {
        out.push(`if me==${id(s.dst)}:`, `\tprint recv(${id(s.src)})`);
        const m = q(s.src, s.dst).shift();
        if (!m) throw new Error("schedule receives from an empty slot");
        want[s.dst]!.push(showValue(m.v, m.real));
        break;
      }
      case "sendrecv":
        out.push(`if me==${id(s.a)}:`, `\tprint sendrecv(${lit(s.va, s.real)}, ${id(s.b)})`);
        out.push(`if me==${id(s.b)}:`, `\tprint sendrecv(${lit(s.vb, s.real)}, ${id(s.a)})`);
        // each prints the other's value; the two statements are adjacent in both cores' order
        want[s.a]!.push(showValue(s.vb, s.real));
        want[s.b]!.push(showValue(s.va, s.real));
        sends += 2;
        break;
    }
  }
  out.push("");
  return { src: out.join("\n"), want, sends };
}

describe("messages", () => {
  it("arrive in the order sent, none lost or duplicated", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { src, want, sends } = program(c);
        const run = runProgram(src, { chip: c.chip, cores: c.cores, hostCores: c.hostCores });
        expect(run.result.ok, describeRun(run)).toBe(true);
        pidsOf(c).forEach((pid, i) => {
          const label = i < c.cores.length ? `device ${pid}` : `host ${i - c.cores.length}`;
          expect(run.byLabel.get(label) ?? [], label).toEqual(want[i]);
        });
        expect(run.result.messages, "messages posted").toBe(sends);
      }),
      params(100),
    );
  });

  const OPS: { code: (pid: string) => string; what: string }[] = [
    { code: (p) => `send(5, ${p})`, what: "send to" },
    { code: (p) => `nonblocking_send(2.5, ${p})`, what: "send to" },
    { code: (p) => `x=recv(${p})`, what: "receive from" },
    { code: (p) => `x=sendrecv(1, ${p})`, what: "sendrecv with" },
    { code: (p) => `x=probe(${p})`, what: "probe" },
    { code: (p) => `x=test_sent(${p})`, what: "test a send to" },
    { code: (p) => `wait_sent(${p})`, what: "test a send to" },
    { code: (p) => `x=bcast(1, ${p})`, what: "broadcast from" },
  ];

  it("messaging a core that is not active is a runtime error naming that core", () => {
    const arb = coreSet("e16", 1, 15).chain((cores) =>
      fc.record({
        cores: fc.constant(cores),
        culprit: fc.constantFrom(...cores),
        bad: fc.oneof(
          fc.integer({ min: 0, max: 15 }).filter((p) => !cores.includes(p)),
          fc.integer({ min: 16, max: 100000 }),
          fc.integer({ min: -1000, max: -1 }),
        ),
        op: fc.nat(OPS.length - 1),
        before: fc.nat(50),
      }),
    );
    fc.assert(
      fc.property(arb, ({ cores, culprit, bad, op, before }) => {
        const o = OPS[op]!;
        const badText = bad < 0 ? `(0${bad})` : String(bad);
        const src = ["from parallel import *", "j=0", `while j<${before}:`, "\tj+=1", `if coreid()==${culprit}:`, `\t${o.code(badText)}`, 'print "after"', ""].join("\n");
        const run = runProgram(src, { chip: "e16", cores });
        const e = run.result.error;
        expect(run.result.ok).toBe(false);
        expect(e?.kind, describeRun(run)).toBe("runtime");
        expect(e?.label).toBe(`device ${culprit}`);
        expect(e?.message).toContain(`attempting to ${o.what} core ${bad},`);
        expect(e?.message).toContain("not an active core");
        expect(e?.file).toBe("prop.py");
        expect(e?.line).toBe(6);
        expect(linesOf(run, culprit)).toEqual([]);
      }),
      params(40),
    );
  });
});
