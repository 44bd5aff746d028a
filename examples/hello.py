# hello from every core
import parallel
print "Hello world from core "+coreid()+" of "+numcores()
