/**
 * `epython python [flags] SCRIPT [ARGS]`: the user's CPython program on the host, offloading
 * kernels to the simulated chip (issue 17; ePython's `fullpython` mode). It starts `python3` with
 * the package in python/epython on its path and two extra pipes (fd 3: its commands, fd 4: our
 * replies; python/epython/PROTOCOL.md); the Python side sends the generated kernel program first,
 * and then one command a line. One simulation (src/offload/session.ts) lives as long as the
 * program: the chip keeps its state and its clock across launches.
 */
import { spawn } from "node:child_process";
import { existsSync, writeSync } from "node:fs";
import { constants } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Effect } from "effect";
import { BARRIER_NAMES, CHIP_NAMES, REDUCE_NAMES } from "../config/names.js";
import { DEFAULT_CONFIG, type RunConfig } from "../config/run-config.js";
import { compileProgram } from "../lang/compiler.js";
import { EpySyntaxError } from "../lang/errors.js";
import { MemoryMapError } from "../machine/memory-map.js";
import { type Command, OffloadSession } from "../offload/session.js";
import { moduleResolver } from "../pipeline/modules.js";
import { endSlice, type Recording, startRecording, toolInfo } from "../pipeline/recording.js";
import { DEFAULT_EXECUTION, INTERPRETER_ONLY, interruptionMessage, QUANTUM_STEPS, SLICE_EVENTS, type SimResult } from "../runtime/simulate.js";
import { checkTracePath, configFromArgs, parseRunArgs, RUN_FLAGS, RUN_VALUE_FLAGS } from "./args.js";
import { EXIT_INTERNAL, Interrupted, UsageError } from "./errors.js";
import type { Out } from "./out.js";
import { TraceFile } from "./trace-file.js";

/**
 * The flags of an ePython run (args.ts, parsed by the same code) that a session takes: the rest name
 * what a session does not have (host virtual cores, a placement, byte code files, a listing).
 */
export const PYTHON_FLAGS: readonly string[] = [
  "-d", "-t", "--chip", "--seed", "--reduce", "--barrier", "--max-steps", "--max-cycles", "--trace",
  "-codeshared", "-codecore", "-datashared", "-coreshared", "-corecode", "--no-jit",
];

export const PYTHON_USAGE = `usage: epython python [FLAGS] SCRIPT.py [ARGS...]

Runs SCRIPT.py with the host's python3 (or $EPYTHON_PYTHON), the package 'epython'
(python/epython) on its path: functions decorated with @offload run as kernels on
the simulated cores, one simulation of the chip for the whole program. ARGS go to
the program; FLAGS (before SCRIPT.py) are those of 'epython FILE' that apply here:

  -d N            device cores 0..N-1 (default: all of the chip's); the host
                  program is process N
  -t              after the program: each core's simulated time
  --chip NAME     ${CHIP_NAMES.join(", ")} (default ${DEFAULT_CONFIG.chip})
  --seed N        seed of the cores' random streams (default ${DEFAULT_CONFIG.seed})
  --reduce ALG    reduce algorithm (the host's reduce too): ${REDUCE_NAMES.join(", ")} (default ${DEFAULT_CONFIG.reduce})
  --barrier ALG   barrier (the host's sync too): ${BARRIER_NAMES.join(", ")} (default ${DEFAULT_CONFIG.barrier})
  --max-steps N   at most N byte-code operations per device core (a kernel that
                  reaches it stops, and the session ends)
  --max-cycles N  at most N simulated cycles per device core, the same way
  -codeshared, -codecore, -datashared
                  where the kernels' byte code and data live, as for a run
  --trace FILE    record the chip's side of the session (written as it goes): the
                  cores' and the host process's events, and each command of the
                  program (a 'command' event); its sources are the kernel program.
                  A session stopped mid-command ends its trace as interrupted.
  --no-jit        interpret the kernels' loops (the times and traces are the same)
  -h, --help      this text

ePython's other flags (-c, -h N, -s, -pp, -o, -l, --disasm) do not apply: the
device cores are 0..N-1 and the Python program is the one host process.`;

