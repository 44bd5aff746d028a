# Strings from Python to the kernels: as arguments (alone, in a list), by send, by bcast from the host
from epython import offload, send, bcast, coreid, KernelError

@offload
def greet(name):
  return "hello " + name + " from " + str(coreid())

@offload(target=0)
def measure(words):
  total=0
  for w in words:
    total=total+len(w)
  return [len(words), total, words[1]]

@offload(target=1)
def same(a, b):
  if a == b:
    return "same"
  return "different"

@offload(target=2, async_=True)
def echo():
  s=recv(numcores()-1)
  print(s)
  return s + "!"

@offload(async_=True)
def shared():
  return bcast(None, numcores()-1)

print(greet("py"))
print(measure(["ab", "cde", "", "f"]))
print(same("x", "x"), same("x", "y"))
h = echo()
send("via send", 2)
print(h.wait())
h = shared()
bcast("to all", coreid())
print(h.wait())
for bad in [{"a": 1}, ["a", ["b"]], "nul\0here", b"bytes"]:
  try:
    greet(bad)
  except TypeError as e:
    print("TypeError:", e)
print(greet("again"))
