# LET z = h1(x), callee returns its aliased parameter
# lookups: 4 2 2
N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
def h1(p):
    return p
while i < N:
    z=h1(x)
    i=i+1
