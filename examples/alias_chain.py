# recursion through an alias of an alias: a parameter passed on is still the caller's variable
total=0
def count(n, acc):
	if n > 0:
		acc=acc+n
		n=n-1
		count(n, acc)
c=4
count(c, total)
print c
print total
v=5
def deep(k):
	if k > 0:
		inner(k)
def inner(m):
	m=m-1
	deep(m)
deep(v)
print v
# an expression argument is a value: w is not changed
def fact(x):
	if x < 2:
		return 1
	return x*fact(x-1)
w=5
print fact(w)
print w
