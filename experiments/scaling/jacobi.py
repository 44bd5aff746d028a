# 1-D Jacobi relaxation in the style of ePython's tutorial 3: N points split into contiguous
# blocks, a halo swap with each neighbour (sendrecv) and a global residual (reduce) every
# iteration. A fixed number of iterations keeps the work per run the same for every core count.
from parallel import *
from math import sqrt
N=100
ITERATIONS=100
CHECK=0
me=coreid()
p=numcores()
local=N/p
if me<N-local*p:
	local+=1
data=[0.0]*(local+2)
newd=[0.0]*(local+2)
if me==0:
	data[0]=1.0
if me==p-1:
	data[local+1]=10.0
its=0
norm=0.0
while its<ITERATIONS:
	if me>0:
		data[0]=sendrecv(data[1], me-1)
	if me<p-1:
		data[local+1]=sendrecv(data[local], me+1)
	i=1
	while i<=local:
		newd[i]=0.5*(data[i-1]+data[i+1])
		i+=1
	t=0.0
	i=1
	while i<=local:
		d=newd[i]-data[i]
		t=t+d*d
		data[i]=newd[i]
		i+=1
	norm=sqrt(reduce(t, "sum"))
	its+=1
if CHECK==1 and me==0:
	print "norm "+norm
