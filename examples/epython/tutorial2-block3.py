import parallel
from random import randrange

rootcore=2
a=0
if coreid()==rootcore:
  a=bcast(randrange(100), rootcore)
else:
  a=bcast(none, rootcore)
print "The random number from core "+rootcore+" is "+a
