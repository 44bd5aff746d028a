/**
 * Helpers shared by the properties: run an ePython program text on the simulator and collect what
 * each core printed, trace sinks that record or fingerprint every event, and independent oracles
 * for ePython's value semantics (int32 wrap, float32, C's %f).
 */
import fc from "fast-check";
import {
  type ChipName, bundledResolver, compileProgram, DEFAULT_CONFIG, type Execution, type ProgramImage, recordRun, simulate, type Simulation,
  type RunConfig, type SimResult, type TraceSink,
} from "../src/index.js";

export const resolver = bundledResolver();

export interface Run {
  result: SimResult;
  /** every output line as the host printed it: `[device K] text` */
  lines: string[];
  /** text printed per process label ("device 3", "host 0"), in that process's order */
  byLabel: Map<string, string[]>;
}

/** A RunConfig from DEFAULT_CONFIG plus overrides. */
export function config(over: Partial<RunConfig>): RunConfig {
  return { ...DEFAULT_CONFIG, ...over };
}

/** Compile (throws EpySyntaxError on a bad program) and simulate; input lines come from `input`. */
export function runProgram(source: string, over: Partial<RunConfig>, sink?: TraceSink, input: string[] = []): Run {
  const { image } = compileProgram(source, "prop.py", resolver);
  const lines: string[] = [];
  const byLabel = new Map<string, string[]>();
  let nextInput = 0;
  const result = simulate(
    image,
    config(over),
    {
      output(line) {
        lines.push(line);
        const m = /^\[((?:device|host) \d+)\] (.*)$/s.exec(line);
        const key = m ? m[1]! : "?";
        const text = m ? m[2]! : line;
        let l = byLabel.get(key);
        if (!l) byLabel.set(key, (l = []));
        l.push(text);
      },
      input() {
        return nextInput < input.length ? input[nextInput++]! : null;
      },
    },
    sink,
  );
  return { result, lines, byLabel };
}

/** Lines printed by device core `pid` (empty when it printed nothing). */
export function linesOf(run: Run, pid: number): string[] {
  return run.byLabel.get(`device ${pid}`) ?? [];
}

/** A short description of a failed run for assertion messages. */
export function describeRun(run: Run): string {
  const e = run.result.error;
  return e ? `${e.kind} on ${e.label} line ${e.line}: ${e.message}` : "ok";
}

export const CHIP_CORES: Record<ChipName, number> = { e16: 16, e64: 64, e1024: 1024 };

/** A sorted subset of the chip's cores with between minN and maxN members (size drawn uniformly). */
export function coreSet(chip: ChipName, minN: number, maxN: number): fc.Arbitrary<number[]> {
  const all = Array.from({ length: CHIP_CORES[chip] }, (_, i) => i);
  return fc.integer({ min: minN, max: Math.min(maxN, all.length) }).chain((n) => fc.subarray(all, { minLength: n, maxLength: n }));
}

export interface Placement {
  chip: ChipName;
  cores: number[];
  hostCores: number;
}

/**
 * A chip, a set of its cores of a size in the given range for that chip, and 0 to 2 host virtual
 * cores (none `noHostWeight` times as often as some). With host cores the device cores are
 * 0..n-1: the CLI forbids -c with -h, and host cores take the pids after the device count, which
 * a sparse placement would collide with.
 */
