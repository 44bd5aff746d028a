# a parameter bound to a plain variable is that variable for the whole call (interpreter.c:300-314):
# writing the global g by its own name inside f is seen through the parameter x, and x=x+1 writes g
g=1
def f(x):
	g=10
	x=x+1
f(g)
print g
