# extra arguments are evaluated (their side effects happen) and ignored, as ePython binds
# min(arguments, parameters) (interpreter.c:299-314); the compiler warns about direct calls
n=0
def side():
	n=n+1
	return n
def one(a):
	return a*10
print one(4, side())
print n
f=one
print f(2, side())
print n
