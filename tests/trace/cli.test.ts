/** `epython --trace`, `replay`, `diff` and `export` end to end: outputs, exit codes, error messages. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/trace/checksum.js";
import { traceEvents } from "../../src/trace/events.js";
import { footerJson, headerJson, sourceHashInput } from "../../src/trace/header.js";
import { cyclesToNanos } from "../../src/trace/otlp.js";
import { readTrace, type Trace } from "../../src/trace/reader.js";
import { assembleTrace } from "../../src/trace/recorder.js";
import { ROOT, runEpython } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "epython-trace-"));
const HELLO = join(ROOT, "traces", "hello-d4.trace");
const RING = join(ROOT, "traces", "p2p_ring-d4.trace");

function file(name: string, content: string | Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, content);
  return f;
}
const load = (path: string): Trace => readTrace(new Uint8Array(readFileSync(path)));

/** A trace with its header or footer edited and the checksums made valid again. */
function forged(t: Trace, edit: { header?: Trace["header"]; footer?: string }): Uint8Array {
  const header = edit.header ? headerJson(edit.header) : t.headerText;
  const footer = edit.footer ?? t.footerText;
  return assembleTrace(header, t.events, t.eventCount, footer, t.eventChunks);
}

function expectCleanError(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(stderr).not.toMatch(/internal error/);
}

