/**
 * ePython's own programs (examples/epython: every example of its repository, branch dev, and every
 * code block of its tutorials 1-5, unchanged) run at every core count they support among 1, 4 and
 * 16, and print what ePython prints. Programs that need more cores than they are given fail with
 * the clear "not an active core" error (exit code 1, no stack trace of ours).
 *
 * Deterministic programs are compared with tests/corpus/NAME.cN.expected (as tests/conformance:
 * each core's own lines in order; how cores interleave is not compared). Those files come from
 * ePython's host build (`epython-host -h N`) where it finished, and from a separate single-precision
 * model of the Jacobi and Gauss-Seidel solvers where the host build's racy messaging hung; see
 * tests/corpus/README.md. Programs that use random numbers (our generator is not ePython's) are
 * checked by what must hold whatever the numbers.
 *
 * Speed: the runs that succeed go through a few `run-cases.mjs` processes side by side (the built
 * compiler and simulator, as `epython -d N` runs them); the runs that must fail go through the
 * built CLI itself, so its exit code and message are what is checked.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

const EXAMPLES = join(ROOT, "examples", "epython");
const DIR = join(ROOT, "tests", "corpus");

type PerCore = Map<number, string[]>;

interface Program {
  name: string;
  /** core counts (of 1, 4, 16) it runs at */
  runs: number[];
  /** core counts below what it needs: it must stop with the "not an active core" error */
  tooFew?: number[];
  /** lines typed at its input() prompts */
  stdin?: string[];
  /** what must hold when it uses random numbers; otherwise NAME.cN.expected is compared */
  check?: (out: PerCore, cores: number) => void;
  /** runs (core counts, in runs or tooFew) that fail today for a known gap being fixed */
  fails?: { cores: number[]; reason: string };
  /** rough cost in seconds of its runs by core count, to share them out between the worker processes */
  cost?: Record<number, number>;
}

const ALL = [1, 4, 16];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const num = (s: string) => Number(s);

/** Every core prints exactly `lines(k)` (no other core prints). */
function eachCore(out: PerCore, cores: number, lines: (k: number) => RegExp[]): RegExpExecArray[][] {
  expect([...out.keys()].sort((a, b) => a - b)).toEqual(range(cores).filter((k) => lines(k).length > 0));
  return range(cores).map((k) => {
    const want = lines(k);
    const got = out.get(k) ?? [];
    expect(got.length, `lines of device ${k}`).toBe(want.length);
    return got.map((l, i) => {
      const m = want[i]!.exec(l);
      expect(m, `device ${k} printed '${l}'`).not.toBeNull();
      return m!;
    });
  });
}

/** Only device `k` prints; returns its lines. */
function only(out: PerCore, k: number): string[] {
  expect([...out.keys()]).toEqual([k]);
  return out.get(k)!;
}

function ascendingInts(lines: string[], count: number, below: number): number[] {
  expect(lines.length).toBe(count);
  const v = lines.map((l) => {
    expect(l).toMatch(/^\d+$/);
    return num(l);
  });
  for (const x of v) expect(x).toBeLessThan(below);
  expect(v).toEqual([...v].sort((a, b) => a - b));
  return v;
}

const REAL = "(-?\\d+\\.\\d{6})";
const piClose = (s: string) => expect(Math.abs(num(s) - Math.PI)).toBeLessThan(0.3);
const CONTIGUOUS = new RegExp(`^${REAL}% of numbers were contiguous$`);

/** The same random value in [0, 100) printed by every core after `prefix`. */
function sameEverywhere(out: PerCore, cores: number, prefix: string) {
  const got = eachCore(out, cores, () => [new RegExp(`^${prefix}(\\d+)$`)]);
  const values = new Set(got.map((l) => l[0]![1]));
  expect(values.size).toBe(1);
  expect(num([...values][0]!)).toBeLessThan(100);
}

