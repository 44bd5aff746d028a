/**
 * The scanner: ePython source text to tokens, with Python's INDENT/DEDENT layout.
 *
 * ePython's lexer (host/epython.l) is case-insensitive for keywords, counts a tab as 4 columns,
 * allows `.` inside identifiers (`math.sqrt`), and knows `#` and C-style block comments. Beyond
 * ePython we accept single-quoted strings, hex literals and implicit line joining inside brackets,
 * with Python's meaning.
 */
import { type SourceFile, syntaxError } from "./errors.js";

export const enum T {
  Eof, Newline, Indent, Dedent, Name, Int, Real, Str,
  // keywords
  And, Or, Not, Is, In, True, False, None, Def, Return, If, Elif, Else, While, For, Pass, Exit,
  Print, Input, Native, Str_, Import, From, Break, Continue,
  // punctuation and operators
  LParen, RParen, LBrack, RBrack, Comma, Colon, Semi, At, Assign,
  Plus, Minus, Star, Slash, SlashSlash, Percent, StarStar, Caret,
  Eq, Ne, Lt, Gt, Le, Ge,
  PlusEq, MinusEq, StarEq, SlashEq, PercentEq, StarStarEq, SlashSlashEq,
}

const KEYWORDS: Record<string, T> = {
  and: T.And, or: T.Or, not: T.Not, is: T.Is, in: T.In, true: T.True, false: T.False, none: T.None,
  def: T.Def, return: T.Return, if: T.If, elif: T.Elif, else: T.Else, while: T.While, for: T.For,
  pass: T.Pass, exit: T.Exit, quit: T.Exit, print: T.Print, input: T.Input, native: T.Native,
  str: T.Str_, import: T.Import, from: T.From, break: T.Break, continue: T.Continue,
};

export interface Token {
  type: T;
  /** identifier text (original case), string contents, or the literal's source text */
  text: string;
  /** numeric value of Int/Real literals */
  num: number;
  line: number;
  col: number;
}

const TAB_WIDTH = 4; // ePython: a tab counts as 4 columns (host/epython.l:5)

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/**
 * Operators and punctuation by their text. Three- and two-character operators are tried before
 * one-character ones (`**=` before `**` before `*`).
 */
const OPERATORS: ReadonlyMap<string, T> = new Map([
  ["**=", T.StarStarEq], ["//=", T.SlashSlashEq],
  ["**", T.StarStar], ["//", T.SlashSlash], ["==", T.Eq], ["!=", T.Ne], ["<>", T.Ne], ["<=", T.Le], [">=", T.Ge],
  ["+=", T.PlusEq], ["-=", T.MinusEq], ["*=", T.StarEq], ["/=", T.SlashEq], ["%=", T.PercentEq],
  ["(", T.LParen], [")", T.RParen], ["[", T.LBrack], ["]", T.RBrack], [",", T.Comma], [":", T.Colon],
  [";", T.Semi], ["@", T.At], ["=", T.Assign], ["+", T.Plus], ["-", T.Minus], ["*", T.Star], ["/", T.Slash],
  ["%", T.Percent], ["^", T.Caret], ["<", T.Lt], [">", T.Gt],
  ["!", T.Not], // `!` is `not` in ePython
]);

export function tokenize(file: SourceFile): Token[] {
  return new Scanner(file).scan();
}

class Scanner {
  private readonly src: string;
  private readonly out: Token[] = [];
  /** columns of the open indentation levels, outermost (0) first */
  private readonly indents: number[] = [0];
  private i = 0;
  private line = 1;
  private lineStart = 0;
  /** bracket nesting: newlines inside brackets are ignored */
  private depth = 0;
  private atLineStart = true;

  constructor(private readonly file: SourceFile) {
    this.src = file.text;
  }

  scan(): Token[] {
    while (this.i < this.src.length) {
      if (this.atLineStart && this.depth === 0) this.indentation();
      else this.token();
    }
    this.finish();
    return this.out;
  }

  private push(type: T, text: string, col: number, num = 0, ln = this.line): void {
    this.out.push({ type, text, num, line: ln, col });
  }
  private fail(message: string, col: number): never {
    throw syntaxError(this.file, this.line, col, message);
  }
  private code(at: number): number {
    return this.src.charCodeAt(at);
  }

