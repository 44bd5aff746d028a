/*
Illustration of input, note that there will be an input for each core (and the value input for that core reported) so you might want to run with only 1 or 2 cores
To run: epython -c 0 input (to run on core 0 only)
*/

a=input("Enter your name: ")
print "Hello "+a
