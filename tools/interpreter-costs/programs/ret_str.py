# call statement, callee returns a 2-character string
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
def g2():
    return "ab"
while i < N:
    g2()
    i=i+1
