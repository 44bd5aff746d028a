# if with and (both sides evaluated), false
# lookups: 2 3 3 2
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
    if x < y and y < x:
        z=1
    i=i+1
