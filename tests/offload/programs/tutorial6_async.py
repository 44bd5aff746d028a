# ePython's docs/tutorial6.md, "Non-blocking asynchronous kernel launches", in Python 3 (async_=
# for Python 2's async=), then the wait_any and test calls the tutorial mentions
from epython import offload

@offload(async_=True)
def helloworld(a,b):
  print("Hello World")
  return a+b

handler=helloworld(10, 20)
print(handler.wait())

handler=helloworld(1, 2, target=[3, 4])
first=handler.wait_any()
print(list(first.values()), handler.number_outstanding())
while not handler.test():
  pass
print(handler.wait())
