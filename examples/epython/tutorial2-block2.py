import parallel

a=bcast(numcores(), 0)
print "The number from core 0 is "+a
