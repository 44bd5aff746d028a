# memory: explicit freeing and garbage collection of the core's heaps.
def free(a):
	native free(a)

def gc():
	native gc()
