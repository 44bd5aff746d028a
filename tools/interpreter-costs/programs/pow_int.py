# int ** 2 (a multiply loop, 1 pass per extra power)
# lookups: 4 2 7
N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
while i < N:
    z=x**w
    i=i+1
