/**
 * Running a study's ePython program on the simulator: read it from the source tree, set its
 * parameters, compile (cached per thread), simulate with a SummarySink.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  bundledResolver,
  compileProgram,
  type CostScales,
  DEFAULT_CONFIG,
  EpySyntaxError,
  type ProgramImage,
  type RunConfig,
  type SimResult,
  simulate,
} from "../../src/index.js";
import { SummarySink } from "./sink.js";

/**
 * The repository root, found from this file: experiments/lib (tsx, vitest) or
 * dist/experiments/lib (built). The .py programs are not copied by tsc, so they are always read
 * from the source tree.
 */
export function projectRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of [join(here, "..", ".."), join(here, "..", "..", "..")]) {
    if (existsSync(join(up, "package.json")) && existsSync(join(up, "experiments", "lib"))) return up;
  }
  throw new Error(`cannot find the epython-sim source tree above ${here}`);
}

/**
 * Replace the program's top-level `NAME=value` line for each parameter. Programs carry their
 * defaults in such lines so each one also runs as it is with `epython`. A parameter without its
 * line is an error: a silently ignored parameter would make a grid measure the same thing twice.
 */
export function setParams(source: string, file: string, params: Record<string, number>): string {
  let out = source;
  for (const [name, value] of Object.entries(params)) {
    const re = new RegExp(`^${name}=.*$`, "gm");
    const hits = out.match(re)?.length ?? 0;
    if (hits !== 1) throw new Error(`${file}: expected exactly one top-level line '${name}=...' to set, found ${hits}`);
    if (!Number.isFinite(value)) throw new Error(`${file}: parameter ${name} is not a finite number`);
    out = out.replace(re, `${name}=${value}`);
  }
  return out;
}

const images = new Map<string, ProgramImage>();

/** Compile `experiments/<file>` with `params` set; cached, since a grid reuses programs. */
export function loadProgram(file: string, params: Record<string, number> = {}): ProgramImage {
  const key = `${file}\0${JSON.stringify(params)}`;
  const hit = images.get(key);
  if (hit) return hit;
  const path = join(projectRoot(), "experiments", file);
  const source = setParams(readFileSync(path, "utf8"), file, params);
  let image: ProgramImage;
  try {
    image = compileProgram(source, `experiments/${file}`, bundledResolver()).image;
  } catch (e) {
    throw new Error(e instanceof EpySyntaxError ? e.format() : String(e));
  }
  images.set(key, image);
  return image;
}

export interface Run {
  result: SimResult;
  sink: SummarySink;
  /** lines the program printed, without the `[device N] ` prefix */
  output: string[];
  /** simulated microseconds (cycles / clock) */
  micros: number;
}

let costScales: CostScales | null = null;

/**
 * The cost scales every runProgram of this thread applies from now on (a sensitivity run sets
 * them before measuring a point and clears them after); null: the model as it is, and no
 * costScales in the run's configuration at all. Per thread: each worker sets its own.
 */
export function setCostScales(scales: CostScales | null): void {
  costScales = scales;
}

/** Simulate a study program; throws (with the simulator's message) when the run fails. */
export function runProgram(file: string, params: Record<string, number>, config: Partial<RunConfig>, options: { skipFirstInState?: number } = {}): Run {
  const image = loadProgram(file, params);
  const cfg: RunConfig = { ...DEFAULT_CONFIG, ...config, ...(costScales === null ? {} : { costScales }) };
  const sink = new SummarySink(cfg.cores.length + cfg.hostCores, options.skipFirstInState ?? 0);
  const output: string[] = [];
  const result = simulate(
    image,
    cfg,
    {
      output: (line) => output.push(line.replace(/^\[[^\]]*\] /, "")),
      input: () => {
        throw new Error(`experiments/${file} asked for input; study programs must not`);
      },
    },
    sink,
  );
  if (!result.ok) {
    const e = result.error!;
    throw new Error(`experiments/${file} failed on ${e.label} at line ${e.line}: ${e.message}`);
  }
  return { result, sink, output, micros: (result.totalCycles / result.clockHz) * 1e6 };
}

/** Cores 0..n-1, as `-d n` places them. */
export function firstCores(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
