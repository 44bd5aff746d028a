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

export function tokenize(file: SourceFile): Token[] {
  const src = file.text;
  const n = src.length;
  const out: Token[] = [];
  const indents: number[] = [0];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0; // bracket nesting: newlines inside brackets are ignored
  let atLineStart = true;

  const push = (type: T, text: string, col: number, num = 0, ln = line): void => {
    out.push({ type, text, num, line: ln, col });
  };
  const fail = (message: string, ln: number, col: number): never => {
    throw syntaxError(file, ln, col, message);
  };

  while (i < n) {
    if (atLineStart && depth === 0) {
      // measure indentation of a logical line; blank and comment-only lines do not count
      let col = 0;
      let j = i;
      while (j < n) {
        const c = src.charCodeAt(j);
        if (c === 32) col++;
        else if (c === 9) col += TAB_WIDTH - (col % TAB_WIDTH);
        else if (c === 12) col = 0;
        else break;
        j++;
      }
      const c = j < n ? src.charCodeAt(j) : -1;
      const blockComment = c === 47 && src.charCodeAt(j + 1) === 42;
      if (c === -1 || c === 10 || c === 13 || c === 35 || blockComment) {
        // blank or comment line: skip to its end (block comments handled by the main loop)
        i = j;
        atLineStart = false;
        if (blockComment) {
          // a block comment at line start: skip it, then re-evaluate this line's indentation
          const end = src.indexOf("*/", j + 2);
          if (end < 0) fail("unterminated /* comment", line, j - lineStart + 1);
          for (let k = j; k < end + 2; k++) if (src.charCodeAt(k) === 10) { line++; lineStart = k + 1; }
          i = end + 2;
          atLineStart = true;
          // rest of the line after the comment decides whether it is blank
          let k = i;
          while (k < n && (src.charCodeAt(k) === 32 || src.charCodeAt(k) === 9)) k++;
          if (k < n && src.charCodeAt(k) !== 10 && src.charCodeAt(k) !== 13 && src.charCodeAt(k) !== 35) {
            atLineStart = false; // code follows the comment on the same line: no indentation change
            i = k;
          } else {
            i = k;
            atLineStart = false;
          }
        }
        continue;
      }
      const top = indents[indents.length - 1]!;
      const col1 = j - lineStart + 1;
      if (col > top) {
        indents.push(col);
        push(T.Indent, "", col1);
      } else if (col < top) {
        while (indents.length > 1 && col < indents[indents.length - 1]!) {
          indents.pop();
          push(T.Dedent, "", col1);
        }
        if (col !== indents[indents.length - 1]) fail("unindent does not match any outer indentation level", line, col1);
      }
      i = j;
      atLineStart = false;
      continue;
    }

    const c = src.charCodeAt(i);
    const col = i - lineStart + 1;
    if (c === 10) {
      if (depth === 0) {
        const last = out[out.length - 1];
        if (last && last.type !== T.Newline && last.type !== T.Indent && last.type !== T.Dedent) push(T.Newline, "", col);
      }
      i++;
      line++;
      lineStart = i;
      atLineStart = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12) { i++; continue; }
    if (c === 92 && (src.charCodeAt(i + 1) === 10 || (src.charCodeAt(i + 1) === 13 && src.charCodeAt(i + 2) === 10))) {
      // explicit line joining with a backslash
      i += src.charCodeAt(i + 1) === 13 ? 3 : 2;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 35) { // # comment to end of line
      while (i < n && src.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 42) { // /* block comment */
      const end = src.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated /* comment", line, col);
      for (let k = i; k < end; k++) if (src.charCodeAt(k) === 10) { line++; lineStart = k + 1; }
      i = end + 2;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (isIdentPart(d)) j++;
        else if (d === 46 && j + 1 < n && isIdentStart(src.charCodeAt(j + 1))) j++; // module.name
        else break;
      }
      const text = src.slice(i, j);
      const kw = KEYWORDS[text.toLowerCase()];
      push(kw ?? T.Name, text, col);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      let j = i;
      if (c === 48 && (src.charCodeAt(i + 1) === 120 || src.charCodeAt(i + 1) === 88)) {
        j = i + 2;
        while (j < n && /[0-9a-fA-F]/.test(src[j]!)) j++;
        const text = src.slice(i, j);
        if (j === i + 2) fail(`malformed hex literal '${text}'`, line, col);
        push(T.Int, text, col, parseInt(text.slice(2), 16) | 0);
        i = j;
        continue;
      }
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
      if (j < n && isIdentStart(src.charCodeAt(j))) fail(`invalid number literal '${src.slice(i, j + 1)}'`, line, col);
      if (isReal) push(T.Real, text, col, Math.fround(Number(text)));
      else {
        // ePython converts with atoi: decimal, and values past 32 bits wrap like C's int
        const big = Number(text);
        push(T.Int, text, col, Number.isSafeInteger(big) ? big | 0 : Number(BigInt.asIntN(32, BigInt(text))));
      }
      i = j;
      continue;
    }
    if (c === 34 || c === 39) { // "..." or '...'
      let j = i + 1;
      let s = "";
      while (j < n && src.charCodeAt(j) !== c) {
        const d = src.charCodeAt(j);
        if (d === 10) fail("unterminated string literal", line, col);
        if (d === 92 && j + 1 < n) { // escapes: beyond ePython (it has none), Python's common ones
          const e = src[j + 1]!;
          s += e === "n" ? "\n" : e === "t" ? "\t" : e === "\\" ? "\\" : e === '"' ? '"' : e === "'" ? "'" : "\\" + e;
          j += 2;
          continue;
        }
        s += src[j];
        j++;
      }
      if (j >= n) fail("unterminated string literal", line, col);
      push(T.Str, s, col);
      i = j + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    const three = src.slice(i, i + 3);
    let op: T | undefined;
    let len = 1;
    if (three === "**=") { op = T.StarStarEq; len = 3; }
    else if (three === "//=") { op = T.SlashSlashEq; len = 3; }
    else {
      switch (two) {
        case "**": op = T.StarStar; break;
        case "//": op = T.SlashSlash; break;
        case "==": op = T.Eq; break;
        case "!=": case "<>": op = T.Ne; break;
        case "<=": op = T.Le; break;
        case ">=": op = T.Ge; break;
        case "+=": op = T.PlusEq; break;
        case "-=": op = T.MinusEq; break;
        case "*=": op = T.StarEq; break;
        case "/=": op = T.SlashEq; break;
        case "%=": op = T.PercentEq; break;
      }
      if (op !== undefined) len = 2;
    }
    if (op === undefined) {
      switch (c) {
        case 40: op = T.LParen; depth++; break;
        case 41: op = T.RParen; depth = Math.max(0, depth - 1); break;
        case 91: op = T.LBrack; depth++; break;
        case 93: op = T.RBrack; depth = Math.max(0, depth - 1); break;
        case 44: op = T.Comma; break;
        case 58: op = T.Colon; break;
        case 59: op = T.Semi; break;
        case 64: op = T.At; break;
        case 61: op = T.Assign; break;
        case 43: op = T.Plus; break;
        case 45: op = T.Minus; break;
        case 42: op = T.Star; break;
        case 47: op = T.Slash; break;
        case 37: op = T.Percent; break;
        case 94: op = T.Caret; break;
        case 60: op = T.Lt; break;
        case 62: op = T.Gt; break;
        case 33: op = T.Not; break; // `!` is `not` in ePython
      }
    }
    if (op === undefined) fail(`unexpected character '${src[i]}'`, line, col);
    push(op!, src.slice(i, i + len), col);
    i += len;
  }
  const last = out[out.length - 1];
  if (last && last.type !== T.Newline && last.type !== T.Dedent && last.type !== T.Indent) {
    // the file ends inside brackets (or without a newline): an error about the missing rest
    // points just after the last token, not at an empty line below it
    const endCol = last.col + last.text.length + (last.type === T.Str ? 2 : 0);
    if (last.line < line) push(T.Newline, "", endCol, 0, last.line);
    else push(T.Newline, "", i - lineStart + 1);
  }
  while (indents.length > 1) {
    indents.pop();
    push(T.Dedent, "", 1);
  }
  push(T.Eof, "", i - lineStart + 1);
  return out;
}
