import parallel
from random import randrange

a=reduce(randrange(100), "max")
print "The highest random number is "+a
