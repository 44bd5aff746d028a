import parallel
a=0
if coreid()==0:
  a=input("Enter a number: ")
a=bcast(a,0)
print "Number is "+a
