from epython import offload, define_on_device, copy_to_device, copy_from_device, EpythonError

v = [1, 2, 3]
define_on_device(v)

try:
    copy_from_device("w")
except NameError as e:
    print("NameError:", e)
# copyToGlobal on the device refuses data of another length (ePython's message, the core goes on)
copy_to_device("v", [5, 6], target=0)
print(copy_from_device("v", target=[0, 1]))
copy_to_device("v", [7.5, 8.5, 9.5], target=1)
print(copy_from_device("v", target=[0, 1]))
try:
    define_on_device(v)
except EpythonError as e:
    print("EpythonError:", e)
