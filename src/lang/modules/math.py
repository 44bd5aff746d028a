# math: transcendental functions are computed by the host in ePython (rtl_math), so each call is a
# round trip to the host; the simulator charges it as one.
def sqrt(x):
	return native math(0, x)
def sin(x):
	return native math(1, x)
def cos(x):
	return native math(2, x)
def tan(x):
	return native math(3, x)
def asin(x):
	return native math(4, x)
def acos(x):
	return native math(5, x)
def atan(x):
	return native math(6, x)
def sinh(x):
	return native math(7, x)
def cosh(x):
	return native math(8, x)
def tanh(x):
	return native math(9, x)
def floor(x):
	return native math(10, x)
def ceil(x):
	return native math(11, x)
def log(x):
	return native math(12, x)
def log10(x):
	return native math(13, x)
def pow(a, b):
	return a**b
def pi():
	return 3.141592
def e():
	return 2.718281
def exp(x):
	return e()**x
def fabs(x):
	if x<0:
		return 0-x
	return x