const PROGRAMS: Program[] = [
  {
    name: "arrays",
    runs: ALL,
    check: (out, n) => {
      for (const [l] of eachCore(out, n, () => [/^Random index is (\d+) value is (\d+)$/])) {
        expect(l![1]).toBe(l![2]);
        expect(num(l![1]!)).toBeLessThan(100);
      }
    },
  },
  { name: "broadcast", runs: ALL, check: (out, n) => sameEverywhere(out, n, "The random number from core 0 is ") },
  { name: "controlflow", runs: ALL },
  { name: "coreidentity", runs: ALL },
  { name: "functions", runs: ALL },
  { name: "gauss-seidel", runs: ALL, cost: { 1: 1.3, 4: 1.4, 16: 4.2 } },
  {
    name: "haloswap",
    runs: [16],
    tooFew: [1, 4],
    // core 0 broadcasts a random core id; that core prints its 12 values: the left neighbour's id
    // (its own on core 0), its own id 10 times, the right neighbour's id (its own on core 15)
    check: (out) => {
      expect(out.size).toBe(1);
      const [k, lines] = [...out][0]!;
      const want = [k > 0 ? k - 1 : k, ...Array(10).fill(k), k < 15 ? k + 1 : k];
      expect(lines).toEqual(want.map((v) => `Value is ${v}`));
    },
  },
  { name: "hello", runs: ALL },
  // every core asks for a name; each is given one
  { name: "input", runs: ALL, stdin: Array(16).fill("Nick") },
  { name: "jacobi", runs: ALL, cost: { 1: 2.4, 4: 2.9, 16: 7.5 } },
  { name: "loops", runs: ALL },
  { name: "mandlebrot", runs: ALL, cost: { 1: 0.1, 4: 0.4, 16: 0.5 } },
  {
    name: "mergesort",
    runs: [16],
    tooFew: [1, 4],
    check: (out) => ascendingInts(only(out, 0), 128, 1000),
  },
  { name: "odd-even-sort", runs: ALL, cost: { 1: 0.5, 4: 0.4, 16: 0.6 }, check: (out, n) => range(n).forEach((k) => ascendingInts(out.get(k) ?? [], 100, 100)) },
  { name: "p2pcomm", runs: [4, 16], tooFew: [1] },
  {
    name: "parallel-odd-even-sort",
    runs: ALL,
    cost: { 1: 0.1, 4: 0.5, 16: 1 },
    // 25 values per core, sorted across the cores in core order
    check: (out, n) => {
      expect(out.size).toBe(n);
      ascendingInts(range(n).flatMap((k) => out.get(k) ?? []), 25 * n, 1000);
      for (const k of range(n)) expect(out.get(k)!.length).toBe(25);
    },
  },
  {
    name: "parallel_pipeline",
    runs: [16],
    tooFew: [1, 4],
    cost: { 16: 2.1 },
    // stage 1 sends 11 items (range(10) includes 10) and -1; stage 4 on core 15 prints after each
    check: (out) => only(out, 15).forEach((l, _, all) => (expect(all.length).toBe(12), expect(l).toMatch(CONTIGUOUS))),
  },
  {
    name: "pi",
    runs: ALL,
    check: (out, n) => {
      const [lines] = eachCore(out, n, (k) => (k === 0 ? [/^Using (\d+) cores to estimate PI, this might take a few moments\.\.\.\.\.$/, new RegExp(`^Value of PI=${REAL}$`)] : []));
      expect(num(lines![0]![1]!)).toBe(n);
      piClose(lines![1]![1]!);
    },
  },
  {
    name: "pipeline",
    runs: [4, 16],
    tooFew: [1],
    // 11 items and the final -1: core 3 prints 12 times
    check: (out) => only(out, 3).forEach((l, _, all) => (expect(all.length).toBe(12), expect(l).toMatch(CONTIGUOUS))),
  },
  { name: "reduction", runs: ALL, check: (out, n) => sameEverywhere(out, n, "The highest random number is ") },
  { name: "simpleplus", runs: ALL },
  {
    name: "split_pipeline",
    runs: [16],
    tooFew: [1, 4],
    // the 11 items go round 1,4,7,10,13 (3 to core 1, 2 to the others), then -1 to each: the
    // fourth stages 3,6,9,12,15 print once per item and once at the end
    check: (out) => {
      expect([...out.keys()].sort((a, b) => a - b)).toEqual([3, 6, 9, 12, 15]);
      for (const [k, lines] of out) {
        expect(lines.length).toBe(k === 3 ? 4 : 3);
        for (const l of lines) expect(l).toMatch(CONTIGUOUS);
      }
    },
  },
  { name: "synccores", runs: ALL },
  { name: "task_farm_example", runs: [4, 16], tooFew: [1] },
  {
    name: "task_farm_pi",
    runs: ALL,
    cost: { 1: 0.2, 4: 1, 16: 1.6 },
    // on 1 core there is no worker: range(1,0) is empty and it prints (0.0/10)/0
    check: (out, n) => {
      const [l] = only(out, 0);
      if (n === 1) expect(l).toMatch(/^-?nan$/);
      else piClose(l!);
    },
  },
  { name: "tutorial1-block1", runs: ALL },
  { name: "tutorial1-block2", runs: ALL },
  { name: "tutorial1-block3", runs: ALL },
  { name: "tutorial1-block4", runs: ALL, stdin: ["42"] },
  { name: "tutorial2-block1", runs: [4, 16], tooFew: [1] },
  { name: "tutorial2-block2", runs: ALL },
  { name: "tutorial2-block3", runs: [4, 16], tooFew: [1], check: (out, n) => sameEverywhere(out, n, "The random number from core 2 is ") },
  { name: "tutorial2-block4", runs: ALL, check: (out, n) => sameEverywhere(out, n, "The highest random number is ") },
  { name: "tutorial2-block5", runs: ALL },
  {
    name: "tutorial2-block6",
    runs: ALL,
    stdin: ["10"],
    check: (out) => piClose(new RegExp(`^Value of PI=${REAL}$`).exec(only(out, 0).join("\n"))![1]!),
  },
  { name: "tutorial3-block1", runs: ALL, cost: { 1: 2.4, 4: 2.6, 16: 7.8 } },
  {
    name: "tutorial4-block1",
    runs: [4, 16],
    tooFew: [1],
    cost: { 4: 5.5, 16: 6.2 },
    // 101 items (range(100) includes 100) and the final -1
    check: (out) => only(out, 3).forEach((l, _, all) => (expect(all.length).toBe(102), expect(l).toMatch(CONTIGUOUS))),
  },
  { name: "tutorial5-block1", runs: [4, 16], tooFew: [1] },
  // core 0 tests for the result straight after handing the call to core 1: it is still running
  { name: "tutorial5-block2", runs: [4, 16], tooFew: [1] },
  {
    name: "tutorial5-block3",
    runs: ALL,
    check: (out, n) => {
      const [l] = only(out, 0);
      if (n === 1) expect(l).toMatch(/^-?nan$/);
      else piClose(l!);
    },
  },
];

