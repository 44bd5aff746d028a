/**
 * Shared fast-check settings for the property suite, driven by the environment so a failure can be
 * replayed without editing a test (see properties/README.md):
 *
 *   PROPERTY_RUNS         number of runs for every property (e.g. 500), or a scale factor of the
 *                         per-property default (e.g. x4); unset: the modest defaults in the tests
 *   PROPERTY_SEED         the seed fast-check printed
 *   PROPERTY_PATH         the path fast-check printed (replays that one counterexample; filter
 *                         the run to the failing property with `-t`)
 *   PROPERTY_REPLAY_PATH  for the model-based (fc.commands) properties: the replayPath printed in
 *                         the counterexample's commands
 *   PROPERTY_VERBOSE      1: fast-check's verbose report (every failing step of the shrink)
 *
 * fast-check's own report (seed, path, counterexample) reaches vitest unchanged: nothing here
 * catches the error fc.assert throws.
 */
import fc from "fast-check";

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, not '${v}'`);
  return n;
}

/** Runs for a property whose default is `defaultRuns`, after PROPERTY_RUNS. */
export function runs(defaultRuns: number): number {
  const v = process.env.PROPERTY_RUNS?.trim();
  if (!v) return defaultRuns;
  const scale = /^x(\d+(?:\.\d+)?)$/i.exec(v);
  if (scale) return Math.max(1, Math.round(defaultRuns * Number(scale[1])));
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`PROPERTY_RUNS must be a positive integer or xFACTOR, not '${v}'`);
  return n;
}

/** fast-check parameters for fc.assert: run count, and the seed/path to replay when given. */
export function params<T>(defaultRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  const p: fc.Parameters<T> = { numRuns: runs(defaultRuns), ...extra };
  const seed = envInt("PROPERTY_SEED");
  if (seed !== undefined) p.seed = seed;
  const path = process.env.PROPERTY_PATH?.trim();
  if (path) {
    p.path = path;
    p.endOnFailure = true;
  }
  if (process.env.PROPERTY_VERBOSE === "1") p.verbose = fc.VerbosityLevel.Verbose;
  return p;
}

/** replayPath for fc.commands, from PROPERTY_REPLAY_PATH. */
export function replayPath(): string | undefined {
  const v = process.env.PROPERTY_REPLAY_PATH?.trim();
  return v ? v : undefined;
}
