# for v in big (N elements), empty body
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
big=[0]*N
for v in big:
    pass
