/** Columns of a source line an error report shows at most. */
const SHOWN_COLUMNS = 160;

/** Syntax and compile errors with a position, printed as `FILE:LINE:COL: message`, source line, caret. */
export class EpySyntaxError extends Error {
  override readonly name = "EpySyntaxError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
    readonly sourceLine: string,
  ) {
    super(`${file}:${line}:${col}: ${detail}`);
  }

  /**
   * The three-line report: location and message, the offending line, a caret under the column.
   * A very long line is shown as a window of SHOWN_COLUMNS around the column, marked with "...".
   */
  format(): string {
    const full = this.sourceLine.replace(/\t/g, " ");
    let from = 0;
    let shown = full;
    if (full.length > SHOWN_COLUMNS) {
      from = Math.max(0, Math.min(this.col - 1 - SHOWN_COLUMNS / 2, full.length - SHOWN_COLUMNS));
      shown = (from > 0 ? "..." : "") + full.slice(from, from + SHOWN_COLUMNS) + (from + SHOWN_COLUMNS < full.length ? "..." : "");
    }
    const pad = this.col - 1 - from + (from > 0 ? 3 : 0);
    const caret = " ".repeat(Math.max(0, pad)) + "^";
    return `${this.file}:${this.line}:${this.col}: ${this.detail}\n${shown}\n${caret}`;
  }
}

/** One source file as the lexer sees it; the compiler keeps them to report positions. */
export interface SourceFile {
  readonly name: string;
  readonly text: string;
  lines?: string[];
}

export function lineOf(file: SourceFile, line: number): string {
  if (!file.lines) file.lines = file.text.split(/\r?\n/);
  return file.lines[line - 1] ?? "";
}

export function syntaxError(file: SourceFile, line: number, col: number, message: string): EpySyntaxError {
  return new EpySyntaxError(file.name, line, col, message, lineOf(file, line));
}
