"""ePython's "full Python" host API for epython-sim (issue 17), in Python 3 form.

Run a program that uses it with ``npx epython python script.py``: functions decorated with
``@offload`` run as kernels on the simulated Epiphany cores, launched by this program acting as
ePython's host process (process id = the number of device cores). Modelled on ePython's
``modules/fullpython/epython.py`` (mesham/epython, branch dev); the wire protocol is in
PROTOCOL.md next to this file.

Differences from ePython's module: ``async`` is a keyword in Python 3, so asynchronous launches
are asked for with ``async_=True`` (``**{"async": True}`` is accepted too); the kernels' source is
taken from the decorated functions (``inspect``) rather than by scanning ``sys.argv[0]``, and the
device is started at the first launch, so every kernel and every ``define_on_device`` must come
before it. ``define_on_device(x)`` finds, as ePython does, the last top-level assignment ``x=...``
before it in the caller's file and puts ``x=<its right-hand side>`` and
``registerGlobalVariable(x)`` in the device program (the right-hand side is ePython code there).

The host's messaging (``send``, ``recv``, ``sendrecv``, ``probe``) pairs with a running kernel's
``recv(numcores()-1)`` / ``send(v, numcores()-1)``; ``bcast``, ``reduce`` and ``sync`` take the host
into the runtime's collectives with every device core's kernel (ePython's module sends these to its
host process; here they are the simulated host process's own requests).
"""
import ast
import atexit
import functools
import inspect
import json
import os
import sys
import textwrap
from collections import deque

__all__ = [
    "offload", "offload_single", "offload_multiple", "KernelExecutionHandler", "waitAll",
    "testKernelCompletion", "waitForKernelCompletion", "coreid", "numcores", "ishost", "isdevice",
    "simulated_time", "send", "recv", "sendrecv", "probe", "bcast", "reduce", "sync", "define_on_device", "copy_to_device", "copy_from_device", "KernelError", "DeadlockError", "EpythonError", "ALL_DEVICES", "EPIPHANY_DEVICE",
]

ALL_DEVICES = 0
EPIPHANY_DEVICE = 1

INT32_MIN = -(2 ** 31)
INT32_MAX = 2 ** 31 - 1
GENERATED_NAME = "offload_kernels.py"


class EpythonError(RuntimeError):
    """The device could not do what was asked (not started, already ended, ...)."""


class KernelError(EpythonError):
    """A kernel failed on a device core: ``core``, ``file`` and ``line`` say where."""

    def __init__(self, message, core=None, file=None, line=None):
        EpythonError.__init__(self, message)
        self.core = core
        self.file = file
        self.line = line


class DeadlockError(KernelError):
    """Every core (the host program included) waits for another: the simulation cannot go on."""


# --- the kernels ---------------------------------------------------------------------------------

_kernels = []  # (name, generated lines, [(file, line)] per generated line)
_kernel_names = set()
_imports = []


def _register(func):
    name = func.__name__
    if _link.started:
        raise EpythonError("kernel %s is defined after the device was started (at the first launch): "
                           "define every @offload function before launching any" % name)
    if name in _kernel_names:
        return
    try:
        lines, first = inspect.getsourcelines(func)
    except (OSError, TypeError) as e:
        raise EpythonError("the source of kernel %s is not available (%s)" % (name, e))
    filename = inspect.getsourcefile(func) or "<unknown>"
    src = textwrap.dedent("".join(lines)).splitlines()
    body, where = [], []
    seen_def = False
    for i, text in enumerate(src):
        stripped = text.strip()
        if not seen_def:
            if stripped.startswith("def "):
                seen_def = True
            else:
                continue  # decorators (and their arguments) before the def
        if text[:1] in (" ", "\t") and (stripped.startswith("import ") or stripped.startswith("from ")):
            # ePython hoists the imports inside a kernel to the top of the generated program
            if stripped not in _imports:
                _imports.append(stripped)
            continue
        body.append(text)
        where.append((filename, first + i))
    _kernel_names.add(name)
    _kernels.append((name, body, where))


_globals = []  # device-resident variables: (name, ePython right-hand side, (file, line) of it, (file, line) of the define)