interface PythonArgs {
  timing: boolean;
  /** --no-jit: the kernels' loops interpreted */
  noJit: boolean;
  trace: string | undefined;
  script: string;
  scriptArgs: string[];
}

/**
 * argv split at the program: the flags before it (checked to be ones a session takes), the
 * program and its own arguments; null for help, or the usage error.
 */
function splitArgs(argv: readonly string[]): { flags: string[]; script: string | undefined; scriptArgs: string[] } | string | null {
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (!x.startsWith("-") || x.length === 1) return { flags, script: x, scriptArgs: argv.slice(i + 1) };
    const eq = x.startsWith("--") ? x.indexOf("=") : -1;
    const flag = (eq > 0 ? x.slice(0, eq) : x).toLowerCase();
    // (`-h N` is a run's host cores, which a session does not take; `-h` alone asks for help)
    if (flag === "-h" && /^[0-9]+$/.test(argv[i + 1] ?? "")) return "python: -h N is a flag of an ePython run that does not apply to a Python session (see epython python --help)";
    if (flag === "-h" || flag === "-help" || flag === "--help") return null;
    if (!RUN_FLAGS.includes(flag)) return `python: unknown flag '${x}' (see epython python --help)`;
    if (!PYTHON_FLAGS.includes(flag)) return `python: ${flag} is a flag of an ePython run that does not apply to a Python session (see epython python --help)`;
    flags.push(x);
    if (eq < 0 && RUN_VALUE_FLAGS.includes(flag) && i + 1 < argv.length) flags.push(argv[++i]!);
  }
  return { flags, script: undefined, scriptArgs: [] };
}

/** The folder holding the package `epython` (python/ at the repository's root), from src/cli or dist/src/cli. */
export function pythonPackageDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(d, "python", "epython", "__init__.py"))) return join(d, "python");
    d = dirname(d);
  }
  throw new Error("the Python package python/epython was not found");
}

export const pythonCommand = (argv: readonly string[], out: Out) =>
  Effect.gen(function* () {
    const split = splitArgs(argv);
    if (split === null) return out.line(PYTHON_USAGE);
    if (typeof split === "string") return yield* new UsageError({ message: split });
    // the flags as 'epython FILE' reads them (args.ts), the config as a run's with one host process
    const run = yield* parseRunArgs(split.flags);
    if (run.trace === "") return yield* new UsageError({ message: "--trace takes a file name" });
    if (run.deviceCores === 0) return yield* new UsageError({ message: "python: -d 0 leaves no device core to offload to" });
    if (split.script === undefined) return yield* new UsageError({ message: "python: give the Python program to run (see epython python --help)" });
    const config: RunConfig = { ...(yield* configFromArgs(run)), hostCores: 1 };
    if (run.trace !== undefined) yield* checkTracePath(run.trace, [split.script]);
    if (!existsSync(split.script)) return yield* new UsageError({ message: `python: '${split.script}' does not exist` });
    const args: PythonArgs = { timing: run.timing, noJit: run.noJit, trace: run.trace, script: split.script, scriptArgs: split.scriptArgs };
    out.flush();
    const code = yield* Effect.promise(() => runPython(args, config));
    // the Python program's exit status is ours (it has reported its own errors)
    if (code !== 0) return yield* new Interrupted({ exitCode: code });
  });

