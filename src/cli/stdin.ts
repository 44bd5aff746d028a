/** Synchronous line input for `input()`: the simulation asks for a line when a core reaches input. */
import { readSync } from "node:fs";

export class StdinLines {
  private buffered = "";
  private eof = false;
  private readonly chunk = Buffer.alloc(4096);

  next(): string | null {
    for (;;) {
      const nl = this.buffered.indexOf("\n");
      if (nl >= 0) {
        const line = this.buffered.slice(0, nl).replace(/\r$/, "");
        this.buffered = this.buffered.slice(nl + 1);
        return line;
      }
      if (this.eof) {
        if (this.buffered.length === 0) return null;
        const line = this.buffered;
        this.buffered = "";
        return line;
      }
      let n = 0;
      try {
        n = readSync(0, this.chunk, 0, this.chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") continue;
        if (code === "EOF" || code === "EBADF" || code === "ENXIO") n = 0;
        else throw e;
      }
      if (n === 0) this.eof = true;
      else this.buffered += this.chunk.toString("latin1", 0, n);
    }
  }
}
