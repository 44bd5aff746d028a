# call statement, callee returns global x
# lookups: 2
N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
def g3():
    return x
while i < N:
    g3()
    i=i+1
