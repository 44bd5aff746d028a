# a parameter that was not passed is unbound: fine while it is not read (ePython's mergesort
# calls getlevel() against def getlevel(level)); reading one is a runtime error naming it
# (tests/cli.test.ts), where ePython reads garbage
def getlevel(level):
	return 1
def show(a, b):
	print a
print getlevel()
show(5)
print "done"
