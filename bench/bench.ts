/**
 * `npm run bench`: wall-clock speed of the simulator, measured (never asserted in a test).
 * 1. byte-code operations per second on a CPU-bound loop, side by side with python3 running
 *    the same algorithm in the same run (wall, median of 5 with the range, after 2 warm-up runs
 *    that are about twice as slow while V8 optimises; the whole-process figures include them);
 * 2. simulated events per second on a message-heavy 16-core run;
 * 3. simulated core cycles per wall second on a compute-heavy 16-core run;
 * 4. the cost of recording a trace (same run with and without);
 * then whole-process figures as a user sees them (bench/whole-process.ts): CPU seconds of
 * `node bin/epython.js` against python3 on float_accum.py and hello world (median of 5), the
 * 1,024-core run's wall, CPU and peak memory (skipped with --quick), ePython's C interpreter when
 * EPYTHON_C names one, in one table beside the acceptance targets of issue 14.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundledResolver, compileProgram, DEFAULT_CONFIG, recordRun, type RunConfig, simulate } from "../src/index.js";
import { BENCH_USAGE, buildRows, findPython, formatTable, measureWholeProcess, median, parseBenchArgs, type WholeFigures } from "./whole-process.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const now = (): number => performance.now(); // wall-clock ok: this is the benchmark

/** Nested loops of integer and real arithmetic; the same text is valid Python and ePython. */
const CPU_LOOP = `i=0
s=0
x=0.0
while i<600:
\tj=0
\twhile j<1000:
\t\ts=(s+i*j+j%7)%1000003
\t\tx=x*0.5+j*0.25
\t\tj+=1
\ti+=1
print(s)
print(x)
`;

const quiet = { output: () => {}, input: () => null };

function best<T>(runs: number, f: () => T): { ms: number; value: T } {
  let ms = Infinity;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    value = f();
    ms = Math.min(ms, now() - t0);
  }
  return { ms, value };
}

/** Wall milliseconds of `runs` calls of f, and the last value. */
function timings<T>(runs: number, f: () => T): { ms: number[]; value: T } {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    value = f();
    ms.push(now() - t0);
  }
  return { ms, value };
}

/** "135 ms (133-236)": the median and the range of the runs. */
const msRange = (xs: readonly number[]): string => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;

function cpuBound(python: string | undefined): WholeFigures["inProcess"] {
  const { image } = compileProgram(CPU_LOOP, "cpu.py", bundledResolver());
  const config: RunConfig = { ...DEFAULT_CONFIG, cores: [0] };
  const runs = 5;
  const warmUp = 2; // V8 optimises the interpreter loop during the first runs (about 2x slower)
  const all = timings(warmUp + runs, () => simulate(image, config, quiet));
  const r = { ms: all.ms.slice(warmUp), value: all.value };
  const simMs = median(r.ms);
  const steps = r.value.procs[0]!.steps;
  // python3 runs the same loop `runs` times in one process and prints each run's seconds
  const loop = `${JSON.stringify(CPU_LOOP)}.replace('print(s)','').replace('print(x)','')`;
  const py = spawnSync(python ?? "python3", ["-c", `import time\nsrc=${loop}\nfor _ in range(${runs}):\n\tt=time.perf_counter()\n\texec(src, {})\n\tprint(time.perf_counter()-t)`], { encoding: "utf8" });
  const pyRuns = py.status === 0 ? py.stdout.trim().split("\n").map((l) => Number(l) * 1000) : [];
  const pyMs = pyRuns.length === runs && pyRuns.every((x) => Number.isFinite(x)) ? median(pyRuns) : undefined;
  console.log(`CPU-bound loop (600 x 1000 iterations of int and real arithmetic, 1 core; wall, median of ${runs} in one process and the range):`);
  console.log(`  epython-sim: ${msRange(r.ms)} wall after ${warmUp} warm-up runs (${all.ms.slice(0, warmUp).map((x) => x.toFixed(0)).join(" and ")} ms), ${steps} byte-code operations, ${(steps / simMs / 1000).toFixed(1)} M ops/s`);
  console.log(`  python3:     ${pyMs === undefined ? "not available" : `${msRange(pyRuns)} wall`}`);
  if (pyMs !== undefined) console.log(`  ratio:       epython-sim takes ${(simMs / pyMs).toFixed(2)}x the time of CPython (ePython's C interpreter: see the whole-process table below)`);
  const simSeconds = r.value.totalCycles / r.value.clockHz;
  console.log(`  simulated:   ${simSeconds.toFixed(3)} s on one 600 MHz Epiphany core (${(simSeconds * 1000 / simMs).toFixed(1)}x real time)`);
  return { simMs, pyMs };
}

