/**
 * Model-based test of the postboxes (WHITE-BOX: drives src/runtime/postbox.ts's Postbox directly,
 * without the runtime around it; properties/model-postbox.test.ts checks the same protocol end to
 * end through running programs).
 *
 * A generated run: a chip, a set of processes (device cores and host virtual cores, -1), and a
 * sequence of steps between random ordered pairs at non-decreasing times. Each pair's slot goes
 * round post -> take -> ack: an `advance` step makes whichever of the three is due (a post only
 * into a slot whose last message was acknowledged, a take only of a full slot, an ack only of a
 * message taken); the other steps ask sample, testSent and pollSeen questions. The receiver takes
 * when it starts spinning (a message may still be in flight) and acknowledges once its poll has
 * seen the message (recvSeen), as the messaging engine does. The model is just the slots: the
 * stage, the value, the post, visible, seen and ack times. After every step:
 *   - a take delivers the message's tag and value exactly once, unchanged;
 *   - post time < visible time <= seen time < ack time (ack >= visible >= post);
 *   - isFull, isPending, ackTime and visibleTime agree with the model for every pair;
 *   - sample is true exactly when the slot is full and the record is visible (never early);
 *   - testSent is false while the message is unacknowledged (taken or not), true once the ack
 *     had landed before the copy began, false if it landed after the copy ended, and monotone in
 *     time in between;
 *   - pollSeen ends a whole number (>= 1) of copyCycles after the poll began, after the ack, on
 *     the first copy whose testSent is true.
 * fast-check prints the seed and path of a failure (replay with PROPERTY_SEED / PROPERTY_PATH,
 * properties/config.ts).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHIP_NAMES } from "../src/config/names.js";
import { CHIPS } from "../src/machine/chip.js";
import { Mesh } from "../src/machine/mesh.js";
import { Postbox } from "../src/runtime/postbox.js";
import { params } from "./config.js";

type Kind = "advance" | "sample" | "testSent" | "pollSeen";

interface Step {
  kind: Kind;
  /** indices into the process list (taken modulo its length; dst != src) */
  src: number;
  dst: number;
  /** time advanced before the step */
  dt: number;
  /** post: the tag and value */
  tag: number;
  val: number;
  /** take: how long before now the receiver began spinning */
  back: number;
  /** ack: how long after the receiver saw the message it writes the ack */
  delay: number;
  /** sample / testSent / pollSeen: how far after now (or after the post) the question is asked */
  ahead: number;
}

interface Run {
  chip: (typeof CHIP_NAMES)[number];
  cores: number[];
  steps: Step[];
}

const timeArb = (max: number) => fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max, noNaN: true }));

const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Kind>("advance", "advance", "advance", "advance", "sample", "testSent", "pollSeen"),
  src: fc.nat({ max: 63 }),
  dst: fc.nat({ max: 63 }),
  dt: timeArb(5000),
  tag: fc.integer({ min: 0, max: 6 }),
  val: fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.double()),
  back: timeArb(3000),
  delay: timeArb(500),
  ahead: timeArb(3000),
});

const runArb: fc.Arbitrary<Run> = fc.constantFrom(...CHIP_NAMES.filter((c) => c !== "e1024")).chain((chip) =>
  fc.record({
    chip: fc.constant(chip),
    cores: fc
      .tuple(fc.uniqueArray(fc.nat({ max: CHIPS[chip].cores - 1 }), { minLength: 0, maxLength: 6 }), fc.nat({ max: 2 }))
      .map(([devices, hosts]) => [...devices, ...Array<number>(hosts).fill(-1)])
      .filter((cores) => cores.length >= 2),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 80 }),
  }),
);

/** Idle: the last message (if any) acknowledged; Full: posted, not taken; Taken: taken, not acknowledged. */
type Stage = "idle" | "full" | "taken";

interface Slot {
  stage: Stage;
  tag: number;
  val: number;
  postedAt: number;
  visible: number;
  /** when the receiver's poll saw the message */
  seen: number;
  /** when the last acknowledgement was visible: 0 before the first message, -1 while one is outstanding */
  ack: number;
}

const EPS = 1e-6;

