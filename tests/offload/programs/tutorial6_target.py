# ePython's docs/tutorial6.md, per-call options overriding the decorator's, in Python 3
from epython import offload

@offload
def helloworld(a,b):
  print("Hello World")
  return a+b

h=helloworld(10, 20, target=[9, 10], async_=True)
print(h.wait())
