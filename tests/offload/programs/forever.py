# Launches kernels until it is stopped (the interrupted-host tests kill it mid-session)
import os
from epython import offload

@offload
def spin(n):
  i=0
  while i<n:
    i+=1
  return i

print("pid", os.getpid(), flush=True)
while True:
  spin(100000)
