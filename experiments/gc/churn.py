# GC pressure: an array of LIVE elements stays reachable for the whole run while CHURN
# temporary arrays of TEMP elements are made and dropped. The core's heap is what the memory
# map leaves; the larger the live set, the less room the temporaries have between collections,
# and every collection walks the live set again.
LIVE=0
TEMP=32
CHURN=300
keep=[1]*(LIVE+1)
total=0
i=0
while i<CHURN:
	t=[i]*TEMP
	total=total+t[TEMP-1]+keep[LIVE/2]
	i+=1
