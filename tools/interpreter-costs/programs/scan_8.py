# symbol scan: z=t with t at slot 17
# lookups: 4 17
N=1000
i=0
x=3
y=5
z=0
a=3.5
b=1.25
w=2
arr=[0]*16
d0=0
d1=0
d2=0
d3=0
d4=0
d5=0
d6=0
d7=0
t=1
while i < N:
    z=t
    i=i+1
