# concurrency: one core lets another read and write one of its variables over the mesh.
# expose(v, pid) sends core pid a global reference to the caller's variable v (v is an alias of
# it); on core pid, x=access(src) receives it and binds x: from then on reading or writing x, or
# x[i] and len(x) when it holds an array, reads or writes the owner's variable remotely.
# Remote accesses are plain loads and stores, not atomic: synchronise around them (sync()).
import parallel

def expose(data, pid):
	ref=native global_reference(id(data))
	send(ref, pid)

def access(src):
	ref=recv(src)
	return native dereference(ref)