  /**
   * Measure the indentation of a logical line and open or close blocks. Blank and comment-only
   * lines do not count: their comments are skipped by token() like any other.
   */
  private indentation(): void {
    const src = this.src;
    let col = 0;
    let j = this.i;
    while (j < src.length) {
      const c = src.charCodeAt(j);
      if (c === 32) col++;
      else if (c === 9) col += TAB_WIDTH - (col % TAB_WIDTH);
      else if (c === 12) col = 0;
      else break;
      j++;
    }
    this.i = j;
    this.atLineStart = false;
    const c = j < src.length ? src.charCodeAt(j) : -1;
    const blockComment = c === 47 && this.code(j + 1) === 42;
    if (c === -1 || c === 10 || c === 13 || c === 35 || blockComment) return;
    this.indent(col, j - this.lineStart + 1);
  }

  private indent(col: number, col1: number): void {
    const indents = this.indents;
    const top = indents[indents.length - 1]!;
    if (col > top) {
      indents.push(col);
      this.push(T.Indent, "", col1);
    } else if (col < top) {
      while (indents.length > 1 && col < indents[indents.length - 1]!) {
        indents.pop();
        this.push(T.Dedent, "", col1);
      }
      if (col !== indents[indents.length - 1]) this.fail("unindent does not match any outer indentation level", col1);
    }
  }

  /** One token, or one piece of what lies between tokens (space, a comment, a line end). */
  private token(): void {
    const c = this.code(this.i);
    const col = this.i - this.lineStart + 1;
    if (c === 10) return this.newline(col);
    if (c === 32 || c === 9 || c === 13 || c === 12) {
      this.i++;
      return;
    }
    if (c === 92 && (this.code(this.i + 1) === 10 || (this.code(this.i + 1) === 13 && this.code(this.i + 2) === 10))) return this.joinLines();
    if (c === 35) return this.lineComment();
    if (c === 47 && this.code(this.i + 1) === 42) return this.blockComment(col);
    if (isIdentStart(c)) return this.identifier(col);
    if (isDigit(c) || (c === 46 && isDigit(this.code(this.i + 1)))) return this.number(col);
    if (c === 34 || c === 39) return this.string(c, col);
    this.operator(col);
  }

  private newline(col: number): void {
    if (this.depth === 0) {
      const last = this.out[this.out.length - 1];
      if (last && last.type !== T.Newline && last.type !== T.Indent && last.type !== T.Dedent) this.push(T.Newline, "", col);
    }
    this.i++;
    this.line++;
    this.lineStart = this.i;
    this.atLineStart = true;
  }

  /** Explicit line joining with a backslash. */
  private joinLines(): void {
    this.i += this.code(this.i + 1) === 13 ? 3 : 2;
    this.line++;
    this.lineStart = this.i;
  }

  /** `#` comment to the end of the line. */
  private lineComment(): void {
    while (this.i < this.src.length && this.code(this.i) !== 10) this.i++;
  }

  /** A C-style block comment, which may span lines. */
  private blockComment(col: number): void {
    const end = this.src.indexOf("*/", this.i + 2);
    if (end < 0) this.fail("unterminated /* comment", col);
    for (let k = this.i; k < end; k++) {
      if (this.code(k) === 10) {
        this.line++;
        this.lineStart = k + 1;
      }
    }
    this.i = end + 2;
  }

  /** A name or keyword; a `.` between name characters belongs to the name (`module.name`). */
  private identifier(col: number): void {
    const src = this.src;
    const n = src.length;
    let j = this.i + 1;
    while (j < n) {
      const d = src.charCodeAt(j);
      if (isIdentPart(d)) j++;
      else if (d === 46 && j + 1 < n && isIdentStart(src.charCodeAt(j + 1))) j++; // module.name
      else break;
    }
    const text = src.slice(this.i, j);
    const kw = KEYWORDS[text.toLowerCase()];
    this.push(kw ?? T.Name, text, col);
    this.i = j;
  }

