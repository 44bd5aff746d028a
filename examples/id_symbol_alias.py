# id, symbol and alias: a variable made an alias of another by its symbol id
g=5
h=10
s=symbol(g)
print s
print symbol(h)
alias(h, s)
h=7
print g
def f(v):
	t=none
	alias(t, symbol(v))
	t=t+1
	return t
print f(g)
print g
r=id(g)
print r
def loc():
	a=1
	b=2
	alias(b, symbol(a))
	b=42
	return a
print loc()
i=3
i+=1
print i
