/*
Simple example of integer and real addition
To run: epython simpleplus.py
*/

a=12
b=2.3
print a
a=a+b
print b
