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

# between device cores a string still can not travel (only to the host program)
@offload(target=0)
def to_core():
    import parallel
    send("abc", 1)

print(name())
print(labelled())
print(mixed())
try:
    to_core()
except KernelError as e:
    print("KernelError:", e)
