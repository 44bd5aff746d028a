# Monte Carlo estimate of pi, split evenly over the cores; the counts are combined with reduce.
# The random numbers come from a per-core linear congruential generator written in ePython
# (ZX81 constants, so every product fits in a 32-bit int) rather than random(): random() asks
# the host for every number, and the host serves one request at a time, which would turn this
# compute study into a study of the host link.
from parallel import *
SAMPLES=4096
CHECK=0
me=coreid()
p=numcores()
mine=SAMPLES/p
if me<SAMPLES-mine*p:
	mine+=1
seed=me*7919+13
inside=0
i=0
while i<mine:
	seed=(seed*75+74)%65537
	x=seed/65537.0
	seed=(seed*75+74)%65537
	y=seed/65537.0
	if x*x+y*y<=1.0:
		inside+=1
	i+=1
total=reduce(inside, "sum")
if CHECK==1 and me==0:
	print "pi "+(4.0*total/SAMPLES)
