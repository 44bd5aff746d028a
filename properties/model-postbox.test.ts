/**
 * Model-based test of a pair of postboxes (one slot per direction between two cores).
 *
 * The postboxes are a class of their own (src/runtime/postbox.ts), which
 * properties/postbox-unit.test.ts drives directly; this file checks the same protocol end to end
 * through running programs: fc.commands builds a two-core program step by step against a model of
 * two queues (each holds at most one message, as ePython's slot does) and the output each step
 * must produce; the program then runs once and each core's output is compared with the model's.
 *
 * Commands: blocking send (with its receive), non-blocking send, receive, probe, spinning on probe,
 * test_sent, wait_sent or spinning on test_sent (with the receive that satisfies it), sendrecv,
 * sync, busy work. Preconditions keep every program deadlock-free: sends go only to an empty slot,
 * and a step that waits for the other core is paired with the step that releases it. Both cores
 * run the steps in the same global order, so the earliest unfinished step can always complete.
 *
 * What the model fixes exactly: every received value (FIFO per direction, nothing lost or
 * duplicated); `probe` is false when the partner cannot have sent anything yet; `test_sent` is
 * true when the sender has seen all its messages received. Cores run ahead of the schedule until
 * they wait for each other, so where the answer depends on timing (a message in flight may or may
 * not be visible yet, a later send may overtake a probe, a receipt may not have happened yet)
 * the model allows both answers; spinning on probe or test_sent must end.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { params, replayPath } from "./config.js";
import { describeRun, linesOf, realLiteral, runProgram, showValue } from "./harness.js";

interface Model {
  /** pending message values by direction: 0 means core 0 -> core 1 */
  queue: [{ v: number; real: boolean }[], { v: number; real: boolean }[]];
  /** per core: the allowed texts of each line it prints */
  expected: [string[][], string[][]];
  /**
   * per direction: allowed answers of probes made while the slot was empty, which the sender's
   * next send may still overtake (the sender runs ahead of the schedule until it has to wait for
   * something the prober does after its probe)
   */
  openProbes: [string[][], string[][]];
  /**
   * per direction: the sender has sent a message whose receipt it has not yet waited for, so
   * test_sent may still see it outstanding even after the schedule's receive
   */
  unconfirmed: [boolean, boolean];
  nextValue: number;
}

/** The sender of direction s is about to send: open probes of that direction may see it. */
function sending(m: Model, s: Side): void {
  for (const allowed of m.openProbes[s]) if (!allowed.includes("true")) allowed.push("true");
  m.openProbes[s] = [];
  m.unconfirmed[s] = true;
}

/**
 * Core `c` now waits for something its partner does after all the partner's earlier steps (a
 * fence): c sends nothing before those steps, and it has seen its earlier messages received.
 */
function fence(m: Model, c: Side): void {
  m.openProbes[c] = [];
  if (m.queue[c].length === 0) m.unconfirmed[c] = false;
}

interface Real {
  /** pids of the two cores */
  pids: [number, number];
  lines: string[];
}

type Side = 0 | 1;
const other = (s: Side): Side => (s === 0 ? 1 : 0);

function on(r: Real, side: Side, ...body: string[]): void {
  r.lines.push(`if me==${r.pids[side]}:`, ...body.map((l) => "\t" + l));
}

function value(m: Model, real: boolean): { v: number; real: boolean; text: string } {
  const v = real ? m.nextValue++ + 0.25 : m.nextValue++;
  return { v, real, text: real ? realLiteral(v) : String(v) };
}

abstract class Cmd implements fc.Command<Model, Real> {
  abstract check(m: Readonly<Model>): boolean;
  abstract run(m: Model, r: Real): void;
  abstract toString(): string;
}

