# A kernel ePython can not compile (a lambda): the device never starts
from epython import offload

@offload
def k(x):
  f = lambda y: y + 1
  return f(x)

try:
  k(1)
except SyntaxError as e:
  print("SyntaxError", e.lineno)
