/**
 * Whole-process figures for `npm run bench`: the commands a user types, timed as whole processes.
 *
 * How a process is measured (Linux; any system with bash): the command runs under bash's `time`
 * keyword with TIMEFORMAT="%3R %3U %3S", which reports wall seconds and the user and system CPU
 * seconds that the kernel accounted to the child and to everything it waited for (getrusage of the
 * children, millisecond resolution). CPU seconds below are user + sys. Peak memory is the child's
 * maximum resident set size from GNU time (`/usr/bin/time -f %M`, the wait4 rusage of the process
 * tree), when /usr/bin/time is GNU time; otherwise it is reported as not measured.
 *
 * python3 is called directly: the python3 found on PATH is asked for sys.executable and that file
 * is run, so a wrapper on PATH (a pyenv shim is a bash script) is not timed with it.
 *
 * The pure parts (arguments, parsing the timing report, the table and its verdicts) are exported
 * for the tests; nothing here runs on import.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

// ---------------------------------------------------------------------------------------------
// arguments

export interface BenchOptions {
  /** skip the 1,024-core run (about a minute) */
  readonly quick: boolean;
  /** whole-process runs of each command; the median is reported */
  readonly runs: number;
  readonly help: boolean;
}

export const BENCH_USAGE = `usage: npm run bench [-- [--quick] [--runs N]]
  --quick    skip the 1,024-core run of examples/collectives.py (about a minute today);
             EPYTHON_BENCH_QUICK=1 does the same
  --runs N   whole-process runs of each command, of which the median is reported (default 5)
  --help     this text
environment: EPYTHON_C=/path/to/epython-host adds ePython's C interpreter (its host build,
             \`make standalone\` in ePython's repository) to the whole-process table`;

export type ParsedBenchArgs = { readonly ok: true; readonly options: BenchOptions } | { readonly ok: false; readonly error: string };

export function parseBenchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedBenchArgs {
  const quickEnv = env["EPYTHON_BENCH_QUICK"];
  let quick = quickEnv !== undefined && quickEnv !== "" && quickEnv !== "0";
  let runs = 5;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") quick = true;
    else if (a === "--help" || a === "-h") help = true;
    else if (a === "--runs" || a.startsWith("--runs=")) {
      const v = a === "--runs" ? argv[++i] : a.slice("--runs=".length);
      if (v === undefined) return { ok: false, error: "--runs needs a number" };
      if (!/^[1-9][0-9]?$/.test(v)) return { ok: false, error: `--runs ${v}: expected a whole number from 1 to 99` };
      runs = Number(v);
    } else return { ok: false, error: `unknown argument ${a}` };
  }
  return { ok: true, options: { quick, runs, help } };
}

// ---------------------------------------------------------------------------------------------
// measuring one process

export interface ProcessFigures {
  readonly wall: number;
  readonly user: number;
  readonly sys: number;
  /** user + sys */
  readonly cpu: number;
  /** kilobytes, when GNU time is available */
  readonly maxRssKb: number | undefined;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The last line of bash's `time` report in TIMEFORMAT="%3R %3U %3S": wall, user and sys seconds. */
export function parseTimeReport(text: string): { wall: number; user: number; sys: number } | undefined {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(lines[i]!);
    if (m) return { wall: Number(m[1]), user: Number(m[2]), sys: Number(m[3]) };
  }
  return undefined;
}

/** GNU time's -o file with -f %M: the last line is the kilobytes (a line before it may say the exit status). */
export function parseMaxRss(text: string): number | undefined {
  const last = text.split("\n").map((l) => l.trim()).filter((l) => l !== "").pop();
  return last !== undefined && /^\d+$/.test(last) ? Number(last) : undefined;
}

const TIME_SCRIPT = 'TIMEFORMAT="%3R %3U %3S"; out=$1; err=$2; shift 2; time "$@" >"$out" 2>"$err"';

export interface Timer {
  readonly tmp: string;
  /** /usr/bin/time is GNU time (takes -f %M -o FILE) */
  readonly gnuTime: boolean;
}