/** s: send(v) blocking; the receiver: print recv(s). */
class Transfer extends Cmd {
  constructor(readonly s: Side, readonly real: boolean) { super(); }
  check(m: Readonly<Model>) { return m.queue[this.s].length === 0; }
  run(m: Model, r: Real) {
    const d = other(this.s);
    const x = value(m, this.real);
    sending(m, this.s);
    fence(m, d); // the receiver waits for this send
    fence(m, this.s); // and the sender for its receipt
    on(r, this.s, `send(${x.text}, ${r.pids[d]})`);
    on(r, d, `print recv(${r.pids[this.s]})`);
    m.expected[d].push([showValue(x.v, x.real)]);
  }
  toString() { return `transfer(${this.s}->${other(this.s)}${this.real ? ", real" : ""})`; }
}

class NbSend extends Cmd {
  constructor(readonly s: Side, readonly real: boolean) { super(); }
  check(m: Readonly<Model>) { return m.queue[this.s].length === 0; }
  run(m: Model, r: Real) {
    const x = value(m, this.real);
    sending(m, this.s);
    on(r, this.s, `nonblocking_send(${x.text}, ${r.pids[other(this.s)]})`);
    m.queue[this.s].push({ v: x.v, real: x.real });
  }
  toString() { return `nonblocking_send(${this.s}->${other(this.s)})`; }
}

/** The receiver of direction s takes the pending message. */
class Recv extends Cmd {
  constructor(readonly s: Side) { super(); }
  check(m: Readonly<Model>) { return m.queue[this.s].length > 0; }
  run(m: Model, r: Real) {
    const d = other(this.s);
    const x = m.queue[this.s].shift()!;
    on(r, d, `print recv(${r.pids[this.s]})`);
    m.expected[d].push([showValue(x.v, x.real)]);
  }
  toString() { return `recv(${this.s}->${other(this.s)})`; }
}

/** The receiver of direction s probes it once, or spins until the message is visible. */
class Probe extends Cmd {
  constructor(readonly s: Side, readonly spin: boolean) { super(); }
  check(m: Readonly<Model>) { return !this.spin || m.queue[this.s].length > 0; }
  run(m: Model, r: Real) {
    const d = other(this.s);
    const src = r.pids[this.s];
    if (this.spin) {
      on(r, d, `while not probe(${src}):`, "\tpass", 'print "seen"');
      m.expected[d].push(["seen"]);
    } else {
      on(r, d, `print probe(${src})`);
      const allowed = m.queue[this.s].length > 0 ? ["true", "false"] : ["false"];
      m.expected[d].push(allowed);
      if (allowed.length === 1) m.openProbes[this.s].push(allowed);
    }
  }
  toString() { return `probe(${this.s}->${other(this.s)}${this.spin ? ", spin" : ""})`; }
}

/** The sender of direction s asks once whether its message has been taken. */
class TestSent extends Cmd {
  constructor(readonly s: Side) { super(); }
  check() { return true; }
  run(m: Model, r: Real) {
    on(r, this.s, `print test_sent(${r.pids[other(this.s)]})`);
    m.expected[this.s].push(m.queue[this.s].length > 0 || m.unconfirmed[this.s] ? ["true", "false"] : ["true"]);
  }
  toString() { return `test_sent(${this.s}->${other(this.s)})`; }
}

/** The sender waits (wait_sent, or spinning on test_sent) until the receiver takes the message. */
class WaitTaken extends Cmd {
  constructor(readonly s: Side, readonly spin: boolean) { super(); }
  check(m: Readonly<Model>) { return m.queue[this.s].length > 0; }
  run(m: Model, r: Real) {
    const d = other(this.s);
    const x = m.queue[this.s].shift()!;
    fence(m, this.s); // the sender waits for the receive below
    if (this.spin) on(r, this.s, `while not test_sent(${r.pids[d]}):`, "\tpass", 'print "taken"');
    else on(r, this.s, `wait_sent(${r.pids[d]})`, 'print "taken"');
    on(r, d, `print recv(${r.pids[this.s]})`);
    m.expected[this.s].push(["taken"]);
    m.expected[d].push([showValue(x.v, x.real)]);
  }
  toString() { return `${this.spin ? "spin_test_sent" : "wait_sent"}(${this.s}->${other(this.s)}) + recv`; }
}

