# 1-D Jacobi iteration for Laplace's equation, the domain split across the cores.
# Halo values are swapped with the neighbours each iteration; a reduction gives the residual.
from parallel import *
from math import sqrt

N=100
MAX_ITS=10000
TOLERANCE=0.0001

local_size=N/numcores()
if coreid() < N-local_size*numcores():
	local_size=local_size+1

data=[0.0]*(local_size+2)
data_p1=[0.0]*(local_size+2)

# the left boundary is 1.0 and the right boundary is 10.0
if coreid()==0:
	data[0]=1.0
if coreid()==numcores()-1:
	data[local_size+1]=10.0

i=1
while i<=local_size:
	data[i]=0.0
	i+=1

norm=1.0
its=0
while norm > TOLERANCE and its < MAX_ITS:
	# swap halos with the left and right neighbours
	if coreid() > 0:
		data[0]=sendrecv(data[1], coreid()-1)
	if coreid() < numcores()-1:
		data[local_size+1]=sendrecv(data[local_size], coreid()+1)
	tmpnorm=0.0
	i=1
	while i<=local_size:
		data_p1[i]=0.5*(data[i-1]+data[i+1])
		diff=data_p1[i]-data[i]
		tmpnorm=tmpnorm+diff*diff
		i+=1
	i=1
	while i<=local_size:
		data[i]=data_p1[i]
		i+=1
	norm=sqrt(reduce(tmpnorm, "sum"))
	its+=1
	if coreid()==0 and its % 1000 == 0:
		print "RNorm is "+norm+" at "+its+" iterations"
if coreid()==0:
	print "Completed in "+its+" iterations, RNorm="+norm