function check(run: Run): void {
  const spec = CHIPS[run.chip];
  const pb = new Postbox(spec, new Mesh(spec), run.cores);
  const n = run.cores.length;
  const model: Slot[] = Array.from({ length: n * n }, () => ({ stage: "idle", tag: 0, val: 0, postedAt: 0, visible: 0, seen: 0, ack: 0 }));
  let now = 0;
  let posted = 0;
  let taken = 0;
  let acked = 0;

  for (const [i, st] of run.steps.entries()) {
    now += st.dt;
    const src = st.src % n;
    let dst = st.dst % n;
    if (dst === src) dst = (dst + 1) % n;
    const slot = model[src * n + dst]!;
    const at = `step ${i} (${st.kind} ${src}->${dst} at ${now}, stage ${slot.stage})`;

    switch (st.kind) {
      case "advance":
        if (slot.stage === "idle") {
          expect(pb.isPending(src, dst), at).toBe(false);
          const visible = pb.post(src, dst, st.tag, st.val, now);
          expect(visible, `${at}: visible before posted`).toBeGreaterThan(now);
          Object.assign(slot, { stage: "full", tag: st.tag, val: st.val, postedAt: now, visible, ack: -1 });
          posted++;
        } else if (slot.stage === "full") {
          // the receiver began spinning `back` ago (never before the post); it takes the message
          // now, even in flight, and its poll sees it once it has landed
          const spinStart = Math.max(slot.postedAt, now - st.back);
          const seen = pb.recvSeen(dst, spinStart, slot.visible);
          pb.take(dst, src);
          expect(pb.gotTag, at).toBe(slot.tag);
          expect(Object.is(pb.gotVal, slot.val), `${at}: got ${pb.gotVal}, sent ${slot.val}`).toBe(true);
          expect(seen, `${at}: the poll saw the message before it landed`).toBeGreaterThanOrEqual(slot.visible);
          expect(seen, `${at}: the poll ended before it began`).toBeGreaterThan(spinStart);
          Object.assign(slot, { stage: "taken", seen });
          taken++;
        } else {
          const t = Math.max(now, slot.seen) + st.delay;
          const ack = pb.ack(dst, src, t);
          expect(ack, `${at}: ack not after it was written`).toBeGreaterThan(t);
          expect(slot.postedAt, at).toBeLessThan(slot.visible);
          expect(slot.visible, at).toBeLessThanOrEqual(slot.seen);
          expect(slot.seen, at).toBeLessThan(ack);
          Object.assign(slot, { stage: "idle", ack });
          acked++;
        }
        break;
      case "sample": {
        const t = now + st.ahead;
        const full = slot.stage === "full";
        expect(pb.sample(src, dst, t), at).toBe(full && slot.visible <= t);
        if (full) expect(pb.sample(src, dst, slot.visible - EPS), `${at}: sampled before visible`).toBe(false);
        break;
      }
      case "testSent": {
        const t = now + st.ahead;
        const answer = pb.testSent(src, dst, t);
        const copy = pb.copyCycles(src, dst);
        expect(copy, at).toBeGreaterThan(0);
        if (slot.stage !== "idle") {
          expect(answer, `${at}: unacknowledged message reported sent`).toBe(false);
          expect(pb.testSent(src, dst, t + 1e7), `${at}: unacknowledged message reported sent`).toBe(false);
        } else {
          if (slot.ack <= t) expect(answer, `${at}: ack landed before the copy began, reported outstanding`).toBe(true);
          if (slot.ack > t + copy + EPS) expect(answer, `${at}: ack landed after the copy ended, reported sent`).toBe(false);
          if (answer) expect(pb.testSent(src, dst, t + st.dt), `${at}: a later test reports it outstanding again`).toBe(true);
        }
        break;
      }
      case "pollSeen": {
        if (slot.stage !== "idle" || slot.ack <= 0) break; // nothing acknowledged to wait for
        // the sender began polling somewhere around its post
        const pollStart = slot.postedAt + st.ahead;
        const period = pb.copyCycles(src, dst);
        const seen = pb.pollSeen(src, dst, pollStart, slot.ack);
        const copies = (seen - pollStart) / period;
        const k = Math.round(copies);
        expect(Math.abs(copies - k), `${at}: pollSeen off the copy grid (${copies} copies)`).toBeLessThan(1e-6);
        expect(k, `${at}: no copy made`).toBeGreaterThanOrEqual(1);
        expect(seen, `${at}: poll ended before the ack landed`).toBeGreaterThan(slot.ack);
        const lastCopy = pollStart + (k - 1) * period;
        expect(pb.testSent(src, dst, lastCopy + EPS), `${at}: the exiting copy did not see the ack`).toBe(true);
        if (k > 1) expect(pb.testSent(src, dst, lastCopy - period - EPS), `${at}: an earlier copy saw the ack`).toBe(false);
        break;
      }
    }

    // the whole postbox agrees with the model after every step
    for (let s = 0; s < n; s++) {
      for (let d = 0; d < n; d++) {
        if (s === d) continue;
        const m = model[s * n + d]!;
        const where = `${at}: pair ${s}->${d} (model ${m.stage})`;
        if (pb.isFull(s, d) !== (m.stage === "full")) expect.fail(`${where}: isFull is ${pb.isFull(s, d)}`);
        if (pb.isPending(s, d) !== (m.stage !== "idle")) expect.fail(`${where}: isPending is ${pb.isPending(s, d)}`);
        if (pb.ackTime(s, d) !== m.ack) expect.fail(`${where}: ackTime is ${pb.ackTime(s, d)}, model ${m.ack}`);
        if (m.stage === "full" && pb.visibleTime(s, d) !== m.visible) expect.fail(`${where}: visibleTime is ${pb.visibleTime(s, d)}, model ${m.visible}`);
      }
    }
  }
  // every message posted was taken or is still in its slot, and every one taken acknowledged or not yet
  expect(posted - taken).toBe(model.filter((m) => m.stage === "full").length);
  expect(taken - acked).toBe(model.filter((m) => m.stage === "taken").length);
}

describe("Postbox against a model of its slots", () => {
  it("one message per ordered pair, delivered once and unchanged, ack >= visible >= post, sample never early", () => {
    fc.assert(fc.property(runArb, check), params(200));
  });
});