def _caller_definition(frame, value):
    """The name given to define_on_device at the caller's line and its last top-level assignment before it."""
    filename = frame.f_code.co_filename
    try:
        with open(filename, encoding="utf-8") as f:
            source = f.read()
        tree = ast.parse(source, filename)
    except (OSError, SyntaxError) as e:
        raise EpythonError("define_on_device: can not read the calling program %s (%s)" % (filename, e))
    line = frame.f_lineno
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        fn = node.func
        called = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else None
        if called != "define_on_device" or not node.lineno <= line <= getattr(node, "end_lineno", node.lineno):
            continue
        if isinstance(node.args[0], ast.Name):
            names.append((node.lineno, node.args[0].id))
    if not names:
        raise EpythonError("define_on_device at %s:%d: give it a variable by name, as in define_on_device(x)" % (filename, line))
    call_line, name = names[0]
    scope = dict(frame.f_globals)
    scope.update(frame.f_locals)
    for at, n in names:  # several calls on one line: the one whose variable holds this value
        if scope.get(n, object()) is value:
            call_line, name = at, n
            break
    assignment = None

    def visit(body):
        nonlocal assignment
        for st in body:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if st.lineno >= call_line:
                return
            targets = st.targets if isinstance(st, ast.Assign) else [st.target] if isinstance(st, ast.AnnAssign) and st.value is not None else []
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                assignment = st
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(st, field, []) or [])
            for handler in getattr(st, "handlers", []) or []:
                visit(handler.body)

    visit(tree.body)
    if assignment is None:
        raise EpythonError("define_on_device(%s) at %s:%d: ePython defines it on the device from an assignment "
                           "%s=... at the top level of the program before it, and there is none" % (name, filename, call_line, name))
    rhs = ast.get_source_segment(source, assignment.value)
    return name, rhs.replace("\n", " "), (filename, assignment.lineno), (filename, call_line)


def define_on_device(var):
    """Define the variable on every device core, each core with its own copy, which stays between kernels.

    As ePython does, the device runs ``x=<right-hand side>`` of the program's last top-level assignment
    to ``x`` before this call: give it the variable itself, ``define_on_device(x)``. Kernels then read and
    write ``x`` as a global; ``copy_to_device("x", ...)`` and ``copy_from_device("x")`` move it.
    """
    if _link.started:
        raise EpythonError("define_on_device after the device was started (at the first launch): "
                           "define device data before launching any kernel")
    name, rhs, where, called = _caller_definition(sys._getframe(1), var)
    if name not in [g[0] for g in _globals]:
        _globals.append((name, rhs, where, called))


def _global_id(name, what):
    names = [g[0] for g in _globals]
    if name not in names:
        raise NameError("can not find global variable %s for copying %s the device (define it with "
                        "define_on_device(%s))" % (name, what, name))
    return names.index(name)


def copy_to_device(name, data, target=None, async_=False, **options):
    """Overwrite the device-resident variable ``name`` (a string) with ``data`` on every core, or on ``target``.

    ePython's coprocessor kernel copyToGlobal does it on each core: an array is overwritten element by
    element (``data`` must have its length), a scalar is replaced. ``async_=True`` returns a handler.
    """
    async_ = _async_option(async_, options, "copy_to_device")
    gid = _global_id(name, "to")
    return _issue("copyToGlobal", [gid, data], async_, target, None, target is None)


def copy_from_device(name, target=None, async_=False, **options):
    """The device-resident variable ``name`` (a string) from every core (or ``target``), in core order."""
    async_ = _async_option(async_, options, "copy_from_device")
    gid = _global_id(name, "from")
    return _issue("copyFromGlobal", [gid], async_, target, None, target is None)


def _async_option(async_, options, fn):
    if "async" in options:
        async_ = options.pop("async")
    if options:
        raise TypeError("%s() got unexpected options: %s" % (fn, ", ".join(sorted(options))))
    return async_


def _generated_program():
    """ePython's generated program: the coprocessor module, the device data, the kernels, then the task farm's worker()."""
    lines = ["import coprocessor", "import taskfarm"] + _imports
    lines.append("initTaskFarm(numcores()-1)")
    linemap = {}
    # the device-resident globals, before the kernels (which may only use globals defined above them)
    for name, rhs, where, called in _globals:
        lines.append("%s=%s" % (name, rhs))
        linemap[len(lines)] = where
        lines.append("registerGlobalVariable(%s)" % name)
        linemap[len(lines)] = called
    for name, body, where in _kernels:
        lines.append("@exportable")
        for text, w in zip(body, where):
            lines.append(text)
            linemap[len(lines)] = w
    lines.append("worker()")
    # our compiler leaves out functions nothing refers to: name the kernels once, after worker()
    # returns (at shutdown), so that no launch pays for it
    names = [k[0] for k in _kernels] + (["copyToGlobal", "copyFromGlobal"] if _globals else [])
    if names:
        lines.append("offload_kernels=[%s]" % ", ".join(names))
    return "\n".join(lines) + "\n", linemap


