# coprocessor: globals a controller reads and writes by number (the device side of ePython's
# CPython offload mode, which epython-sim does not have). registerGlobalVariable(v) gives the
# caller's global v the next number (from 0, at most 10), copyToGlobal(n, data) overwrites global
# n with data (a scalar, or an array of the same length), copyFromGlobal(n) returns its value.
# Unlike ePython's module, importing it starts no task farm (ePython's calls initTaskFarm(16) for
# its host process 16): call the functions directly, or start a task farm yourself.
import array

coprocessor_globals=array(10)
coprocessor_count=0

def registerGlobalVariable(v):
	if coprocessor_count >= 10:
		print "Error, at most 10 global variables can be registered"
		exit()
	coprocessor_globals[coprocessor_count]=symbol(v)
	coprocessor_count+=1

def copyToGlobal(gid, data):
	target=none
	alias(target, coprocessor_globals[gid])
	if len(target) != len(data):
		print "Error, data to write must equal the target data size"
		exit()
	elif len(target) == 0:
		target=data
	else:
		target[0]=data[0]
		arraycopy(target, data)

def copyFromGlobal(gid):
	target=none
	alias(target, coprocessor_globals[gid])
	return target
