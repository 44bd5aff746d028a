/**
 * Differential testing against CPython: random integer expressions and random straight-line
 * programs (with if/else) print the same under the simulator as under `python3`.
 *
 * The two programs are generated from one syntax tree:
 *   - the ePython text uses ePython's precedence with the fewest parentheses: `* / % ** ^` share
 *     the multiplicative level and associate left (so `2 * 3 ** 2` is 36), unary minus binds
 *     tighter than any binary operator, comparisons associate left (`a < b < c` is `(a<b)<c`);
 *   - the Python text is fully parenthesised, with C's truncating `/` and `%` mapped to helpers
 *     cdiv/cmod, and booleans printed as ePython prints them.
 * A TypeScript evaluator with ePython's semantics (BigInt) drops every expression or statement
 * whose evaluation would overflow int32, divide by zero or raise to a negative power, so both
 * languages mean the same thing; everything printed is an int or a boolean. `not` is always
 * parenthesised (ePython's original grammar gave it whole-expression scope).
 * Each property run makes one program and one python3 call.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { params } from "./config.js";
import { describeRun, linesOf, runProgram } from "./harness.js";

type Bin = "+" | "-" | "*" | "/" | "%" | "**" | "<" | ">" | "<=" | ">=" | "==" | "!=" | "and" | "or";
type Expr =
  | { k: "lit"; v: number }
  | { k: "var"; name: string }
  | { k: "neg"; e: Expr }
  | { k: "not"; e: Expr }
  | { k: "bin"; op: Bin; caret: boolean; l: Expr; r: Expr };

const PREC: Record<Bin, number> = { or: 1, and: 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6, "**": 6 };

const VARS = ["v0", "v1", "v2", "v3", "v4"];

function exprArb(vars: boolean): fc.Arbitrary<Expr> {
  const leaf: fc.Arbitrary<Expr> = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -12, max: 12 }).map((v): Expr => ({ k: "lit", v })) },
    { weight: 1, arbitrary: fc.integer({ min: -100000, max: 100000 }).map((v): Expr => ({ k: "lit", v })) },
    { weight: vars ? 3 : 0, arbitrary: fc.constantFrom(...VARS).map((name): Expr => ({ k: "var", name })) },
  );
  const { e } = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: "medium", withCrossShrink: true },
      { weight: 3, arbitrary: leaf },
      {
        weight: 6,
        arbitrary: fc.record({ k: fc.constant("bin" as const), op: fc.constantFrom<Bin>("+", "-", "*", "/", "%", "**", "+", "-", "*", "<", ">", "<=", ">=", "==", "!=", "and", "or"), caret: fc.boolean(), l: tie("e"), r: tie("e") }),
      },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("neg" as const), e: tie("e") }) },
      { weight: 1, arbitrary: fc.record({ k: fc.constant("not" as const), e: tie("e") }) },
    ),
  }));
  return e;
}

// --- printing --------------------------------------------------------------------------------------

function epy(e: Expr, ctx = 0, right = false): string {
  switch (e.k) {
    case "lit":
      return String(e.v); // a negative literal is a unary minus, which binds tightest
    case "var":
      return e.name;
    case "neg":
      return `-${epy(e.e, 7)}`;
    case "not":
      return `(not ${epy(e.e, 7)})`;
    case "bin": {
      const p = PREC[e.op];
      const op = e.op === "**" && e.caret ? "^" : e.op;
      const s = `${epy(e.l, p)} ${op} ${epy(e.r, p, true)}`;
      return p < ctx || (p === ctx && right) ? `(${s})` : s;
    }
  }
}

function py(e: Expr): string {
  switch (e.k) {
    case "lit":
      return `(${e.v})`;
    case "var":
      return e.name;
    case "neg":
      return `(-${py(e.e)})`;
    case "not":
      return `(not ${py(e.e)})`;
    case "bin":
      if (e.op === "/") return `cdiv(${py(e.l)}, ${py(e.r)})`;
      if (e.op === "%") return `cmod(${py(e.l)}, ${py(e.r)})`;
      return `(${py(e.l)} ${e.op} ${py(e.r)})`;
  }
}

const PY_PRELUDE = [
  "def cdiv(a, b):",
  "    q = abs(a) // abs(b)",
  "    return q if (a < 0) == (b < 0) else -q",
  "def cmod(a, b):",
  "    return a - cdiv(a, b) * b",
  "def pr(x):",
  "    print(('true' if x else 'false') if isinstance(x, bool) else x)",
  "",
].join("\n");

// --- ePython's meaning, to keep only programs whose meaning both languages share -------------------

type Value = { t: "int"; v: bigint } | { t: "bool"; v: boolean };
class Invalid extends Error {}

const MIN = -(2n ** 31n);
const MAX = 2n ** 31n - 1n;

function int(v: bigint): Value {
  if (v < MIN || v > MAX) throw new Invalid("overflow");
  return { t: "int", v };
}
const num = (x: Value): bigint => (x.t === "int" ? x.v : x.v ? 1n : 0n);
const truthy = (x: Value): boolean => (x.t === "int" ? x.v !== 0n : x.v);

function evaluate(e: Expr, env: Map<string, Value>): Value {
  switch (e.k) {
    case "lit":
      return int(BigInt(e.v));
    case "var": {
      const v = env.get(e.name);
      if (!v) throw new Invalid("unset");
      return v;
    }
    case "neg":
      return int(-num(evaluate(e.e, env)));
    case "not":
      return { t: "bool", v: !truthy(evaluate(e.e, env)) };
    case "bin": {
      // both sides are always evaluated, so a program is kept only if neither can fail
      const l = evaluate(e.l, env);
      const r = evaluate(e.r, env);
      const a = num(l);
      const b = num(r);
      switch (e.op) {
        case "+": return int(a + b);
        case "-": return int(a - b);
        case "*": return int(a * b);
        case "/":
          if (b === 0n) throw new Invalid("division by zero");
          return int(a / b); // BigInt division truncates toward zero, like C
        case "%":
          if (b === 0n) throw new Invalid("modulo by zero");
          return int(a % b); // the sign of the dividend, like C
        case "**":
          if (b < 0n) throw new Invalid("negative power");
          if (b > 64n && a !== 0n && a !== 1n && a !== -1n) throw new Invalid("overflow");
          return int(a ** b);
        case "<": return { t: "bool", v: a < b };
        case ">": return { t: "bool", v: a > b };
        case "<=": return { t: "bool", v: a <= b };
        case ">=": return { t: "bool", v: a >= b };
        case "==": return { t: "bool", v: a === b };
        case "!=": return { t: "bool", v: a !== b };
        case "and": return truthy(l) ? r : l;
        case "or": return truthy(l) ? l : r;
      }
    }
  }
}

function show(v: Value): string {
  return v.t === "int" ? String(v.v) : v.v ? "true" : "false";
}

/**
 * One python3 process for the whole file, fed programs as JSON lines (starting python3 costs
 * ~100 ms here, too much per property run). Each program runs in fresh globals with its stdout
 * captured; the reply is its output, or the exception it raised.
 */
