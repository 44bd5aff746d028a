import parallel
if coreid() % 2 == 0:
  print "Even core"
else:
  print "Odd core"
