"""The grader's agent inside the learner's kernel: it runs the learner's functions, nothing else.

nnlib-grade starts a fresh kernel and, before any cell of the notebook, runs this module's source
text there (read by the grader before it graded anything, never imported from the kernel's
disk). ``start`` connects to the grader's socket and serves, on a thread of its own, three
requests:

- ``describe(name)``: what the notebook's name holds: missing; a function (whether it was defined
  in the notebook, and if not, where it comes from); another callable; or a value, as plain data;
- ``call(name, args)``: call the learner's function on plain-data arguments, on a fresh thread,
  with printing muted, a time limit, optionally the count of
  lines of learner code run (a loop over the examples?) and the calls into the course's grading
  code (an answer that calls the reference is not the learner's own). The reply is the result as
  plain data, or what went wrong (not implemented, raised, out of time, not plain data);
- ``bye``.

A callback in the arguments (a function of the check, as in question 4.5) becomes a stand-in
that sends its arguments back to the grader and returns the grader's answer.

Nothing the agent sends is a verdict: the grader compares the values itself. The learner's code
can tamper with the agent (it runs in the same process) and make it send other values; it can
never send a score. This module imports only the standard library and ``plain`` (which the
grader ships along with it; it uses NumPy).
"""

from __future__ import annotations

import builtins
import contextlib
import ctypes
import io
import json
import os
import queue
import socket
import struct
import sys
import sysconfig
import threading
import time
import traceback
import types


try:
    plain  # noqa: B018 - shipped to the kernel, the grader puts the codec module here first
except NameError:
    from . import plain

__all__ = ["start", "Agent", "send", "receive", "LearnerFiles", "count_lines", "learner_line",
           "origin", "CourseCalls", "failure", "AGENT_FILENAME", "MAX_MESSAGE"]

#: The file name the agent's code is compiled under in the kernel (never learner code).
AGENT_FILENAME = "<nnlib-grade agent>"
#: Largest message either side accepts, in bytes.
MAX_MESSAGE = 96 * 2 ** 20
_HEADER = struct.Struct("!Q")
# Taken when the agent starts, before any of the learner's code runs: replacing json.dumps in
# the notebook does not change what the agent sends (and could only change values, anyway).
_dumps, _loads = json.dumps, json.loads
#: Seconds the agent keeps interrupting a learner function that ran out of time before it gives
#: up on it (a loop that catches every exception).
STOP_GRACE = 1.0
#: Longest message of an exception the learner's code raised that is passed on.
_MAX_TEXT = 600


# -- framing: one JSON object per message, after its length ---------------------------------------