interface SimRun {
  lines: string[];
  prompts: string[];
  ok: boolean;
  error: string | null;
}
interface CliRun {
  stdout: string;
  stderr: string;
  code: number;
}

function perCore(lines: string[]): PerCore {
  const cores: PerCore = new Map();
  for (const line of lines) {
    const m = /^\[device (\d+)\] ?(.*)$/.exec(line);
    if (!m) throw new Error(`a line without its core: '${line}'`);
    const k = num(m[1]!);
    if (!cores.has(k)) cores.set(k, []);
    cores.get(k)!.push(m[2]!.trimEnd());
  }
  return cores;
}

function run(args: string[], stdin = ""): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    child.stdin.end(stdin);
  });
}

const key = (name: string, cores: number) => `${name} ${cores}`;
const sims = new Map<string, SimRun>();
const clis = new Map<string, CliRun>();

beforeAll(async () => {
  const workers = Math.max(2, Math.min(4, availableParallelism()));
  // the runs that succeed, dealt out by cost (largest first, each to the cheapest batch)
  const jobs = PROGRAMS.flatMap((p) => p.runs.map((cores) => ({ p, cores, cost: p.cost?.[cores] ?? 0.1 })));
  jobs.sort((a, b) => b.cost - a.cost);
  const batches = Array.from({ length: workers }, () => ({ cost: 0, jobs: [] as typeof jobs }));
  for (const j of jobs) {
    const b = batches.reduce((x, y) => (y.cost < x.cost ? y : x));
    b.jobs.push(j);
    b.cost += j.cost;
  }
  const tasks: (() => Promise<void>)[] = batches.map((b) => async () => {
    const spec = b.jobs.map((j) => ({ file: join(EXAMPLES, `${j.p.name}.py`), cores: j.cores, stdin: j.p.stdin ?? [] }));
    const r = await run([join(DIR, "run-cases.mjs"), JSON.stringify(spec)]);
    if (r.code !== 0) throw new Error(`run-cases.mjs failed (${r.code}): ${r.stderr}`);
    (JSON.parse(r.stdout) as SimRun[]).forEach((s, i) => sims.set(key(b.jobs[i]!.p.name, b.jobs[i]!.cores), s));
  });
  // the runs that must fail, through the CLI
  for (const p of PROGRAMS) {
    for (const cores of p.tooFew ?? []) {
      tasks.push(async () => {
        clis.set(key(p.name, cores), await run([join(ROOT, "bin", "epython.js"), "-d", String(cores), join(EXAMPLES, `${p.name}.py`)], (p.stdin ?? []).join("\n")));
      });
    }
  }
  // the batches first (the long ones), then the CLI runs, at most `workers` processes at a time
  const queue = [...tasks];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await t();
    }),
  );
}, 300_000);

