# Escape-time Mandelbrot set on a W x H grid; pixels are dealt out cyclically (pixel k goes to
# core k mod p) so that even 1024 cores get work, and the iteration counts are summed with reduce.
# Nothing is printed per pixel: string building and printing go through the host. CHECK=1 prints
# the total (the study runs with CHECK=0, so no host call is timed).
from parallel import *
W=48
H=32
MAXIT=32
CHECK=0
me=coreid()
p=numcores()
count=0
k=me
while k<W*H:
	y=k/W
	x=k-y*W
	cr=(x*3.0/W)-2.0
	ci=(y*2.0/H)-1.0
	zr=0.0
	zi=0.0
	n=0
	while n<MAXIT and zr*zr+zi*zi<4.0:
		t=zr*zr-zi*zi+cr
		zi=2.0*zr*zi+ci
		zr=t
		n+=1
	count+=n
	k+=p
total=reduce(count, "sum")
if CHECK==1 and me==0:
	print "iterations "+total