  private number(col: number): void {
    const src = this.src;
    const n = src.length;
    const i = this.i;
    if (src.charCodeAt(i) === 48 && (src.charCodeAt(i + 1) === 120 || src.charCodeAt(i + 1) === 88)) return this.hexNumber(col);
    let j = i;
    let isReal = false;
    while (j < n && isDigit(src.charCodeAt(j))) j++;
    if (src.charCodeAt(j) === 46 && !(isIdentStart(src.charCodeAt(j + 1)) && !/[eEfFlL]/.test(src[j + 1] ?? ""))) {
      isReal = true;
      j++;
      while (j < n && isDigit(src.charCodeAt(j))) j++;
    }
    if ((src[j] === "e" || src[j] === "E") && /^[eE][+-]?[0-9]/.test(src.slice(j, j + 3))) {
      isReal = true;
      j++;
      if (src[j] === "+" || src[j] === "-") j++;
      while (j < n && isDigit(src.charCodeAt(j))) j++;
    }
    const text = src.slice(i, j);
    if (src[j] === "f" || src[j] === "F" || src[j] === "l" || src[j] === "L") { isReal = true; j++; } // C suffixes, as ePython
    if (j < n && isIdentStart(src.charCodeAt(j))) this.fail(`invalid number literal '${src.slice(i, j + 1)}'`, col);
    if (isReal) this.push(T.Real, text, col, Math.fround(Number(text)));
    else {
      // ePython converts with atoi: decimal, and values past 32 bits wrap like C's int
      const big = Number(text);
      this.push(T.Int, text, col, Number.isSafeInteger(big) ? big | 0 : Number(BigInt.asIntN(32, BigInt(text))));
    }
    this.i = j;
  }

  /** `0x...`, beyond ePython, with Python's meaning (wrapping to 32 bits). */
  private hexNumber(col: number): void {
    const src = this.src;
    const i = this.i;
    let j = i + 2;
    while (j < src.length && /[0-9a-fA-F]/.test(src[j]!)) j++;
    const text = src.slice(i, j);
    if (j === i + 2) this.fail(`malformed hex literal '${text}'`, col);
    this.push(T.Int, text, col, parseInt(text.slice(2), 16) | 0);
    this.i = j;
  }

  /** `"..."` or `'...'` on one line. */
  private string(quote: number, col: number): void {
    const src = this.src;
    const n = src.length;
    let j = this.i + 1;
    let s = "";
    while (j < n && src.charCodeAt(j) !== quote) {
      const d = src.charCodeAt(j);
      if (d === 10) this.fail("unterminated string literal", col);
      if (d === 92 && j + 1 < n) { // escapes: beyond ePython (it has none), Python's common ones
        const e = src[j + 1]!;
        s += e === "n" ? "\n" : e === "t" ? "\t" : e === "\\" ? "\\" : e === '"' ? '"' : e === "'" ? "'" : "\\" + e;
        j += 2;
        continue;
      }
      s += src[j];
      j++;
    }
    if (j >= n) this.fail("unterminated string literal", col);
    this.push(T.Str, s, col);
    this.i = j + 1;
  }

  private operator(col: number): void {
    for (const len of [3, 2, 1]) {
      const text = this.src.slice(this.i, this.i + len);
      const op = OPERATORS.get(text);
      if (op === undefined) continue;
      if (op === T.LParen || op === T.LBrack) this.depth++;
      else if (op === T.RParen || op === T.RBrack) this.depth = Math.max(0, this.depth - 1);
      this.push(op, text, col);
      this.i += text.length; // not len: at the end of the file the slice is shorter
      return;
    }
    this.fail(`unexpected character '${this.src[this.i]}'`, col);
  }

  /** Close the last line and every open block. */
  private finish(): void {
    const last = this.out[this.out.length - 1];
    if (last && last.type !== T.Newline && last.type !== T.Dedent && last.type !== T.Indent) {
      // the file ends inside brackets (or without a newline): an error about the missing rest
      // points just after the last token, not at an empty line below it
      const endCol = last.col + last.text.length + (last.type === T.Str ? 2 : 0);
      if (last.line < this.line) this.push(T.Newline, "", endCol, 0, last.line);
      else this.push(T.Newline, "", this.i - this.lineStart + 1);
    }
    while (this.indents.length > 1) {
      this.indents.pop();
      this.push(T.Dedent, "", 1);
    }
    this.push(T.Eof, "", this.i - this.lineStart + 1);
  }
}
