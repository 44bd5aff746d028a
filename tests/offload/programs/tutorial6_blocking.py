# ePython's docs/tutorial6.md, "Offloading a Python function", in Python 3
from epython import offload

@offload
def helloworld(a,b):
  print("Hello World")
  return a+b

print(helloworld(10, 20))