class Python {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffered = "";
  private readonly waiting: ((line: string) => void)[] = [];
  constructor() {
    const server = [
      "import sys, json, io, contextlib",
      "for line in sys.stdin:",
      "    src = json.loads(line)",
      "    buf = io.StringIO()",
      "    err = None",
      "    try:",
      "        with contextlib.redirect_stdout(buf):",
      "            exec(compile(src, '<prog>', 'exec'), {'__name__': '__prog__'})",
      "    except Exception as e:",
      "        err = repr(e)",
      "    sys.stdout.write(json.dumps({'out': buf.getvalue(), 'err': err}) + '\\n')",
      "    sys.stdout.flush()",
    ].join("\n");
    this.proc = spawn("python3", ["-u", "-c", server], { stdio: ["pipe", "pipe", "pipe"] });
    this.proc.stdout.setEncoding("utf8");
    this.proc.stdout.on("data", (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf("\n")) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        this.waiting.shift()?.(line);
      }
    });
  }
  /** Run a program; resolves to its output lines, rejects with the Python exception. */
  run(src: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const r = JSON.parse(line) as { out: string; err: string | null };
        if (r.err !== null) reject(new Error(`python3 raised ${r.err}\n${src}`));
        else resolve(r.out.split("\n").filter((l, i, a) => i < a.length - 1 || l !== ""));
      });
      this.proc.stdin.write(JSON.stringify(src) + "\n");
    });
  }
  close(): void {
    this.proc.stdin.end();
  }
}

let pyServer: Python;
const python = (src: string) => pyServer.run(src);

