"""The grader's end of the link to the agent in the learner's kernel, and the ``answer`` a check
calls there: a drop-in for ``runner.Learner`` whose function runs in the kernel.

    session = Session(link)                      # link: AgentLink on the agent's socket
    answer = session.answer("predict", "function", TimeBudget(10.0))
    y_hat = answer(x, w, b)                      # plain data out, plain data back (plain.py)
    y_hat, lines = answer.count_lines(x, w, b)   # and the lines of learner code it ran

What comes back is only ever data, rebuilt by ``plain.decode`` in this process, and what the
check concludes from it is the grader's. A function that is not the learner's own (imported,
or calling the course's grading code) is refused with ``runner.Rejected`` or a ``Mistake``.
"""

from __future__ import annotations

import socket
import time

from . import agent, plain, runner
from .diagnose import Mistake
from .runner import Learner, LearnerRaised, LearnerTimeout, MISSING, Rejected

__all__ = ["AgentLink", "Session", "RemoteLearner", "TimeBudget", "SessionLost"]

#: Seconds the grader waits beyond a call's time limit (and the agent's own grace to stop it)
#: before it decides that the kernel stopped answering.
ANSWER_MARGIN = 5.0


class SessionLost(BaseException):
    """The kernel stopped answering (it died, or hangs): nothing more can be graded in it.
    BaseException, so that no check's ``except Exception`` takes it for the learner's error."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class TimeBudget:
    """Seconds of the learner's code a question may use, shared by every call it makes."""

    def __init__(self, seconds):
        self.total = float(seconds)
        self.used = 0.0

    def remaining(self):
        return self.total - self.used

    def spend(self, seconds):
        self.used += max(0.0, seconds)


class AgentLink:
    """The connection to the agent (agent.Agent) in one kernel."""

    def __init__(self, sock):
        self.sock = sock
        self.lost = None

    def _send(self, message):
        try:
            agent.send(self.sock, message)
        except OSError as error:
            self._lose(f"the kernel stopped answering ({error})")

    def _receive(self, timeout):
        try:
            self.sock.settimeout(max(0.05, timeout))
            return agent.receive(self.sock)
        except socket.timeout:
            self._lose("the kernel stopped answering")
        except (EOFError, OSError):
            self._lose("the kernel died")
        except ValueError:
            self._lose("the kernel sent something malformed")

    def _lose(self, reason):
        self.lost = reason
        raise SessionLost(reason)

    def describe(self, name):
        """The agent's description of the notebook's ``name`` (agent.Agent.describe)."""
        if self.lost:
            raise SessionLost(self.lost)
        self._send({"op": "describe", "name": name})
        reply = self._receive(ANSWER_MARGIN + 10)
        if reply.get("op") != "described":
            self._lose("the kernel answered out of turn")
        return reply

    def call(self, name, arguments, callbacks, limit, count_lines=False):
        """(reply, seconds spent in the kernel) for one call; runs the callbacks it asks for."""
        if self.lost:
            raise SessionLost(self.lost)
        started = time.monotonic()
        in_callbacks = 0.0
        self._send({"op": "call", "name": name, "args": arguments, "limit": float(limit),
                    "count_lines": bool(count_lines)})
        deadline = started + limit + agent.STOP_GRACE + ANSWER_MARGIN
        while True:
            message = self._receive(deadline - time.monotonic())
            if message.get("op") == "result":
                spent = time.monotonic() - started - in_callbacks
                return message, spent
            if message.get("op") != "callback":
                self._lose("the kernel answered out of turn")
            began = time.monotonic()
            self._send(_run_callback(callbacks, message))
            took = time.monotonic() - began
            in_callbacks += took
            deadline += took

    def close(self):
        if not self.lost:
            try:
                agent.send(self.sock, {"op": "bye"})
            except OSError:
                pass
        try:
            self.sock.close()
        except OSError:
            pass


