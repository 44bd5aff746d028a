/**
 * A set of files in a folder replaced as one: after a run killed at any moment, the names show
 * either every old file or every new one, never a mix and never a part of a file.
 *
 * Renaming files one by one can not give that: a kill between two renames leaves some new files
 * beside old ones. So the files of a set live in a folder of their own, and what the real names
 * show is switched with one rename of one symbolic link:
 *
 *   DIR/gc.csv            -> .result-sets/gc/current/gc.csv      (one link per name, made once)
 *   DIR/gc.md             -> .result-sets/gc/current/gc.md
 *   DIR/.result-sets/gc/current -> set.HOST.PID.RANDOM            (the switch)
 *   DIR/.result-sets/gc/set.HOST.PID.RANDOM/gc.csv, gc.md, ...    (the files)
 *
 * Writing a set (writeFileSet):
 *   1. remove what killed runs left: temporaries and set folders of processes that are gone;
 *   2. make sure every name of the set is a link through `current`. A name that is still a plain
 *      file (written before sets existed, or put there by hand) first has its bytes copied into
 *      the current set, so what it shows does not change; a name new to the set gets its link
 *      now, which shows nothing (opening it says "no such file", as before) until the switch;
 *   3. write the new files into a new set folder nobody looks at yet, and carry over (hard link)
 *      the old set's files that this run does not write (a plain run keeps the sensitivity
 *      report of an earlier --sensitivity run, as it did when files were written one by one);
 *   4. the switch: a new `current` link under a temporary name renamed over the old one;
 *   5. remove the old set's folder.
 * A kill before step 4 leaves the old set showing (plus, in .result-sets, a set folder that step 1
 * of the next run removes); a kill after it, the new one. A reader that opens a name gets a whole
 * file of one set; one that lists DIR sees the names and the hidden .result-sets folder.
 * Two runs writing the same set at once: the last switch wins, and what shows is still one
 * whole set. The folder must be on a file system with symbolic links (any POSIX one).
 */
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fsyncPath, hostTag, isTemporaryName, processAlive, staleTemporary, temporaryName, writeFileAtomicSync } from "./atomic-file.js";

/** The hidden folder beside the files that holds the sets. */
export const SETS_FOLDER = ".result-sets";

export interface SetFile {
  name: string;
  text: string | Uint8Array;
}

export interface FileSetOptions {
  /**
   * Called before every change on the disk with a short description; a test hook (the CLI
   * pauses there when asked, so that a test can kill it between any two changes).
   */
  beforeStep?: (what: string) => void;
}

/** Thrown for a folder the set can not be written into; the message names the path. */
export class FileSetError extends Error {
  override readonly name = "FileSetError";
}

const SET_FOLDER = /^set\.([A-Za-z0-9_-]+)\.([0-9]+)\.[0-9a-f]+$/;

