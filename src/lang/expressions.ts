/**
 * The expression compiler: each expression leaves exactly one value on the VM's stack.
 *
 * A bare name that is no variable is a function value; calls to a name that is no variable go
 * straight to the function (ePython's rule, host/byteassembler.c).
 */
import type { BinaryOp, Expr, Pos } from "./ast.js";
import type { Compilation, FuncDecl } from "./compilation.js";
import { NATIVE_ARGC, Native, type NativeName, Op } from "./opcodes.js";
import type { Unit } from "./scope.js";

export const BIN_OPS: Record<BinaryOp, number> = {
  "+": Op.ADD, "-": Op.SUB, "*": Op.MUL, "/": Op.DIV, "//": Op.FLOORDIV, "%": Op.MOD, "**": Op.POW,
  "==": Op.EQ, "!=": Op.NE, "<": Op.LT, ">": Op.GT, "<=": Op.LE, ">=": Op.GE, is: Op.IS, isnot: Op.IS,
};

export function pushString(c: Compilation, u: Unit, s: string): void {
  u.em.op(Op.PUSH_STR);
  u.em.strRef(c.stringConstant(s));
}

export function checkIndexCount(c: Compilation, pos: Pos, n: number): void {
  if (n > 7) c.fail(pos, "too many array indexes (at most 7)");
}

/** Push an array and its indices, for INDEX or STORE_INDEX. */
export function pushIndexed(c: Compilation, u: Unit, target: Expr, indices: Expr[]): void {
  compileExpr(c, u, target);
  for (const i of indices) compileExpr(c, u, i);
}

export function compileExpr(c: Compilation, u: Unit, e: Expr): void {
  const em = u.em;
  switch (e.k) {
    case "int":
      return pushInt(u, e.v);
    case "real":
      em.op(Op.PUSH_REAL);
      em.f32(e.v);
      return;
    case "str":
      return pushString(c, u, e.v);
    case "bool":
      em.op(e.v ? Op.PUSH_TRUE : Op.PUSH_FALSE);
      return;
    case "none":
      em.op(Op.PUSH_NONE);
      return;
    case "name":
      return nameValue(c, u, e);
    case "index":
      checkIndexCount(c, e.pos, e.indices.length);
      pushIndexed(c, u, e.target, e.indices);
      em.op(Op.INDEX);
      em.u8(e.indices.length);
      return;
    case "call":
      return call(c, u, e);
    case "native":
      return native(c, u, e);
    case "bin":
    case "and":
    case "or":
      return leftChain(c, u, e);
    case "not":
    case "neg":
      compileExpr(c, u, e.operand);
      em.op(e.k === "not" ? Op.NOT : Op.NEG);
      return;
    case "list":
      for (const it of e.items) compileExpr(c, u, it);
      em.op(Op.NEW_LIST);
      em.u16(e.items.length);
      return;
    case "listrep":
      return listRepeat(c, u, e);
    case "input":
      if (e.prompt) compileExpr(c, u, e.prompt);
      em.op(Op.NATIVE);
      em.u8(Native.input);
      em.u8(e.prompt ? 1 : 0);
      return;
  }
}

type ChainNode = Extract<Expr, { k: "bin" | "and" | "or" }>;

function isChainNode(e: Expr): e is ChainNode {
  return e.k === "bin" || e.k === "and" || e.k === "or";
}

/**
 * A left-associative chain `a + b + c ...` / `a and b and ...`: a syntax tree as deep as the chain
 * is long (the parser does not count that as nesting), so it is compiled along its left spine with
 * a loop, not a recursion per term. The code is what the recursion would emit: the leftmost
 * operand, then for each node upwards its right operand and its operator (or the short-circuit
 * jump over its right operand).
 */
function leftChain(c: Compilation, u: Unit, top: ChainNode): void {
  const em = u.em;
  const spine: ChainNode[] = [];
  let e: Expr = top;
  while (isChainNode(e)) {
    spine.push(e);
    e = e.left;
  }
  compileExpr(c, u, e);
  for (let i = spine.length - 1; i >= 0; i--) {
    const n = spine[i]!;
    if (n.k === "bin") {
      compileExpr(c, u, n.right);
      em.binary(BIN_OPS[n.op]);
      if (n.op === "isnot") em.op(Op.NOT);
    } else {
      const j = em.jump(n.k === "and" ? Op.AND_JUMP : Op.OR_JUMP);
      compileExpr(c, u, n.right);
      em.patch(j, em.here);
    }
  }
}

