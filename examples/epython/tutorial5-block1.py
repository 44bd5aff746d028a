import parallel

if (coreid()==0):
	send(functionToRun, 1)
	send(50, 1)
	print recv(1)
elif (coreid()==1):
	op=recv(0)
	arg=recv(0)
	returnVal=op(arg)
	send(returnVal, 0)

def functionToRun(a):
	print "Running on core 1 "+a
	return a+10