export function placementArb(sizes: Partial<Record<ChipName, readonly [number, number]>>, noHostWeight: number): fc.Arbitrary<Placement> {
  const chips = Object.entries(sizes).map(([chip, [min, max]]) => coreSet(chip as ChipName, min, max).map((cores) => ({ chip: chip as ChipName, cores })));
  return fc
    .record({
      chipCores: fc.oneof(...chips),
      hostCores: fc.oneof({ weight: noHostWeight, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
    })
    .map(({ chipCores: { chip, cores }, hostCores }) => ({ chip, cores: hostCores > 0 ? cores.map((_, i) => i) : cores, hostCores }));
}

// --- trace sinks ---------------------------------------------------------------------------------

export interface StateEvent {
  time: number;
  proc: number;
  state: number;
  line: number;
}

/** Keeps every event of a run, in the order the simulation reported them. */
export class RecordingSink implements TraceSink {
  readonly states: StateEvent[] = [];
  readonly messages: { sendTime: number; arriveTime: number; src: number; dst: number; hops: number; bytes: number }[] = [];
  readonly gcs: { time: number; proc: number; before: number; after: number; pause: number }[] = [];
  readonly outputs: { time: number; proc: number; text: string }[] = [];
  readonly errors: { time: number; proc: number; line: number; message: string }[] = [];
  coreState(time: number, proc: number, state: number, line: number): void {
    this.states.push({ time, proc, state, line });
  }
  message(sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void {
    this.messages.push({ sendTime, arriveTime, src, dst, hops, bytes });
  }
  gc(time: number, proc: number, before: number, after: number, pause: number): void {
    this.gcs.push({ time, proc, before, after, pause });
  }
  host(): void {}
  output(time: number, proc: number, text: string): void {
    this.outputs.push({ time, proc, text });
  }
  input(): void {}
  error(time: number, proc: number, line: number, message: string): void {
    this.errors.push({ time, proc, line, message });
  }
  link(): void {}
  heap(): void {}
  command(): void {}
}

/**
 * Turns every sink call, with all its arguments, into one line of text (numbers printed so they
 * read back exactly), so two runs can be compared event by event.
 */
export class EventStreamSink implements TraceSink {
  readonly events: string[] = [];
  coreState(time: number, proc: number, state: number, line: number): void {
    this.events.push(`S ${time} ${proc} ${state} ${line}`);
  }
  message(sendTime: number, arriveTime: number, src: number, dst: number, hops: number, bytes: number): void {
    this.events.push(`M ${sendTime} ${arriveTime} ${src} ${dst} ${hops} ${bytes}`);
  }
  gc(time: number, proc: number, usedBefore: number, usedAfter: number, pauseCycles: number): void {
    this.events.push(`G ${time} ${proc} ${usedBefore} ${usedAfter} ${pauseCycles}`);
  }
  host(start: number, end: number, proc: number, kind: number): void {
    this.events.push(`H ${start} ${end} ${proc} ${kind}`);
  }
  output(time: number, proc: number, text: string): void {
    this.events.push(`O ${time} ${proc} ${JSON.stringify(text)}`);
  }
  input(time: number, proc: number, eof: number, text: string): void {
    this.events.push(`I ${time} ${proc} ${eof} ${JSON.stringify(text)}`);
  }
  error(time: number, proc: number, line: number, message: string): void {
    this.events.push(`E ${time} ${proc} ${line} ${JSON.stringify(message)}`);
  }
  link(time: number, mesh: number, from: number, to: number, busyCycles: number): void {
    this.events.push(`L ${time} ${mesh} ${from} ${to} ${busyCycles}`);
  }
  /** heap use is left out of the stream (as before the sink interface made it required) */
  heap(): void {}
  command(time: number, proc: number, text: string): void {
    this.events.push(`C ${time} ${proc} ${JSON.stringify(text)}`);
  }
  /** FNV-1a (32-bit) over all event lines, as 8 hex digits. */
  hash(): string {
    let h = 0x811c9dc5;
    for (const e of this.events) {
      for (let i = 0; i < e.length; i++) h = Math.imul(h ^ e.charCodeAt(i), 0x01000193);
      h = Math.imul(h ^ 10, 0x01000193);
    }
    return (h >>> 0).toString(16).padStart(8, "0");
  }
}

/** Index of the first differing element of two arrays, or -1 when equal. */
export function firstDifference(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

// --- value oracles (independent of src/vm) -------------------------------------------------------

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** An int as ePython source text; the most negative int32 has no literal of its own. */
export function intLiteral(v: number): string {
  if (v === INT32_MIN) return "(0-2147483647-1)";
  return String(v);
}

/** A float32 as ePython source text that reads back as exactly the same float32. */
export function realLiteral(v: number): string {
  if (Number.isNaN(v) || !Number.isFinite(v)) throw new Error(`no literal for ${v}`);
  if (Object.is(v, -0)) return "-0.0";
  let s = String(v); // shortest text that reads back as the same double, hence the same float32
  if (!/[.e]/.test(s)) s += ".0";
  else if (/e/.test(s) && !/\./.test(s)) s = s.replace("e", ".0e");
  return s;
}

/**
 * C's printf("%f") of a float32 value: the exact binary value rounded to six decimals, ties to
 * even, with the sign kept even when the rounded value is zero.
 */
export function cPrintfF(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, ax);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (expBits !== 0) {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  // ax * 10^6 = mant * 10^6 * 2^e, rounded half to even
  let q: bigint;
  if (e >= 0) q = (mant * 1000000n) << BigInt(e);
  else {
    const num = mant * 1000000n;
    const den = 1n << BigInt(-e);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(7, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/** How ePython prints an int or a real (float32) value. */
export function showValue(v: number, isReal: boolean): string {
  return isReal ? cPrintfF(Math.fround(v)) : String(v | 0);
}

/**
 * A trace of `image` recorded under `execution` (recordRun's bytes), with the number of loops the
 * compiling tier compiled on the way (devices and host cores together).
 */
export function traceWith(image: ProgramImage, source: string, over: Partial<RunConfig>, execution: Execution, input: string[] = []): { bytes: Uint8Array; compiled: number } {
  let compiled = 0;
  const ended = (sim: Simulation): void => {
    for (const t of new Set(sim.procs.map((p) => p.vm.tier))) compiled += t?.compiled ?? 0;
  };
  const bytes = recordRun(image, [{ name: "prop.py", text: source }], config(over), { inputs: input, execution, ended });
  return { bytes, compiled };
}
