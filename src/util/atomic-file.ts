/**
 * Writing a file so that a reader, or a run killed half-way, never sees a part of it: the data
 * goes to a temporary name beside the target (same folder, so the same file system) and is then
 * renamed over the target, which POSIX makes atomic. The one helper every writer of the CLI and
 * the experiments uses (the CLI wraps it in an Effect in src/cli/files.ts).
 *
 * Temporary names are hidden and carry the writer's process id: `.NAME.tmp-PID` beside `NAME`.
 * A run killed between the write and the rename leaves one behind; `isTemporaryName` recognises
 * them and `staleTemporary` says whether its writer is gone (readers ignore them, writers may
 * remove the stale ones).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";

/** The temporary name beside `path` that this process writes it through. */
export function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
}

const TEMPORARY = /^\.(.+)\.tmp-([0-9]+)$/;

/** Whether `name` (a file name, not a path) is a temporary of `target` (any target when omitted). */
export function isTemporaryName(name: string, target?: string): boolean {
  const m = TEMPORARY.exec(name);
  return m !== null && (target === undefined || m[1] === target);
}

/** Whether a process with this id is running on this machine (a process of another user counts). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether `name` is a temporary whose writer (the process id in its name) is no longer running. */
export function staleTemporary(name: string): boolean {
  const m = TEMPORARY.exec(name);
  return m !== null && !processAlive(Number(m[2]));
}

/** This machine's name as it may appear in a file name. */
export function hostTag(): string {
  return hostname().replace(/[^A-Za-z0-9-]/g, "_").slice(0, 40) || "host";
}

export interface AtomicWriteOptions {
  /** permission bits of a new file (before the umask), e.g. 0o755 for a script */
  mode?: number;
  /** flush the data to the disk before the rename (survives a power cut, not only a kill) */
  durable?: boolean;
}

/**
 * Write `data` to `path` atomically: afterwards `path` holds all of `data`; if this throws or the
 * process dies, `path` is as it was. Errors name `path`, not the temporary.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const tmp = temporaryName(path);
  try {
    writeFileSync(tmp, data, options.mode === undefined ? {} : { mode: options.mode });
    if (options.durable) fsyncPath(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (e instanceof Error) e.message = e.message.split(tmp).join(path);
    throw e;
  }
}

/** fsync a file or a folder by path (folders: so that the names in it are on the disk). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
