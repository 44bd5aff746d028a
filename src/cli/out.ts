import { writeSync } from "node:fs";

/** Buffered stdout: program output can be long; flushed before input prompts and at the end. */
export class Out {
  /** called before text reaches stdout (the CLI clears its progress line there) */
  beforeWrite: (() => void) | null = null;
  private parts: string[] = [];
  private size = 0;
  line(s: string): void {
    this.parts.push(s, "\n");
    this.size += s.length + 1;
    if (this.size > 1 << 16) this.flush();
  }
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }
  flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    this.beforeWrite?.();
    try {
      writeSync(1, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EPIPE") throw e;
    }
  }
}

