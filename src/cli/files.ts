/**
 * The CLI's file I/O as Effects whose failures are InputFileErrors naming the file (exit 2).
 * Files are written to a temporary name beside the target and renamed, so a run that is killed
 * half-way never leaves a truncated file under the real name.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Effect } from "effect";
import { InputFileError } from "./errors.js";

function cause(e: unknown): string {
  return (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
}

export const readText = (path: string) =>
  Effect.try({
    try: () => readFileSync(path, "utf8"),
    catch: (e) => new InputFileError({ message: `can not read '${path}': ${cause(e)}` }),
  });

export const readBytes = (path: string) =>
  Effect.try({
    try: () => new Uint8Array(readFileSync(path)),
    catch: (e) => new InputFileError({ message: `can not read '${path}': ${cause(e)}` }),
  });

/** Write `data` to `path` through a temporary file in the same folder and a rename. */
export const writeFileAtomic = (path: string, data: Uint8Array | string) =>
  Effect.try({
    try: () => {
      const tmp = temporaryName(path);
      try {
        writeFileSync(tmp, data);
        renameSync(tmp, path);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    },
    catch: (e) => new InputFileError({ message: `can not write '${path}': ${(e as Error).message.split(temporaryName(path)).join(path)}` }),
  });

/** A temporary name beside `path` for writing it atomically. */
export function temporaryName(path: string): string {
  return `${path}.tmp-${process.pid}`;
}

/** Whether two paths name the same file: the same path, or (both existing) the same inode, e.g. through a link. */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}
