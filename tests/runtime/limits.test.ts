/**
 * Step and cycle limits are per core (src/runtime/simulation.ts): a core that reaches its limit
 * stops alone, the others go on until each completes, reaches its own limit or waits for good.
 * The run then ends as a limit naming the first core to stop and who waits on the stopped ones
 * (reports.ts limitReport); an error still ends the whole run at once; each core's summary says
 * how it ended (ProcSummary.end), and the trace gets one error event.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type RunConfig } from "../../src/config/run-config.js";
import { compileProgram } from "../../src/lang/compiler.js";
import { bundledResolver } from "../../src/pipeline/modules.js";
import { Simulation } from "../../src/runtime/simulation.js";
import { CoreState, NullSink } from "../../src/trace/sink.js";
import { runSource } from "../helpers/run.js";

/** Core 0 loops for ever; the others do a little work and print. */
const CORE0_FOREVER = "from parallel import *\nif coreid()==0:\n\twhile true:\n\t\tpass\nelse:\n\tj=0\n\twhile j<200:\n\t\tj+=1\n\tprint j\n";

/** Core 0 loops for ever; core 1 then does `what` (line 6); the others print and finish. */
function waitsOnCore0(what: string): string {
  return `from parallel import *\nif coreid()==0:\n\twhile true:\n\t\tpass\nelif coreid()==1:\n\t${what}\nelse:\n\tprint "done"\n`;
}

const cores4 = { cores: [0, 1, 2, 3] };

/** The sink calls the tests look at: core states, error events, and the order they came in. */
class Recorder extends NullSink {
  readonly events: string[] = [];
  readonly errors: { time: number; proc: number; line: number; message: string }[] = [];
  override coreState(time: number, proc: number, state: number): void {
    if (state === CoreState.Failed || state === CoreState.Done) this.events.push(`${state === CoreState.Failed ? "failed" : "done"} ${proc} @${time}`);
  }
  override error(time: number, proc: number, line: number, message: string): void {
    this.errors.push({ time, proc, line, message });
    this.events.push(`error ${proc}`);
  }
}

function simulation(source: string, config: Partial<RunConfig>, sink = new Recorder()) {
  const { image } = compileProgram(source, "limits.py", bundledResolver());
  const lines: string[] = [];
  const sim = new Simulation(image, { ...DEFAULT_CONFIG, ...config }, { output: (l) => lines.push(l), input: () => null }, sink);
  return { sim, lines, sink };
}

