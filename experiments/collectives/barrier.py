# REPS barriers back to back (sync()), timed by the study from the cores' time in the barrier state.
from parallel import *
REPS=2
i=0
while i<REPS:
	sync()
	i+=1