# --- the link to the simulation ------------------------------------------------------------------

class _Link:
    def __init__(self):
        self.started = False
        self.ended = False
        self.out = None
        self.inp = None
        self.devices = []
        self.host = None
        self.numcores = None
        self.time = 0.0
        self.linemap = {}

    def open(self):
        fds = os.environ.get("EPYTHON_SIM_FDS")
        if not fds:
            raise EpythonError("no simulated device: run this program with `npx epython python %s`"
                               % (sys.argv[0] if sys.argv and sys.argv[0] else "script.py"))
        w, r = [int(x) for x in fds.split(",")]
        self.out = os.fdopen(w, "w", buffering=1, encoding="utf-8")
        self.inp = os.fdopen(r, "r", encoding="utf-8")

    def rpc(self, obj):
        if self.ended:
            raise EpythonError("the device has been shut down")
        sys.stdout.flush()  # our output before the cores' (both go to the same place)
        sys.stderr.flush()
        self.out.write(json.dumps(obj) + "\n")
        line = self.inp.readline()
        if not line:
            self.ended = True
            raise EpythonError("the simulation has gone")
        reply = json.loads(line)
        failure = self._failure(reply)
        if failure is not None:
            raise failure
        return reply

    def _failure(self, reply):
        """Take a reply's simulated time; the exception a failed command raises, or None."""
        if "time" in reply and isinstance(reply["time"], (int, float)):
            self.time = reply["time"]
        if reply.get("ok"):
            return None
        if reply.get("error") in ("KernelError", "DeadlockError", "SyntaxError"):
            self.ended = True  # the simulation is over: nothing more to shut down
        return self.error(reply)

    def rpc_batch(self, objs):
        """Several commands in one round trip (PROTOCOL.md: batch), carried out as if sent one by
        one, up to the first that fails: (the replies of those that succeeded, that one's
        exception or None). EPYTHON_BATCH=0 sends them one by one (the same simulation, more
        round trips)."""
        if len(objs) == 1 or os.environ.get("EPYTHON_BATCH") == "0":
            done = []
            for obj in objs:
                try:
                    done.append(self.rpc(obj))
                except (EpythonError, TypeError, NameError, ValueError, SyntaxError) as e:
                    return done, e
            return done, None
        reply = self.rpc({"op": "batch", "commands": objs})
        done = []
        for r in reply["replies"]:
            failure = self._failure(r)
            if failure is not None:
                return done, failure
            done.append(r)
        return done, None

    def error(self, reply):
        kind = reply.get("error")
        message = reply.get("message", "")
        if kind == "TypeError":
            return TypeError(message)
        if kind == "NameError":
            return NameError(message)
        if kind == "ValueError":
            return ValueError(message)
        if kind == "SyntaxError":
            f, l = self.where(reply.get("file"), reply.get("line", 0))
            e = SyntaxError("in a kernel: %s" % message)
            e.filename, e.lineno = f, l
            return e
        if kind in ("KernelError", "DeadlockError"):
            f, l = self.where(reply.get("file"), reply.get("line", 0))
            label = reply.get("label") or "the device"
            if kind == "DeadlockError":
                return DeadlockError("deadlock on the device: %s" % message, reply.get("core"), f, l)
            return KernelError("kernel failed on %s at %s:%s: %s" % (label, f, l, message), reply.get("core"), f, l)
        return EpythonError(message)

    def where(self, file, line):
        if file == GENERATED_NAME and line in self.linemap:
            return self.linemap[line]
        return file, line

    def start(self):
        if self.started:
            return
        if self.ended:
            raise EpythonError("the device has been shut down")
        self.open()
        self.started = True
        program, self.linemap = _generated_program()
        reply = self.rpc({"op": "start", "name": GENERATED_NAME, "program": program})
        self.devices = reply["devices"]
        self.host = reply["host"]
        self.numcores = reply["numcores"]
        atexit.register(_shutdown)


_link = _Link()


