from epython import offload, bcast, reduce, sync, coreid, numcores, simulated_time

# every device core and the host program meet in the same collectives, in the same order
@offload(async_=True)
def together():
    host = numcores() - 1
    v = bcast(0, host)                  # from the host
    w = bcast(coreid() * 7, 2)          # from device core 2
    s = reduce(coreid() + v, "sum")
    sync()
    m = reduce(coreid() * 1.5, "max")
    return [v, w, s, m]

h = together()
host = coreid()
print("bcast from host", bcast(5, host))
print("bcast from core 2", bcast(None, 2))
print("sum", reduce(100, "sum"))
before = simulated_time()
sync()
print("sync", simulated_time() > before)
print("max", reduce(-1.0, "max"))
print(h.wait())
try:
    reduce(1, "mean")
except ValueError as e:
    print("ValueError:", e)

from epython import DeadlockError
try:
    sync()                              # no kernel calls sync(): the cores wait for launches
except DeadlockError:
    print("DeadlockError")
