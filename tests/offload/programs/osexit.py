# Leaves without shutting the device down (no atexit): the session is stopped where it is
import os
from epython import offload

@offload
def f(x):
  return x*2

print(f(3), flush=True)
os._exit(3)