def _shutdown():
    if _link.started and not _link.ended:
        try:
            _link.rpc({"op": "exit"})
        except (EpythonError, OSError) as e:  # the simulator has gone (e.g. stopped by Ctrl-C)
            sys.stderr.write("epython: %s\n" % e)
        finally:
            _link.ended = True


def _encode(value, in_list=False):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if not INT32_MIN <= value <= INT32_MAX:
            raise ValueError("%d does not fit in an ePython int (32 bits)" % value)
        return value
    if isinstance(value, float):
        return {"real": value}
    if isinstance(value, str):
        if "\0" in value:
            raise TypeError("a string holding a NUL character can not be sent to the device (ePython's strings end at NUL)")
        return value
    if isinstance(value, (list, tuple)) and not in_list:
        if len(value) == 0:
            raise ValueError("an empty list can not be passed to a kernel")
        return [_encode(v, True) for v in value]
    raise TypeError("a value of type %s can not be sent to the device (ints, floats, bools, None, "
                    "strings and flat lists of them can)" % type(value).__name__)


def _decode(value):
    if isinstance(value, dict):
        return float(value["real"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


# --- ePython's scheduler: launches wait, in order, for free cores -----------------------------------

class _Instance:
    __slots__ = ("handler", "seq")

    def __init__(self, handler, seq):
        self.handler = handler
        self.seq = seq


class _Pending:
    def __init__(self, handler, kernel, args, count=0, cores=None):
        self.handler = handler
        self.kernel = kernel
        self.args = args
        self.count = count  # any free cores (auto=N)
        self.cores = cores  # these cores (target=, all=)


_busy = {}
_running = {}  # core -> _Instance, in launch order
_queue = deque()
_seq = [0]


def _launched(core, handler):
    _busy[core] = True
    _seq[0] += 1
    _running[core] = _Instance(handler, _seq[0])
    handler._running.append(core)


def _launch_all(cores, kernel, args, handler, queued=False):
    """One kernel on several cores, in order, in one round trip (as many launches one by one);
    `queued`: launches that waited in the queue (counted in the handler's _scheduled)."""
    done, err = _link.rpc_batch([{"op": "launch", "core": c, "fn": kernel, "args": args} for c in cores])
    for c in cores[:len(done)]:
        if queued:
            handler._scheduled -= 1
        _launched(c, handler)
    if err is not None:
        if queued:
            handler._scheduled -= 1  # as the failed launch did when it came alone
        raise err


def _free_cores():
    return [c for c in _link.devices if not _busy.get(c)]


def _dispatch():
    """Give freed cores to the queued launches, strictly in the order they were made."""
    while _queue:
        head = _queue[0]
        if head.cores is None:
            take = _free_cores()[:head.count]
            head.count -= len(take)
        else:
            take = [c for c in head.cores if not _busy.get(c)]
            head.cores = [c for c in head.cores if c not in take]
        if take:
            _launch_all(take, head.kernel, head.args, head.handler, queued=True)
        if head.count == 0 and not head.cores:
            _queue.popleft()
        else:
            return


def _freed(core):
    """The core's result has been taken: it is free again; its launch."""
    inst = _running.pop(core)
    _busy[core] = False
    inst.handler._running.remove(core)
    return inst


def _receive(core):
    try:
        value = _decode(_link.rpc({"op": "result", "core": core})["value"])
    except TypeError:
        # a value that can not cross: the result was taken all the same, so the core is free
        _freed(core)
        _dispatch()
        raise
    inst = _freed(core)
    inst.handler._results.append((core, inst.seq, value))
    _dispatch()
    return value


def _receive_all(cores):
    """The results of several cores, in order, in one round trip (only when no launch waits for a
    core: then receiving them one by one would launch nothing in between either)."""
    done, err = _link.rpc_batch([{"op": "result", "core": c} for c in cores])
    for c, r in zip(cores, done):
        inst = _freed(c)
        inst.handler._results.append((c, inst.seq, _decode(r["value"])))
    if err is not None:
        if isinstance(err, TypeError):
            # a value that can not cross: the result was taken all the same, so the core is free
            _freed(cores[len(done)])
        raise err


def _receive_oldest():
    if not _running:
        raise EpythonError("launches are queued but no kernel runs (internal)")
    _receive(next(iter(_running)))


class KernelExecutionHandler:
    """The launches of one kernel call: wait(), wait_any(), test()."""

    def __init__(self):
        self._running = []
        self._scheduled = 0
        self._results = []

    def wait(self):
        """Wait for every core of the launch; their return values in core order."""
        while self._running or self._scheduled:
            if self._running and not _queue:
                _receive_all(sorted(self._running))
            elif self._running:
                _receive(min(self._running))
            else:
                _receive_oldest()  # my launches wait behind other kernels' cores
        done = sorted(self._results, key=lambda r: (r[0], r[1]))
        self._results = []
        return [v for _, _, v in done]

    def wait_any(self):
        """Wait for one core of the launch: {core: return value}."""
        while True:
            if self._results:
                core, _, value = self._results.pop(0)
                return {core: value}
            if self._running:
                core = _link.rpc({"op": "waitany", "cores": sorted(self._running)})["value"]
                _receive(core)
                for i, r in enumerate(self._results):
                    if r[0] == core:
                        self._results.pop(i)
                        return {core: r[2]}
            elif self._scheduled:
                _receive_oldest()
            else:
                raise EpythonError("wait_any: no kernel of this launch is outstanding")

    def test(self):
        """True when every core of the launch has finished (nothing is received)."""
        if self._scheduled:
            return False
        for core in list(self._running):
            if not _link.rpc({"op": "probe", "core": core})["value"]:
                return False
        return True

    def number_running(self):
        return len(self._running)

    def number_outstanding(self):
        return len(self._running) + self._scheduled


def waitAll(*handlers):
    return [h.wait() for h in handlers]


def testKernelCompletion(x):
    if isinstance(x, KernelExecutionHandler):
        return x.test()
    _link.start()
    return _link.rpc({"op": "probe", "core": x})["value"]


def waitForKernelCompletion(x):
    if isinstance(x, KernelExecutionHandler):
        return x.wait()
    _link.start()
    if x not in _running:
        raise EpythonError("no kernel runs on core %r" % (x,))
    handler = _running[x].handler
    value = _receive(x)
    handler._results = [r for r in handler._results if r[0] != x or r[2] is not value]
    return value


def _issue(kernel, args, is_async, target, auto, all_):
    _link.start()
    wire = [_encode(a) for a in args]
    handler = KernelExecutionHandler()
    if auto is not None:
        if not isinstance(auto, int) or isinstance(auto, bool) or auto < 1:
            raise ValueError("auto must be a number of cores (1 or more)")
        cores = _free_cores()[:auto]
        rest = auto - len(cores)
        pending = _Pending(handler, kernel, wire, count=rest) if rest else None
    else:
        if target is not None:
            cores = list(target) if isinstance(target, (list, tuple, range)) else [target]
        elif all_:
            cores = list(_link.devices)
        else:
            raise ValueError("no cores to run on: give target=, auto= or all=True")
        for c in cores:
            if c not in _link.devices:
                raise ValueError("core %r is not a device core (they are 0 to %d)" % (c, len(_link.devices) - 1))
        busy = [c for c in cores if _busy.get(c)]
        cores = [c for c in cores if not _busy.get(c)]
        pending = _Pending(handler, kernel, wire, cores=busy) if busy else None
    if cores:
        _launch_all(cores, kernel, wire, handler)
    if pending is not None:
        handler._scheduled = pending.count if pending.cores is None else len(pending.cores)
        _queue.append(pending)
    return handler if is_async else handler.wait()


def offload(func=None, async_=False, target=None, auto=None, all=True, device=ALL_DEVICES, **options):
    """Run the decorated function as a kernel on the device cores (all of them by default).

    A blocking call returns the list of the cores' return values, in core order; ``async_=True``
    returns a KernelExecutionHandler. ``target=`` (a core or a list), ``auto=N`` (any N free cores)
    and ``all=`` choose the cores; each may be given again when calling, overriding the decorator's.
    """
    if "async" in options:
        async_ = options.pop("async")
    if options:
        raise TypeError("offload() got unexpected options: %s" % ", ".join(sorted(options)))
    if func is None:
        return functools.partial(offload, async_=async_, target=target, auto=auto, all=all, device=device)
    _register(func)
    defaults = {"async_": async_, "target": target, "auto": auto, "all": all}

    @functools.wraps(func)
    def launcher(*args, **kwargs):
        opts = dict(defaults)
        for key, value in kwargs.items():
            key = "async_" if key == "async" else key
            if key not in opts:
                raise TypeError("%s() got an unexpected keyword argument %r (kernels take positional "
                                "arguments; the options are target, async_, auto and all)" % (func.__name__, key))
            opts[key] = value
        return _issue(func.__name__, args, opts["async_"], opts["target"], opts["auto"], opts["all"])

    return launcher


def offload_single(func=None, device=ALL_DEVICES):
    """An asynchronous launch on any one free core."""
    return offload(func, async_=True, target=None, auto=1, all=False, device=device)


def offload_multiple(func=None, cores=None, device=ALL_DEVICES):
    """An asynchronous launch on any ``cores`` free cores."""
    if cores is None:
        raise TypeError("offload_multiple needs the number of device cores: @offload_multiple(cores=N)")
    return offload(func, async_=True, target=None, auto=cores, all=False, device=device)


# --- the host's side of ePython's parallel functions --------------------------------------------------

def coreid():
    """The host program's process id: the number of device cores."""
    _link.start()
    return _link.host


def numcores():
    """Device cores plus the host program."""
    _link.start()
    return _link.numcores


def _device_core(pid, what):
    _link.start()
    if isinstance(pid, bool) or pid not in _link.devices:
        raise ValueError("%s: %r is not a device core (they are 0 to %d)" % (what, pid, len(_link.devices) - 1))
    return pid


def send(data, pid):
    """Send ``data`` to device core ``pid``, where a kernel takes it with ``recv(numcores()-1)``.

    As ePython's host does, a list goes element by element (a kernel receives each with its own
    ``recv``); each send is blocking: it returns when the core has taken the value. A message to
    a core that runs no kernel reaches its task farm loop, which takes it for a launch.
    """
    core = _device_core(pid, "send")
    _link.rpc({"op": "send", "core": core, "value": _encode(data)})


def recv(pid, count=None):
    """A value a kernel on device core ``pid`` sent the host (``send(v, numcores()-1)``); with
    ``count``, that many values in a row, as a list. Blocks until they come."""
    core = _device_core(pid, "recv")
    msg = {"op": "recv", "core": core}
    if count is not None:
        msg["count"] = count
    return _decode(_link.rpc(msg)["value"])


def sendrecv(data, pid):
    """Send ``data`` (a scalar) to device core ``pid`` and receive one value from it, as ePython's
    ``sendrecv`` (the kernel calls ``sendrecv(v, numcores()-1)``)."""
    core = _device_core(pid, "sendrecv")
    if isinstance(data, (list, tuple)):
        raise TypeError("sendrecv exchanges one value, not a list")
    return _decode(_link.rpc({"op": "sendrecv", "core": core, "value": _encode(data)})["value"])


def probe(pid):
    """True when device core ``pid`` has sent the host something not yet received (a message or
    a kernel's result: the two share the channel, as in ePython)."""
    core = _device_core(pid, "probe")
    return _link.rpc({"op": "probe", "core": core})["value"]


def bcast(data, root):
    """ePython's bcast with the host program taking part: ``root`` (a device core, or the host's own
    id ``coreid()``, which then broadcasts ``data``) sends to every process; all get its value.

    It is a collective: every device core must call ``bcast(..., root)`` in a kernel at the same time
    (launch it on all the cores with ``async_=True``, then call this, then ``wait()``).
    """
    _link.start()
    if root != _link.host:
        _device_core(root, "bcast root")
    value = _encode(data) if root == _link.host else None
    if isinstance(value, list):
        raise TypeError("bcast sends one value, not a list")
    return _decode(_link.rpc({"op": "bcast", "root": root, "value": value})["value"])


def reduce(data, operator):
    """ePython's reduce (``operator``: "sum", "min", "max", "prod") over the host's value and every
    device core's; a collective, as ``bcast`` (every device core calls ``reduce`` in a kernel)."""
    _link.start()
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise TypeError("reduce takes an int or a float, not %s" % type(data).__name__)
    return _decode(_link.rpc({"op": "reduce", "value": _encode(data), "operator": operator})["value"])


def sync():
    """A barrier of the host program and every device core (each calls ``sync()`` in a kernel)."""
    _link.start()
    _link.rpc({"op": "sync"})


def ishost():
    return True


def isdevice():
    return False


def simulated_time():
    """Seconds of simulated time the host program had reached at its last exchange with the device."""
    return _link.time
