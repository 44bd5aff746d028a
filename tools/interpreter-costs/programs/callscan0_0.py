# call0 with 0 extra globals
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
def f0():
    return
while i < N:
    f0()
    i=i+1
