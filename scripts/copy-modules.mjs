// Build step: nothing to copy any more (modules are read from src/lang/modules at run time).
