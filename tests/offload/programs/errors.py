from epython import offload, KernelError

@offload
def bad(n):
    x=n/0
    return x

try:
    bad({"a": 1})
except TypeError as e:
    print("TypeError:", e)
try:
    bad(1, target=2)
except KernelError as e:
    print("KernelError:", e)
    print("core", e.core, "line", e.line)
