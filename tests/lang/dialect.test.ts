/** Language semantics beyond the conformance corpus: ePython quirks we keep and Python we add. */
import { describe, expect, it } from "vitest";
import { compileProgram } from "../../src/lang/compiler.js";
import { EpySyntaxError } from "../../src/lang/errors.js";
import { bundledResolver } from "../../src/pipeline/modules.js";
import { output, runSource } from "../helpers/run.js";

describe("ePython semantics kept", () => {
  it("power sits at the multiplicative level, left-associative", () => {
    expect(output("print 2*3**2\nprint 2**3**2\nprint 2^10\n")).toEqual(["36", "64", "1024"]);
  });
  it("int division truncates, // gives a real, int32 wraps", () => {
    expect(output("print (0-7)/2\nprint 7//2\nprint 2147483647+1\nprint (0-7)%3\n")).toEqual(["-3", "3.000000", "-2147483648", "-1"]);
  });
  it("identifiers are case-insensitive, function names are not", () => {
    expect(output("abc=1\nABC=ABC+1\nprint abc\n")).toEqual(["2"]);
  });
  it("string + converts numbers, booleans and none", () => {
    expect(output('print "a"+1+2.5+true+none\n')).toEqual(["a12.500000trueNONE"]);
  });
  it("util.range is inclusive", () => {
    expect(output("import util\ns=0\nfor i in range(1,4):\n\ts=s+i\nprint s\n")).toEqual(["10"]);
  });
  it("a function writes a global declared before it", () => {
    expect(output("g=1\ndef f():\n\tg=2\nf()\nprint g\n")).toEqual(["2"]);
  });
  it("plain variables are passed by reference", () => {
    expect(output("def f(x):\n\tx=x*2\nv=21\nf(v)\nprint v\n")).toEqual(["42"]);
  });
  it("a parameter bound to a variable is that variable for the whole call, under any name", () => {
    expect(output("g=1\ndef f(x):\n\tg=10\n\tx=x+1\nf(g)\nprint g\n")).toEqual(["11"]);
    expect(output("a=5\ndef twice(p, q):\n\tp=p+1\n\tq=q+1\ntwice(a, a)\nprint a\n")).toEqual(["7"]);
    // an alias of an alias (a local passed on) reaches the original; `+=` goes through it too
    expect(output("def inner(m):\n\tm+=1\ndef outer(n):\n\tk=n\n\tinner(n)\n\tinner(k)\n\treturn k\nv=1\nprint outer(v)\nprint v\n")).toEqual(["2", "2"]);
    // values (expressions, elements) are copies
    expect(output("def f(x):\n\tx=0\nv=3\nf(v+0)\nw=[4]\nf(w[0])\nprint v\nprint w[0]\n")).toEqual(["3", "4"]);
  });
  it("an argument passed by reference takes no stack cell: recursion goes twice as deep", () => {
    const depth = (src: string): number => Number(/recursion (\d+) calls deep/.exec(runSource(src).result.error?.message ?? "")?.[1]);
    const byRef = depth("def r(x, d):\n\tr(x, d+1)\nv=0\nr(v, 0)\n");
    const byValue = depth("def r(x, d):\n\tr(x+0, d+1)\nv=0\nr(v, 0)\n");
    expect(byValue).toBeGreaterThan(1000);
    expect(Math.abs(byRef - 2 * byValue)).toBeLessThan(100);
  });
  it("arguments a function does not take are evaluated and dropped; a parameter not passed is unbound", () => {
    const warned = compileProgram("def f(a):\n\treturn a\nf(1,2)\ng=f\ng(1,2,3)\n", "e.py", bundledResolver());
    expect(warned.warnings).toEqual(["e.py:3: f() takes 1 argument, 2 given: the extra one is evaluated and ignored"]);
    expect(output("def f(a):\n\treturn a\nprint f(1,2)\ng=f\nprint g(3,4,5)\n")).toEqual(["1", "3"]);
    expect(output("def f(a, b):\n\treturn a\nprint f(1)\n")).toEqual(["1"]);
    const r = runSource("def f(a, b):\n\tb+=1\n\treturn b\nprint f(1)\n");
    expect(r.result.error?.message).toBe("parameter 'b' of f() was not passed a value");
    expect(r.result.error?.line).toBe(2);
  });
  it("list literals grow when indexed past their end", () => {
    expect(output("a=[1,2]\na[4]=5\nprint a[4]\nimport array\nprint len(a)\n")).toEqual(["5", "5"]);
    const huge = runSource("a=[1,2]\na[2147483647]=5\n");
    expect(huge.result.error?.message).toBe("list index 2147483647 is too large to grow the list to");
  });
  it("[e]*n evaluates the item n times", () => {
    expect(output("import random\na=[randrange(1000000)]*3\nprint a[0]==a[1] and a[1]==a[2]\n")).toEqual(["false"]);
  });
  it("str() is the identity", () => {
    expect(output("print str(1)+str(2)\n")).toEqual(["3"]);
  });
  it("reals print like C's %f, with ties rounded to even", () => {
    expect(output("print 0.0078125\nprint 1.0/0\nprint 0.0-0.0\nprint 123456789.0\n")).toEqual(["0.007812", "inf", "0.000000", "123456792.000000"]);
  });
});

