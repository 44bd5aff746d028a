# call, 3 variable arguments
# lookups: 2 3 7
N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
def f3(p,q,r):
    return
while i < N:
    f3(x,y,w)
    i=i+1
