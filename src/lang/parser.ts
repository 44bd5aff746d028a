/**
 * The parser: tokens to a syntax tree, recursive descent.
 *
 * Operator precedence is ePython's (host/epython.y): or, and, equality (== != is), relational,
 * additive, then one multiplicative level holding * / // % ** and ^ (left-associative, so
 * 2*3**2 is 36). Beyond ePython, with Python's meaning: `not` anywhere (binding like Python's),
 * unary minus on any operand, break/continue, `is not`, `;` between statements, single-line
 * bodies for every compound statement, and `print a, b`.
 */
import type { BinaryOp, Expr, Param, Pos, Stmt, Target } from "./ast.js";
import { type SourceFile, syntaxError } from "./errors.js";
import { T, type Token, tokenize } from "./lexer.js";

const AUG_OPS: Partial<Record<T, BinaryOp>> = {
  [T.PlusEq]: "+", [T.MinusEq]: "-", [T.StarEq]: "*", [T.SlashEq]: "/", [T.PercentEq]: "%",
  [T.StarStarEq]: "**", [T.SlashSlashEq]: "//",
};

/**
 * How deep brackets, unary operators and blocks may nest in the source, and how deep the syntax
 * tree may be. A flat left-associative chain `a+b+c+...` or `a and b and ...` is not nesting: its
 * left operands do not count (the parser builds it with a loop and the compiler compiles it along
 * its left spine with a loop), so its length is not limited. The recursive-descent parser and the
 * recursive compiler behind it would otherwise overflow JavaScript's stack on a pathological
 * program; CPython refuses such programs too ("too many nested parentheses" at 200,
 * "too many levels of indentation" at 100). No real ePython program comes near either limit.
 */
const MAX_NESTING = 200;
const MAX_TREE_DEPTH = 1500;

/** Operators of the left-associative binary levels, by token. `^` is `**` (ePython). */
const RELATIONAL: Partial<Record<T, BinaryOp>> = { [T.Lt]: "<", [T.Gt]: ">", [T.Le]: "<=", [T.Ge]: ">=" };
const ADDITIVE: Partial<Record<T, BinaryOp>> = { [T.Plus]: "+", [T.Minus]: "-" };
const MULTIPLICATIVE: Partial<Record<T, BinaryOp>> = {
  [T.Star]: "*", [T.Slash]: "/", [T.SlashSlash]: "//", [T.Percent]: "%", [T.StarStar]: "**", [T.Caret]: "**",
};

/** Does a token of this type end a simple statement? */
function endsStatement(type: T): boolean {
  return type === T.Newline || type === T.Eof || type === T.Semi || type === T.Dedent;
}

const DESCRIBE: Partial<Record<T, string>> = {
  [T.Eof]: "end of file", [T.Newline]: "end of line", [T.Indent]: "indentation", [T.Dedent]: "end of block",
};

class Parser {
  private p = 0;
  /** Current nesting of brackets, unary operators and blocks (see MAX_NESTING). */
  private depth = 0;
  constructor(
    private readonly toks: Token[],
    private readonly file: SourceFile,
    private readonly fileIndex: number,
  ) {}