async function runPython(args: PythonArgs, config: RunConfig): Promise<number> {
  const pkg = pythonPackageDir();
  const env = { ...process.env, PYTHONPATH: [pkg, process.env.PYTHONPATH].filter((x) => x).join(":"), EPYTHON_SIM_FDS: "3,4" };
  const child = spawn(process.env.EPYTHON_PYTHON ?? "python3", [args.script, ...args.scriptArgs], { stdio: ["inherit", "inherit", "inherit", "pipe", "pipe"], env });
  // a program killed by a signal exits as a shell reports it: 128 + the signal's number
  const exited = new Promise<number>((res) => child.on("exit", (code, sig) => res(code ?? 128 + (sig ? (constants.signals[sig] ?? 15) : 15))));
  const failedToStart = new Promise<number>((res) => child.on("error", (e) => {
    process.stderr.write(`epython: could not start python: ${e.message}\n`);
    res(127);
  }));
  const commands = child.stdio[3] as Readable;
  const replies = child.stdio[4] as Writable;
  // the program may die at any moment: a reply it will never read is dropped, not an EPIPE crash
  replies.on("error", () => undefined);
  commands.on("error", () => undefined);
  const server = new Server(args, config, (obj) => {
    if (!replies.destroyed && !replies.writableEnded) replies.write(`${JSON.stringify(obj)}\n`);
  });
  child.on("exit", (code, sig) => server.stop(sig ? `the host program's death by ${sig}` : `the host program's exit (status ${code}) without shutting the device down`));
  // Ctrl-C reaches the program too (one process group): it ends as it chooses (KeyboardInterrupt,
  // its atexit shutdown), which closes its pipes. The simulation stops at once either way; a
  // program that is still there 2 s later (the signal was sent to us alone) is terminated.
  const onSignal = (sig: NodeJS.Signals) => {
    server.stop(sig === "SIGINT" ? "SIGINT (Ctrl-C)" : sig);
    if (sig === "SIGTERM") child.kill("SIGTERM");
    else setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGTERM"), 2000).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const lines = createInterface({ input: commands, crlfDelay: Infinity });
  const serving = (async () => {
    for await (const line of lines) {
      if (line.trim() === "") continue;
      await server.handle(line).catch((e: unknown) => server.internalError(e));
    }
    // the program's end is known before the session is stopped, so that the interruption names it
    // (its exit status or signal) whichever of the pipe's close and the exit is seen first
    await Promise.race([exited, failedToStart]);
    await server.hostGone();
  })();
  const code = await Promise.race([exited, failedToStart]);
  await serving;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  const traceFailure = server.closeTrace();
  if (traceFailure !== null) process.stderr.write(`epython: ${traceFailure}\n`);
  const noTrace = server.whyNoTrace();
  if (noTrace !== null) process.stderr.write(`epython: no trace written to '${args.trace}': ${noTrace}${existsSync(args.trace!) ? " (the file there is from an earlier run)" : ""}\n`);
  if (args.timing && server.result) for (const l of timingLines(server.result, config)) writeSync(1, `${l}\n`);
  return server.failedInternally ? EXIT_INTERNAL : code;
}

/** A parsed protocol line that is a command: an object with a string `op`. */
function isCommand(v: unknown): v is Command {
  return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as Command).op === "string";
}

/** Serves one Python program's commands on one session. */
class Server {
  private session: OffloadSession | null = null;
  /** why the simulation is over (an error, a deadlock, the end), once it is */
  private ended: string | null = null;
  /** why the host program can no longer take part (it died, a signal), once that is so: the cause of the interruption */
  private gone: string | null = null;
  /**
   * The slices the simulation has advanced since its start (every advance of runUntilHost, over all
   * the commands): an interruption names it (slices.ts), so that replay stops at the same point.
   */
  private slices = 0;
  /** `--trace` was given but the session never started its device: why there is no trace */
  private noTrace: string | null = "the program never started the device (no kernel was launched)";
  result: SimResult | null = null;
  /** a command failed inside epython-sim (internalError): the run's exit code is EXIT_INTERNAL */
  failedInternally = false;
  /** `--trace`: the file and its recording, from the start of the device on */
  private traceFile: TraceFile | null = null;
  private recording: Recording | null = null;

  constructor(
    private readonly args: PythonArgs,
    private readonly config: RunConfig,
    private readonly reply: (obj: Record<string, unknown>) => void,
  ) {}

  async handle(line: string): Promise<void> {
    let cmd: unknown;
    try {
      cmd = JSON.parse(line);
    } catch {
      cmd = null;
    }
    if (!isCommand(cmd)) return this.reply({ ok: false, error: "ValueError", message: `not a command: ${line.slice(0, 80)}` });
    if (cmd.op === "start") return this.reply(await this.start(cmd));
    if (this.session === null) return this.reply({ ok: false, error: "EpythonError", message: "the device has not been started" });
    if (this.ended !== null) return this.reply({ ok: false, error: "EpythonError", message: `the simulation has ended: ${this.ended}` });
    if (cmd.op === "batch") return this.reply(await this.batch(cmd));
    this.reply(await this.carryOut(cmd));
  }

