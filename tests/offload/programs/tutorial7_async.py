# ePython's docs/tutorial7.md, "Asynchronous data transfer" and "Chaining data transfer and kernel
# launches", in Python 3 (async_= for Python 2's async=; a seeded random for a repeatable output)
from epython import offload, define_on_device, copy_to_device, copy_from_device, waitAll
from random import random, seed

seed(7)
a=[0]*100

define_on_device(a)

for i in range(100):
  a[i]=random()

@offload
def add(d1,d2):
  return d1+d2

@offload(async_=True)
def addAllA():
  i=0
  value=0
  while i < size(a):
    value+=a[i]
    i+=1
  return value

h=copy_to_device("a", a, async_=True, target=range(10))

somevalue=add(1,5, target=[11])
h.wait()
print(somevalue)

h=copy_from_device("a", target=[1], async_=True)

print(h.test())
got=h.wait()
print(len(got), len(got[0]), max(abs(x-y) for x, y in zip(got[0], a)) < 1e-6)

h1=copy_to_device("a", a, async_=True, target=[12])
h2=addAllA(target=[13,12])
r=waitAll(h1,h2)
print(r[0], r[1][1], abs(r[1][0]-sum(a)) < 1e-3)