/** Whether bash is there to time the processes, and whether /usr/bin/time is GNU time. */
export function makeTimer(tmp: string): Timer | undefined {
  if (spawnSync("bash", ["-c", "true"]).status !== 0) return undefined;
  const probe = join(tmp, "gnu-time-probe");
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "-o", probe, "true"], { stdio: "ignore" });
  const gnuTime = r.status === 0 && existsSync(probe) && parseMaxRss(readFileSync(probe, "utf8")) !== undefined;
  return { tmp, gnuTime };
}

export function timeProcess(timer: Timer, cmd: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): ProcessFigures {
  const out = join(timer.tmp, "stdout");
  const err = join(timer.tmp, "stderr");
  const rss = join(timer.tmp, "maxrss");
  const bashArgs = ["-c", TIME_SCRIPT, "bench-time", out, err, ...cmd];
  const argv = timer.gnuTime ? ["/usr/bin/time", "-f", "%M", "-o", rss, "bash", ...bashArgs] : ["bash", ...bashArgs];
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env: env ?? process.env, encoding: "utf8" });
  if (r.error) throw r.error;
  const t = parseTimeReport(r.stderr);
  if (!t) throw new Error(`no timing report from bash for ${cmd.join(" ")}: ${r.stderr.trim()}`);
  return {
    ...t,
    cpu: t.user + t.sys,
    maxRssKb: timer.gnuTime && existsSync(rss) ? parseMaxRss(readFileSync(rss, "utf8")) : undefined,
    status: r.status,
    stdout: readFileSync(out, "utf8"),
    stderr: readFileSync(err, "utf8"),
  };
}

// ---------------------------------------------------------------------------------------------
// the programs

/** The python3 on PATH, resolved to the interpreter itself (sys.executable) so that it is called directly. */
export function findPython(): { path: string; version: string } | undefined {
  const r = spawnSync("python3", ["-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" });
  if (r.status !== 0) return undefined;
  const [path, version] = r.stdout.trim().split("\n");
  return path && version && existsSync(path) ? { path, version } : undefined;
}

/** The executable named by EPYTHON_C, or why it cannot be used. */
export function findCInterpreter(value: string | undefined): { path: string } | { missing: string } {
  if (value === undefined || value === "") return { missing: "not available (set EPYTHON_C)" };
  try {
    if (!statSync(value).isFile()) return { missing: `not available (EPYTHON_C=${value} is not a file)` };
    accessSync(value, constants.X_OK);
  } catch {
    return { missing: `not available (EPYTHON_C=${value} is not an executable file)` };
  }
  return { path: value };
}

/** examples/float_accum.py with its `while i<N:` count replaced. */
export function withIterations(src: string, n: number): string {
  const re = /^(while\s+i\s*<\s*)(\d+)(\s*:)/m;
  if (!re.test(src)) throw new Error("examples/float_accum.py has no `while i<N:` loop whose count the bench can set");
  return src.replace(re, `$1${n}$3`);
}

/** ePython's print statement (`print s`) as Python 3's print function; nothing else changes. */
export function toPython3(src: string): string {
  return src.replace(/^([ \t]*)print[ \t]+(.+?)[ \t]*$/gm, "$1print($2)");
}

/** float_accum.py's integer result, s = sum of i%7 for i < n, which every implementation must print. */
export function floatAccumSum(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += i % 7;
  return s;
}

// ---------------------------------------------------------------------------------------------
// statistics and the table

