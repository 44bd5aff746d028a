# a parameter that was not passed is unbound: fine while it is not read (ePython's mergesort
# calls getlevel() against def getlevel(level)); reading it is an error (ePython reads garbage)
def getlevel(level):
	return 1
def show(a, b):
	print a
	print b
print getlevel()
show(5)
print "not reached"
