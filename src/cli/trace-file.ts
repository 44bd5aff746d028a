/**
 * `--trace FILE`: the trace written to disk as the run goes (the recorder's chunks, FORMAT.md), so
 * a run that is killed leaves everything up to its last chunk, which `replay`, `view` and `export`
 * read as an incomplete trace.
 *
 * The file is created under a temporary name beside the target; once the prefix and the header
 * chunk are in it, it is renamed onto the target, and the run's chunks are appended to it. So an
 * older trace at that path is replaced at the start (never left looking like this run's trace),
 * the path never holds a file without a header, and the trace is complete exactly when its footer
 * chunk is there.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import type { TraceOutput } from "../trace/recorder.js";
import { temporaryName } from "./files.js";

export class TraceFile implements TraceOutput {
  private fd: number;
  private placed = false;
  private closed = false;
  /** the first write error (a full disk): the run goes on, the CLI reports it at the end */
  failure: string | null = null;

  /** Create the temporary file; throws (with the target's name in the message) when it can not. */
  constructor(readonly path: string) {
    const tmp = temporaryName(path);
    try {
      this.fd = openSync(tmp, "w");
    } catch (e) {
      throw new Error(`can not write '${path}': ${(e as Error).message.split(tmp).join(path)}`);
    }
  }

  write(bytes: Uint8Array): void {
    if (this.failure !== null || this.closed) return;
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
      if (!this.placed) {
        // the prefix and the header chunk are written: from now on the trace is at its path
        renameSync(temporaryName(this.path), this.path);
        this.placed = true;
      }
    } catch (e) {
      this.failure = `can not write '${this.path}': ${(e as Error).message.split(temporaryName(this.path)).join(this.path)}`;
    }
  }

  /** Close the file (after the footer chunk, or when the process must stop without one). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // nothing more can be done for a file that does not close
    }
    if (!this.placed) rmSync(temporaryName(this.path), { force: true });
  }
}
