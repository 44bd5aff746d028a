# taskfarm: a master hands functions and their arguments to workers, as ePython's taskfarm
# module does. Protocol: nargs, the function (as a value), then per argument its length (0 for a
# scalar) and the scalar or the elements. Reply: -1 for none, 0 then a scalar, or n then n elements.
# As in ePython's module, a worker runs one call at a time: execFunction first waits for the
# worker's previous call, waiting on or testing an idle worker returns at once (none / false),
# and shutdown lets every pending call finish first.
import parallel
import array

taskfarm_master=0
taskfarm_busy=[false]

def initTaskFarm(master):
	taskfarm_master=master
	if coreid()==master:
		taskfarm_busy=[false]*numcores()

def taskfarm_sendarg(pid, a):
	# native count: ePython's size(), which is 0 for a string (a string goes as one value)
	n=native count(a)
	native send(n, pid)
	if n==0:
		native send(a, pid)
	else:
		i=0
		while i<n:
			native send(a[i], pid)
			i+=1

def execFunction(pid, fn, a=none, b=none, c=none, d=none, e=none):
	waitFunctionFinish(pid)
	nargs=0
	if a is not none:
		nargs=1
	if b is not none:
		nargs=2
	if c is not none:
		nargs=3
	if d is not none:
		nargs=4
	if e is not none:
		nargs=5
	native send(nargs, pid)
	native send(fn, pid)
	if nargs>=1:
		taskfarm_sendarg(pid, a)
	if nargs>=2:
		taskfarm_sendarg(pid, b)
	if nargs>=3:
		taskfarm_sendarg(pid, c)
	if nargs>=4:
		taskfarm_sendarg(pid, d)
	if nargs>=5:
		taskfarm_sendarg(pid, e)
	taskfarm_busy[pid]=true

def testFunctionFinish(pid):
	if taskfarm_busy[pid]:
		return native probe(pid)
	return false

def waitFunctionFinish(pid):
	if taskfarm_busy[pid]:
		taskfarm_busy[pid]=false
		return taskfarm_recvarg(pid, true)
	return none

# receive one value: its length (0 for a scalar, -1 for none when a result may be none), then it
def taskfarm_recvarg(pid, maybenone=false):
	n=native recv(pid)
	if maybenone and n<0:
		return none
	if n==0:
		return native recv(pid)
	r=native allocatearray(n)
	i=0
	while i<n:
		r[i]=native recv(pid)
		i+=1
	return r

def worker():
	master=taskfarm_master
	running=true
	while running:
		nargs=native recv(master)
		if nargs<0:
			running=false
		else:
			fn=native recv(master)
			result=none
			if nargs==0:
				result=fn()
			elif nargs==1:
				result=fn(taskfarm_recvarg(master))
			elif nargs==2:
				a=taskfarm_recvarg(master)
				result=fn(a, taskfarm_recvarg(master))
			elif nargs==3:
				a=taskfarm_recvarg(master)
				b=taskfarm_recvarg(master)
				result=fn(a, b, taskfarm_recvarg(master))
			elif nargs==4:
				a=taskfarm_recvarg(master)
				b=taskfarm_recvarg(master)
				c=taskfarm_recvarg(master)
				result=fn(a, b, c, taskfarm_recvarg(master))
			else:
				a=taskfarm_recvarg(master)
				b=taskfarm_recvarg(master)
				c=taskfarm_recvarg(master)
				d=taskfarm_recvarg(master)
				result=fn(a, b, c, d, taskfarm_recvarg(master))
			if result is none:
				native send(0-1, master)
			else:
				taskfarm_sendarg(master, result)

def shutdownTaskFarm():
	pid=0
	while pid<numcores():
		if pid!=taskfarm_master:
			waitFunctionFinish(pid)
			native send(0-1, pid)
		pid+=1