describe("per-core step and cycle limits", () => {
  it("a core that reaches its step limit stops alone: the others complete, the run fails as that core's limit", () => {
    const { lines, result } = runSource(CORE0_FOREVER, { ...cores4, maxSteps: 20_000 });
    expect(lines.sort()).toEqual(["[device 1] 200", "[device 2] 200", "[device 3] 200"]);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ kind: "limit", proc: 0, label: "device 0", line: 4, message: "step limit of 20000 byte-code operations reached" });
    expect(result.procs.map((p) => p.end)).toEqual(["step limit", "completed", "completed", "completed"]);
    expect(result.procs.map((p) => p.finished)).toEqual([false, true, true, true]);
    expect(result.procs[0]!.steps).toBe(20_000);
    for (const p of result.procs.slice(1)) expect(p.steps).toBeGreaterThan(200);
    // core 0 ran on after the others finished, and the run lasts until it stopped
    expect(result.procs[0]!.finishCycles).toBeGreaterThan(Math.max(...result.procs.slice(1).map((p) => p.finishCycles)));
    expect(result.totalCycles).toBe(result.procs[0]!.finishCycles);
    expect(result.error!.time).toBe(result.procs[0]!.finishCycles);
    expect(result.limits).toEqual({ steps: 20_000, cycles: 0 });
  });

  it("a core that waits on a stopped core is not a deadlock: the report names both", () => {
    const { result } = runSource(waitsOnCore0("print recv(0)"), { ...cores4, maxSteps: 5000 });
    expect(result.error?.kind).toBe("limit");
    expect(result.error?.proc).toBe(0);
    expect(result.error?.message).toBe(
      "step limit of 5000 byte-code operations reached\n  device 0 (line 4) stopped at its step limit\n  device 1 (line 6) waits to receive from device 0 (stopped at its step limit)",
    );
    expect(result.procs.map((p) => p.end)).toEqual(["step limit", "waiting", "completed", "completed"]);
    expect(result.procs.map((p) => p.waitingFor)).toEqual([null, "to receive from device 0", null, null]);
    // it stopped when it began to wait, long before core 0 reached its limit
    expect(result.procs[1]!.finishCycles).toBeGreaterThan(0);
    expect(result.procs[1]!.finishCycles).toBeLessThan(result.procs[0]!.finishCycles);
  });

  it("names the other waits on a stopped core: its acknowledgement, and sync()", () => {
    const send = runSource(waitsOnCore0("send(5, 0)"), { ...cores4, maxSteps: 5000 });
    expect(send.result.error?.message).toContain("device 1 (line 6) waits for device 0 (stopped at its step limit) to receive its message");
    expect(send.result.procs[1]!.waitingFor).toBe("for device 0 to receive its message");
    const sync = runSource("from parallel import *\nif coreid()==2:\n\twhile true:\n\t\tpass\nsync()\nprint 1\n", { ...cores4, maxSteps: 5000 });
    expect(sync.result.error).toMatchObject({ kind: "limit", proc: 2 });
    for (const c of [0, 1, 3]) expect(sync.result.error?.message).toContain(`device ${c} (line 5) waits at sync() but device 2 stopped at its step limit`);
    expect(sync.result.procs.map((p) => p.end)).toEqual(["waiting", "waiting", "step limit", "waiting"]);
    expect(sync.result.procs[0]!.waitingFor).toBe("at sync()");
  });

  it("a core probing a stopped core goes on until its own limit (not a livelock)", () => {
    const { result } = runSource(waitsOnCore0("while not probe(0):\n\t\tpass"), { ...cores4, maxSteps: 5000 });
    expect(result.error?.kind).toBe("limit");
    expect(result.procs.map((p) => p.end)).toEqual(["step limit", "step limit", "completed", "completed"]);
    expect(result.error?.message).toMatch(/\n {2}device 1 \(line \d\) stopped at its step limit$/);
  });

  it("a cycle limit stops only the core that reaches it", () => {
    const src = "from parallel import *\nn=10\nif coreid()==2:\n\tn=1000000\ni=0\nwhile i<n:\n\ti+=1\nprint i\n";
    const { lines, result } = runSource(src, { ...cores4, maxSteps: 0, maxCycles: 200_000 });
    expect(lines.sort()).toEqual(["[device 0] 10", "[device 1] 10", "[device 3] 10"]);
    expect(result.error).toMatchObject({ kind: "limit", proc: 2, line: 7, message: "time limit of 200000 cycles reached" });
    expect(result.procs.map((p) => p.end)).toEqual(["completed", "completed", "cycle limit", "completed"]);
    expect(result.procs[2]!.finishCycles).toBeGreaterThanOrEqual(200_000);
    expect(result.limits).toEqual({ steps: 0, cycles: 200_000 });
  });

  it("names the core that reached its limit first in simulated time", () => {
    // core 3 has the least to do before its endless loop, core 0 the most
    const src = "from parallel import *\nw=[3000,2000,1000,0][coreid()]\ni=0\nwhile i<w:\n\ti+=1\nwhile true:\n\tpass\n";
    const { result } = runSource(src, { ...cores4, maxSteps: 0, maxCycles: 2_000_000 });
    expect(result.procs.every((p) => p.end === "cycle limit")).toBe(true);
    const { result: steps } = runSource(src, { ...cores4, maxSteps: 30_000 });
    expect(steps.procs.every((p) => p.end === "step limit")).toBe(true);
    const first = steps.procs.reduce((a, p) => (p.finishCycles < a.finishCycles ? p : a));
    expect(first.pid).toBe(3);
    expect(steps.error).toMatchObject({ proc: 3, time: first.finishCycles });
    expect(steps.error?.message.split("\n")).toHaveLength(5);
  });

  it("writes one error event, at the run's end, after every core has stopped", () => {
    const { sim, sink } = simulation(waitsOnCore0("print recv(0)"), { ...cores4, maxSteps: 5000 });
    const result = sim.run();
    expect(sink.errors).toHaveLength(1);
    expect(sink.errors[0]).toEqual({ time: result.error!.time, proc: 0, line: 4, message: result.error!.message });
    expect(sink.events.at(-1)).toBe("error 0");
    expect(sink.events.filter((e) => e.startsWith("failed"))).toEqual([`failed 0 @${result.procs[0]!.finishCycles}`]);
  });

  it("an error after a limit still ends the whole run at once, with its own error event only", () => {
    // core 1 probes as it works (back to the scheduler each time): the others reach their limits first
    const src = "from parallel import *\nif coreid()==1:\n\ti=0\n\twhile i<1000:\n\t\ti+=1\n\t\tx=probe(2)\n\tprint 1/0\nwhile true:\n\tpass\n";
    const { sim, sink } = simulation(src, { ...cores4, maxSteps: 20_000 });
    const result = sim.run();
    expect(result.error).toMatchObject({ kind: "runtime", proc: 1, line: 7, message: "integer division by zero" });
    expect(sink.errors.map((e) => e.proc)).toEqual([1]);
    expect(result.procs.map((p) => p.end)).toEqual(["step limit", "error", "step limit", "step limit"]);
    // the limits first (in the start-up barrier's release order), the error last
    const failed = sink.events.filter((e) => e.startsWith("failed")).map((e) => e.split(" ")[1]);
    expect(failed.at(-1)).toBe("1");
    expect([...failed].sort()).toEqual(["0", "1", "2", "3"]);
    expect(result.procs[1]!.finishCycles).toBe(result.error!.time);
  });

  it("an error ends the run before cores not yet simulated as far: they are cut short where they got, not completed", () => {
    const src = "from parallel import *\nif coreid()==1:\n\ti=0\n\twhile i<3000:\n\t\ti+=1\n\tprint 1/0\nwhile true:\n\tpass\n";
    const { result } = runSource(src, { ...cores4, maxSteps: 20_000 });
    expect(result.error).toMatchObject({ kind: "runtime", proc: 1 });
    expect(result.procs.map((p) => p.end)).toEqual(["cut short", "error", "cut short", "cut short"]);
    for (const p of result.procs) {
      expect(p.finished).toBe(false);
      // past the start-up (the launch and the start-up barrier), though no byte code ran yet
      expect(p.finishCycles, p.label).toBeGreaterThan(0);
    }
  });

  it("a run stopped from outside: the cores still running end as interrupted, none as completed", () => {
    const src = "from parallel import *\ni=0\nwhile true:\n\ti+=1\n\tif i%50==0:\n\t\tprint i\n";
    const { sim } = simulation(src, { ...cores4, maxSteps: 0, maxCycles: 0 });
    sim.start();
    expect(sim.advance(400)).toBe(false);
    sim.interrupt("SIGINT");
    expect(sim.advance(400)).toBe(true);
    const result = sim.finish();
    expect(result.error).toMatchObject({ kind: "interrupted", message: "SIGINT" });
    for (const p of result.procs) {
      expect(["interrupted", "waiting"], p.label).toContain(p.end);
      expect(p.finished).toBe(false);
      expect(p.finishCycles).toBeGreaterThan(0);
    }
    expect(result.procs.some((p) => p.end === "interrupted")).toBe(true);
  });

  it("a deadlock without limits is reported as before", () => {
    const { result } = runSource("import parallel\nif coreid()==0:\n\ta=recv(1)\nelse:\n\ta=recv(0)\nprint a\n", { cores: [0, 1], maxSteps: 100_000 });
    expect(result.error?.kind).toBe("deadlock");
    expect(result.error?.message).toBe("deadlock: every remaining core is waiting\n  device 0 (line 3) waits to receive from device 1\n  device 1 (line 5) waits to receive from device 0");
    expect(result.procs.map((p) => [p.end, p.waitingFor])).toEqual([
      ["waiting", "to receive from device 1"],
      ["waiting", "to receive from device 0"],
    ]);
  });
});