describe("ePython's own programs (examples/epython)", () => {
  it("has the whole corpus: every program of examples/epython is tested", () => {
    const files = readFileSync(join(EXAMPLES, "README.md"), "utf8").match(/^\| [\w-]+\.py \|/gm)!;
    expect(files.map((f) => f.slice(2, -5)).sort()).toEqual(PROGRAMS.map((p) => p.name).sort());
    expect(PROGRAMS.length).toBe(40);
    for (const p of PROGRAMS) expect(existsSync(join(EXAMPLES, `${p.name}.py`)), p.name).toBe(true);
  });

  for (const p of PROGRAMS) {
    for (const cores of p.runs) {
      const test = p.fails?.cores.includes(cores) ? it.fails : it;
      test(`${p.name} on ${cores} core${cores > 1 ? "s" : ""}`, () => {
        const r = sims.get(key(p.name, cores))!;
        expect(r.error).toBeNull();
        expect(r.ok).toBe(true);
        const out = perCore(r.lines);
        if (p.check) p.check(out, cores);
        else {
          const want = perCore(readFileSync(join(DIR, `${p.name}.c${cores}.expected`), "utf8").split("\n").filter((l) => l !== ""));
          expect(Object.fromEntries(out)).toEqual(Object.fromEntries(want));
        }
      });
    }
    for (const cores of p.tooFew ?? []) {
      const test = p.fails?.cores.includes(cores) ? it.fails : it;
      test(`${p.name} on ${cores} core${cores > 1 ? "s" : ""} stops: it needs more cores`, () => {
        const r = clis.get(key(p.name, cores))!;
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(
          /^Error on device \d+ at \S+:\d+: attempting to (send to|receive from|sendrecv with|broadcast from) core \d+, which is not an active core \(active: [\d,-]+\)\n  \d+ \| .+\n$/,
        );
        expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      });
    }
  }
});
