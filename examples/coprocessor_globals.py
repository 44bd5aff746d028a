# coprocessor: globals registered by number, written and read through the module
import coprocessor
import array
scale=2
vec=[1, 2, 3]
registerGlobalVariable(scale)
registerGlobalVariable(vec)
copyToGlobal(0, 7)
copyToGlobal(1, [10, 20, 30])
print scale
print vec
print copyFromGlobal(0)
v=copyFromGlobal(1)
print v[2]
