/*
A simple hello world with string assignment and concatenation
To run: epython hello.py
*/

a="hello"
b="world"
c=a+" "+b
print c
