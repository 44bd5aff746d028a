import parallel
import taskfarm

initTaskFarm(0)

if (coreid()==0):
	execFunction(1, functionToRun, 50)
	if (testFunctionFinish(1)):
		print "The function has executed"
	else:
		print "The function is still running"
	print waitFunctionFinish(1)
	shutdownTaskFarm()
else:
	worker()

def functionToRun(a):
	print "Running on core 1 "+a
	return a+10
