import parallel

print "Hello from core "+coreid()
sync()
print "After sync from core "+coreid()
