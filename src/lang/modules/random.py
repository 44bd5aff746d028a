# random: numbers come from a seeded generator per core (ePython asks the host's rand()).
# randint(a, b) is in [a, b-1] as in ePython.
def randint(a, b):
	return native rand()%(b-a)+a

def randrange(a):
	return native rand()%a

def random():
	return native rand()%20000/20001.0
