/**
 * Determinism: a random program on a random configuration, run twice (compiled afresh each time),
 * gives the identical event stream (every TraceSink call with all its arguments), the identical
 * output and the identical SimResult. The programs mix what makes timing intricate: per-core work
 * of different lengths, messages, probes (whose answers depend on timing), collectives, barriers,
 * host services, seeded random numbers, allocation and garbage collection; some runs end at a
 * step or cycle limit.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BarrierAlgorithm, compileProgram, recordRun, type ReduceAlgorithm, type RunConfig } from "../src/index.js";
import { params } from "./config.js";
import { config, EventStreamSink, firstDifference, placementArb, resolver, runProgram } from "./harness.js";

type Fragment =
  | { k: "work"; lens: number[] }
  | { k: "rand"; hi: number }
  | { k: "reduce"; op: "sum" | "min" | "max" | "prod"; mul: number; real: boolean }
  | { k: "bcast"; root: number }
  | { k: "sync" }
  | { k: "ring"; shift: number }
  | { k: "probe"; shift: number }
  | { k: "alloc"; n: number; size: number }
  | { k: "maths"; x: number };

const fragment = (nprocs: number): fc.Arbitrary<Fragment> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ k: fc.constant("work" as const), lens: fc.array(fc.nat(300), { minLength: nprocs, maxLength: nprocs }) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("rand" as const), hi: fc.integer({ min: 1, max: 100000 }) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("reduce" as const), op: fc.constantFrom("sum" as const, "min" as const, "max" as const, "prod" as const), mul: fc.integer({ min: -9, max: 9 }), real: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("bcast" as const), root: fc.nat() }) },
    { weight: 2, arbitrary: fc.constant({ k: "sync" as const }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("ring" as const), shift: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("probe" as const), shift: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("alloc" as const), n: fc.integer({ min: 1, max: 60 }), size: fc.integer({ min: 1, max: 300 }) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("maths" as const), x: fc.integer({ min: 1, max: 1000 }) }) },
  );

interface Case {
  config: RunConfig;
  frags: Fragment[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    placement: placementArb({ e16: [1, 16], e64: [1, 24], e1024: [1, 24] }, 4),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    reduce: fc.constantFrom<ReduceAlgorithm>("epython", "tree", "ring"),
    barrier: fc.constantFrom<BarrierAlgorithm>("epython", "wand"),
    codeShared: fc.boolean(),
    dataShared: fc.boolean(),
    limit: fc.oneof({ weight: 4, arbitrary: fc.constant({ maxSteps: 0, maxCycles: 0 }) }, { weight: 1, arbitrary: fc.record({ maxSteps: fc.integer({ min: 1, max: 20000 }), maxCycles: fc.constant(0) }) }, { weight: 1, arbitrary: fc.record({ maxSteps: fc.constant(0), maxCycles: fc.integer({ min: 1, max: 200000 }) }) }),
  })
  .chain((r) => {
    const { chip, cores, hostCores } = r.placement;
    const config: RunConfig = {
      chip,
      cores,
      hostCores,
      seed: r.seed,
      maxSteps: r.limit.maxSteps,
      maxCycles: r.limit.maxCycles,
      reduce: r.reduce,
      barrier: r.barrier,
      codeShared: r.codeShared,
      codeCore: false,
      dataShared: r.dataShared,
    };
    return fc.record({ config: fc.constant(config), frags: fc.array(fragment(cores.length + hostCores), { minLength: 1, maxLength: 12, size: "medium" }) });
  });

function program(c: Case): string {
  const pids = [...c.config.cores, ...Array.from({ length: c.config.hostCores }, (_, t) => c.config.cores.length + t)];
  const n = pids.length;
  const size = Math.max(...pids) + 1;
  const table = (f: (rank: number) => number) => {
    const items = Array.from({ length: size }, () => "0");
    pids.forEach((p, i) => (items[p] = String(f(i))));
    return `[${items.join(",")}]`;
  };
  const out = ["from parallel import *", "from random import randint", "from math import sqrt", "me=coreid()", `rank=${table((i) => i)}[me]`, "j=0", "t=0", "x=0"];
  for (const f of c.frags) {
    switch (f.k) {
      case "work":
        out.push(`w=${table((i) => f.lens[i]!)}[me]`, "j=0", "while j<w:", "\tj+=1");
        break;
      case "rand":
        out.push(`print randint(0, ${f.hi})`);
        break;
      case "reduce":
        out.push(`print reduce(me*${f.mul}${f.real ? "+0.5" : ""}, "${f.op}")`);
        break;
      case "bcast": {
        // only device cores take part in a broadcast from a device core
        const root = c.config.cores[f.root % c.config.cores.length]!;
        out.push("if isdevice():", `\tprint bcast(me*3+1, ${root})`);
        break;
      }
      case "sync":
        out.push("sync()");
        break;
      case "ring":
      case "probe": {
        if (n < 2) break;
        const s = 1 + (f.shift % (n - 1));
        out.push(`nxt=${table((i) => pids[(i + s) % n]!)}[me]`, `prv=${table((i) => pids[(i - s + n) % n]!)}[me]`);
        out.push("nonblocking_send(me*100+rank, nxt)");
        if (f.k === "probe") out.push("print probe(prv)", "print test_sent(nxt)");
        out.push("x=recv(prv)", "print x", "wait_sent(nxt)");
        break;
      }
      case "alloc":
        out.push("t=0", "j=0", `while j<${f.n}:`, `\tt=[j]*${f.size}`, "\tj+=1", 's="core "+me+" kept "+t[0]', "print s", "t=0");
        break;
      case "maths":
        out.push(`print sqrt(${f.x}.0+me)`);
        break;
    }
  }
  out.push('print "end"', "");
  return out.join("\n");
}

function runOnce(c: Case, src: string) {
  const sink = new EventStreamSink();
  const run = runProgram(src, c.config, sink);
  return { sink, run };
}

describe("determinism", () => {
  it("the same program and configuration give the identical event stream, output, result and trace bytes", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const src = program(c);
        const a = runOnce(c, src);
        const b = runOnce(c, src);
        const i = firstDifference(a.sink.events, b.sink.events);
        expect(i, i < 0 ? "" : `first difference at event ${i}: ${a.sink.events[i]} | ${b.sink.events[i]}`).toBe(-1);
        expect(b.sink.hash()).toBe(a.sink.hash());
        expect(b.run.lines).toEqual(a.run.lines);
        expect(JSON.stringify(b.run.result)).toBe(JSON.stringify(a.run.result));
        expect(a.sink.events.length, "a run reports events").toBeGreaterThan(0);
        // and the recorded trace files, byte for byte
        const { image, files } = compileProgram(src, "prop.py", resolver);
        const ta = recordRun(image, files, config(c.config));
        const tb = recordRun(image, files, config(c.config));
        expect(ta.length, "a trace has a header and events").toBeGreaterThan(64);
        const firstByte = ta.findIndex((byte, k) => byte !== tb[k]);
        expect(firstByte === -1 && ta.length === tb.length, `traces differ at byte ${firstByte} (lengths ${ta.length}, ${tb.length})`).toBe(true);
      }),
      params(40),
    );
  });
});
