# call statement, callee returns a real constant
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
def g1():
    return 2.5
while i < N:
    g1()
    i=i+1
