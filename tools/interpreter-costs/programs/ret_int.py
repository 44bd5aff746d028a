# call statement, callee returns an int constant
# lookups: 
N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
def g0():
    return 1
while i < N:
    g0()
    i=i+1
