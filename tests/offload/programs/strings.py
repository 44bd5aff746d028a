from epython import offload, KernelError

@offload
def name():
    return "abc"

@offload(target=[1, 2])
def labelled():
    return "core " + str(coreid())

@offload(target=3)
def mixed():
    return ["x", coreid(), ""]

# a function can not cross: a TypeError, and the core's whole result is taken (it is free again)
@offload(target=1)
def gives_function():
    return [1, gives_function, 3]

@offload(target=1)
def after():
    return "still here"

# between device cores a string still can not travel (only to the host program)
@offload(target=0)
def to_core():
    import parallel
    send("abc", 1)

print(name())
print(labelled())
print(mixed())
try:
    gives_function()
except TypeError as e:
    print("TypeError:", e)
print(after())
try:
    to_core()
except KernelError as e:
    print("KernelError:", e)
