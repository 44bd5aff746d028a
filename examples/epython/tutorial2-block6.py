import parallel
from random import random
from math import pow

darts=100
rounds=0
mypi=0.0

if coreid()==0:
  rounds=input("Enter the number of rounds: ")
  rounds=bcast(rounds, 0)
else:
  rounds=bcast(none, 0)
i=1
while i<=rounds:
  score=0.0
  j=1
  while j<=darts:
    x=random()
    y=random()

    if (pow(x,2) + pow(y,2) < 1.0):
      score=score+1
    j+=1
  mypi=mypi+4.0 * (score/darts)
  i+=1
mypi=reduce(mypi, "sum")
if coreid()==0: print "Value of PI="+(mypi/rounds)/numcores()
