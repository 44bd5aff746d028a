#!/usr/bin/env python3
"""Writes the microbenchmark programs in programs/ (ePython dialect). Run once after editing;
the .py files are committed so they can be read and run by hand (`epython-host programs/add_int.py`).

Every program starts with the same prelude, so each variable gets the same symbol-table slot in
every program (ePython gives a variable its slot when it is first touched at run time,
interpreter.c getVariableSymbol/getSymbolTableEntryId):

    slot 0 N, 1 i, 2 x, 3 y, 4 z, 5 a, 6 b, 7 w, 8 arr

The header comment `# lookups: s1 s2 ...` lists the slots of the variable lookups that one loop
iteration of the program does beyond the empty loop (`base`); measure.py uses it to take the
linear scan out of each figure. `N=...` is the iteration count measure.py rewrites.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "programs")

PRELUDE = """N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
"""

# name: (defs, body lines, lookup slots per iteration beyond base, description)
LOOP = {
    "base": ("", [], [], "empty while loop: IF (i < N), LET i=i+1, GOTO"),
    "let_int": ("", ["z=7"], [4], "LET z = int constant"),
    "let_var": ("", ["z=x"], [4, 2], "LET z = variable"),
    "let_real": ("", ["z=2.5"], [4], "LET z = real constant"),
    "let_str": ("", ['z="ab"'], [4], "LET z = 2-character string constant"),
    "add_int": ("", ["z=x+y"], [4, 2, 3], "int +"),
    "sub_int": ("", ["z=x-y"], [4, 2, 3], "int -"),
    "mul_int": ("", ["z=x*y"], [4, 2, 3], "int *"),
    "div_int": ("", ["z=x/y"], [4, 2, 3], "int /"),
    "mod_int": ("", ["z=x%y"], [4, 2, 3], "int %"),
    "pow_int": ("", ["z=x**w"], [4, 2, 7], "int ** 2 (a multiply loop, 1 pass per extra power)"),
    "floordiv_int": ("", ["z=x//y"], [4, 2, 3], "int // (DIV + native floor)"),
    "add_real": ("", ["z=a+b"], [4, 5, 6], "real +"),
    "sub_real": ("", ["z=a-b"], [4, 5, 6], "real -"),
    "mul_real": ("", ["z=a*b"], [4, 5, 6], "real *"),
    "div_real": ("", ["z=a/b"], [4, 5, 6], "real /"),
    "pow_real": ("", ["z=a**w"], [4, 5, 7], "real ** int 2"),
    "add_mixed": ("", ["z=x+a"], [4, 2, 5], "int + real"),
    "cmp_lt_int": ("", ["z=x<y"], [4, 2, 3], "LET z = (x < y), a boolean value"),
    "cmp_eq_int": ("", ["z=x==y"], [4, 2, 3], "LET z = (x == y)"),
    "cmp_lt_real": ("", ["z=a<b"], [4, 5, 6], "LET z = (a < b), reals"),
    "if_false": ("", ["if y < x:", "    z=1"], [3, 2], "if, condition false (body skipped)"),
    "if_falselit": ("", ["if false:", "    z=1"], [], "if on the constant false (body skipped): the IF statement's own work"),
    "if_true": ("", ["if x < y:", "    z=1"], [2, 3, 4], "if, condition true (body z=1 runs)"),
    "if_and": ("", ["if x < y and y < x:", "    z=1"], [2, 3, 3, 2], "if with and (both sides evaluated), false"),
    "if_or": ("", ["if y < x or y < x:", "    z=1"], [3, 2, 3, 2], "if with or, false"),
    "if_not": ("", ["if not x:", "    z=1"], [2], "if not x (x=3: false)"),
    "if_is": ("", ["if x is y:", "    z=1"], [2, 3], "if x is y (false)"),
    "index_read": ("", ["z=arr[x]"], [4, 8, 2], "LET z = arr[x]"),
    "index_write": ("", ["arr[x]=y"], [8, 2, 3], "arr[x] = y"),
    "list_1": ("", ["z=[7]"], [4], "list literal, 1 element"),
    "list_2": ("", ["z=[7,7]"], [4], "list literal, 2 elements"),
    "list_4": ("", ["z=[7,7,7,7]"], [4], "list literal, 4 elements"),
    "list_8": ("", ["z=[7,7,7,7,7,7,7,7]"], [4], "list literal, 8 elements"),
    "native": ("", ["z=native rtl_coreid()"], [4], "LET z = native call, 0 arguments"),
    "call0": ("def f0():\n    return\n", ["f0()"], [], "call statement, 0 arguments, return"),
    "call1r": ("def f1(p):\n    return\n", ["f1(x)"], [2], "call, 1 variable argument (alias)"),
    "call3r": ("def f3(p,q,r):\n    return\n", ["f3(x,y,w)"], [2, 3, 7], "call, 3 variable arguments"),
    "call1v": ("def f1(p):\n    return\n", ["f1(7)"], [], "call, 1 value argument (ePython stores it in a temp f1#0 first)"),
    "ret_int": ("def g0():\n    return 1\n", ["g0()"], [], "call statement, callee returns an int constant"),
    "ret_real": ("def g1():\n    return 2.5\n", ["g1()"], [], "call statement, callee returns a real constant"),
    "ret_str": ("def g2():\n    return \"ab\"\n", ["g2()"], [], "call statement, callee returns a 2-character string"),
    "ret_var": ("def g3():\n    return x\n", ["g3()"], [2], "call statement, callee returns global x"),
    "call_assign": ("def g0():\n    return 1\n", ["z=g0()"], [4], "LET z = call returning int"),
    "call1r_use": ("def h1(p):\n    return p\n", ["z=h1(x)"], [4, 2, 2], "LET z = h1(x), callee returns its aliased parameter"),
}

SCAN_KS = [0, 4, 8, 16, 32]


def loop_program(name, defs, body, lookups, desc, dummies=0, target=False):
    head = [f"# {desc}", f"# lookups: {' '.join(str(s) for s in lookups)}"]
    pre = PRELUDE + "".join(f"d{k}=0\n" for k in range(dummies)) + ("t=1\n" if target else "")
    loop = "while i < N:\n" + "".join(f"    {line}\n" for line in body) + "    i=i+1\n"
    return "\n".join(head) + "\n" + pre + defs + loop


def write(name, text):
    with open(os.path.join(OUT, name + ".py"), "w") as f:
        f.write(text)


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".py"):
            os.remove(os.path.join(OUT, old))
    for name, (defs, body, lookups, desc) in LOOP.items():
        write(name, loop_program(name, defs, body, lookups, desc))
    # symbol scan: K dummy variables take slots 9..8+K, then t takes slot 9+K; the body reads t
    for k in SCAN_KS:
        write(f"scan_{k}", loop_program("", "", ["z=t"], [4, 9 + k], f"symbol scan: z=t with t at slot {9 + k}", dummies=k, target=True))
        # calls with K more globals in the table: the callee's parameter is created by a miss scan
        # of the whole table plus a free-slot scan, and the return clears by scanning the whole table
        write(f"callscan0_{k}", loop_program("", "def f0():\n    return\n", ["f0()"], [], f"call0 with {k} extra globals", dummies=k))
        write(f"callscan1_{k}", loop_program("", "def f1(p):\n    return\n", ["f1(x)"], [2], f"call1r with {k} extra globals", dummies=k))
    # for loop over a list of N elements, and the same list built without the loop
    write("rep_only", "# builds big=[0]*N (repetition), no loop\n# lookups:\n" + PRELUDE + "big=[0]*N\n")
    write("for_list", "# for v in big (N elements), empty body\n# lookups:\n" + PRELUDE + "big=[0]*N\nfor v in big:\n    pass\n")


if __name__ == "__main__":
    main()
