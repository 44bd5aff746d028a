# Monte Carlo pi as ePython's tutorial writes it: random() for every coordinate. On the
# Epiphany each random() is a request to the host, which serves requests one at a time, so
# this variant shows what a shared host service does to scaling (compare pi.py).
from parallel import *
from random import random
SAMPLES=4096
CHECK=0
me=coreid()
p=numcores()
mine=SAMPLES/p
if me<SAMPLES-mine*p:
	mine+=1
inside=0
i=0
while i<mine:
	x=random()
	y=random()
	if x*x+y*y<=1.0:
		inside+=1
	i+=1
total=reduce(inside, "sum")
if CHECK==1 and me==0:
	print "pi "+(4.0*total/SAMPLES)
