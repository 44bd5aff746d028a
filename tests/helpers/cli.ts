/** Run the built `epython` command (npm test builds first) and capture what it prints. */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface CliRun {
  stdout: string;
  stderr: string;
  code: number;
}

export function runEpython(args: string[], opts: { stdin?: string; cwd?: string; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "epython.js"), ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.stdin ?? "",
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "", code: r.status ?? -1 };
}
