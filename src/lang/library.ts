/**
 * The ePython-dialect modules shipped in src/lang/modules, by the file name a program image
 * records for them (the resolver names a bundled module `NAME.py`, a module found next to the
 * program by its path). Errors raised inside these modules are reported at the user's line;
 * errors inside a user's own modules at the module's line.
 */
export const LIBRARY_MODULE_FILES: ReadonlySet<string> = new Set([
  "array.py", "concurrency.py", "coprocessor.py", "math.py", "memory.py", "parallel.py", "random.py", "taskfarm.py", "util.py",
]);
