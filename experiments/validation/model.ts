/**
 * Running ePython's own programs (examples/epython/, copied unchanged from ePython's repository
 * with its licence) on the model for the validation suite. A program runs as it is, except for
 * top-level `NAME=value` lines a case changes (experiments/lib/run.ts setParams) and the lines it
 * types at input() prompts, which is how the tutorials' users feed them. Runs are memoised: several
 * cases share a run (e.g. Jacobi on 16 cores), and the model is deterministic.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  bundledResolver,
  type CalibrationResult,
  calibrate,
  CoreState,
  compileProgram,
  DEFAULT_CONFIG,
  EpySyntaxError,
  type RunConfig,
  simulate,
} from "../../src/index.js";
import { firstCores, projectRoot, setParams } from "../lib/run.js";
import { SummarySink } from "../lib/sink.js";

export interface ProgramRun {
  /** simulated seconds until the last core finished */
  seconds: number;
  /** per core (process index): cycles running byte code or being served by the host */
  busyCycles: number[];
  output: string[];
}

export interface RunSpec {
  /** a file of examples/epython/ */
  file: string;
  /** cores 0..cores-1, as ePython's `-d N` */
  cores: number;
  /** top-level NAME=value lines to change */
  params?: Record<string, number>;
  /** lines typed at input() prompts, in order */
  input?: string[];
}

const runs = new Map<string, ProgramRun>();

/** Run `spec` on the E16 (the Parallella's chip, where the tutorials ran) with the default seed. */
export function runExample(spec: RunSpec): ProgramRun {
  const key = JSON.stringify([spec.file, spec.cores, spec.params ?? {}, spec.input ?? []]);
  const hit = runs.get(key);
  if (hit) return hit;
  const path = join(projectRoot(), "examples", "epython", spec.file);
  const name = `examples/epython/${spec.file}`;
  const source = setParams(readFileSync(path, "utf8"), name, spec.params ?? {});
  let image;
  try {
    image = compileProgram(source, name, bundledResolver()).image;
  } catch (e) {
    throw new Error(e instanceof EpySyntaxError ? e.format() : String(e));
  }
  const cfg: RunConfig = { ...DEFAULT_CONFIG, chip: "e16", cores: firstCores(spec.cores) };
  const sink = new SummarySink(cfg.cores.length + cfg.hostCores);
  const output: string[] = [];
  const typed = [...(spec.input ?? [])];
  const result = simulate(
    image,
    cfg,
    {
      output: (line) => output.push(line),
      input: () => {
        const line = typed.shift();
        if (line === undefined) throw new Error(`${name} asked for more input than the case types`);
        return line;
      },
    },
    sink,
  );
  if (!result.ok) {
    const e = result.error!;
    throw new Error(`${name} on ${spec.cores} cores failed on ${e.label} at line ${e.line}: ${e.message}`);
  }
  const busyCycles = result.procs.map((_, p) => sink.cycles(p, CoreState.Running) + sink.cycles(p, CoreState.Host));
  const run = { seconds: result.totalCycles / result.clockHz, busyCycles, output };
  runs.set(key, run);
  return run;
}

/** Simulated seconds of a run. */
export function seconds(spec: RunSpec): number {
  return runExample(spec).seconds;
}

let calibration: CalibrationResult | null = null;

/** The machine model's microbenchmarks on the E16 (`epython calibrate`), computed once. */
export function e16Microbenchmarks(): CalibrationResult {
  calibration ??= calibrate("e16");
  return calibration;
}

/** Core cycles per second of the reference clock the facts' MEAS figures were taken at. */
export const PARALLELLA_HZ = 600e6;
/** The facts' "MB" are MiB (see src/machine/costs.ts). */
export const MIB = 1048576;

/** Cycles per 4-byte word at `mibPerSecond` on the 600 MHz Parallella. */
export function cyclesPerWord(mibPerSecond: number): number {
  return (PARALLELLA_HZ * 4) / (mibPerSecond * MIB);
}

/** "1.358 s", "2504", "21.00", "0.954": a figure for the table (4 significant digits, 3 below 1). */
export function fmt(x: number, unit = ""): string {
  const a = Math.abs(x);
  const s = a === 0 ? "0" : a >= 1000 ? x.toFixed(0) : a >= 1 ? x.toPrecision(4) : x.toPrecision(3);
  return unit ? `${s} ${unit}` : s;
}
