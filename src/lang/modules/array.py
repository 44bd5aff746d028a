# array: multi-dimensional arrays (up to 7 dimensions); elements start at 0 (ePython does not clear them).
def array(a, b=none, c=none, d=none, e=none, f=none, g=none):
	if b is none:
		return native allocatearray(a)
	if c is none:
		return native allocatearray(a, b)
	if d is none:
		return native allocatearray(a, b, c)
	if e is none:
		return native allocatearray(a, b, c, d)
	if f is none:
		return native allocatearray(a, b, c, d, e)
	if g is none:
		return native allocatearray(a, b, c, d, e, f)
	return native allocatearray(a, b, c, d, e, f, g)

def shared_mem_array(a, b=none, c=none, d=none, e=none, f=none, g=none):
	if b is none:
		return native allocatesharedarray(a)
	if c is none:
		return native allocatesharedarray(a, b)
	if d is none:
		return native allocatesharedarray(a, b, c)
	if e is none:
		return native allocatesharedarray(a, b, c, d)
	if f is none:
		return native allocatesharedarray(a, b, c, d, e)
	if g is none:
		return native allocatesharedarray(a, b, c, d, e, f)
	return native allocatesharedarray(a, b, c, d, e, f, g)

def flatten(arr):
	native flatten(arr)
	return arr

def arraycopy(tgt, src):
	if size(tgt) != size(src):
		print "Error, array copy overall sizes must match"
		exit()
	native arraycopy(tgt, src)

def size(arr):
	return native size(arr)

def len(arr):
	return native size(arr)

def ndim(arr):
	return native numdims(arr)

def shape(arr):
	n=native numdims(arr)
	s=native allocatearray(n)
	i=0
	while i<n:
		s[i]=native dsize(arr, i)
		i+=1
	return s

def freearray(arr):
	native free(arr)

def nbytes(arr):
	return 4*native size(arr)
