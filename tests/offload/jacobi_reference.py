# The algorithm of examples/offload/jacobi_offload.py in plain CPython, every operation rounded to
# float32 as the Epiphany cores compute: prints the iteration at which it stops and its residual
# (8224 and 9.992128336151789e-05, as the simulated run; in double precision 8236).
import math, struct
f32 = lambda x: struct.unpack('f', struct.pack('f', x))[0]
for F in (lambda x: x, f32):
    P=16; N=100
    nl=[N//P + (1 if c < N-(N//P)*P else 0) for c in range(P)]
    data=[[0.0]*(n+2) for n in nl]; dp1=[[0.0]*(n+2) for n in nl]
    data[0][0]=1.0; data[P-1][nl[P-1]+1]=10.0
    def res():
        s=[]
        for c in range(P):
            d=data[c]; t=0.0
            for i in range(1,len(d)-1): t=F(t+F(F(F(d[i]*2-d[i-1])-d[i+1])**2))
            s.append(t)
        return s
    bnorm=math.sqrt(sum(res())); norm=1.0; it=0
    while norm>1e-4:
        old=[d[:] for d in data]
        for c in range(P):
            if c>0: data[c][0]=old[c-1][len(old[c-1])-2]
            if c<P-1: data[c][len(data[c])-1]=old[c+1][1]
        for c in range(P):
            d=data[c]
            for i in range(1,len(d)-1): dp1[c][i]=F(0.5*F(d[i-1]+d[i+1]))
            for i in range(1,len(d)-1): d[i]=dp1[c][i]
        norm=math.sqrt(sum(res()))/bnorm; it+=1
    print(it, norm)
