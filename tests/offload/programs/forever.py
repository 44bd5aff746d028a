# Launches a kernel that never ends (the interrupted-host tests stop the session while it runs:
# they wait for its line, so the kill always comes mid-kernel, never between two commands)
import os
from epython import offload

@offload
def spin():
  print("spinning")
  i=0
  while True:
    i+=1
  return i

print("pid", os.getpid(), flush=True)
spin()
