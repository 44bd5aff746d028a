# util: range is inclusive of its end in ePython: range(3) is 0,1,2,3.
from array import len

def range(a, b=none, c=none):
	start=0
	finish=a
	step=1
	if b is not none:
		start=a
		finish=b
	if c is not none:
		step=c
	count=0
	if step>0 and finish>=start:
		count=(finish-start)/step+1
	if step<0 and finish<=start:
		count=(start-finish)/(0-step)+1
	r=native allocatearray(count)
	i=0
	v=start
	while i<count:
		r[i]=v
		v=v+step
		i+=1
	return r

def xrange(a, b=none, c=none):
	return range(a, b, c)

def oddSort(x, length=none):
	n=length
	if n is none:
		n=native size(x)
	sorted=false
	while not sorted:
		sorted=true
		i=1
		while i<n-1:
			if x[i]>x[i+1]:
				t=x[i]
				x[i]=x[i+1]
				x[i+1]=t
				sorted=false
			i+=2
		i=0
		while i<n-1:
			if x[i]>x[i+1]:
				t=x[i]
				x[i]=x[i+1]
				x[i+1]=t
				sorted=false
			i+=2
	return x
