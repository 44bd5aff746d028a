from epython import offload, offload_single, offload_multiple, waitAll, simulated_time

@offload
def double():
    return coreid()*2

@offload(async_=True)
def square(a):
    return a*a

@offload_multiple(cores=3)
def ident():
    return coreid()

@offload_single
def one():
    return 1

@offload
def mixed(xs, r):
    total=0.0
    for x in xs:
        total=total+x
    print("kernel on "+str(coreid()))
    return [total, r, True, None]

print("blocking", double())
t0 = simulated_time()
h = square(7)
print("async", h.number_outstanding(), h.wait())
print("multiple", sorted(ident().wait()))
print("auto", mixed([1.5, 2.5], 3, auto=1))
print("target", square(3, target=[1, 3], async_=False))
a, b = one(), one()
print("waitAll", waitAll(a, b))
h = square(5, target=[0, 2])
got = h.wait_any()
rest = h.wait()
print("wait_any", list(got.values()), rest, len(got) + len(rest))
h = square(2, target=0)
while not h.test():
    pass
print("test", h.wait())
# core 1 busy: a second launch there waits for it (ePython's scheduler queues it)
h1 = square(4, target=1)
h2 = square(6, target=1)
print("queued", h2.number_outstanding(), waitAll(h2, h1))
print("time grows", simulated_time() > t0)
