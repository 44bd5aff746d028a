/**
 * `epython python --trace FILE SCRIPT`: the chip's side of an offload session recorded as a trace
 * (issue 17): the devices' and the host process's events, and one `command` event per command of
 * the host program. Runs the built command (npm test builds first).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTrace } from "../../src/trace/reader.js";
import { assembleTrace } from "../../src/trace/recorder.js";
import { traceEvents } from "../../src/trace/events.js";
import { PYTHON_FLAGS } from "../../src/cli/python-command.js";
import { runEpython } from "../helpers/cli.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const program = (name: string) => join("tests", "offload", "programs", name);
const dir = mkdtempSync(join(tmpdir(), "epython-offtrace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasPython)("epython python --trace", () => {
  it("records the devices' events, the host process's and every command of the program, in a trace that reads", () => {
    const path = join(dir, "messages.trace");
    const plain = runEpython(["python", "-d", "4", program("messages.py")]);
    const r = runEpython(["python", "-d", "4", "--trace", path, program("messages.py")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // recording changes nothing the program sees
    expect(r.stdout).toBe(plain.stdout);
    const trace = readTrace(new Uint8Array(readFileSync(path)));
    expect(trace.complete).toBe(true);
    // the program ends with a blocking launch (a launch, then a result) whose kernel waits for the host: the footer says so
    expect(trace.footer.ok).toBe(false);
    expect(trace.footer.error?.kind).toBe("deadlock");
    // the header's sources: the generated kernel program
    expect(trace.header.sources.length).toBeGreaterThan(0);
    expect(trace.header.sources[0]!.text).toContain("def echo");
    const events = traceEvents(trace);
    const host = trace.header.config.cores.length; // the host process comes after the devices
    const commands = events.filter((e) => e.kind === "command");
    const ops = commands.map((e) => (JSON.parse((e as { text: string }).text) as { op: string }).op);
    expect(ops).toContain("launch");
    expect(ops).toContain("send");
    expect(ops).toContain("recv");
    expect(ops.slice(-2)).toEqual(["launch", "result"]);
    for (const c of commands) expect((c as { proc: number }).proc).toBe(host);
    // commands come at non-decreasing simulated times: the host's clock only goes forward
    const times = commands.map((e) => (e as { time: number }).time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // the devices' events and the host process's (its state changes, its messages)
    const states = events.filter((e) => e.kind === "state") as { proc: number }[];
    for (let p = 0; p < host; p++) expect(states.some((e) => e.proc === p)).toBe(true);
    expect(states.some((e) => e.proc === host)).toBe(true);
    const messages = events.filter((e) => e.kind === "message") as { src: number; dst: number }[];
    expect(messages.some((m) => m.src === host)).toBe(true);
    expect(messages.some((m) => m.dst === host)).toBe(true);
  });

  it("a session that ends with the program's shutdown: the footer is ok, the last command its exit", () => {
    const path = join(dir, "basics.trace");
    const r = runEpython(["python", "-d", "4", "--trace", path, program("basics.py")]);
    expect(r.code).toBe(0);
    const trace = readTrace(new Uint8Array(readFileSync(path)));
    expect(trace.complete).toBe(true);
    expect(trace.footer.ok).toBe(true);
    const ops = traceEvents(trace).filter((e) => e.kind === "command").map((e) => (JSON.parse((e as { text: string }).text) as { op: string }).op);
    expect(ops.filter((o) => o === "launch").length).toBeGreaterThan(4);
    expect(ops.at(-1)).toBe("exit");
  });

  it("epython replay re-drives the session from its recorded commands (no Python): OK for a clean and a deadlocked end; a forged command changes the outcome", () => {
    for (const name of ["basics", "messages"]) {
      const path = join(dir, `${name}-replay.trace`);
      expect(runEpython(["python", "-d", "4", "--trace", path, program(`${name}.py`)]).code).toBe(0);
      const r = runEpython(["replay", path]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^replay OK: .* all \d+ events and the footer identical/m);
    }
    // the first launch sent to another core (same length, so the event's bytes keep their size)
    const t = readTrace(new Uint8Array(readFileSync(join(dir, "basics-replay.trace"))));
    const text = Buffer.from(t.events).toString("latin1");
    const from = '{"op":"launch","core":0,';
    const at = text.indexOf(from);
    expect(at).toBeGreaterThan(0);
    const events = new Uint8Array(t.events);
    events.set(Buffer.from('{"op":"launch","core":1,', "latin1"), at);
    const forged = join(dir, "forged.trace");
    writeFileSync(forged, assembleTrace(t.headerText, events, t.eventCount, t.footerText, t.eventChunks));
    expect(readTrace(new Uint8Array(readFileSync(forged))).eventCount).toBe(t.eventCount);
    const r = runEpython(["replay", forged]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/replay FAILED: .* diverges at event #\d+/);
    expect(r.stderr).toContain("message to device 1");
    // a command that is not JSON: named, no stack trace
    events.set(Buffer.from('{"op":"launch","core"!0,', "latin1"), at);
    writeFileSync(forged, assembleTrace(t.headerText, events, t.eventCount, t.footerText, t.eventChunks));
    const bad = runEpython(["replay", forged]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("a recorded command is not JSON");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it("a program that leaves without shutting the device down (os._exit): the trace is flagged as interrupted by its exit, the same on every run, and replays", () => {
    const messages = [0, 1].map((i) => {
      const path = join(dir, `osexit-${i}.trace`);
      const r = runEpython(["python", "-d", "4", "--trace", path, program("osexit.py")]);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe("[6, 6, 6, 6]\n");
      const trace = readTrace(new Uint8Array(readFileSync(path)));
      expect(trace.complete).toBe(true);
      expect(trace.footer.error?.kind).toBe("interrupted");
      const replay = runEpython(["replay", path]);
      expect(replay.stderr).toBe("");
      expect(replay.code).toBe(0);
      return trace.footer.error!.message;
    });
    expect(messages[0]).toMatch(/^interrupted by the host program's exit \(status 3\) without shutting the device down after \d+ slices of the run, at cycle \d+$/);
    expect(messages[1]).toBe(messages[0]);
  });

  it("no device started, or kernels that do not compile: no trace, and epython says why (an older file at the path is named as such)", () => {
    const path = join(dir, "none.trace");
    const r = runEpython(["python", "-d", "2", "--trace", path, program("nodevice.py")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("no launch\n");
    expect(r.stderr).toBe(`epython: no trace written to '${path}': the program never started the device (no kernel was launched)\n`);
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, "older");
    const bad = runEpython(["python", "-d", "2", "--trace", path, program("badkernel.py")]);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toBe("SyntaxError 6\n");
    expect(bad.stderr).toMatch(/^epython: no trace written to '.*none\.trace': the kernels did not compile \(.+\) \(the file there is from an earlier run\)\n$/);
    expect(readFileSync(path, "utf8")).toBe("older");
  });

  it("--trace without a file name, or into a folder that does not exist, is a usage error (before the program starts)", () => {
    const r = runEpython(["python", "--trace"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--trace needs a value");
    const empty = runEpython(["python", "--trace", "", program("basics.py")]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("--trace takes a file name");
    const nofolder = runEpython(["python", "--trace", join(dir, "no", "x.trace"), program("basics.py")]);
    expect(nofolder.code).toBe(2);
    expect(nofolder.stdout).toBe("");
    expect(nofolder.stderr).toMatch(/--trace '.*x\.trace': the folder '.*no' does not exist/);
  });

  it("the run's model options (--reduce, --barrier, --chip, --seed, -d) reach the session: in its trace's config, in its times, and replay OK", () => {
    const path = join(dir, "options.trace");
    const plain = runEpython(["python", "-d", "4", "-t", program("collectives.py")]);
    const r = runEpython(["python", "--chip", "e64", "-d", "4", "--reduce=tree", "--barrier", "wand", "--seed", "7", "-t", "--trace", path, program("collectives.py")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const config = readTrace(new Uint8Array(readFileSync(path))).header.config;
    expect(config).toMatchObject({ chip: "e64", cores: [0, 1, 2, 3], hostCores: 1, reduce: "tree", barrier: "wand", seed: 7 });
    // the same values on both sides, other simulated times
    const values = (out: string) => out.split("\n").filter((l) => !/seconds|time/.test(l));
    expect(values(r.stdout)).toEqual(values(plain.stdout));
    const total = (out: string) => /Total simulated time (\S+) seconds/.exec(out)![1];
    expect(total(r.stdout)).not.toBe(total(plain.stdout));
    expect(runEpython(["replay", path]).code).toBe(0);
  });

  it("the session's flags are parsed as a run's: bad values, flags that do not apply and unknown ones are usage errors; the program's own arguments are its own", () => {
    const cases: [string[], RegExp][] = [
      [["--reduce", "bogus", program("basics.py")], /unknown --reduce 'bogus': use epython, tree, ring/],
      [["--barrier", "x", program("basics.py")], /unknown --barrier 'x'/],
      [["-d", "17", program("basics.py")], /-d 17: the e16 chip has 16 cores/],
      [["-d", "0", program("basics.py")], /-d 0 leaves no device core/],
      [["--seed", "x", program("basics.py")], /--seed needs a whole number, not 'x'/],
      [["-c", "1:3", program("basics.py")], /python: -c is a flag of an ePython run that does not apply to a Python session/],
      [["-s", program("basics.py")], /python: -s is a flag of an ePython run that does not apply/],
      [["-h", "4", program("basics.py")], /python: -h N is a flag of an ePython run that does not apply/],
      [["--bogus", program("basics.py")], /python: unknown flag '--bogus'/],
      [["-d", "4"], /give the Python program to run/],
    ];
    for (const [argv, message] of cases) {
      const r = runEpython(["python", ...argv]);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // flags after the script are the script's: '--reduce bogus' reaches sys.argv
    const args = join(dir, "argv.py");
    writeFileSync(args, "import sys\nprint(sys.argv[1:])\n");
    const own = runEpython(["python", "-d", "2", args, "--reduce", "bogus", "-c"]);
    expect(own.code).toBe(0);
    expect(own.stdout).toBe("['--reduce', 'bogus', '-c']\n");
  });

  it("epython python --help lists every flag a session takes", () => {
    const r = runEpython(["python", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of PYTHON_FLAGS.filter((f) => f !== "-coreshared" && f !== "-corecode")) expect({ flag, listed: r.stdout.includes(flag) }).toEqual({ flag, listed: true });
    expect(r.stdout).toContain("usage: epython python [FLAGS] SCRIPT.py [ARGS...]");
  });
});
