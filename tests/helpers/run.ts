/** Compile and run ePython source in-process (no CLI), collecting what each core prints. */
import { compileProgram } from "../../src/lang/compiler.js";
import { bundledResolver } from "../../src/pipeline/modules.js";
import { DEFAULT_CONFIG, type RunConfig } from "../../src/config/run-config.js";
import { type SimResult, simulate } from "../../src/runtime/simulate.js";

export interface Ran {
  lines: string[];
  result: SimResult;
}

export function runSource(source: string, config: Partial<RunConfig> = {}): Ran {
  const { image } = compileProgram(source, "test.py", bundledResolver());
  const lines: string[] = [];
  const result = simulate(image, { ...DEFAULT_CONFIG, maxSteps: 5_000_000, ...config }, { output: (l) => lines.push(l), input: () => null });
  return { lines, result };
}

/** What core 0 printed, without the `[device 0] ` prefix; throws if the run failed. */
export function output(source: string, config: Partial<RunConfig> = {}): string[] {
  const r = runSource(source, config);
  if (!r.result.ok) throw new Error(`run failed: ${r.result.error?.message}`);
  return r.lines.map((l) => l.replace(/^\[device 0\] /, ""));
}
