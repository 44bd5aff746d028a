# int %
# lookups: 4 2 3
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
    z=x%y
    i=i+1