describe("Python accepted where ePython rejects it", () => {
  it("break, continue, unary minus, not anywhere, and/or as values", () => {
    const src = "s=0\nfor i in [1,2,3,4,5,6]:\n\tif i==2:\n\t\tcontinue\n\tif i==5:\n\t\tbreak\n\ts=s+i\nprint s\nx=3\nprint -x\nprint 1 and not 0\nprint 0 or 7\nprint none or \"d\"\n";
    expect(output(src)).toEqual(["8", "-3", "true", "7", "d"]);
  });
  it("truthiness of ints, strings and arrays", () => {
    expect(output('n=5\nif n:\n\tprint "yes"\nif "":\n\tprint "no"\nif [0]:\n\tprint "list"\n')).toEqual(["yes", "list"]);
  });
  it("hex, single quotes, is not, ; and print a, b", () => {
    expect(output("x=0x1F; y='hi'\nprint x, y\nprint x is not none\n")).toEqual(["31 hi", "true"]);
  });
  it("nested lists and negative indices", () => {
    expect(output("m=[[1,2],[3,4]]\nprint m[1][0]\nprint m[-1][-1]\n")).toEqual(["3", "4"]);
  });
  it("a variable assigned in a block is readable after it", () => {
    expect(output("if true:\n\tt=4\nelse:\n\tt=5\nprint t\n")).toEqual(["4"]);
  });
  it("while loops with break inside nested for", () => {
    expect(output("c=0\nwhile true:\n\tfor j in [1,2,3]:\n\t\tif j==2:\n\t\t\tbreak\n\t\tc=c+1\n\tif c>=3:\n\t\tbreak\nprint c\n")).toEqual(["3"]);
  });
  it("recursion deep enough for real programs, and a clear error when too deep", () => {
    expect(output("def d(n):\n\tif n==0:\n\t\treturn 0\n\treturn 1+d(n-1)\nprint d(500)\n")).toEqual(["500"]);
    const r = runSource("def d(n):\n\treturn 1+d(n+1)\nprint d(0)\n");
    expect(r.result.ok).toBe(false);
    expect(r.result.error!.message).toContain("stack memory");
  });
  it("module functions do not see the user's globals", () => {
    expect(output("i=100\nimport util\nfor k in range(2):\n\tpass\nprint i\n")).toEqual(["100"]);
  });
});

