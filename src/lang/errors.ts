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

  /** The three-line report: location and message, the offending line, a caret under the column. */
  format(): string {
    const shown = this.sourceLine.replace(/\t/g, " ");
    const caret = " ".repeat(Math.max(0, this.col - 1)) + "^";
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
