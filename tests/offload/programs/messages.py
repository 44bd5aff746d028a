from epython import offload, send, recv, sendrecv, probe, coreid, numcores, DeadlockError

# every kernel takes a value from the host program, sends back twice it, then a list, and returns
@offload(async_=True, target=[1, 3])
def echo():
    host = numcores() - 1
    x = recv(host)
    send(x * 2, host)
    i = 0
    while i < 3:
        send(x + i, host)
        i += 1
    send("done " + str(coreid()), host)
    return x

@offload(async_=True, target=2)
def pair():
    host = numcores() - 1
    a = recv(host)
    b = recv(host)
    v = sendrecv(a * b, host)
    return v + 0.5

@offload(target=0)
def waits():
    return recv(numcores() - 1)

h = echo()
print("host", coreid(), "of", numcores(), "probe before", probe(1))
send(10, 1)
send(30, 3)
polls = 0
while not probe(3):             # each probe takes simulated time: core 3 gets on meanwhile
    polls += 1
print("probe after", probe(3), polls > 0)
print("doubled", recv(3), recv(1))
print("three", recv(1, 3), recv(3, count=3))
print("strings", recv(1), recv(3))
print("results", h.wait())
g = pair()
send([6, 7], 2)                 # element by element: the kernel's two recv()s
print("sendrecv", sendrecv(1.5, 2))
print("pair", g.wait())
try:
    send({"a": 1}, 0)
except TypeError as e:
    print("TypeError:", e)
try:
    recv(4)
except ValueError as e:
    print("ValueError:", e)

try:
    waits()                     # a blocking launch whose kernel waits for the host: deadlock
except DeadlockError as e:
    print("DeadlockError")