function pushInt(u: Unit, v: number): void {
  if (v >= -128 && v <= 127) {
    u.em.op(Op.PUSH_I8);
    u.em.u8(v);
  } else {
    u.em.op(Op.PUSH_INT);
    u.em.i32(v);
  }
}

function nameValue(c: Compilation, u: Unit, e: Extract<Expr, { k: "name" }>): void {
  const b = u.lookup(e.name, true);
  if (b) return u.load(b);
  const f = c.findFunction(e.name);
  if (!f) c.fail(e.pos, `can not find variable or function '${e.name}'`);
  u.em.op(Op.PUSH_FN);
  u.em.fnRef(f.index);
}

/** ePython's spelling of the natives in its own modules (host/byteassembler.h:33-60). */
const RTL_PREFIX = "rtl_";

/**
 * `native NAME(args)`. ePython's modules write `native rtl_NAME(...)`; those names are taken as
 * ours, so an ePython module copied next to a program compiles: rtl_X is native X, and the few
 * whose ePython id means something else are translated (rtl_print, rtl_inputprint, the random
 * number that ePython asks of rtl_math with op 14 alone: modules/random.py).
 */
function native(c: Compilation, u: Unit, e: Extract<Expr, { k: "native" }>): void {
  const name = e.name.toLowerCase().startsWith(RTL_PREFIX) ? e.name.slice(RTL_PREFIX.length).toLowerCase() : e.name;
  if (e.name.toLowerCase().startsWith(RTL_PREFIX) && rtlSpecial(c, u, name, e)) return;
  const id = (Native as Record<string, number>)[name];
  if (id === undefined) c.fail(e.pos, `unknown native function '${e.name}'`);
  const want = NATIVE_ARGC[name as NativeName];
  if (want >= 0 && want !== e.args.length) c.fail(e.pos, `native ${e.name} takes ${want} arguments, ${e.args.length} given`);
  for (const a of e.args) compileExpr(c, u, a);
  u.em.op(Op.NATIVE);
  u.em.u8(id);
  u.em.u8(e.args.length);
}

/** The rtl natives that are not a native of ours under the same name; false for the others. */
function rtlSpecial(c: Compilation, u: Unit, name: string, e: Extract<Expr, { k: "native" }>): boolean {
  const em = u.em;
  const args = e.args;
  if (name === "print" && args.length === 1) {
    compileExpr(c, u, args[0]!);
    em.op(Op.PRINT);
    em.op(Op.PUSH_NONE);
    return true;
  }
  if (name === "inputprint" && args.length === 1) {
    compileExpr(c, u, { k: "input", prompt: args[0]!, pos: e.pos });
    return true;
  }
  if (name === "math" && args.length === 1) {
    // ePython's random numbers: rtl_math(14) (basictokens/misc.h: op 14 is the host's rand())
    compileExpr(c, u, args[0]!);
    em.op(Op.POP);
    em.op(Op.NATIVE);
    em.u8(Native.rand);
    em.u8(0);
    return true;
  }
  const extra = RTL_EXTRA_ARGS[name];
  if (extra && args.length === extra.rtl) {
    // ePython passes sizes it keeps in the header; ours computes them: evaluated, then dropped
    for (const a of args) compileExpr(c, u, a);
    for (let i = extra.ours; i < extra.rtl; i++) em.op(Op.POP);
    em.op(Op.NATIVE);
    em.u8(Native[name as NativeName]);
    em.u8(extra.ours);
    return true;
  }
  return false;
}

/** rtl natives with more arguments than ours (modules/array.py:34, :42 in ePython). */
const RTL_EXTRA_ARGS: Readonly<Record<string, { rtl: number; ours: number }>> = {
  flatten: { rtl: 2, ours: 1 },
  arraycopy: { rtl: 5, ours: 2 },
};