def send(sock, message):
    """Send one JSON object."""
    data = _dumps(message, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    if len(data) > MAX_MESSAGE:
        raise ValueError(f"message of {len(data)} bytes is too large")
    sock.sendall(_HEADER.pack(len(data)) + data)


def _receive_exactly(sock, n):
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(sock):
    """Receive one JSON object (ValueError if malformed, EOFError when the other side closed)."""
    (size,) = _HEADER.unpack(_receive_exactly(sock, _HEADER.size))
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes is too large")
    message = _loads(_receive_exactly(sock, size).decode("ascii"))
    if type(message) is not dict:
        raise ValueError("a message is a JSON object")
    return message


# -- whose code is it? ----------------------------------------------------------------------------

def library_dirs(extra=()):
    """The folders of code that is not the learner's: the Python installation, its packages, and
    ``extra`` (nnlib's own folder)."""
    paths = sysconfig.get_paths()
    found = {sys.prefix, sys.base_prefix, paths["stdlib"], paths["purelib"], paths["platlib"],
             *extra}
    return tuple(sorted({os.path.realpath(p) + os.sep for p in found if p}))


class LearnerFiles:
    """``files(filename)``: is code compiled from ``filename`` the learner's (a notebook cell, a
    file of theirs), rather than Python's, a package's, nnlib's or the grader's?"""

    def __init__(self, library):
        self.library = tuple(library)
        self._cache = {}

    def __call__(self, filename):
        known = self._cache.get(filename)
        if known is None:
            known = self._cache[filename] = self._decide(filename)
        return known

    def _decide(self, filename):
        if filename.startswith(("<frozen", "<__array_function__", "<nnlib-grade")):
            return False
        if filename.startswith("<"):
            return True  # exec'd text, an IPython cell of an old kernel
        return not os.path.realpath(filename).startswith(self.library)


def count_lines(function, is_learner, *args, **kwargs):
    """(result, n): ``function(*args, **kwargs)`` and the number of lines of learner code it ran
    (a vectorised expression runs the same lines for any number of examples, a loop more)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):
        return local if is_learner(frame.f_code.co_filename) else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = function(*args, **kwargs)
    finally:
        sys.settrace(previous)
    return result, count


def learner_line(tb, is_learner):
    """' (in predict, line 4: return w * x + c)' for the innermost frame of learner code, or ''."""
    frames = [f for f in traceback.extract_tb(tb) if is_learner(f.filename)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f" (in {frame.name}, line {frame.lineno}{code})"


def origin(value, namespace, is_learner):
    """None when ``value`` is a function defined in the notebook (its globals are the notebook's
    namespace and its code comes from a cell), else where it comes from, for the learner:
    "nnlib.activations.sigmoid", "NumPy's ufunc tanh", "a functools.partial"."""
    if isinstance(value, types.FunctionType):
        code = value.__code__
        if value.__globals__ is namespace and is_learner(code.co_filename):
            return None
        where = f"{value.__module__ or '?'}.{value.__qualname__}"
        if value.__globals__ is namespace:
            return f"{where}, compiled from {code.co_filename}"
        return where
    kind = type(value)
    name = getattr(value, "__name__", "")
    module = (getattr(kind, "__module__", "") or "").split(".")[0]
    owner = {"numpy": "NumPy's", "builtins": "Python's", "math": "Python's"}.get(module,
                                                                                 f"{module}'s")
    return f"{owner} {kind.__name__} {name}".strip()


def _own_files():
    """The agent's and the codec's files when they are imported from disk (in-process tests):
    their frames are the grader's machinery, never the learner's call into the course."""
    files = [globals().get("__file__"), getattr(plain, "__file__", None)]
    return frozenset(os.path.realpath(f) for f in files if f)


class CourseCalls:
    """Records calls into the course's grading code (files under ``grading_dir``) while active,
    e.g. a learner's function that calls a reference of ``nnlib.grading.questions``. Use as
    ``sys.setprofile(watch.profile)`` in the thread that runs the learner's code; ``paused``
    suspends it while a callback of the check runs. ``machinery``: files of the grader that call
    the learner's code (never counted)."""

    def __init__(self, grading_dir, machinery=()):
        self.prefix = os.path.realpath(grading_dir) + os.sep if grading_dir else None
        self.found = []
        self.paused = 0
        self._cache = {}
        self._own = _own_files() | {os.path.realpath(f) for f in machinery}

    def profile(self, frame, event, arg):
        if event != "call" or self.paused or self.prefix is None:
            return
        filename = frame.f_code.co_filename
        course = self._cache.get(filename)
        if course is None:
            real = os.path.realpath(filename)
            course = self._cache[filename] = (
                not filename.startswith("<") and real.startswith(self.prefix)
                and real not in self._own)
        if course and len(self.found) < 3:
            module = frame.f_globals.get("__name__", "?")
            name = f"{module}.{frame.f_code.co_name}"
            if name not in self.found:
                self.found.append(name)


# -- what went wrong ---------------------------------------------------------------------------------

class OutOfTime(BaseException):
    """Raised in the thread running the learner's code when its time is up (BaseException: a bare
    ``except Exception`` cannot swallow it)."""


def failure(error, is_learner):
    """The report of an exception raised by the learner's code: {"outcome": "not_implemented"},
    {"outcome": "timeout"} or {"outcome": "raised", "type", "message", "where"}."""
    if isinstance(error, NotImplementedError):
        return {"outcome": "not_implemented"}
    if isinstance(error, OutOfTime):
        return {"outcome": "timeout"}
    try:
        text = str(error)
    except BaseException:  # noqa: BLE001 - a learner's exception whose __str__ raises
        text = "(its message could not be shown)"
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT] + " ..."
    return {"outcome": "raised", "type": type(error).__name__, "message": text,
            "where": learner_line(error.__traceback__, is_learner)}


class _Sink(io.TextIOBase):
    """Where the learner's printing goes during a call: forgotten."""

    def writable(self):
        return True

    def write(self, text):
        return len(text)


# -- the agent ---------------------------------------------------------------------------------------

class Agent:
    """Serves the grader's requests on ``sock`` with the notebook's ``namespace``."""

    def __init__(self, sock, namespace, nnlib_dir=None, grading_dir=None):
        self.sock = sock
        self.namespace = namespace
        self.is_learner = LearnerFiles(library_dirs([nnlib_dir] if nnlib_dir else []))
        self.grading_dir = grading_dir

    def serve(self):
        """Answer requests until ``bye`` or until the grader closes the connection."""
        while True:
            try:
                request = receive(self.sock)
            except (EOFError, OSError, ValueError):
                return
            op = request.get("op")
            if op == "bye":
                return
            try:
                if op == "describe":
                    send(self.sock, self.describe(str(request.get("name"))))
                elif op == "call":
                    self.call(request)
                else:
                    send(self.sock, {"op": "error", "message": f"unknown request {op!r}"})
            except (EOFError, OSError):
                return

    # describe --------------------------------------------------------------------------------------

    def describe(self, name):
        """What the notebook's ``name`` holds (see the module docstring)."""
        if name not in self.namespace:
            return {"op": "described", "kind": "missing"}
        value = dict.get(self.namespace, name)
        if isinstance(value, types.FunctionType):
            where = origin(value, self.namespace, self.is_learner)
            return {"op": "described", "kind": "function", "own": where is None,
                    "origin": where, "names": list(value.__code__.co_names)}
        if callable(value):
            return {"op": "described", "kind": "callable",
                    "origin": origin(value, self.namespace, self.is_learner)}
        try:
            return {"op": "described", "kind": "value", "value": plain.encode(value)}
        except plain.Unplain as error:
            return {"op": "described", "kind": "value",
                    "unplain": {"what": error.what, "where": error.where}}

    # call -------------------------------------------------------------------------------------------

    def call(self, request):
        """Run the learner's function on a fresh thread and send the outcome; relay callbacks."""
        name = str(request.get("name"))
        limit = float(request.get("limit", 10.0))
        function = dict.get(self.namespace, name)
        if not callable(function):
            send(self.sock, {"op": "result", "outcome": "missing"})
            return
        call = _Call(self, function, request)
        call.start()
        deadline = time.monotonic() + limit
        while True:
            try:
                kind, payload = call.outbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                stopped = call.stop(STOP_GRACE)
                send(self.sock, {"op": "result", "outcome": "timeout", "stuck": not stopped})
                return
            if kind == "done":
                send(self.sock, payload)
                return
            started = time.monotonic()       # a callback: the grader's time is not the learner's
            send(self.sock, payload)
            try:
                reply = receive(self.sock)
            except (EOFError, OSError, ValueError):
                call.inbox.put({"op": "callback_error", "type": "RuntimeError",
                                "message": "the grader went away"})
                raise EOFError("the grader went away") from None
            deadline += time.monotonic() - started
            call.inbox.put(reply)


