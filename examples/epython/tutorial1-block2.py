import parallel
print "Hello world from core "+coreid()+" out of "+numcores()+" cores"
