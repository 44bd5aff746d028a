/** Shared by the sweep tests: running the built CLI with a chosen environment, reading a sweep directory. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/cli.js";

export { ROOT };

export interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** The built `epython` with extra environment (PATH replaced when given). */
export function epython(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Run {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "epython.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: timeoutMs,
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", code: r.status ?? -1 };
}

/** No stack trace, no internal error: what every user-facing failure must look like. */
export const STACK = /internal error|\n\s+at |Error: /;

/** `submitted job 123: ...` → "123" */
export function jobIdOf(stdout: string): string {
  const m = /^submitted job ([0-9]+):/m.exec(stdout);
  if (!m) throw new Error(`no job id in: ${stdout}`);
  return m[1]!;
}

/** The files of a results directory, by name. */
export function files(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .filter((f) => !f.startsWith("."))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

export const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));