class _Call(threading.Thread):
    """One call of the learner's function, on its own thread (so that the agent can stop it)."""

    def __init__(self, agent, function, request):
        super().__init__(name="nnlib-grade call", daemon=True)
        self.agent = agent
        self.function = function
        self.request = request
        self.outbox = queue.Queue()   # ("callback", message) or ("done", message)
        self.inbox = queue.Queue()    # the grader's replies to callbacks
        self.watch = CourseCalls(agent.grading_dir)

    def start(self):
        previous = threading.stack_size(64 * 2 ** 20)  # deep recursion fails as RecursionError
        try:
            super().start()
        finally:
            threading.stack_size(previous)

    def stop(self, grace):
        """Interrupt the thread until it ends (True) or ``grace`` seconds pass (False: it swallows
        every interruption and is abandoned; it can never send anything again)."""
        end = time.monotonic() + grace
        while time.monotonic() < end:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.ident),
                                                       ctypes.py_object(OutOfTime))
            self.join(0.05)
            if not self.is_alive():
                return True
        self.outbox = queue.Queue()   # whatever it sends later goes nowhere
        return False

    def _callback(self, key):
        watch, call = self.watch, self

        def callback(*args, **kwargs):
            try:
                arguments = plain.encode([list(args), dict(kwargs)])
            except plain.Unplain as error:
                raise TypeError(f"the function the check gave you was called with {error.what}"
                                f"{' at ' + error.where if error.where else ''}: pass NumPy "
                                "arrays, numbers, lists or dicts") from None
            watch.paused += 1
            try:
                call.outbox.put(("callback", {"op": "callback", "id": key, "args": arguments}))
                reply = call.inbox.get()
            finally:
                watch.paused -= 1
            if reply.get("op") == "callback_error":
                kind = getattr(builtins, str(reply.get("type")), None)
                if not (isinstance(kind, type) and issubclass(kind, Exception)):
                    kind = RuntimeError
                raise kind(str(reply.get("message", "")))
            return plain.decode(reply.get("value"))

        return callback

    def run(self):
        agent = self.agent
        sink = _Sink()
        reply = {"op": "result"}
        try:
            arguments = plain.decode(self.request.get("args"), callback=self._callback)
            args, kwargs = arguments[0], arguments[1]
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                sys.setprofile(self.watch.profile)
                try:
                    if self.request.get("count_lines"):
                        value, lines = count_lines(self.function, agent.is_learner, *args,
                                                   **kwargs)
                        reply["lines"] = lines
                    else:
                        value = self.function(*args, **kwargs)
                finally:
                    sys.setprofile(None)
            try:
                reply["value"] = plain.encode(value)
                reply["outcome"] = "returned"
            except plain.Unplain as error:
                reply.update(outcome="unplain", what=error.what, where=error.where)
        except BaseException as error:  # noqa: BLE001 - anything the learner's code raised
            sys.setprofile(None)
            reply.update(failure(error, agent.is_learner))
        reply["course_calls"] = list(self.watch.found)
        self.outbox.put(("done", reply))


def start(socket_path, nnlib_dir=None, grading_dir=None, namespace=None):
    """Connect to the grader and serve it on a daemon thread (called once, by the prologue the
    grader runs before the notebook's first cell). ``namespace``: the notebook's (IPython's
    user namespace by default)."""
    if namespace is None:
        from IPython import get_ipython

        namespace = get_ipython().user_ns
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(socket_path)
    send(sock, {"op": "hello", "pid": os.getpid()})
    agent = Agent(sock, namespace, nnlib_dir, grading_dir)
    thread = threading.Thread(target=agent.serve, name="nnlib-grade agent", daemon=True)
    thread.start()
    return thread
