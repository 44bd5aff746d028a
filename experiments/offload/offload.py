# The offload study (experiments/offload/study.ts; ePython's tutorial 7): one iteration is a
# kernel that updates N reals on every device core, launched by the CPython host, with the data
#   resident  - kept on the cores (define_on_device): the launch sends no data, returns None
#   args      - sent as the kernel's argument at every launch (copied in), returns None
#   roundtrip - sent as the argument and returned (copied in and out), as tutorial 6's kernels do
# Run: npx epython python experiments/offload/offload.py MODE N ITERS
# After one untimed iteration it times ITERS more. It prints one line, RESULT followed by JSON with the host program's simulated times:
# the iterations' start and end, and for resident data the one-off copies around them (setup: allocate the array on every core and
# copy_to_device; back: copy_from_device), which that way of working pays once instead of at every launch.
import json
import sys
from epython import offload, define_on_device, copy_to_device, copy_from_device, simulated_time

MODE = sys.argv[1] if len(sys.argv) > 1 else "resident"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 64
ITERS = int(sys.argv[3]) if len(sys.argv) > 3 else 4

data=None
define_on_device(data)

@offload
def allocate(n):
  data=[0.0]*n

@offload
def step_resident():
  i=0
  while i<len(data):
    data[i]=data[i]*0.5+1.0
    i+=1

@offload
def step_args(d):
  i=0
  while i<len(d):
    d[i]=d[i]*0.5+1.0
    i+=1

@offload
def step_roundtrip(d):
  i=0
  while i<len(d):
    d[i]=d[i]*0.5+1.0
    i+=1
  return d

values = [float(i) for i in range(N)]
t0 = simulated_time()
if MODE == "resident":
  allocate(N)
  copy_to_device("data", values)
elif MODE not in ("args", "roundtrip"):
  sys.exit("offload.py: MODE is resident, args or roundtrip")

def iteration():
  global values
  if MODE == "resident":
    step_resident()
  elif MODE == "args":
    step_args(values)
  else:
    values = step_roundtrip(values)[0]

setup = simulated_time() - t0
iteration()  # a first one, not timed
start = simulated_time()
for it in range(ITERS):
  iteration()
end = simulated_time()
# the result is the same whichever way the data travelled (checked by the study)
# (for resident data from every core, as the roundtrip has it back from every core)
final = None
back = 0.0
if MODE == "resident":
  final = copy_from_device("data")[0]
  back = simulated_time() - end
elif MODE == "roundtrip":
  final = values
print("RESULT " + json.dumps({"mode": MODE, "n": N, "iters": ITERS, "start": start, "end": end, "setup": setup, "back": back,
                              "check": None if final is None else sum(final)}))
