# one variable passed for two parameters: both are aliases of it, so both increments reach it
a=5
def twice(p, q):
	p=p+1
	q=q+1
twice(a, a)
print a
