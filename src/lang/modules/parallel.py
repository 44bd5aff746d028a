# parallel: ePython's messaging and collectives. The natives are served by the simulated
# runtime (postboxes in each core's SRAM, polling), so their cost is modelled, not free.
# With n, send/recv/sendrecv move n array elements one message at a time, as ePython does.
def send(data, pid, n=none):
	if n is none:
		native send(data, pid)
	else:
		i=0
		while i<n:
			native send(data[i], pid)
			i+=1

def recv(pid, n=none):
	if n is none:
		return native recv(pid)
	buffer=native allocatearray(n)
	i=0
	while i<n:
		buffer[i]=native recv(pid)
		i+=1
	return buffer

def sendrecv(data, pid, n=none):
	if n is none:
		return native sendrecv(data, pid)
	buffer=native allocatearray(n)
	i=0
	while i<n:
		buffer[i]=native sendrecv(data[i], pid)
		i+=1
	return buffer

def nonblocking_send(data, pid):
	native send_nonblocking(data, pid)

def test_sent(pid):
	return native test_for_send(pid)

def wait_sent(pid):
	native wait_for_send(pid)

def probe(pid):
	return native probe(pid)

def bcast(data, root):
	return native bcast(data, root)

def reduce(data, operator):
	op=0
	if operator=="sum":
		op=0
	elif operator=="min":
		op=1
	elif operator=="max":
		op=2
	elif operator=="prod":
		op=3
	else:
		print "Operator "+operator+" not found"
	return native reduce(data, op)

def sync():
	native sync()

def coreid():
	return native coreid()

def numcores():
	return native numcores()

def ishost():
	return native ishost()

def isdevice():
	return native isdevice()
