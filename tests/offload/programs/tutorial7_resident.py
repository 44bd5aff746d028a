# ePython's docs/tutorial7.md, "Defining device resident data", in Python 3
from epython import offload, define_on_device, copy_from_device

a=[0]*10

define_on_device(a)

@offload
def updateA(i):
  from parallel import coreid
  a[i]=i * coreid()

for i in range(10):
  updateA(i)

print(copy_from_device("a"))
