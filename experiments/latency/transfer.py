# Core 0 sends ELEMENTS values to core TARGET with send(data, pid, n), which ePython turns into
# one postbox message per element; TARGET receives them with recv(pid, n). Only these two cores
# run, so nothing else competes for the mesh. The barrier marks the start of the transfer: the
# study times from core 0 leaving sync() to TARGET's last element arriving in recv.
from parallel import *
ELEMENTS=16
TARGET=1
me=coreid()
if me==0:
	data=[2.5]*ELEMENTS
sync()
if me==0:
	send(data, TARGET, ELEMENTS)
else:
	got=recv(0, ELEMENTS)
