# ePython's docs/tutorial7.md, "Updating data on the device from the host" and "Data transfer onto
# a subset of cores", in Python 3
from epython import offload, define_on_device, copy_to_device, copy_from_device

a=23

define_on_device(a)

@offload
def updateA():
  a=19

print(copy_from_device("a"))
updateA()
print(copy_from_device("a"))
copy_to_device("a", 99)
print(copy_from_device("a"))

print(copy_from_device("a", target=[7,8]))
updateA()
print(copy_from_device("a"))
copy_to_device("a", 99, target=[1,5,9])
print(copy_from_device("a"))
