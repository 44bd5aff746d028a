# if, condition false (body skipped)
# lookups: 3 2
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
    if y < x:
        z=1
    i=i+1
