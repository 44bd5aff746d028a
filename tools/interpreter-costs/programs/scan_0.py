# symbol scan: z=t with t at slot 9
# lookups: 4 9
N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
t=1
while i < N:
    z=t
    i=i+1
