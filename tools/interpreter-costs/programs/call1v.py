# call, 1 value argument (ePython stores it in a temp f1#0 first)
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
def f1(p):
    return
while i < N:
    f1(7)
    i=i+1
