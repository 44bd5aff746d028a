# ePython's examples/pi_offload.py (mesham/epython, branch dev) in Python 3: the host program
# launches findPI on every device core (16 on the default E16) and averages their estimates.
# Run it with: npx epython python examples/offload/pi_offload.py
from epython import offload, numcores, simulated_time

@offload
def findPI(darts, rounds):
  from random import random
  from math import pow

  mypi=0.0
  i=1
  while i<=rounds:
    score=0.0
    j=1
    while j<=darts:
      x=random()
      y=random()
      if (pow(x,2) + pow(y,2) < 1.0):
        score+=1
      j+=1
    mypi=mypi+4.0 * (score/darts)
    i+=1
  return mypi

estimates=findPI(100,10)
# ePython divides by 16 (its device cores, hard-coded); numcores() counts the host program too
print("Value of PI is "+str((sum(estimates)/10)/(numcores()-1)))
print("Simulated time %f seconds for %d kernels" % (simulated_time(), len(estimates)))
