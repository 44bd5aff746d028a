# remote_access.py without the remote accesses (the same messages and barriers): the trace test
# compares the link load of the two
import parallel
import concurrency
import array
if coreid() == 0:
	data=[1, 2, 3, 4]
	total=10
	expose(data, 1)
	expose(total, 1)
	sync()
	sync()
	print data
	print total
elif coreid() == 1:
	a=access(0)
	t=access(0)
	sync()
	sync()
else:
	sync()
	sync()
