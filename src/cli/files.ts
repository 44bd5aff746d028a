/**
 * The CLI's file I/O as Effects whose failures are InputFileErrors naming the file (exit 2).
 * Files are written to a temporary name beside the target and renamed (src/util/atomic-file.ts),
 * so a run that is killed half-way never leaves a truncated file under the real name.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Effect } from "effect";
import { temporaryName, writeFileAtomicSync } from "../util/atomic-file.js";
import { InputFileError } from "./errors.js";

export { temporaryName };

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
    try: () => writeFileAtomicSync(path, data),
    catch: (e) => new InputFileError({ message: `can not write '${path}': ${(e as Error).message}` }),
  });

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
