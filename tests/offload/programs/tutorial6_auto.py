# ePython's docs/tutorial6.md, "Running on a subset of the Epiphany cores" (auto=4), in Python 3
from epython import offload

@offload(auto=4)
def helloworld(a,b):
  print("Hello World")
  return a+b

print(helloworld(10, 20))
