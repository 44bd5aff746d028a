from epython import offload, DeadlockError

@offload
def stuck():
    return recv(3)

try:
    stuck(target=1)
except DeadlockError as e:
    print("DeadlockError:", e.args[0].splitlines()[0])