function plainName(name: string): boolean {
  return name !== "" && !name.startsWith(".") && !/[/\\\0]/.test(name);
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** The set folder `current` points at, or null when there is no set yet. */
function currentSet(home: string): string | null {
  try {
    const target = readlinkSync(join(home, "current"));
    if (!SET_FOLDER.test(target)) throw new FileSetError(`${join(home, "current")} points at '${target}', which is not a set folder: remove ${home} and run again`);
    // a set folder removed by hand: nothing shows, as if there were no set yet
    return existsSync(join(home, target)) ? target : null;
  } catch (e) {
    if (errno(e) === "ENOENT") return null;
    if (errno(e) === "EINVAL") throw new FileSetError(`${join(home, "current")} is not a symbolic link: remove ${home} and run again`);
    throw e;
  }
}

/** Replace (or make) `path` with a symbolic link to `target`, atomically, through a temporary in `scratch`. */
function placeLink(target: string, path: string, scratch: string): void {
  const tmp = temporaryName(join(scratch, `link-${path.split(/[/\\]/).pop()}`));
  rmSync(tmp, { force: true });
  try {
    symlinkSync(target, tmp);
  } catch (e) {
    throw new FileSetError(`can not make a symbolic link in '${scratch}' (${(e as Error).message}): results are switched as a set through links; write them to a POSIX file system`);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Write `files` into `dir` as one set named `set` (e.g. a study's name), replacing the set's
 * previous files all at once (see the file comment). File names must be plain (no folder, not
 * hidden); the bytes written are exactly `text`.
 */
export function writeFileSet(dir: string, set: string, files: readonly SetFile[], options: FileSetOptions = {}): void {
  if (!/^[A-Za-z0-9_-]+$/.test(set)) throw new FileSetError(`'${set}' is not a usable set name`);
  for (const f of files) if (!plainName(f.name)) throw new FileSetError(`'${f.name}' is not a plain file name`);
  const step = options.beforeStep ?? (() => {});
  const home = join(dir, SETS_FOLDER, set);
  const linkTarget = (name: string) => `${SETS_FOLDER}/${set}/current/${name}`;
  step("make the sets folder");
  mkdirSync(home, { recursive: true });

  // 1. what killed runs left
  let old = currentSet(home);
  const host = hostTag();
  for (const entry of readdirSync(home)) {
    const m = SET_FOLDER.exec(entry);
    const gone = m !== null ? entry !== old && m[1] === host && !processAlive(Number(m[2])) : isTemporaryName(entry) && staleTemporary(entry);
    if (gone) {
      step(`remove ${entry}, left by a run that was stopped`);
      rmSync(join(home, entry), { recursive: true, force: true });
    }
  }
  const newNames = new Set(files.map((f) => f.name));
  const oldNames = old === null ? [] : readdirSync(join(home, old)).filter(plainName);
  const names = [...new Set([...newNames, ...oldNames])].sort();
  for (const entry of readdirSync(dir)) {
    // temporaries of the set's names beside them: `.NAME.tmp-PID` (and `NAME.tmp-PID`, as
    // versions before sets wrote them)
    const m = /^\.?(.+)\.tmp-([0-9]+)$/.exec(entry);
    if (m !== null && names.includes(m[1]!) && !processAlive(Number(m[2]))) {
      step(`remove ${entry}, left by a run that was stopped`);
      rmSync(join(dir, entry), { force: true });
    }
  }

  // 2. every name of the set a link through `current`
  for (const name of names) {
    const path = join(dir, name);
    let kind: "none" | "ours" | "other";
    try {
      const st = lstatSync(path);
      if (st.isDirectory()) throw new FileSetError(`'${path}' is a folder; the results need that name for a file`);
      kind = st.isSymbolicLink() && readlinkSync(path) === linkTarget(name) ? "ours" : "other";
    } catch (e) {
      if (errno(e) !== "ENOENT") throw e;
      kind = "none";
    }
    if (kind === "ours") continue;
    if (kind === "other") {
      // a plain file (or someone else's link): its bytes join the current set before the name
      // becomes a link, so the name shows the same bytes throughout
      let bytes: Buffer | null = null;
      try {
        bytes = readFileSync(path);
      } catch (e) {
        if (errno(e) !== "ENOENT") throw e; // a dangling link shows nothing; it is simply replaced
      }
      if (bytes !== null) {
        if (old === null) {
          old = newSetName(host);
          step(`make ${old} for the files already there`);
          mkdirSync(join(home, old));
          step(`point current at ${old}`);
          placeLink(old, join(home, "current"), home);
        }
        step(`copy ${name} into ${old}`);
        writeFileAtomicSync(join(home, old, name), bytes, { durable: true });
      }
    }
    step(`link ${name}`);
    placeLink(linkTarget(name), path, home);
  }

  // 3. the new set, out of sight
  const next = newSetName(host);
  const nextDir = join(home, next);
  step(`make ${next}`);
  mkdirSync(nextDir);
  for (const f of files) {
    step(`write ${f.name} into ${next}`);
    writeFileSync(join(nextDir, f.name), f.text);
    fsyncPath(join(nextDir, f.name));
  }
  if (old !== null) {
    for (const name of readdirSync(join(home, old)).filter(plainName)) {
      if (newNames.has(name)) continue;
      step(`carry ${name} over into ${next}`);
      try {
        linkSync(join(home, old, name), join(nextDir, name));
      } catch {
        copyFileSync(join(home, old, name), join(nextDir, name));
      }
    }
  }
  fsyncPath(nextDir);

  // 4. the switch
  step(`point current at ${next} (the switch)`);
  placeLink(next, join(home, "current"), home);
  fsyncPath(home);

  // 5. the old set
  if (old !== null) {
    step(`remove ${old}`);
    rmSync(join(home, old), { recursive: true, force: true });
  }
}

function newSetName(host: string): string {
  return `set.${host}.${process.pid}.${randomBytes(4).toString("hex")}`;
}