class SendRecv extends Cmd {
  constructor(readonly real: boolean) { super(); }
  check(m: Readonly<Model>) { return m.queue[0].length === 0 && m.queue[1].length === 0; }
  run(m: Model, r: Real) {
    const a = value(m, this.real);
    const b = value(m, this.real);
    // each core posts its value first, then waits for the other's
    sending(m, 0);
    sending(m, 1);
    fence(m, 0);
    fence(m, 1);
    on(r, 0, `print sendrecv(${a.text}, ${r.pids[1]})`);
    on(r, 1, `print sendrecv(${b.text}, ${r.pids[0]})`);
    m.expected[0].push([showValue(b.v, b.real)]);
    m.expected[1].push([showValue(a.v, a.real)]);
  }
  toString() { return `sendrecv(${this.real ? "real" : "int"})`; }
}

class Sync extends Cmd {
  check() { return true; }
  run(m: Model, r: Real) {
    fence(m, 0);
    fence(m, 1);
    r.lines.push("sync()");
  }
  toString() { return "sync"; }
}

class Work extends Cmd {
  constructor(readonly side: Side, readonly n: number) { super(); }
  check() { return true; }
  run(_m: Model, r: Real) { on(r, this.side, "j=0", `while j<${this.n}:`, "\tj+=1"); }
  toString() { return `work(${this.side}, ${this.n})`; }
}

const side = fc.constantFrom<Side>(0, 1);
const commands = [
  fc.tuple(side, fc.boolean()).map(([s, real]) => new Transfer(s, real)),
  fc.tuple(side, fc.boolean()).map(([s, real]) => new NbSend(s, real)),
  side.map((s) => new Recv(s)),
  fc.tuple(side, fc.boolean()).map(([s, spin]) => new Probe(s, spin)),
  side.map((s) => new TestSent(s)),
  fc.tuple(side, fc.boolean()).map(([s, spin]) => new WaitTaken(s, spin)),
  fc.boolean().map((real) => new SendRecv(real)),
  fc.constant(new Sync()),
  fc.tuple(side, fc.integer({ min: 1, max: 400 })).map(([s, n]) => new Work(s, n)),
];

describe("postboxes (model-based, through two-core programs)", () => {
  it("values, probes and send tests agree with a one-slot queue per direction", () => {
    const arb = fc.record({
      chip: fc.constantFrom("e16" as const, "e64" as const),
      pair: fc.uniqueArray(fc.nat(15), { minLength: 2, maxLength: 2 }),
      cmds: fc.commands(commands, { maxCommands: 40, size: "large", replayPath: replayPath() }),
    });
    fc.assert(
      fc.property(arb, ({ chip, pair, cmds }) => {
        const pids = [pair[0]!, pair[1]!].sort((a, b) => a - b) as [number, number];
        const model: Model = { queue: [[], []], expected: [[], []], openProbes: [[], []], unconfirmed: [false, false], nextValue: 1 };
        const real: Real = { pids, lines: ["from parallel import *", "me=coreid()", "j=0"] };
        fc.modelRun(() => ({ model, real }), cmds);
        // whatever is still in a slot is received at the end
        for (const s of [0, 1] as const) if (model.queue[s].length) new Recv(s).run(model, real);
        const src = real.lines.join("\n") + "\n";
        const run = runProgram(src, { chip, cores: pids });
        expect(run.result.ok, `${describeRun(run)}\n${src}`).toBe(true);
        for (const s of [0, 1] as const) {
          const got = linesOf(run, pids[s]);
          const want = model.expected[s];
          expect(got.length, `core ${pids[s]} printed ${got.length} lines, the model ${want.length}\n${src}`).toBe(want.length);
          got.forEach((g, i) => expect(want[i], `core ${pids[s]} line ${i + 1}: '${g}'`).toContain(g));
        }
      }),
      params(100),
    );
  });
});