describe("compile errors", () => {
  const err = (src: string): EpySyntaxError => {
    try {
      compileProgram(src, "e.py", bundledResolver());
    } catch (e) {
      if (e instanceof EpySyntaxError) return e;
      throw e;
    }
    throw new Error("compiled without error");
  };
  it("unknown names, bad indentation", () => {
    expect(err("print y\n").format()).toBe("e.py:1:7: can not find variable or function 'y'\nprint y\n      ^");
    expect(err("if 1:\n\t\tx=1\n\ty=2\n").detail).toContain("unindent");
    expect(err('import nosuchmodule\n').detail).toContain("module 'nosuchmodule' not found");
    expect(err("x = (1,2)\n").detail).toContain("tuples");
    expect(err("break\n").detail).toBe("'break' outside a loop");
  });
  it("a file that ends inside brackets is reported after the last token, not on an empty line", () => {
    expect(err("x = (1 +\n").format()).toBe("e.py:1:9: expected an expression but found end of line\nx = (1 +\n        ^");
  });
  it("pathological nesting is a syntax error at its place, not a crash", () => {
    const parens = err(`x=${"(".repeat(300)}1${")".repeat(300)}\n`);
    expect(parens.detail).toContain("too deeply nested");
    expect([parens.line, parens.col]).toEqual([1, 203]);
    const [head, shown, caret] = parens.format().split("\n");
    expect(head).toBe(`e.py:1:203: too deeply nested (more than 200 levels of brackets, operators or blocks)`);
    // the 605-character line is shown as a window around column 203, the caret under its bracket
    expect(shown!.length).toBeLessThan(170);
    expect(caret!.trimStart()).toBe("^");
    expect(shown![caret!.length - 1]).toBe("(");
    expect(err(`x=${"-".repeat(300)}1\n`).detail).toContain("too deeply nested");
    expect(err(`x=${"not ".repeat(300)}1\n`).detail).toContain("too deeply nested");
    expect(output(`x=${"(".repeat(150)}1${"+1".repeat(1000)}${")".repeat(150)}\nprint x\n`)).toEqual(["1001"]);
  });
  it("a flat left-associative chain is not nesting: its length is not limited", () => {
    // 30,000 terms run; the byte code of a longer one passes the parser and the compiler and is then
    // refused by ePython's own limit on program size (absolute u16 jump targets), not as "nested"
    expect(output(`x=1${"+1".repeat(29_999)}\nprint x\n`)).toEqual(["30000"]);
    expect(output(`a=1\nb=2\nx=a${" and b".repeat(5_000)}\nprint x\ny=0${" or 0".repeat(5_000)} or 7\nprint y\n`)).toEqual(["2", "7"]);
    expect(output(`x=0${" and 1/0".repeat(5_000)}\nprint x\n`)).toEqual(["0"]);
    expect(output(`s=""${'+"ab"'.repeat(3_000)}+1\nprint s=="${"ab".repeat(3_000)}1"\n`)).toEqual(["true"]);
    expect(output(`x=2${"*1".repeat(10_000)}${"-1".repeat(10_000)}\nprint x\n`)).toEqual(["-9998"]);
    expect(output(`print 1${"<2".repeat(2_000)}\n`)).toEqual(["true"]);
    const huge = err(`x=1${"+1".repeat(99_999)}\nprint x\n`);
    expect(huge.detail).toMatch(/^program is \d+ bytes of byte code; ePython programs must be under 64 KB$/);
    expect(err(`a=1\nb=1\nx=a${" and b".repeat(49_999)}\nprint x\n`).detail).toMatch(/^program is \d+ bytes/);
    expect(err(`s=""${'+"a"'.repeat(49_999)}\nprint s\n`).detail).toMatch(/^program is \d+ bytes/);
  });
});

describe("error reports on very long lines", () => {
  it("show a window of the line around the column, with the caret under it", async () => {
    const { EpySyntaxError } = await import("../../src/lang/errors.js");
    const line = "x=" + "1+".repeat(5000) + "$";
    const e = new EpySyntaxError("long.py", 1, line.length, "unexpected character '$'", line);
    const [head, shown, caret] = e.format().split("\n");
    expect(head).toBe(`long.py:1:${line.length}: unexpected character '$'`);
    expect(shown!.length).toBeLessThanOrEqual(170);
    expect(shown!.startsWith("...")).toBe(true);
    expect(shown![caret!.length - 1]).toBe("$");
    const short = new EpySyntaxError("s.py", 1, 3, "bad", "a=$b").format().split("\n");
    expect(short[1]).toBe("a=$b");
    expect(short[2]).toBe("  ^");
  });
});

describe("list sizes past the limit", () => {
  it("a repetition whose size wraps a 32-bit count is refused, not a short list written past its end", () => {
    const r = runSource("a=[0,0,0,0]*1073741825\nprint 1\n");
    expect(r.result.error?.message).toBe("a list of 4294967300 elements is too large (at most 1073741823)");
  });
});