  /**
   * Several commands in one round trip (PROTOCOL.md): carried out in order exactly as if each had
   * come alone (each is recorded as its own command), up to the first that fails; the replies in order.
   */
  private async batch(cmd: Command): Promise<Record<string, unknown>> {
    const list = cmd.commands;
    if (!Array.isArray(list) || list.some((c) => !isCommand(c) || ["start", "batch", "exit"].includes(c.op))) {
      return { ok: false, error: "ValueError", message: "batch: 'commands' must be a list of commands other than start, batch and exit" };
    }
    const replies: Record<string, unknown>[] = [];
    for (const c of list as Command[]) {
      const r = this.ended !== null ? { ok: false, error: "EpythonError", message: `the simulation has ended: ${this.ended}` } : await this.carryOut(c);
      replies.push(r);
      if (r.ok !== true) break;
    }
    return { ok: true, replies };
  }

  /**
   * A command failed inside epython-sim itself (a bug, not the program's doing): said on stderr as
   * the CLI says an internal error, the program told (its call raises), the session over.
   */
  internalError(e: unknown): void {
    this.failedInternally = true;
    process.stderr.write(`epython: internal error (a bug in epython-sim, please report it):\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    this.ended ??= "an internal error of epython-sim";
    this.reply({ ok: false, error: "EpythonError", message: `internal error of epython-sim: ${e instanceof Error ? e.message : String(e)}` });
  }

  /** The host program has died or is being stopped (`cause`, as an interruption names it): the simulation stops at the next slice. */
  stop(cause: string): void {
    this.gone ??= cause;
  }

  /** With --trace: why no trace was written (the device was never started, its kernels did not compile), or null. */
  whyNoTrace(): string | null {
    return this.args.trace !== undefined && this.traceFile === null ? this.noTrace : null;
  }

  /** Stop the simulation where it is, an interruption after the slices run so far. */
  private interrupt(): void {
    const sim = this.session!.sim;
    sim.interrupt(interruptionMessage(this.gone ?? "the host program closing its link without shutting the device down", this.slices, sim.now));
  }

  /**
   * The Python side has closed its end. After its `exit` (its atexit shutdown) the simulation is
   * already over; without it the program died (killed, os._exit): the simulation stops where it
   * is, the cores are not run on (a kernel might never end), and what ran is kept.
   */
  async hostGone(): Promise<void> {
    if (this.session !== null && this.ended === null) {
      this.interrupt();
      this.end();
    }
  }

  private async start(cmd: Command): Promise<Record<string, unknown>> {
    if (this.session !== null) return { ok: false, error: "EpythonError", message: "the device is already started" };
    const name = String(cmd.name ?? "kernels.py");
    let image;
    let files;
    try {
      ({ image, files } = compileProgram(String(cmd.program), name, moduleResolver(dirname(resolve(this.args.script)))));
    } catch (e) {
      if (e instanceof EpySyntaxError) {
        this.noTrace = `the kernels did not compile (${e.detail})`;
        return { ok: false, error: "SyntaxError", message: e.detail, file: e.file, line: e.line };
      }
      throw e;
    }
    const io = {
      output: (text: string) => writeSync(1, `${text}\n`),
      input: () => null,
    };
    if (this.args.trace !== undefined) {
      try {
        this.traceFile = new TraceFile(this.args.trace);
      } catch (e) {
        this.noTrace = (e as Error).message;
        return { ok: false, error: "EpythonError", message: (e as Error).message };
      }
      // the header's sources: the kernel program as the Python side generated it, and the modules it imports
      this.recording = startRecording(image, files, this.config, toolInfo(), this.traceFile);
    }
    try {
      this.session = new OffloadSession(image, this.config, io, this.recording?.sink, this.args.noJit ? INTERPRETER_ONLY : DEFAULT_EXECUTION);
    } catch (e) {
      if (e instanceof MemoryMapError) {
        this.recording?.abandon("config", e.message);
        this.recording = null;
        return { ok: false, error: "EpythonError", message: e.message };
      }
      throw e;
    }
    const sim = this.session.sim;
    sim.quantumSteps = QUANTUM_STEPS;
    sim.start();
    const r = await this.runUntilHost();
    if (r !== null) return r;
    return { ok: true, devices: this.session.devices, host: this.session.hostPid, numcores: this.session.devices.length + 1, clockHz: sim.spec.clockHz, time: 0 };
  }

  private async carryOut(cmd: Command): Promise<Record<string, unknown>> {
    const s = this.session!;
    s.record(cmd);
    const prog = s.program(cmd);
    if (!isProgram(prog)) return prog;
    s.driver.command(prog);
    const r = await this.runUntilHost();
    return r ?? { ok: false, error: "EpythonError", message: "internal: no reply" };
  }

  /** Close the trace (its footer is written when the simulation ends); the first write error, if any. */
  closeTrace(): string | null {
    if (this.traceFile === null) return null;
    // a program that never ended its session (its simulation still open) leaves an incomplete trace
    this.recording?.flush();
    this.traceFile.close();
    return this.traceFile.failure;
  }

  /** Run the simulation until the host waits for its next command (its reply, or null at start), or the run is over. */
  private async runUntilHost(): Promise<Record<string, unknown> | null> {
    const s = this.session!;
    const { sim, driver } = s;
    for (;;) {
      if (this.gone !== null) {
        this.interrupt();
        return this.end();
      }
      const over = sim.advance(SLICE_EVENTS);
      this.slices++;
      if (this.recording) endSlice(this.recording);
      if (sim.failed()) return this.end();
      if (driver.waiting) {
        const r = driver.reply;
        driver.reply = null;
        return r;
      }
      if (over) {
        // nothing left to do: the end after the host's exit, or a deadlock with the host waiting
        const reply = driver.reply;
        const failure = this.end();
        if (failure !== null && !("cores" in failure)) return failure;
        return { ...reply, ...failure };
      }
      await new Promise<void>((res) => setImmediate(res));
    }
  }

  /** The simulation is over: its result, and the reply that says so (an error, or the cores' times). */
  private end(): Record<string, unknown> {
    const s = this.session!;
    const result = s.sim.finish();
    this.result = result;
    this.recording?.finish(result);
    this.recording = null;
    const e = result.error;
    if (e === null) {
      this.ended = "the host program has exited";
      return { ok: true, cores: result.procs.map((p) => ({ pid: p.pid, seconds: p.finishCycles / result.clockHz, completed: p.finished })), time: result.totalCycles / result.clockHz };
    }
    this.ended = e.message.split("\n")[0]!;
    // stopped from outside (the program died, a signal): not the kernels' fault
    if (e.kind === "interrupted") return { ok: false, error: "EpythonError", kind: e.kind, message: `the simulation has stopped: ${e.message}`, time: e.time / result.clockHz };
    const pid = e.proc >= 0 ? s.sim.procs[e.proc]!.pid : -1;
    return { ok: false, error: e.kind === "deadlock" ? "DeadlockError" : "KernelError", kind: e.kind, message: e.message, core: pid, label: e.label, file: e.file, line: e.line, time: e.time / result.clockHz };
  }
}

function isProgram(x: object): x is Generator {
  return typeof (x as Generator).next === "function";
}

function timingLines(result: SimResult, config: RunConfig): string[] {
  return result.procs.map((p) => {
    const secs = (p.finishCycles / result.clockHz).toFixed(6);
    const who = p.kind === "host" ? `Host program (process ${p.pid})` : `Core ${p.pid}`;
    return p.finished ? `${who} completed in ${secs} seconds` : `${who} stopped at ${secs} seconds (${p.end}${p.waitingFor ? `, waiting ${p.waitingFor}` : ""})`;
  }).concat(config.cores.length > 0 ? [`Total simulated time ${(result.totalCycles / result.clockHz).toFixed(6)} seconds`] : []);
}