def _run_callback(callbacks, message):
    """The grader's reply to a callback: its function run here on the plain arguments."""
    function = callbacks.get(message.get("id"))
    try:
        arguments = plain.decode(message.get("args"))
        if (function is None or type(arguments) is not list or len(arguments) != 2
                or type(arguments[0]) is not list or type(arguments[1]) is not dict
                or not all(type(key) is str for key in arguments[1])):
            raise plain.WireError("a malformed callback")
    except plain.WireError as error:
        return {"op": "callback_error", "type": "TypeError", "message": str(error)}
    try:
        value = function(*arguments[0], **arguments[1])
        return {"op": "callback_result", "value": plain.encode(value)}
    except Exception as error:  # noqa: BLE001 - the learner's code gets it, as it would locally
        return {"op": "callback_error", "type": type(error).__name__, "message": str(error)}


class Session:
    """The answers of one kernel: ``answer(name, kind, budget)`` is what ``evaluate`` gets."""

    def __init__(self, link):
        self.link = link

    def answer(self, name, kind, budget):
        """A RemoteLearner for the learner's function ``name`` (kind "function"), the learner's
        value (kind "value"), ``runner.MISSING``, or a ``runner.Rejected`` that says why not."""
        info = self.link.describe(name)
        found = info.get("kind")
        if found == "missing":
            return MISSING
        if found in ("function", "callable"):
            if kind != "function":
                return Rejected(f"{name} is a function, not a value (is a call's () missing?), "
                                "which the grader does not accept: give a number, a string or a "
                                "NumPy array.")
            if found == "callable" or not info.get("own"):
                return Rejected(runner.not_own_feedback(name, str(info.get("origin"))))
            names = info.get("names")
            return RemoteLearner(self, name, budget,
                                 names if isinstance(names, list) else [])
        if "unplain" in info:
            what = str((info.get("unplain") or {}).get("what", "something else"))
            if kind == "function":
                return Rejected(f"{name} should be a function, but it is {what}. Did a later "
                                f"cell assign to the name {name}?")
            return Rejected(f"{name} is {what}, which the grader does not accept: give a "
                            "number, a string or a NumPy array.")
        try:
            return plain.decode(info.get("value"))
        except plain.WireError:
            return Rejected(f"{name} could not be read from the kernel (malformed data).")


class RemoteLearner(Learner):
    """``runner.Learner`` for a function in the learner's kernel (see the module docstring)."""

    def __init__(self, session, name, budget, names=()):
        self.session = session
        self.function = None
        self.name = name
        self.budget = budget
        self.time_limit = budget.total
        self.names = frozenset(str(n) for n in names)

    def __call__(self, *args, **kwargs):
        return self._remote(args, kwargs, count_lines=False)

    def count_lines(self, *args, **kwargs):
        return self._remote(args, kwargs, count_lines=True)

    def uses(self, name):
        return name in self.names

    def sibling(self, name):
        """The learner's ``name`` in the same kernel, with a time budget of its own (as the local
        Learner's): a question that used its time must not make its prerequisites look broken."""
        return self.session.answer(name, "function", TimeBudget(self.budget.total))

    def _remote(self, args, kwargs, count_lines):
        remaining = self.budget.remaining()
        if remaining <= 0:
            raise LearnerTimeout()
        callbacks = {}
        arguments = plain.encode([list(args), dict(kwargs)], callbacks=callbacks)
        reply, spent = self.session.link.call(self.name, arguments, callbacks, remaining,
                                              count_lines)
        self.budget.spend(spent)
        calls = reply.get("course_calls")
        if isinstance(calls, list) and calls:
            raise Mistake(runner.course_code_feedback(self.name, [str(c) for c in calls]))
        outcome = reply.get("outcome")
        if outcome == "returned":
            try:
                value = plain.decode(reply.get("value"))
            except plain.WireError:
                raise Mistake(f"what {self.name} returned could not be read (malformed data)."
                              ) from None
            if not count_lines:
                return value
            lines = reply.get("lines")
            return value, (lines if type(lines) is int else 0)
        if outcome == "unplain":
            raise Mistake(runner.unplain_feedback(self.name, str(reply.get("what", "")),
                                                  str(reply.get("where", ""))))
        if outcome == "missing":
            raise LearnerRaised(f"{self.name} is no longer a function in the notebook.")
        raise runner.failure_exception(reply, self.name)