describe("epython --trace", () => {
  it("records the same bytes twice", () => {
    const a = file("a.trace", "");
    const b = file("b.trace", "");
    expect(runEpython(["-d", "4", "--trace", a, "examples/p2p_ring.py"]).code).toBe(0);
    expect(runEpython(["-d", "4", "--trace", b, "examples/p2p_ring.py"]).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it("stores sources, configuration, versions and every kind of event", () => {
    const t = load(RING);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(t.header.toolVersion).toBe(pkg.version);
    expect(t.header.sources.map((s) => s.name)).toEqual(["examples/p2p_ring.py", "parallel.py"]);
    expect(t.header.sources[0]!.text).toBe(readFileSync(join(ROOT, "examples", "p2p_ring.py"), "utf8"));
    expect(t.header.sourceHash).toBe(sha256Hex(sourceHashInput(t.header.sources)));
    expect(t.header.config).toMatchObject({ chip: "e16", cores: [0, 1, 2, 3], seed: 1 });
    expect(t.header.clockHz).toBe(600e6);
    const kinds = new Set(traceEvents(t).map((e) => e.kind));
    for (const k of ["state", "message", "host", "output", "link"]) expect(kinds.has(k as never)).toBe(true);
    const msgs = traceEvents(t).filter((e) => e.kind === "message");
    expect(msgs).toHaveLength(t.footer.messages);
    expect(msgs[0]).toMatchObject({ src: 0, dst: 1, hops: 1, bytes: 6 });
  });

  it("writes a trace flagged failed for a program that does not fit the core, and replays it", () => {
    const prog = file("huge.py", Array.from({ length: 3000 }, (_, i) => `v${i}=${i}`).join("\n") + "\n");
    const out = join(dir, "huge.trace");
    const r = runEpython(["-d", "2", "--trace", out, prog]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^core memory overflow/);
    const t = load(out);
    expect(t.footer.ok).toBe(false);
    expect(t.footer.error?.kind).toBe("config");
    const rp = runEpython(["replay", out]);
    expect(rp.code).toBe(0);
    expect(rp.stdout).toMatch(/replay OK: .*does not fit the core, as recorded/);
  });

  it("refuses a trace path it could not write before running", () => {
    const prog = file("hello.py", 'print "hi"\n');
    for (const [path, why] of [[join(dir, "no-such-folder", "x.trace"), /the folder .* does not exist/], [dir, /is a folder/], [prog, /would overwrite the program/]] as const) {
      const r = runEpython(["-d", "1", "--trace", path, prog]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(why);
      expect(r.stdout).toBe(""); // refused before the run printed anything
    }
    expect(readFileSync(prog, "utf8")).toBe('print "hi"\n');
    // nor does -o write the byte code over the program it compiles
    const o = runEpython(["-o", prog, prog]);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/-o '.*hello\.py' would overwrite the program it compiles/);
    expect(readFileSync(prog, "utf8")).toBe('print "hi"\n');
  });

  it("writes a trace flagged failed for a deadlock (exit 1), and replays it", () => {
    const prog = file("dead.py", "from parallel import *\nx=recv((coreid()+1)%numcores())\n");
    const out = join(dir, "dead.trace");
    const r = runEpython(["-d", "2", "--trace", out, prog]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Deadlock/);
    const t = load(out);
    expect(t.footer.ok).toBe(false);
    expect(t.footer.error?.kind).toBe("deadlock");
    expect(traceEvents(t).some((e) => e.kind === "error" && /deadlock/.test(e.message))).toBe(true);
    const rp = runEpython(["replay", out]);
    expect(rp.code).toBe(0);
    expect(rp.stdout).toMatch(/replay OK: .*failed as recorded: deadlock/);
  });

  it("writes a trace flagged failed for a runtime error, with the failed state and the error event", () => {
    const prog = file("div.py", "a=5\nb=0\nprint a/b\n");
    const out = join(dir, "div.trace");
    expect(runEpython(["-d", "2", "--trace", out, prog]).code).toBe(1);
    const t = load(out);
    expect(t.footer).toMatchObject({ ok: false, error: { kind: "runtime", line: 3 } });
    const events = traceEvents(t);
    expect(events.some((e) => e.kind === "state" && e.state === 6 && e.line === 3)).toBe(true);
    expect(events.some((e) => e.kind === "error" && /division by zero/.test(e.message))).toBe(true);
  });

  it("keeps the lines input() read, so the replay gets them again", () => {
    const prog = file("ask.py", 'x=input("name? ")\nprint "hi "+x\n');
    const out = join(dir, "ask.trace");
    const r = runEpython(["-d", "1", "--trace", out, prog], { stdin: "Ada\n" });
    expect(r.code).toBe(0);
    expect(traceEvents(load(out)).filter((e) => e.kind === "input")).toMatchObject([{ kind: "input", proc: 0, eof: 0, text: "Ada" }]);
    expect(runEpython(["replay", out]).code).toBe(0);
  });

  it("records byte code runs (-l FILE) with the byte code in the header, and replays them", () => {
    const code = join(dir, "hello.epyc");
    expect(runEpython(["-o", code, "examples/hello.py"]).code).toBe(0);
    const out = join(dir, "loaded.trace");
    expect(runEpython(["-d", "2", "-l", code, "--trace", out]).code).toBe(0);
    const t = load(out);
    expect(t.header.sources).toEqual([]);
    expect(t.header.image).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(runEpython(["replay", out]).code).toBe(0);
  });
});

describe("epython replay", () => {
  it("reports the first divergent event of both runs, decoded, and exits 1", () => {
    const t = load(HELLO);
    const sources = t.header.sources.map((s, i) => (i === 0 ? { ...s, text: s.text.replace("Hello world", "Hello there") } : s));
    const header = { ...t.header, sources, sourceHash: sha256Hex(sourceHashInput(sources)) };
    const r = runEpython(["replay", file("tampered.trace", forged(t, { header }))]);
    expect(r.code).toBe(1);
    expectCleanError(r.stderr);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(/^replay FAILED: '.*tampered\.trace' diverges at event #\d+ \(cycle [\d.]+\) of \d+$/);
    expect(lines[1]).toMatch(/^ {2}recorded: #\d+ cycle [\d.]+ device \d: output "Hello world from core \d of 4"$/);
    expect(lines[2]).toMatch(/^ {2}replayed: #\d+ cycle [\d.]+ device \d: output "Hello there from core \d of 4"$/);
  });

  it("replays with the stored configuration (a changed limit in the header is a different run)", () => {
    const t = load(RING);
    const header = { ...t.header, config: { ...t.header.config, maxCycles: 20_000 } };
    const r = runEpython(["replay", file("limit.trace", forged(t, { header }))]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/diverges at event #\d+/);
  });

  it("rejects a header no run can have before reading on (exit 2): a billion host cores, a clock of 5e-324 Hz, a core off the chip", () => {
    const t = load(RING);
    const cases: [string, typeof t.header, RegExp][] = [
      ["hosts.trace", { ...t.header, config: { ...t.header.config, hostCores: 1e9 } }, /1000000000 host cores, more than a run may add \(64\)/],
      ["clock.trace", { ...t.header, clockHz: 5e-324 }, /a clock of 5e-324 Hz, but the e16 runs at 600000000 Hz/],
      ["offchip.trace", { ...t.header, config: { ...t.header.config, cores: [0, 1, 2, 99] } }, /core 99 is not on the e16, which has 16 cores/],
    ];
    for (const [name, header, why] of cases) {
      for (const cmd of [["replay"], ["diff", RING], ["export", "--format", "otlp"]]) {
        const r = runEpython([...cmd, file(name, forged(t, { header }))]);
        expect(r.code, `${cmd[0]} ${name}`).toBe(2);
        expect(r.stderr).toMatch(why);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }
    }
  });

  it("rejects a header whose processes do not match its events (exit 2), naming the event", () => {
    const t = load(RING);
    const header = { ...t.header, config: { ...t.header.config, cores: [0, 1, 2] } };
    const r = runEpython(["replay", file("cores.trace", forged(t, { header }))]);
    expect(r.code).toBe(2);
    // the footer's four processes give it away first; with the footer made to match, the events do
    expect(r.stderr).toMatch(/the footer reports 4 processes, the header 3/);
    const footer = footerJson({ ...t.footer, procs: t.footer.procs.slice(0, 3) });
    const r2 = runEpython(["replay", file("cores2.trace", forged(t, { header, footer }))]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/event \d+ at event-stream byte \d+ \(\w+\) names process 3 in its \w+ field, but the run has 3 processes/);
  });

  it("rejects sources that do not match the header's hash (exit 2)", () => {
    const t = load(HELLO);
    const sources = t.header.sources.map((s, i) => (i === 0 ? { ...s, text: `${s.text}# edited\n` } : s));
    const r = runEpython(["replay", file("badhash.trace", forged(t, { header: { ...t.header, sources } }))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the stored sources do not match the source hash/);
  });
});

describe("damaged trace files", () => {
  const good = new Uint8Array(readFileSync(HELLO));
  const damaged: [string, Uint8Array, RegExp][] = [
    ["not-a-trace.trace", new TextEncoder().encode("print 1\n"), /bad magic number/],
    ["truncated.trace", good.subarray(0, 1000), /truncated at byte 1000: the file ends inside its header chunk/],
    ["flipped.trace", (() => { const b = good.slice(); b[2000]! ^= 1; return b; })(), /checksum mismatch/],
    ["version.trace", (() => { const b = good.slice(); b[8] = 9; return b; })(), /unsupported trace format version 9 \(this epython-sim reads version 4\)/],
    ["v2.trace", (() => { const b = good.slice(); b[8] = 2; return b; })(), /unsupported trace format version 2 \(this epython-sim reads version 4: record the run again\)/],
    ["empty.trace", new Uint8Array(0), /the file is empty/],
  ];
  for (const [name, bytes, message] of damaged) {
    it(`${name}: replay, diff and export name the file and the problem, exit 2, no stack trace`, () => {
      const f = file(name, bytes);
      for (const argv of [["replay", f], ["diff", HELLO, f], ["export", "--format", "perfetto", f, "-o", join(dir, "x.json")]]) {
        const r = runEpython(argv);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^epython: trace file '${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}': `));
        expect(r.stderr).toMatch(message);
        expectCleanError(r.stderr);
      }
    });
  }

  it("a missing file or a bad command line is exit 2", () => {
    expect(runEpython(["replay", join(dir, "nope.trace")])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such file/) });
    expect(runEpython(["replay"]).code).toBe(2);
    expect(runEpython(["diff", HELLO]).code).toBe(2);
    const r = runEpython(["export", "--format", "svg", HELLO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown format 'svg': use perfetto or otlp/);
    expect(runEpython(["export", HELLO]).stderr).toMatch(/--format is required/);
  });
});

describe("epython diff", () => {
  it("says identical traces are identical and exits 0", () => {
    const r = runEpython(["diff", HELLO, HELLO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/events: all \d+ identical/);
  });

  it("shows the first divergence and a per-core table of time, messages and bytes, exit 1", () => {
    const tree = join(dir, "coll-tree.trace");
    expect(runEpython(["-d", "16", "--reduce", "tree", "--trace", tree, "examples/collectives.py"]).code).toBe(0);
    const golden = join(ROOT, "traces", "collectives-d16.trace");
    const r = runEpython(["diff", golden, tree]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("epython diff: the traces differ\n");
    expect(r.stdout).toMatch(/config reduce: "epython" vs "tree"/);
    expect(r.stdout).toMatch(/first divergence at event #\d+ \(cycle [\d.]+\):\n {2}A: #\d+ .*\n {2}B: #\d+ /);
    const table = r.stdout.split("\n").filter((l) => /^(core|device|total)/.test(l));
    expect(table[0]).toMatch(/^core\s+cycles A\s+cycles B\s+change\s+msgs A\s+msgs B\s+bytes A\s+bytes B$/);
    expect(table.filter((l) => l.startsWith("device "))).toHaveLength(16);
    const a = load(golden);
    const b = load(tree);
    expect(table.at(-1)).toMatch(new RegExp(`^total .* ${a.footer.messages}\\s+${b.footer.messages}\\s+${a.footer.messageBytes}\\s+${b.footer.messageBytes}$`));
  });
});

describe("epython export", () => {
  const exportTo = (format: string, trace: string, name: string): string => {
    const out = join(dir, name);
    const r = runEpython(["export", "--format", format, trace, "-o", out]);
    // what it wrote, and nothing else
    expect(r.stderr.startsWith(`wrote ${out} (`)).toBe(true);
    expect(r.stderr).toMatch(/ \([0-9.]+ (bytes|KB|MB), [0-9,]+ events\)\n$/);
    expect(r.code).toBe(0);
    return readFileSync(out, "utf8");
  };

  it("writes through a temporary name, and refuses to write over the trace it exports (exit 2)", () => {
    exportTo("perfetto", HELLO, "atomic.json");
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
    const copy = join(dir, "self.trace");
    writeFileSync(copy, readFileSync(HELLO));
    const r = runEpython(["export", "--format", "otlp", copy, "-o", copy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("would overwrite the trace it exports");
    expect(readFileSync(copy).equals(readFileSync(HELLO))).toBe(true);
    const bad = runEpython(["export", "--format", "perfetto", HELLO, "-o", join(dir, "no-such-folder", "x.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain(".tmp-");
  });

  it("perfetto: deterministic Chrome trace JSON with a named track per core, slices, instants and message flows", () => {
    const text = exportTo("perfetto", RING, "ring1.json");
    expect(exportTo("perfetto", RING, "ring2.json")).toBe(text);
    const json = JSON.parse(text) as { traceEvents: Record<string, any>[]; otherData: Record<string, unknown> };
    const ev = json.traceEvents;
    const names = ev.filter((e) => e.name === "thread_name").map((e) => e.args.name);
    expect(names).toEqual(["device 0", "device 1", "device 2", "device 3"]);
    const slices = ev.filter((e) => e.ph === "X");
    expect(slices.length).toBeGreaterThan(10);
    for (const s of slices) {
      expect(s.ts).toBe(s.args.startCycle * (1e6 / 600e6));
      expect(s.dur).toBeGreaterThanOrEqual(0);
    }
    // "host" without a service is each core's start-up: the launch handshake and the byte code's copy from shared DRAM
    expect(new Set(slices.map((s) => s.name))).toEqual(new Set(["host", "running", "recv", "send", "host print", "host string"]));
    const starts = ev.filter((e) => e.ph === "s");
    const ends = ev.filter((e) => e.ph === "f");
    expect(starts).toHaveLength(4);
    for (const s of starts) {
      const f = ends.find((e) => e.id === s.id)!;
      expect(f.bp).toBe("e");
      expect(f.tid).not.toBe(s.tid);
      expect(f.ts).toBeGreaterThan(s.ts);
    }
    expect(ev.filter((e) => e.ph === "i" && e.name === "print")).toHaveLength(1);
    expect(json.otherData).toMatchObject({ ok: true, clockHz: 600e6, program: "examples/p2p_ring.py" });
    // the link load over time as counters: some write-mesh traffic (the messages), then zero at the end
    const mesh = ev.filter((e) => e.ph === "C" && e.name === "mesh links busy");
    expect(mesh.length).toBeGreaterThan(1);
    expect(mesh.some((e) => e.args.cMesh > 0 && e.args.rMesh > 0)).toBe(true);
    expect(mesh.at(-1)!.args).toEqual({ cMesh: 0, rMesh: 0, xMesh: 0 });
    expect(ev.filter((e) => e.ph === "C" && e.name === "eLink busy").length).toBe(mesh.length);
  });

  it("otlp: deterministic OTLP/JSON with exact times, valid unique ids and a span tree", () => {
    const text = exportTo("otlp", RING, "ring1.otlp.json");
    expect(exportTo("otlp", RING, "ring2.otlp.json")).toBe(text);
    const json = JSON.parse(text);
    const rs = json.resourceSpans[0];
    expect(rs.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "epython-sim" } });
    const spans = rs.scopeSpans[0].spans as Record<string, any>[];
    expect(rs.scopeSpans[0].scope.name).toBe("epython-sim");
    const ids = new Set(spans.map((s) => s.spanId));
    expect(ids.size).toBe(spans.length);
    for (const s of spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(s.startTimeUnixNano).toMatch(/^\d+$/);
      expect(BigInt(s.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(s.startTimeUnixNano));
      if (s.parentSpanId !== "") expect(ids.has(s.parentSpanId)).toBe(true);
    }
    const roots = spans.filter((s) => s.parentSpanId === "");
    expect(roots).toHaveLength(1);
    const t = load(RING);
    expect(roots[0]!.endTimeUnixNano).toBe(cyclesToNanos(t.footer.totalCycles, 600e6).toString());
    const cores = spans.filter((s) => s.parentSpanId === roots[0]!.spanId).map((s) => s.name);
    expect(cores).toEqual(["device 0", "device 1", "device 2", "device 3"]);
    expect(spans.filter((s) => s.name.startsWith("message to "))).toHaveLength(4);
  });

  it("otlp: a failed run's root and failing core carry an error status", () => {
    const prog = file("div2.py", "a=5\nb=0\nprint a/b\n");
    const out = join(dir, "div2.trace");
    runEpython(["-d", "1", "--trace", out, prog]);
    const spans = JSON.parse(exportTo("otlp", out, "div2.json")).resourceSpans[0].scopeSpans[0].spans as Record<string, any>[];
    const root = spans.find((s) => s.parentSpanId === "")!;
    expect(root.status.code).toBe(2);
    expect(spans.find((s) => s.name === "device 0")!.status).toMatchObject({ code: 2, message: expect.stringMatching(/division by zero/) });
  });

  it("computes OTLP times exactly from cycles and the clock, rounding half up", () => {
    expect(cyclesToNanos(600, 600e6)).toBe(1000n);
    expect(cyclesToNanos(1.5, 600e6)).toBe(3n); // 2.5 ns
    expect(cyclesToNanos(0.3, 1e9)).toBe(0n); // 0.29999999999999998889776975 ns
    expect(cyclesToNanos(2 ** 53, 1e9)).toBe(2n ** 53n);
    expect(cyclesToNanos(10176.298270615496, 600e6)).toBe(16960n); // 16960.497... ns
    expect(cyclesToNanos(1e15, 600e6)).toBe(1666666666666667n);
  });
});