  private get tok(): Token {
    return this.toks[this.p]!;
  }
  private peek(k = 1): Token {
    return this.toks[Math.min(this.p + k, this.toks.length - 1)]!;
  }
  private pos(t: Token = this.tok): Pos {
    return { file: this.fileIndex, line: t.line, col: t.col };
  }
  private fail(message: string, t: Token = this.tok): never {
    throw syntaxError(this.file, t.line, t.col, message);
  }
  /** Parse one nested construct, refusing to go deeper than MAX_NESTING. */
  private nested<R>(parse: () => R): R {
    if (++this.depth > MAX_NESTING) this.fail(`too deeply nested (more than ${MAX_NESTING} levels of brackets, operators or blocks)`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }
  private describe(t: Token): string {
    return DESCRIBE[t.type] ?? `'${t.text}'`;
  }
  /** Is the current token of this type? (a call, so TypeScript does not narrow across advances) */
  private at(type: T): boolean {
    return this.tok.type === type;
  }
  private accept(type: T): boolean {
    if (this.tok.type === type) {
      this.p++;
      return true;
    }
    return false;
  }
  private expect(type: T, what: string): Token {
    const t = this.tok;
    if (t.type !== type) this.fail(`expected ${what} but found ${this.describe(t)}`);
    this.p++;
    return t;
  }

  program(): Stmt[] {
    const body: Stmt[] = [];
    while (this.tok.type !== T.Eof) {
      if (this.accept(T.Newline)) continue;
      if (this.tok.type === T.Indent) this.fail("unexpected indentation");
      if (this.tok.type === T.Dedent) { this.p++; continue; }
      this.statement(body);
    }
    return body;
  }

  /** A block after `:`: either an indented suite or simple statements on the same line. */
  private block(): Stmt[] {
    return this.nested(() => this.blockBody());
  }
  private blockBody(): Stmt[] {
    this.expect(T.Colon, "':'");
    const body: Stmt[] = [];
    if (this.accept(T.Newline)) {
      if (this.tok.type !== T.Indent) this.fail("expected an indented block");
      this.p++;
      while (!this.at(T.Dedent) && !this.at(T.Eof)) {
        if (this.accept(T.Newline)) continue;
        this.statement(body);
      }
      this.accept(T.Dedent);
    } else {
      this.simpleLine(body);
    }
    return body;
  }

  private statement(out: Stmt[]): void {
    const t = this.tok;
    switch (t.type) {
      case T.If: return void out.push(this.ifStmt());
      case T.While: {
        this.p++;
        const cond = this.expr();
        out.push({ k: "while", cond, body: this.block(), pos: this.pos(t) });
        return;
      }
      case T.For: {
        this.p++;
        const nameTok = this.expect(T.Name, "a loop variable name");
        this.expect(T.In, "'in'");
        const iter = this.expr();
        out.push({ k: "for", name: nameTok.text, iter, body: this.block(), pos: this.pos(t) });
        return;
      }
      case T.Def: return void out.push(this.defStmt());
      case T.At: {
        // decorators: only ePython's @exportable has a meaning there (CPython offload); ignored here
        this.p++;
        this.expect(T.Name, "a decorator name");
        this.expect(T.Newline, "end of line after a decorator");
        return;
      }
      default:
        this.simpleLine(out);
    }
  }

  /** One line of simple statements separated by `;`, ended by a newline. */
  private simpleLine(out: Stmt[]): void {
    out.push(this.simple());
    while (this.accept(T.Semi)) {
      if (this.tok.type === T.Newline || this.tok.type === T.Eof) break;
      out.push(this.simple());
    }
    if (this.tok.type === T.Eof || this.tok.type === T.Dedent) return;
    if (!this.accept(T.Newline)) this.fail(`unexpected ${this.describe(this.tok)} after the statement`);
  }

  private ifStmt(): Stmt {
    const start = this.tok;
    this.p++;
    const branches = [{ cond: this.expr(), body: this.block() }];
    let orelse: Stmt[] | null = null;
    for (;;) {
      if (this.tok.type === T.Elif) {
        this.p++;
        branches.push({ cond: this.expr(), body: this.block() });
      } else if (this.tok.type === T.Else) {
        this.p++;
        orelse = this.block();
        break;
      } else break;
    }
    return { k: "if", branches, orelse, pos: this.pos(start) };
  }

  private defStmt(): Stmt {
    const start = this.tok;
    this.p++;
    const name = this.expect(T.Name, "a function name");
    this.expect(T.LParen, "'('");
    const params: Param[] = [];
    const seen = new Set<string>();
    if (this.tok.type !== T.RParen) {
      do {
        const pt = this.expect(T.Name, "a parameter name");
        const key = pt.text.toLowerCase();
        if (seen.has(key)) this.fail(`duplicate parameter '${pt.text}'`, pt);
        seen.add(key);
        let def: Expr | null = null;
        if (this.accept(T.Assign)) def = this.expr();
        else if (params.some((q) => q.def)) this.fail("a parameter without a default follows one with a default", pt);
        params.push({ name: pt.text, def, pos: this.pos(pt) });
      } while (this.accept(T.Comma));
    }
    this.expect(T.RParen, "')'");
    return { k: "def", name: name.text, params, body: this.block(), pos: this.pos(start) };
  }

  private simple(): Stmt {
    const t = this.tok;
    const pos = this.pos(t);
    switch (t.type) {
      case T.Pass: this.p++; return { k: "pass", pos };
      case T.Break: this.p++; return { k: "break", pos };
      case T.Continue: this.p++; return { k: "continue", pos };
      case T.Exit:
        this.p++;
        if (this.accept(T.LParen)) this.expect(T.RParen, "')'");
        return { k: "exit", pos };
      case T.Return: {
        this.p++;
        return { k: "return", value: endsStatement(this.tok.type) ? null : this.expr(), pos };
      }
      case T.Print: return this.printStmt();
      case T.Import: {
        this.p++;
        const modules = [this.moduleName()];
        while (this.accept(T.Comma)) modules.push(this.moduleName());
        return { k: "import", modules, pos };
      }
      case T.From: {
        this.p++;
        const mod = this.moduleName();
        this.expect(T.Import, "'import'");
        // ePython includes the whole module whatever follows `import`; the names are checked loosely
        if (!this.accept(T.Star)) {
          do this.expect(T.Name, "a name to import"); while (this.accept(T.Comma));
        }
        return { k: "import", modules: [mod], pos };
      }
      default:
        break;
    }
    const lhs = this.expr();
    if (this.tok.type === T.Assign) {
      const target = this.target(lhs);
      this.p++;
      const value = this.expr();
      if (this.tok.type === T.Assign) this.fail("chained assignment (a = b = c) is not supported by ePython");
      return { k: "assign", target, value, pos };
    }
    const aug = AUG_OPS[this.tok.type];
    if (aug) {
      const target = this.target(lhs);
      this.p++;
      return { k: "augassign", op: aug, target, value: this.expr(), pos };
    }
    if (this.tok.type === T.Comma) this.fail("tuples are not supported by ePython");
    return { k: "expr", expr: lhs, pos };
  }

  private moduleName(): { name: string; pos: Pos } {
    const t = this.expect(T.Name, "a module name");
    return { name: t.text, pos: this.pos(t) };
  }

  private target(e: Expr): Target {
    if (e.k === "name") return e;
    if (e.k === "index") return e;
    return this.fail("cannot assign to this expression", this.tok);
  }

  private printStmt(): Stmt {
    const t = this.tok;
    this.p++;
    const pos = this.pos(t);
    if (endsStatement(this.tok.type)) return { k: "print", values: [], pos };
    // print(a, b) with Python 3's meaning: arguments separated by spaces
    if (this.tok.type === T.LParen && this.closesStatement(this.p)) {
      this.p++;
      const values: Expr[] = [];
      if (!this.at(T.RParen)) {
        do values.push(this.expr()); while (this.accept(T.Comma));
      }
      this.expect(T.RParen, "')'");
      return { k: "print", values, pos };
    }
    const values = [this.expr()];
    while (this.accept(T.Comma)) {
      if (endsStatement(this.tok.type)) break;
      values.push(this.expr());
    }
    return { k: "print", values, pos };
  }

  /** Does the bracket opening at token index `open` close right before the end of the statement? */
  private closesStatement(open: number): boolean {
    let depth = 0;
    for (let i = open; i < this.toks.length; i++) {
      const ty = this.toks[i]!.type;
      if (ty === T.LParen || ty === T.LBrack) depth++;
      else if (ty === T.RParen || ty === T.RBrack) {
        depth--;
        if (depth === 0) return endsStatement(this.toks[i + 1]!.type);
      } else if (ty === T.Newline || ty === T.Eof) return false;
    }
    return false;
  }

  // --- expressions -------------------------------------------------------------------------

  expr(): Expr {
    return this.nested(() => this.orExpr());
  }

  private orExpr(): Expr {
    return this.logical(T.Or, "or", () => this.andExpr());
  }

  private andExpr(): Expr {
    return this.logical(T.And, "and", () => this.notExpr());
  }

  /** `a or b or c` / `a and b`: left-associative, short-circuit nodes of their own. */
  private logical(type: T, k: "and" | "or", operand: () => Expr): Expr {
    let left = operand();
    while (this.tok.type === type) {
      const pos = this.pos();
      this.p++;
      left = { k, left, right: operand(), pos };
    }
    return left;
  }

  private notExpr(): Expr {
    if (this.tok.type === T.Not) {
      const pos = this.pos();
      this.p++;
      return { k: "not", operand: this.nested(() => this.notExpr()), pos };
    }
    return this.equality();
  }

  private equality(): Expr {
    let left = this.relational();
    for (;;) {
      const t = this.tok;
      let op: BinaryOp | undefined;
      if (t.type === T.Eq) op = "==";
      else if (t.type === T.Ne) op = "!=";
      else if (t.type === T.Is) op = this.peek().type === T.Not ? "isnot" : "is";
      if (!op) return left;
      this.p += op === "isnot" ? 2 : 1;
      left = { k: "bin", op, left, right: this.relational(), pos: this.pos(t) };
    }
  }

  private relational(): Expr {
    return this.binaryLevel(RELATIONAL, () => this.additive());
  }

  private additive(): Expr {
    return this.binaryLevel(ADDITIVE, () => this.multiplicative());
  }

  /** `[e]*n` and `n*[e]` are repeated lists, compiled apart from `*` (see the compiler's listrep). */
  private multiplicative(): Expr {
    return this.binaryLevel(MULTIPLICATIVE, () => this.unary(), (op, left, right, pos) => {
      if (op === "*" && left.k === "list") return { k: "listrep", items: left.items, count: right, pos: left.pos };
      if (op === "*" && right.k === "list") return { k: "listrep", items: right.items, count: left, pos: right.pos };
      return { k: "bin", op, left, right, pos };
    });
  }

  /** One left-associative precedence level: operands from `operand`, joined by the operators in `ops`. */
  private binaryLevel(
    ops: Partial<Record<T, BinaryOp>>,
    operand: () => Expr,
    combine = (op: BinaryOp, left: Expr, right: Expr, pos: Pos): Expr => ({ k: "bin", op, left, right, pos }),
  ): Expr {
    let left = operand();
    for (;;) {
      const t = this.tok;
      const op = ops[t.type];
      if (!op) return left;
      this.p++;
      left = combine(op, left, operand(), this.pos(t));
    }
  }

  private unary(): Expr {
    const t = this.tok;
    if (t.type === T.Minus) {
      this.p++;
      const operand = this.nested(() => this.unary());
      if (operand.k === "int") return { k: "int", v: -operand.v | 0, pos: this.pos(t) };
      if (operand.k === "real") return { k: "real", v: Math.fround(-operand.v), pos: this.pos(t) };
      return { k: "neg", operand, pos: this.pos(t) };
    }
    if (t.type === T.Plus) {
      this.p++;
      return this.nested(() => this.unary());
    }
    if (t.type === T.Not) { // `-not x` and friends: let `not` appear in operand position too
      this.p++;
      return { k: "not", operand: this.nested(() => this.unary()), pos: this.pos(t) };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      const t = this.tok;
      if (t.type === T.LParen) {
        this.p++;
        const args = this.args(T.RParen);
        e = { k: "call", callee: e, args, pos: e.pos };
      } else if (t.type === T.LBrack) {
        this.p++;
        const idx = this.expr();
        if (this.tok.type === T.Colon) this.fail("slices are not supported by ePython");
        this.expect(T.RBrack, "']'");
        if (e.k === "index") e.indices.push(idx);
        else e = { k: "index", target: e, indices: [idx], pos: e.pos };
      } else return e;
    }
  }

  private args(close: T): Expr[] {
    const out: Expr[] = [];
    if (this.tok.type !== close) {
      do {
        if (this.tok.type === T.Name && this.peek().type === T.Assign) this.fail("keyword arguments are not supported by ePython");
        out.push(this.expr());
      } while (this.accept(T.Comma) && this.tok.type !== close);
    }
    this.expect(close, close === T.RParen ? "')'" : "']'");
    return out;
  }

  private primary(): Expr {
    const t = this.tok;
    const pos = this.pos(t);
    switch (t.type) {
      case T.Int: this.p++; return { k: "int", v: t.num, pos };
      case T.Real: this.p++; return { k: "real", v: t.num, pos };
      case T.Str: this.p++; return { k: "str", v: t.text, pos };
      case T.True: this.p++; return { k: "bool", v: true, pos };
      case T.False: this.p++; return { k: "bool", v: false, pos };
      case T.None: this.p++; return { k: "none", pos };
      case T.Name: this.p++; return { k: "name", name: t.text, pos };
      case T.LParen: {
        this.p++;
        const e = this.expr();
        if (this.tok.type === T.Comma) this.fail("tuples are not supported by ePython");
        this.expect(T.RParen, "')'");
        return e;
      }
      case T.LBrack: {
        this.p++;
        return { k: "list", items: this.args(T.RBrack), pos };
      }
      case T.Input: {
        this.p++;
        this.expect(T.LParen, "'(' after input");
        const args = this.args(T.RParen);
        if (args.length > 1) this.fail("input takes at most one prompt", t);
        return { k: "input", prompt: args[0] ?? null, pos };
      }
      case T.Str_: {
        // ePython's str(x) is the identity: `+` does the conversion (host/epython.y:195)
        this.p++;
        this.expect(T.LParen, "'(' after str");
        const e = this.expr();
        this.expect(T.RParen, "')'");
        return e;
      }
      case T.Native: {
        this.p++;
        const name = this.expect(T.Name, "a native function name");
        this.expect(T.LParen, "'('");
        return { k: "native", name: name.text, args: this.args(T.RParen), pos };
      }
      default:
        return this.fail(`expected an expression but found ${this.describe(t)}`);
    }
  }
}

/** Parse one source file. `fileIndex` is stored in every position. */
export function parseFile(file: SourceFile, fileIndex: number): Stmt[] {
  const stmts = new Parser(tokenize(file), file, fileIndex).program();
  checkTreeDepth(stmts, file);
  return stmts;
}

/**
 * Refuse a syntax tree deeper than MAX_TREE_DEPTH, at the first node that is too deep. Walks the
 * tree with an explicit stack (a recursive walk would overflow on exactly these trees); every
 * object with a position is a node, every array a list of nodes.
 */
function checkTreeDepth(stmts: Stmt[], file: SourceFile): void {
  const nodes: unknown[] = [stmts];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (Array.isArray(node)) {
      for (const child of node) if (typeof child === "object" && child !== null) { nodes.push(child); depths.push(depth); }
      continue;
    }
    const record = node as Record<string, unknown>;
    const pos = record.pos as Pos | undefined;
    if (pos && depth > MAX_TREE_DEPTH) {
      throw syntaxError(file, pos.line, pos.col, `expression or block too deeply nested (more than ${MAX_TREE_DEPTH} levels)`);
    }
    // the left operand of a binary or logical operator is no deeper: a flat chain `a+b+c+...` is
    // one level however long (the compiler walks its left spine with a loop)
    const chain = record.k === "bin" || record.k === "and" || record.k === "or";
    for (const key in record) {
      const child = record[key];
      if (key !== "pos" && typeof child === "object" && child !== null) {
        nodes.push(child);
        depths.push(pos && !(chain && key === "left") ? depth + 1 : depth);
      }
    }
  }
}