function example(name: string): string {
  return readFileSync(join(ROOT, "examples", name), "utf8");
}

function messageHeavy(): void {
  // a ring of 16 cores passing a token many times, plus halo swaps and reductions
  const src = `from parallel import *
me=coreid()
n=numcores()
i=0
v=0
while i<300:
\tif me==0:
\t\tsend(v+1, 1)
\t\tv=recv(n-1)
\telse:
\t\tv=recv(me-1)
\t\tsend(v+1, (me+1)%n)
\tw=reduce(v, "sum")
\ti+=1
if me==0:
\tprint v
`;
  const { image } = compileProgram(src, "ring.py", bundledResolver());
  const config: RunConfig = { ...DEFAULT_CONFIG, cores: Array.from({ length: 16 }, (_, i) => i) };
  const r = best(3, () => simulate(image, config, quiet));
  console.log("Message-heavy run (16 cores: token ring and all-reduce, 300 rounds):");
  console.log(`  ${r.value.events} simulated events and ${r.value.messages} messages in ${r.ms.toFixed(0)} ms: ${(r.value.events / r.ms / 1000).toFixed(2)} M events/s, ${(r.value.messages / r.ms / 1000).toFixed(2)} M messages/s`);
}

function computeHeavy(): void {
  const { image } = compileProgram(example("mandel_rows.py").replace("W=32", "W=64").replace("H=8", "H=32"), "mandel.py", bundledResolver());
  const config: RunConfig = { ...DEFAULT_CONFIG, cores: Array.from({ length: 16 }, (_, i) => i) };
  const r = best(3, () => simulate(image, config, quiet));
  const cycles = r.value.procs.reduce((a, p) => a + p.finishCycles, 0);
  const steps = r.value.procs.reduce((a, p) => a + p.steps, 0);
  console.log("Compute-heavy run (16 cores: Mandelbrot 64 x 32):");
  console.log(`  ${(cycles / 1e6).toFixed(1)} M simulated core cycles in ${r.ms.toFixed(0)} ms: ${(cycles / r.ms / 1000).toFixed(0)} M core cycles per wall second (${(steps / r.ms / 1000).toFixed(1)} M ops/s)`);
}

function tracing(): void {
  const { image, files } = compileProgram(example("jacobi_small.py"), "jacobi_small.py", bundledResolver());
  const config: RunConfig = { ...DEFAULT_CONFIG, cores: Array.from({ length: 16 }, (_, i) => i) };
  const plain = best(5, () => simulate(image, config, quiet));
  const traced = best(5, () => recordRun(image, files, config));
  const events = plain.value.events;
  console.log("Tracing overhead (jacobi_small on 16 cores):");
  console.log(`  without trace ${plain.ms.toFixed(1)} ms, with trace ${traced.ms.toFixed(1)} ms (+${(((traced.ms - plain.ms) / plain.ms) * 100).toFixed(0)}%), trace ${traced.value.length} bytes for ${events} scheduler events`);
}

function wholeProcess(options: Parameters<typeof measureWholeProcess>[2], inProcess: WholeFigures["inProcess"]): void {
  console.log(`Whole processes, as a user runs them (${cpus().length} cores, load average ${loadavg()[0]!.toFixed(2)} at the start; CPU seconds = user+sys, median of ${options.runs} and the range of the runs):`);
  const tmp = mkdtempSync(join(tmpdir(), "epython-bench-"));
  try {
    const f = measureWholeProcess(ROOT, tmp, options, inProcess, (line) => console.log(line));
    if (!f) return;
    console.log(formatTable(buildRows(f), f.pythonVersion));
    console.log("  loop alone = the float_accum median minus the hello-world median of the same implementation; targets from issue 14 (item 5); MB = 10^6 bytes");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const parsed = parseBenchArgs(process.argv.slice(2), process.env);
if (!parsed.ok) {
  console.error(`bench: ${parsed.error}\n${BENCH_USAGE}`);
  process.exit(2);
}
if (parsed.options.help) {
  console.log(BENCH_USAGE);
} else {
  const python = findPython();
  const inProcess = cpuBound(python?.path);
  messageHeavy();
  computeHeavy();
  tracing();
  wholeProcess(parsed.options, inProcess);
}