export interface Series {
  /** seconds, one per run */
  readonly samples: readonly number[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** "0.99 s (0.97-1.02)": the median and the range of the runs, or "0.99 s" for one run. */
export function formatSeries(xs: readonly number[]): string {
  if (xs.length === 0) return "-";
  const sec = (x: number) => x.toFixed(2);
  if (xs.length === 1) return `${sec(xs[0]!)} s`;
  return `${sec(median(xs))} s (${sec(Math.min(...xs))}-${sec(Math.max(...xs))})`;
}

/** Each implementation's CPU seconds per run: the loop program and hello world. */
export interface Implementation {
  readonly loop: readonly number[];
  readonly hello: readonly number[];
}

export interface E1024Figures {
  readonly wall: number;
  readonly cpu: number;
  readonly maxRssKb: number | undefined;
}

export interface WholeFigures {
  readonly iterations: number;
  readonly runs: number;
  readonly sim: Implementation;
  /** a reason when CPython or the C interpreter was not measured */
  readonly python: Implementation | { readonly missing: string };
  readonly pythonVersion: string | undefined;
  readonly c: Implementation | { readonly missing: string };
  /** wall milliseconds of the in-process CPU loop (median of 5 after warm-up), and of python3 running it in-process */
  readonly inProcess: { readonly simMs: number; readonly pyMs: number | undefined } | undefined;
  readonly e1024: E1024Figures | { readonly skipped: string };
}

/** The acceptance targets of issue 14, item 5. */
export const TARGETS = {
  loopRatio: 0.5,
  inProcessRatio: 0.3,
  helloCpu: 0.25,
  e1024Wall: 5,
  e1024MemoryMb: 500,
} as const;

export type Verdict = "met" | "not met" | "unknown" | "skipped";

export interface Row {
  readonly work: string;
  readonly sim: string;
  readonly c: string;
  readonly python: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: Verdict | "";
}

const isImpl = (x: Implementation | { readonly missing: string }): x is Implementation => "loop" in x;
const judge = (value: number | undefined, limit: number, strict: boolean): Verdict =>
  value === undefined || Number.isNaN(value) ? "unknown" : (strict ? value < limit : value <= limit) ? "met" : "not met";
const ratioText = (r: number | undefined): string => (r === undefined || Number.isNaN(r) ? "-" : `${r.toFixed(2)}x`);
/** megabytes of 10^6 bytes from GNU time's kilobytes (1,024 bytes) */
export const kbToMb = (kb: number): number => (kb * 1024) / 1e6;

export function buildRows(f: WholeFigures): Row[] {
  const py = isImpl(f.python) ? f.python : undefined;
  const c = isImpl(f.c) ? f.c : undefined;
  const cCell = (xs: readonly number[] | undefined) => (c && xs ? formatSeries(xs) : "n/a");
  const pyCell = (xs: readonly number[] | undefined) => (py && xs ? formatSeries(xs) : "n/a");
  const loopAlone = (i: Implementation | undefined) => (i ? median(i.loop) - median(i.hello) : undefined);
  const simAlone = loopAlone(f.sim);
  const pyAlone = loopAlone(py);
  const cAlone = loopAlone(c);
  const div = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b <= 0 ? undefined : a / b);
  const alone = (x: number | undefined) => (x === undefined ? "n/a" : `${x.toFixed(2)} s`);
  const helloSim = median(f.sim.hello);
  const loopRatio = div(simAlone, pyAlone);
  const wholeRatio = div(median(f.sim.loop), py ? median(py.loop) : undefined);
  const rows: Row[] = [
    {
      work: `float_accum.py, ${f.iterations.toLocaleString("en-US")} iterations, 1 core`,
      sim: formatSeries(f.sim.loop),
      c: cCell(c?.loop),
      python: pyCell(py?.loop),
      ratio: ratioText(wholeRatio),
      // issue 14's acceptance: the whole process, start-up included, at most half of CPython's
      target: `<= ${TARGETS.loopRatio}x CPython`,
      verdict: judge(wholeRatio, TARGETS.loopRatio, false),
    },
    {
      work: "hello world, 1 core (start-up)",
      sim: formatSeries(f.sim.hello),
      c: cCell(c?.hello),
      python: pyCell(py?.hello),
      ratio: ratioText(div(helloSim, py ? median(py.hello) : undefined)),
      target: `sim <= ${TARGETS.helloCpu} s CPU`,
      verdict: judge(helloSim, TARGETS.helloCpu, false),
    },
    {
      work: "loop alone (float_accum minus start-up)",
      sim: alone(simAlone),
      c: alone(cAlone),
      python: alone(pyAlone),
      ratio: ratioText(loopRatio),
      target: `<= ${TARGETS.loopRatio}x CPython`,
      verdict: judge(loopRatio, TARGETS.loopRatio, false),
    },
  ];
  const ip = f.inProcess;
  const ipRatio = ip ? div(ip.simMs, ip.pyMs) : undefined;
  rows.push({
    work: "in-process CPU loop (wall median; above)",
    sim: ip ? `${ip.simMs.toFixed(0)} ms` : "n/a",
    c: "-",
    python: ip?.pyMs !== undefined ? `${ip.pyMs.toFixed(0)} ms` : "n/a",
    ratio: ratioText(ipRatio),
    target: `<= ${TARGETS.inProcessRatio}x CPython`,
    verdict: judge(ipRatio, TARGETS.inProcessRatio, false),
  });
  const e = f.e1024;
  if ("skipped" in e) {
    rows.push({ work: "collectives.py on e1024 (1,024 cores)", sim: e.skipped, c: "-", python: "-", ratio: "-", target: `< ${TARGETS.e1024Wall} s wall, < ${TARGETS.e1024MemoryMb} MB`, verdict: "skipped" });
  } else {
    const mb = e.maxRssKb === undefined ? undefined : kbToMb(e.maxRssKb);
    rows.push(
      { work: "collectives.py on e1024, wall (1 run)", sim: `${e.wall.toFixed(2)} s`, c: "-", python: "-", ratio: "-", target: `< ${TARGETS.e1024Wall} s wall`, verdict: judge(e.wall, TARGETS.e1024Wall, true) },
      { work: "collectives.py on e1024, CPU", sim: `${e.cpu.toFixed(2)} s`, c: "-", python: "-", ratio: "-", target: "", verdict: "" },
      {
        work: "collectives.py on e1024, peak memory",
        sim: mb === undefined ? "not measured (needs GNU time)" : `${mb.toFixed(0)} MB`,
        c: "-",
        python: "-",
        ratio: "-",
        target: `< ${TARGETS.e1024MemoryMb} MB`,
        verdict: judge(mb, TARGETS.e1024MemoryMb, true),
      },
    );
  }
  return rows;
}

/** The rows as one aligned table with a header. */
export function formatTable(rows: readonly Row[], pythonVersion: string | undefined): string {
  const header: Row = {
    work: "work (CPU seconds unless said)",
    sim: "epython-sim",
    c: "ePython C (host)",
    python: pythonVersion ? `CPython ${pythonVersion}` : "CPython",
    ratio: "sim/CPython",
    target: "target",
    verdict: "met?" as Verdict,
  };
  const cols = ["work", "sim", "c", "python", "ratio", "target", "verdict"] as const;
  const all = [header, ...rows];
  const width = cols.map((k) => Math.max(...all.map((r) => r[k].length)));
  const line = (r: Row) => `| ${cols.map((k, i) => r[k].padEnd(width[i]!)).join(" | ")} |`;
  const rule = `|${width.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// running it all

export const ITERATIONS = 3_000_000;

function check(what: string, r: ProcessFigures, expect: RegExp): void {
  if (r.status !== 0 || !expect.test(r.stdout)) {
    throw new Error(`${what}: exit status ${r.status}, expected output ${expect} not found\nstdout: ${r.stdout.slice(0, 500)}\nstderr: ${r.stderr.slice(0, 500)}`);
  }
}

/** A progress line on stderr when it is a terminal, cleared by progress(""). */
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}

/**
 * Runs every command `runs` times, round by round (each round runs each command once, so a change
 * in the machine's load touches every column alike), then the 1,024-core run once unless quick.
 * Progress goes to stderr (on a terminal); notes about what was run go to `say`.
 */
export function measureWholeProcess(
  root: string,
  tmp: string,
  options: BenchOptions,
  inProcess: WholeFigures["inProcess"],
  say: (line: string) => void,
): WholeFigures | undefined {
  const timer = makeTimer(tmp);
  if (!timer) {
    say("  not measured: bash is needed to time the processes");
    return undefined;
  }
  say(`  timing: bash's \`time\` (user+sys of the child and its descendants, ms resolution); peak memory: ${timer.gnuTime ? "GNU time's %M (max RSS)" : "not measured (/usr/bin/time is not GNU time)"}`);

  const bin = join(root, "bin", "epython.js");
  const node = process.execPath;
  const example = readFileSync(join(root, "examples", "float_accum.py"), "utf8");
  const loopEp = join(tmp, "float_accum_3M.py");
  writeFileSync(loopEp, withIterations(example, ITERATIONS));
  const sum = floatAccumSum(ITERATIONS);
  const sumLine = new RegExp(`(^|\\s)${sum}\\s*$`, "m");

  const py = findPython();
  let loopPy: string | undefined;
  if (py) {
    const text = withIterations(example, ITERATIONS);
    const valid = (src: string) => spawnSync(py.path, ["-c", "import ast,sys; ast.parse(sys.stdin.read())"], { input: src }).status === 0;
    if (valid(text)) {
      loopPy = loopEp;
      say(`  python3: ${py.path} (${py.version}), called directly; it runs the same file`);
    } else {
      const converted = toPython3(text);
      if (!valid(converted)) throw new Error("examples/float_accum.py is not Python 3, even with its print statements converted");
      loopPy = join(tmp, "float_accum_3M_py3.py");
      writeFileSync(loopPy, converted);
      say(`  python3: ${py.path} (${py.version}), called directly; float_accum.py uses ePython's print statement, so python3 runs a copy with \`print s\` written \`print(s)\` (the loop is the same text; CPython's reals are doubles, ePython's float32)`);
    }
  } else say("  python3: not available");

  const cFound = findCInterpreter(process.env["EPYTHON_C"]);
  const cEnv = "path" in cFound
    ? { ...process.env, EPYTHONPATH: [join(dirname(cFound.path), "modules"), join(root, "examples", "epython", "modules"), process.env["EPYTHONPATH"]].filter((x) => x).join(":") }
    : undefined;
  say(`  ePython's C interpreter: ${"path" in cFound ? `${cFound.path} -h 1 (one host core)` : cFound.missing}`);
  say(`  epython-sim: ${node} bin/epython.js -d 1 (the bundled CLI)`);

  interface Cmd {
    readonly name: string;
    readonly argv: string[];
    readonly expect: RegExp;
    readonly env?: NodeJS.ProcessEnv;
    readonly samples: number[];
  }
  const cmds: Cmd[] = [
    { name: "epython-sim float_accum", argv: [node, bin, "-d", "1", loopEp], expect: sumLine, samples: [] },
    { name: "epython-sim hello", argv: [node, bin, "-d", "1", join(root, "examples", "hello.py")], expect: /Hello world from core 0 of 1/, samples: [] },
  ];
  if (py && loopPy) {
    cmds.push(
      { name: "python3 float_accum", argv: [py.path, loopPy], expect: sumLine, samples: [] },
      { name: "python3 hello", argv: [py.path, "-c", 'print("hello")'], expect: /^hello$/m, samples: [] },
    );
  }
  if ("path" in cFound) {
    cmds.push(
      { name: "ePython C float_accum", argv: [cFound.path, "-h", "1", loopEp], expect: sumLine, env: cEnv, samples: [] },
      { name: "ePython C hello", argv: [cFound.path, "-h", "1", join(root, "examples", "hello.py")], expect: /Hello world from core 0 of 1/, env: cEnv, samples: [] },
    );
  }
  for (let round = 1; round <= options.runs; round++) {
    progress(`  whole-process runs: round ${round} of ${options.runs}`);
    for (const c of cmds) {
      const r = timeProcess(timer, c.argv, root, c.env);
      check(c.name, r, c.expect);
      c.samples.push(r.cpu);
    }
  }
  progress("");
  const samples = (name: string) => cmds.find((c) => c.name === name)?.samples ?? [];
  const impl = (prefix: string): Implementation => ({ loop: samples(`${prefix} float_accum`), hello: samples(`${prefix} hello`) });

  let e1024: WholeFigures["e1024"];
  if (options.quick) e1024 = { skipped: "skipped (--quick)" };
  else {
    progress("  the 1,024-core run (about a minute today)...");
    const r = timeProcess(timer, [node, bin, "--chip", "e1024", join(root, "examples", "collectives.py")], root);
    progress("");
    check("epython-sim --chip e1024 collectives.py", r, /\[device 1023\] rsum /);
    const cores = r.stdout.match(/^\[device \d+\] rsum /gm)?.length ?? 0;
    if (cores !== 1024) throw new Error(`epython-sim --chip e1024 collectives.py: ${cores} cores printed rsum, expected 1024`);
    e1024 = { wall: r.wall, cpu: r.cpu, maxRssKb: r.maxRssKb };
  }
  return {
    iterations: ITERATIONS,
    runs: options.runs,
    sim: impl("epython-sim"),
    python: py ? impl("python3") : { missing: "not available" },
    pythonVersion: py?.version,
    c: "path" in cFound ? impl("ePython C") : { missing: cFound.missing },
    inProcess,
    e1024,
  };
}
