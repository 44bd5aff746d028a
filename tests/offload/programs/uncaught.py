from epython import offload

@offload
def bad():
    return 1/0

bad()