describe("differential against python3", () => {
  beforeAll(() => {
    pyServer = new Python();
  });
  afterAll(() => pyServer.close());

  it("python3 is available", async () => {
    expect(await python("print(1+1)")).toEqual(["2"]);
  });

  it("integer expressions print the same", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(exprArb(false), { minLength: 1, maxLength: 40 }), async (exprs) => {
        const kept = exprs.filter((e) => {
          try {
            evaluate(e, new Map());
            return true;
          } catch (err) {
            if (err instanceof Invalid) return false;
            throw err;
          }
        });
        fc.pre(kept.length > 0);
        const run = runProgram(kept.map((e) => `print ${epy(e)}`).join("\n") + "\n", { cores: [0] });
        expect(run.result.ok, describeRun(run)).toBe(true);
        const want = await python(PY_PRELUDE + kept.map((e) => `pr(${py(e)})`).join("\n") + "\n");
        const got = linesOf(run, 0);
        // report the first differing expression in both spellings
        const i = got.findIndex((g, k) => g !== want[k]);
        const at = i < 0 ? "" : `ePython: ${epy(kept[i]!)}  python: ${py(kept[i]!)}`;
        expect(got, at).toEqual(want);
        // and both agree with the evaluator
        expect(want).toEqual(kept.map((e) => show(evaluate(e, new Map()))));
      }),
      params(50),
    );
  });

  type Stmt =
    | { k: "assign"; v: string; op: "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "**="; e: Expr }
    | { k: "print"; e: Expr }
    | { k: "if"; c: Expr; then: Stmt[]; orelse: Stmt[] };

  const simple = (vars: boolean): fc.Arbitrary<Stmt> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ k: fc.constant("assign" as const), v: fc.constantFrom(...VARS), op: fc.constantFrom("=" as const, "=" as const, "+=" as const, "-=" as const, "*=" as const, "/=" as const, "%=" as const, "**=" as const), e: exprArb(vars) }) },
      { weight: 2, arbitrary: fc.record({ k: fc.constant("print" as const), e: exprArb(vars) }) },
    );
  const stmtArb: fc.Arbitrary<Stmt> = fc.oneof(
    { weight: 4, arbitrary: simple(true) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("if" as const), c: exprArb(true), then: fc.array(simple(true), { minLength: 1, maxLength: 4 }), orelse: fc.array(simple(true), { maxLength: 3 }) }) },
  );

  /** Keep the statements that are valid where they run; returns the program in both languages. */
  function build(stmts: Stmt[], inits: number[]): { epy: string[]; py: string[]; want: string[] } {
    const env = new Map<string, Value>();
    const E: string[] = [];
    const P: string[] = [];
    const want: string[] = [];
    VARS.forEach((v, i) => {
      env.set(v, { t: "int", v: BigInt(inits[i]!) });
      E.push(`${v}=${inits[i]}`);
      P.push(`${v} = ${inits[i]}`);
    });
    const tryEval = (e: Expr, en: Map<string, Value>): Value | null => {
      try {
        return evaluate(e, en);
      } catch (err) {
        if (err instanceof Invalid) return null;
        throw err;
      }
    };
    const assignValue = (s: Extract<Stmt, { k: "assign" }>, en: Map<string, Value>): Value | null => {
      if (s.op === "=") return tryEval(s.e, en);
      const bop = s.op.slice(0, -1) as Bin;
      return tryEval({ k: "bin", op: bop, caret: false, l: { k: "var", name: s.v }, r: s.e }, en);
    };
    const pyAssign = (s: Extract<Stmt, { k: "assign" }>): string => {
      if (s.op === "/=") return `${s.v} = cdiv(${s.v}, ${py(s.e)})`;
      if (s.op === "%=") return `${s.v} = cmod(${s.v}, ${py(s.e)})`;
      return `${s.v} ${s.op} ${py(s.e)}`;
    };
    /** Emit a simple statement if valid in `en`; run it there when `live`. */
    const emit = (s: Stmt, en: Map<string, Value>, live: boolean, indent: string): boolean => {
      if (s.k === "assign") {
        const v = assignValue(s, en);
        if (!v || v.t !== "int") return false; // keep variables ints: `x += true` is fine, but stay simple
        E.push(`${indent}${s.v}${s.op}${epy(s.e)}`);
        P.push(`${indent.replace(/\t/g, "    ")}${pyAssign(s)}`);
        if (live) en.set(s.v, v);
        return true;
      }
      if (s.k === "print") {
        const v = tryEval(s.e, en);
        if (!v) return false;
        E.push(`${indent}print ${epy(s.e)}`);
        P.push(`${indent.replace(/\t/g, "    ")}pr(${py(s.e)})`);
        if (live) want.push(show(v));
        return true;
      }
      return false;
    };
    for (const s of stmts) {
      if (s.k !== "if") {
        emit(s, env, true, "");
        continue;
      }
      const c = tryEval(s.c, env);
      if (!c) continue;
      const taken = truthy(c);
      E.push(`if ${epy(s.c)}:`);
      P.push(`if ${py(s.c)}:`);
      // the branch not taken runs on a copy of the state, to drop statements that fail whatever
      // the state (a constant 1/0 might be folded at compile time); its prints are undone below
      const runBranch = (body: Stmt[], live: boolean) => {
        const en = live ? env : new Map(env);
        let n = 0;
        for (const b of body) if (emit(b, en, true, "\t")) n++;
        if (n === 0) {
          E.push("\tpass");
          P.push("    pass");
        }
      };
      const before = want.length;
      runBranch(s.then, taken);
      if (!taken) want.length = before;
      if (s.orelse.length) {
        E.push("else:");
        P.push("else:");
        const mid = want.length;
        runBranch(s.orelse, !taken);
        if (taken) want.length = mid;
      }
    }
    return { epy: E, py: P, want };
  }

  it("straight-line programs with if/else print the same", async () => {
    const arb = fc.record({ stmts: fc.array(stmtArb, { minLength: 1, maxLength: 30, size: "medium" }), inits: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: VARS.length, maxLength: VARS.length }) });
    await fc.assert(
      fc.asyncProperty(arb, async ({ stmts, inits }) => {
        const b = build(stmts, inits);
        fc.pre(b.want.length > 0);
        const src = b.epy.join("\n") + "\n";
        const run = runProgram(src, { cores: [0] });
        expect(run.result.ok, `${describeRun(run)}\n${src}`).toBe(true);
        const want = await python(PY_PRELUDE + b.py.join("\n") + "\n");
        expect(want, "python3 agrees with the evaluator").toEqual(b.want);
        expect(linesOf(run, 0), src).toEqual(want);
      }),
      params(50),
    );
  });
});
