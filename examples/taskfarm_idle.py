# ePython's task-farm rules: a worker runs one call at a time (a second call to the same worker
# waits for the first), waiting on or testing an idle worker returns at once, and shutdown lets
# pending calls finish
import parallel
import taskfarm
initTaskFarm(0)
if coreid()==0:
	print waitFunctionFinish(1) is none
	print testFunctionFinish(1)
	execFunction(1, add, 1, 2)
	execFunction(1, add, 10, 20)
	print waitFunctionFinish(1)
	print waitFunctionFinish(1) is none
	execFunction(2, add, 5, 6)
	shutdownTaskFarm()
	print "done"
else:
	worker()
def add(x, y):
	return x+y
