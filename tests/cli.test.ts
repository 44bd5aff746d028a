/** End-to-end runs of the `epython` command: flags, errors and exit codes. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runEpython } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "epython-cli-"));
function program(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe("epython command", () => {
  it("runs a program on every core and prefixes lines with the core", () => {
    const r = runEpython(["-d", "4", join(ROOT, "examples", "hello.py")]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").sort();
    expect(lines).toEqual([0, 1, 2, 3].map((i) => `[device ${i}] Hello world from core ${i} of 4`));
  });

  it("reports a syntax error with file:line:col, the line and a caret, exit 1", () => {
    const f = program("syn.py", "x=1\nif x>0\n  print x\n");
    const r = runEpython(["-d", "1", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${f}:2:7: expected ':' but found end of line\nif x>0\n      ^\n`);
    expect(r.stderr).not.toMatch(/at .*\.js/);
  });

  it("reports a runtime error with the core, the user's line and the cause", () => {
    const f = program("div.py", "a=5\nb=0\nprint a/b\n");
    const r = runEpython(["-d", "2", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error on device [01] at .*div\.py:3: integer division by zero\n  3 \| print a\/b\n$/);
  });

  it("reports an error inside the user's own module at the module's line", () => {
    program("mymod.py", "def half(a):\n\treturn a/0\n");
    const f = program("usemod.py", "import mymod\nprint half(3)\n");
    const r = runEpython(["-d", "1", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error on device 0 at .*mymod\.py:2: integer division by zero\n  2 \| return a\/0\n$/);
  });

  it("reports a send to a core that is not active at the user's line", () => {
    const f = program("bad.py", "import parallel\nsend(1, 7)\n");
    const r = runEpython(["-d", "2", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("bad.py:2: attempting to send to core 7, which is not an active core (active: 0-1)");
  });

  it("reports a deadlock with who waits on whom instead of hanging", () => {
    const f = program("dl.py", "import parallel\nif coreid()==0:\n\ta=recv(1)\nelse:\n\ta=recv(0)\nprint a\n");
    const r = runEpython(["-d", "2", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Deadlock");
    expect(r.stderr).toContain("device 0 (line 3) waits to receive from device 1");
    expect(r.stderr).toContain("device 1 (line 5) waits to receive from device 0");
  });

  it("stops an endless loop at --max-steps with a clear message", () => {
    const f = program("inf.py", "i=0\nwhile true:\n\ti+=1\n");
    const r = runEpython(["-d", "1", "--max-steps", "1000", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("step limit of 1000 byte-code operations reached");
    // a loop whose step count lands exactly on the limit at its backward jump
    const tight = program("inf3.py", "while true:\n\tx=1\n");
    expect(runEpython(["-d", "2", "--max-steps", "1000", tight]).stderr).toContain("step limit of 1000 byte-code operations reached");
  });

  it("reports a core that spins on probe() of a finished core as a livelock instead of hanging", () => {
    const f = program("spin.py", 'from parallel import *\nif coreid()==0:\n\twhile not probe(1):\n\t\tpass\nelse:\n\tprint "bye"\n');
    const r = runEpython(["-d", "2", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/livelock: device 0 \(line 3\) has probed device 1, which has finished and sent nothing more, 1,000,000 times in a row/);
  });

  it("stops at --max-cycles", () => {
    const f = program("inf2.py", "i=0\nwhile true:\n\ti+=1\n");
    const r = runEpython(["-d", "2", "--max-cycles", "50000", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("time limit of 50000 cycles reached");
  });

  it("names a parameter that was read but not passed, at the user's line", () => {
    const f = program("unbound.py", "def show(a, b):\n\tprint a\n\tprint b\nshow(5)\n");
    const r = runEpython(["-d", "1", f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("[device 0] 5\n");
    expect(r.stderr).toMatch(/Error on device 0 at .*unbound\.py:3: parameter 'b' of show\(\) was not passed a value/);
  });

  it("gives the out-of-memory error naming core and line", () => {
    const f = program("oom.py", "x=1\na=[0]*120000\n"); // ePython holds 111,996 elements on a core
    const r = runEpython(["-d", "1", f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error on device 0 at .*oom\.py:2: out of core and shared heap memory/);
  });

  it("reads input lines as ePython types them", () => {
    const f = program("inp.py", 'x=input("name? ")\nprint "hi "+x\ny=input()\nprint y+1\n');
    const r = runEpython(["-d", "1", f], { stdin: "bob\n41\n" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[device 0] hi bob");
    expect(r.stdout).toContain("[device 0] 42");
  });

  it("rejects bad flags and missing files with exit code 2", () => {
    expect(runEpython(["--bogus", "x.py"]).code).toBe(2);
    expect(runEpython(["-d", "1025", "x.py"]).stderr).toContain("-d must be a whole number from 0 to 1024");
    expect(runEpython(["-d", "0", join(ROOT, "examples", "hello.py")]).stderr).toContain("-d 0 leaves no core to run on");
    const missing = runEpython(["-d", "1", join(dir, "nope.py")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
    expect(runEpython(["-d", "17", join(ROOT, "examples", "hello.py")]).code).toBe(2);
  });

  it("prints help with -help (and -h takes a count, as in ePython)", () => {
    const r = runEpython(["-help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: epython");
  });

  it("writes byte code with -o and runs it with -l", () => {
    const out = join(dir, "coll.epyc");
    expect(runEpython(["-o", out, join(ROOT, "examples", "collectives.py")]).code).toBe(0);
    const r = runEpython(["-d", "4", "-l", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("[device 2] sum 10");
    const bad = join(dir, "bad.epyc");
    writeFileSync(bad, readFileSync(out).subarray(0, 20));
    const rb = runEpython(["-l", bad]);
    expect(rb.code).toBe(2);
    expect(rb.stderr).toContain("truncated");
  });

  it("prints code and symbol-table sizes with -s, and per-core times with -t", () => {
    const r = runEpython(["-s", "-t", "-d", "2", join(ROOT, "examples", "functions.py")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ bytes for code, \d+ bytes for symbol table \(\d+ entries\), \d+ bytes free$/m);
    expect(r.stdout).toMatch(/^Core 1 completed in \d+\.\d{6} seconds$/m);
  });

  it("lists the byte code with --disasm", () => {
    const r = runEpython(["--disasm", join(ROOT, "examples", "functions.py")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+\d+  CALL\s+\d+ 2\s+add/m);
    expect(r.stdout).toContain("fib(1 parameter, 1 local):");
  });

  it("prints the pre-processed source with -pp", () => {
    const r = runEpython(["-pp", join(ROOT, "examples", "forloops.py")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("def range(");
  });

  it("places cores with -c and runs host virtual cores with -h", () => {
    const c = runEpython(["-c", "1,5", join(ROOT, "examples", "hello.py")]);
    expect(c.code).toBe(0);
    expect(c.stdout.trim().split("\n").sort()).toEqual(["[device 1] Hello world from core 1 of 2", "[device 5] Hello world from core 5 of 2"]);
    const h = runEpython(["-d", "2", "-h", "1", join(ROOT, "examples", "hello.py")]);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain("[host 0] Hello world from core 2 of 3");
    // host virtual cores only, as ePython allows with -d 0
    const only = runEpython(["-d", "0", "-h", "2", join(ROOT, "examples", "hello.py")]);
    expect(only.code).toBe(0);
    expect(only.stdout.trim().split("\n").sort()).toEqual(["[host 0] Hello world from core 0 of 2", "[host 1] Hello world from core 1 of 2"]);
  });

  it("runs the same program twice with the same seed identically, and a new seed changes random numbers only", () => {
    const f = program("rnd.py", "import parallel\nimport random\nprint randrange(1000)\nprint coreid()*2\n");
    const a = runEpython(["-d", "4", "-t", "--seed", "7", f]);
    const b = runEpython(["-d", "4", "-t", "--seed", "7", f]);
    const c = runEpython(["-d", "4", "-t", "--seed", "8", f]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.code).toBe(0);
    const rand = (s: string) => s.split("\n").filter((l) => /^\[device \d\] \d+$/.test(l) && !/\] [0246]$/.test(l));
    expect(rand(a.stdout)).not.toEqual(rand(c.stdout));
    const det = (s: string) => s.split("\n").filter((l) => /\] [0246]$/.test(l)).sort();
    expect(det(a.stdout)).toEqual(det(c.stdout));
  });

  // a bcast and two of collectives.py's reductions (the whole of it, five all-pairs reductions of
  // a million messages each, is npm run bench's 1,024-core figure: about 25 s); with the suite's
  // other worker on the same 2 cores it can take much longer, so it gets room: it checks results
  it("runs all 1024 cores of the e1024", { timeout: 400_000 }, () => {
    const file = join(dir, "e1024.py");
    writeFileSync(file, ["from parallel import *", "me=coreid()", "v=bcast(me+100, 0)", 'print "bcast "+v', 'print "sum "+reduce(me+1, "sum")', 'print "rsum "+reduce(me*0.5, "sum")', ""].join("\n"));
    const r = runEpython(["--chip", "e1024", file], { timeoutMs: 380_000 });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.endsWith("] bcast 100")).length).toBe(1024);
    expect(r.stdout).toContain("[device 1023] sum 524800");
    expect(r.stdout.split("\n").filter((l) => l.endsWith("rsum 261888.000000")).length).toBe(1024);
  });

  it("prints the calibration as JSON", () => {
    const r = runEpython(["calibrate", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.remote_read_cycles).toHaveLength(6);
    expect(j.pingpong_cycles).toHaveLength(6);
    expect(Math.abs(j.shared_read_cycles_per_word - 546) / 546).toBeLessThan(0.1);
  });
});

describe("limits reported in the user's terms", () => {
  it("a program that does not fit the core at start-up is a user error (exit 1) naming the memory map's numbers", () => {
    const vars = program("manyvars.py", Array.from({ length: 3000 }, (_, i) => `v${i}=${i}\n`).join("") + "print v1\n");
    const a = runEpython(["-d", "1", vars]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^core memory overflow on e16: symbol table \(24000 bytes\) .* need \d+ bytes, but only \d+ bytes are left/);
    expect(a.stderr).not.toMatch(/internal error|at .*\.js/);
    const big = program("bigcode.py", `x=1${"+1".repeat(5000)}\nprint x\n`);
    for (const flags of [["-codecore"], ["-s", "-codecore"], ["--chip", "e16", "-d", "16", "-codecore"]]) {
      const b = runEpython([...flags, "-d", "1", big]);
      expect(b.code).toBe(1);
      expect(b.stderr).toMatch(/core memory overflow on e16: byte code \(\d+ bytes\) forced onto the core does not fit .* in \d+ bytes/);
      expect(b.stderr).not.toMatch(/internal error|at .*\.js/);
    }
  });

  it("running out of memory at start-up, whatever the flags, is exit 1 with the memory map's account, never an internal error", () => {
    const vars = (n: number) => Array.from({ length: n }, (_, i) => `v${i}=${i}\n`).join("");
    const p880 = program("vars880.py", vars(880) + "print v1\n");
    const p5200 = program("vars5200.py", vars(5200) + "print v1\n");
    const big = program("bigcode2.py", Array.from({ length: 1500 }, (_, i) => `print ${i}\n`).join(""));
    const image = join(dir, "vars5200.epyc");
    expect(runEpython(["-o", image, p5200]).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [["-d", "16", "-h", "64", p880], /postbox \(480\).* 32768 bytes of SRAM \(32 KB\) would hold interpreter 24576 \+ symbol table 7040 \+ postbox 480 \+ scalar stack 1024 = 33120 bytes, 352 more/],
      [["-d", "1", p5200], /symbol table \(41600 bytes\)/],
      [["-datashared", "-d", "1", p5200], /scalar stack 0/],
      [["-codecore", "-d", "1", big], /byte code \(\d+ bytes\) forced onto the core.*\+ byte code \d+ \+/],
      [["-d", "0", "-h", "4", p5200], /symbol table \(41600 bytes\)/],
      [["-s", "-d", "1", p5200], /symbol table \(41600 bytes\)/],
      [["--trace", join(dir, "oom.trace"), "-d", "1", p5200], /symbol table \(41600 bytes\)/],
      [["-d", "1", "-l", image], /symbol table \(41600 bytes\)/],
      [["--chip", "e1024", "-d", "4", p5200], /on e1024: .* 65536 bytes of SRAM \(64 KB\)/],
    ];
    for (const [args, says] of cases) {
      const r = runEpython(args);
      expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(/^core memory overflow on e(16|1024): /);
      expect(r.stderr).toMatch(/would hold .* = \d+ bytes, \d+ more than there are, and nothing would be left for the heap\./);
      expect(r.stderr).toMatch(says);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at |Error: /);
    }
    // a huge array on the first statement: the run starts, and the allocation fails as the program's error
    const arr = program("bigarray.py", "a = [0] * 200000\nprint a[0]\n");
    const r = runEpython(["-d", "1", arr]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error on device 0 at .*bigarray.py:1: out of core and shared heap memory for data \(asked for 800005 bytes; core heap \d+ bytes, shared heap 448000 bytes\)/);
  });

  it("-t says completed only for cores that finished; a core stopped by its own limit says which", () => {
    const f = program("spin.py", "i=0\nwhile i<100000:\n\ti=i+1\nprint i\n");
    const r = runEpython(["-d", "4", "-t", "--max-steps", "50", f]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/completed/);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    // the limits are per core: every core reaches its own
    for (const [k, line] of lines.entries()) expect(line).toMatch(new RegExp(`^Core ${k} stopped at \\d+\\.\\d{6} seconds \\(step limit of 50 operations\\)$`));
    const c = runEpython(["-d", "2", "-t", "--max-cycles", "200000", f]);
    expect(c.stdout).toMatch(/^Core 0 stopped at \d+\.\d{6} seconds \(cycle limit of 200000 cycles\)\nCore 1 stopped at \d+\.\d{6} seconds \(cycle limit of 200000 cycles\)$/m);
  });

  it("limits are per core: the cores with less work complete, -t says where each stopped, exit 1 with the limit", () => {
    const f = program("forever0.py", "from parallel import *\nif coreid()==0:\n\twhile true:\n\t\tpass\nelse:\n\tj=0\n\twhile j<200:\n\t\tj+=1\n\tprint j\n");
    const r = runEpython(["-d", "4", "-t", "--max-steps", "20000", f]);
    expect(r.code).toBe(1);
    const out = r.stdout.trim().split("\n");
    expect(out.filter((l) => l.startsWith("[")).sort()).toEqual(["[device 1] 200", "[device 2] 200", "[device 3] 200"]);
    const timing = out.filter((l) => l.startsWith("Core"));
    expect(timing[0]).toMatch(/^Core 0 stopped at \d+\.\d{6} seconds \(step limit of 20000 operations\)$/);
    for (const k of [1, 2, 3]) expect(timing[k]).toMatch(new RegExp(`^Core ${k} completed in 0\\.\\d{6} seconds$`));
    expect(timing[1]).not.toMatch(/0\.000000/);
    expect(r.stderr).toBe(`Stopped on device 0 at ${f}:4: step limit of 20000 byte-code operations reached\n  4 | pass\n`);
  });

  it("a core waiting on a core stopped at its limit: the report and -t name both; the trace replays", () => {
    const f = program("waits.py", 'from parallel import *\nif coreid()==0:\n\twhile true:\n\t\tpass\nelif coreid()==1:\n\tprint recv(0)\nelse:\n\tprint "done"\n');
    const trace = join(dir, "waits.trace");
    const r = runEpython(["-d", "3", "-t", "--max-steps", "10000", "--trace", trace, f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Core 0 stopped at \d+\.\d{6} seconds \(step limit of 10000 operations\)$/m);
    expect(r.stdout).toMatch(/^Core 1 stopped at \d+\.\d{6} seconds \(waiting to receive from device 0 when the run ended\)$/m);
    expect(r.stdout).toMatch(/^Core 2 completed in \d+\.\d{6} seconds$/m);
    expect(r.stderr).toBe(
      `Stopped on device 0 at ${f}:4: step limit of 10000 byte-code operations reached\n  4 | pass\n  device 0 (line 4) stopped at its step limit\n  device 1 (line 6) waits to receive from device 0 (stopped at its step limit)\n`,
    );
    const replay = runEpython(["replay", trace]);
    expect(replay.stderr).toBe("");
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/^replay OK: .*failed as recorded: limit/);
  });

  it("a cycle limit on one core of four: the run goes on for the others, and its trace replays", () => {
    const f = program("cycles.py", "from parallel import *\nn=10\nif coreid()==2:\n\tn=1000000\ni=0\nwhile i<n:\n\ti+=1\nprint i\n");
    const trace = join(dir, "cycles.trace");
    const r = runEpython(["-d", "4", "-t", "--max-cycles", "200000", "--trace", trace, f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Core 2 stopped at \d+\.\d{6} seconds \(cycle limit of 200000 cycles\)$/m);
    expect(r.stdout.match(/completed/g)).toHaveLength(3);
    expect(r.stderr).toBe(`Stopped on device 2 at ${f}:7: time limit of 200000 cycles reached\n  7 | i+=1\n`);
    const replay = runEpython(["replay", trace]);
    expect(replay.code).toBe(0);
  });

  it("-t after a runtime error: the cores it cut short say so, where they had got to", () => {
    const f = program("cut.py", "from parallel import *\nif coreid()==1:\n\ti=0\n\twhile i<3000:\n\t\ti+=1\n\tprint 1/0\nwhile true:\n\tpass\n");
    const r = runEpython(["-d", "3", "-t", "--max-steps", "20000", f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Core 1 stopped at \d+\.\d{6} seconds \(error at line 6\)$/m);
    for (const k of [0, 2]) expect(r.stdout).toMatch(new RegExp(`^Core ${k} stopped at 0\\.\\d*[1-9]\\d* seconds \\(the run ended: error on device 1\\)$`, "m"));
    expect(r.stderr).toMatch(/^Error on device 1 at .*cut\.py:6: integer division by zero/);
  });
});
