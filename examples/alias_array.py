# an array variable passed to a function: element writes and rebinding both reach the caller
def setfirst(p):
	p[0]=42
z=[1,2,3]
setfirst(z)
print z[0]
def rebind(p):
	p=[7,8,9]
rebind(z)
print z[0]
# an element is a value
def inc(x):
	x=x+1
inc(z[1])
print z[1]
def swap(a, b):
	t=a
	a=b
	b=t
u=[1]
s=[2,3]
swap(u, s)
print u[1]
print s[0]
