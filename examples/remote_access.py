# concurrency: core 0 exposes an array and a scalar to core 1, which reads and writes them over
# the mesh; sync() orders the accesses (remote accesses are plain loads and stores)
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
	print len(a)
	print a[2]
	print t
	a[0]=a[0]+100
	a[3]=40
	t=t*2
	t+=1
	sync()
else:
	sync()
	sync()