/** ePython's keywords id, symbol and alias (host/epython.l:201-203, epython.y:99, :213-214): natives on a variable reference. */
const REFERENCE_BUILTINS: Readonly<Record<string, number>> = { id: Native.addressof, symbol: Native.symbolof, alias: Native.alias };

/**
 * `id(x)`, `symbol(x)`, `alias(x, e)`: x must be a variable name (an unknown one is created, as in
 * ePython, interpreter.c:925-943); it is passed as a reference (REF_LOCAL / REF_GLOBAL).
 * These are reserved words in ePython; here they are built-ins only where no variable or
 * function of that name is visible, so programs that use `id` as a variable still compile.
 */
function referenceBuiltin(c: Compilation, u: Unit, e: Extract<Expr, { k: "call" }>, id: number): void {
  const name = (e.callee as { name: string }).name.toLowerCase();
  const want = id === Native.alias ? 2 : 1;
  if (e.args.length !== want) c.fail(e.pos, `${name}() takes ${want === 2 ? "a variable name and a symbol id" : "one variable name"}, ${e.args.length} arguments given`);
  const x = e.args[0]!;
  if (x.k !== "name") c.fail(x.pos, `${name}() needs a variable name as its first argument`);
  u.reference(u.bindForWrite(x.name, x.pos));
  if (want === 2) compileExpr(c, u, e.args[1]!);
  u.em.op(Op.NATIVE);
  u.em.u8(id);
  u.em.u8(want);
}

/** `[e1..ek]*n` evaluates the items n times, as ePython does (interpreter.c:653-664). */
function listRepeat(c: Compilation, u: Unit, e: Extract<Expr, { k: "listrep" }>): void {
  const em = u.em;
  if (e.items.length === 0 || e.items.length > 255) c.fail(e.pos, "a repeated list needs 1 to 255 items");
  compileExpr(c, u, e.count);
  em.op(Op.REP_BEGIN);
  em.u8(e.items.length);
  const top = em.label();
  const exit = em.jump(Op.REP_TEST);
  for (const it of e.items) compileExpr(c, u, it);
  em.op(Op.REP_STORE);
  em.u8(e.items.length);
  em.jump(Op.JUMP, top);
  em.patch(exit, em.here);
}

/**
 * A call binds as ePython does (interpreter/interpreter.c:299-314): a plain-variable argument
 * makes the parameter an alias of that variable for the whole call (REF_LOCAL / REF_GLOBAL);
 * any other argument is a value. No arity check (ePython has none): missing parameters are
 * unbound, extra arguments are evaluated and dropped, with a warning for a direct call.
 */
function call(c: Compilation, u: Unit, e: Extract<Expr, { k: "call" }>): void {
  const em = u.em;
  let direct: FuncDecl | undefined;
  if (e.callee.k === "name" && !u.lookup(e.callee.name, true)) {
    const builtin = REFERENCE_BUILTINS[e.callee.name.toLowerCase()];
    if (builtin !== undefined && !c.findFunction(e.callee.name)) return referenceBuiltin(c, u, e, builtin);
    direct = c.findFunction(e.callee.name);
    if (!direct) c.fail(e.callee.pos, `can not find function '${e.callee.name}'`);
    warnExtraArguments(c, direct, e);
  } else {
    compileExpr(c, u, e.callee);
  }
  if (e.args.length > 255) c.fail(e.pos, "too many arguments");
  for (const a of e.args) argument(c, u, a);
  if (direct) {
    em.op(Op.CALL);
    em.fnRef(direct.index);
  } else em.op(Op.CALL_VALUE);
  em.u8(e.args.length);
}

function argument(c: Compilation, u: Unit, a: Expr): void {
  if (a.k === "name") {
    const b = u.lookup(a.name, true);
    if (b) return u.reference(b);
  }
  compileExpr(c, u, a);
}

function warnExtraArguments(c: Compilation, f: FuncDecl, e: Extract<Expr, { k: "call" }>): void {
  const n = f.params.length;
  const extra = e.args.length - n;
  if (extra <= 0) return;
  const what = extra === 1 ? "the extra one is" : "the extra ones are";
  c.warn(e.pos, `${f.name}() takes ${n} argument${n === 1 ? "" : "s"}, ${e.args.length} given: ${what} evaluated and ignored`);
}
