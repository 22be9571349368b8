"""Running a learner's code safely and turning the outcome into a verdict.

``evaluate(question_id, answer)`` is the one place where a check runs and a verdict is made:
the notebook's ``check`` calls it with the learner's function (a local ``Learner`` wraps it), and
nnlib-grade calls it in its own process with a ``remote.RemoteLearner``, which runs the learner's
function in the learner's kernel. Both give the check the same thing: plain data (see plain.py)
in and out, the same failures (not implemented, raised, out of time), so the verdicts agree.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import signal
import sys
import textwrap
import threading
import time
from dataclasses import asdict, dataclass, field

from . import agent, diagnose, plain, registry

__all__ = ["Learner", "Rejected", "Result", "evaluate", "check", "skip_if_not_implemented",
           "NotImplementedYet", "LearnerRaised", "LearnerTimeout", "GRADING_ENV", "MISSING",
           "failure_exception", "raised_message", "not_own_feedback", "unplain_feedback",
           "course_code_feedback"]

#: Set by nnlib-grade in the kernel's environment: the notebook's own check() calls then do
#: nothing (the grader evaluates every question itself afterwards).
GRADING_ENV = "NNLIB_GRADING"

#: Time a question may spend in the learner's code when checked interactively (seconds).
DEFAULT_TIME_LIMIT = 20.0


class NotImplementedYet(Exception):
    """The learner's function still raises NotImplementedError (the stub)."""


class LearnerRaised(Exception):
    """The learner's function raised an exception; the message says which and where."""


class LearnerTimeout(BaseException):
    """The learner's code did not return in time (BaseException: a bare ``except Exception``
    in the learner's code cannot swallow it)."""


class _Sink(io.TextIOBase):
    """Where the learner's printing goes during a check: counted, then forgotten."""

    def writable(self):
        return True

    def write(self, text):
        return len(text)


#: Which code is the learner's: not Python's, a package's or nnlib's (agent.LearnerFiles).
LEARNER_FILES = diagnose._is_learner_file


def raised_message(name, kind, text, where):
    """'predict raised ValueError: ... (in predict, line 3: ...).' plus a hint for NumPy's shape
    errors: the feedback for an exception of the learner's code."""
    hint = ""
    if "mismatch in its core dimension" in text or "not aligned" in text:
        hint = (" The shapes of the two operands of the product do not fit: write both "
                "shapes down. Did you transpose?")
    elif "could not be broadcast" in text:
        hint = " Two arrays with shapes NumPy cannot combine: write both shapes down."
        if re.search(r"\(\d+,\)", text):
            hint += (" A 1-D array of n values lines up with the last axis (the examples), "
                     "not with the rows: keep it a column (n, 1), with keepdims=True.")
    return f"{name} raised {kind}: {text}{where}.{hint}"


def failure_exception(report, name):
    """The exception that says what ``report`` (agent.failure: not implemented, out of time,
    raised) says happened, to raise."""
    outcome = report.get("outcome")
    if outcome == "not_implemented":
        return NotImplementedYet()
    if outcome == "timeout":
        return LearnerTimeout()
    return LearnerRaised(raised_message(name, str(report.get("type", "an exception")),
                                        str(report.get("message", "")),
                                        str(report.get("where", ""))))


def unplain_feedback(name, what, where=""):
    """The feedback for a function that returned something other than plain data."""
    at = f" (at {where})" if where else ""
    return (f"{name} returned {what}{at}, which the grader does not accept: return NumPy arrays "
            "of numbers, numbers, or tuples, lists and dicts of these.")


def not_own_feedback(name, where):
    """The feedback for an answer that is not a function the learner wrote in the notebook."""
    return (f"`{name}` is not your own function: it is {where}. Write it yourself in the "
            f"notebook (def {name}(...): with your code where it says # YOUR CODE HERE); an "
            "answer imported from nnlib, the course or elsewhere scores nothing.")


def course_code_feedback(name, calls):
    """The feedback for a function that calls the course's own grading code."""
    return (f"{name} calls {calls[0]}, which is the course's checking code, not yours: an "
            "answer must compute its result with your own code.")


_GRADING_DIR = os.path.dirname(os.path.abspath(__file__))


def _paused(watch, function):
    """``function`` (a function of the check given to the learner's), with ``watch`` paused."""
    def callback(*args, **kwargs):
        watch.paused += 1
        try:
            return function(*args, **kwargs)
        finally:
            watch.paused -= 1
    return callback


def _plain(value, name):
    """The plain copy of what the learner's function returned (what the grader would receive);
    Mistake if it is not plain data."""
    try:
        return plain.roundtrip(value)
    except plain.Unplain as error:
        raise diagnose.Mistake(unplain_feedback(name, error.what, error.where)) from None


class Learner:
    """The learner's function, wrapped for checking, in this process.

    Calling it deep-copies the arguments (a function that changes its inputs cannot change the
    check's data), sends anything printed to a sink, stops the learner's code when the
    question's time budget runs out, and returns a plain copy of the result (plain.py: what the
    grader would receive from the kernel). Exceptions become NotImplementedYet, LearnerRaised or
    LearnerTimeout, which ``evaluate`` turns into feedback. ``remote.RemoteLearner`` is the same
    interface for a function in the learner's kernel.
    """

    def __init__(self, function, name, time_limit=DEFAULT_TIME_LIMIT, watch_course_code=False):
        self.function = function
        self.name = name
        self.time_limit = float(time_limit)
        self.deadline = time.monotonic() + self.time_limit
        self.watch_course_code = watch_course_code

    def __call__(self, *args, **kwargs):
        return _plain(self._run(self.function, args, kwargs), self.name)

    def count_lines(self, *args, **kwargs):
        """(result, number of lines of learner code run) for this call; see
        diagnose.require_vectorised."""
        value, lines = self._run(
            lambda *a, **k: agent.count_lines(self.function, LEARNER_FILES, *a, **k), args, kwargs)
        return _plain(value, self.name), lines

    def uses(self, name):
        """Does the learner's function refer to the global ``name`` (a function of theirs)?"""
        code = getattr(self.function, "__code__", None)
        return code is not None and name in code.co_names

    def sibling(self, name):
        """The learner's ``name`` next to this function (its globals), or MISSING."""
        return getattr(self.function, "__globals__", {}).get(name, MISSING)

    def _run(self, target, args, kwargs):
        args = copy.deepcopy(args)
        kwargs = copy.deepcopy(kwargs)
        watch = None
        if self.watch_course_code:      # as the agent does in the kernel
            watch = agent.CourseCalls(_GRADING_DIR, machinery=[__file__])
            args = tuple(_paused(watch, a) if callable(a) else a for a in args)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise LearnerTimeout()
        use_alarm = (threading.current_thread() is threading.main_thread()
                     and hasattr(signal, "setitimer"))
        if use_alarm:
            def on_alarm(signum, frame):
                raise LearnerTimeout()
            previous = signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, remaining)
        sink = _Sink()
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                if watch is not None:
                    sys.setprofile(watch.profile)
                try:
                    result = target(*args, **kwargs)
                finally:
                    if watch is not None:
                        sys.setprofile(None)
            if watch is not None and watch.found:
                raise diagnose.Mistake(course_code_feedback(self.name, watch.found))
            return result
        except (LearnerTimeout, KeyboardInterrupt, diagnose.Mistake):
            raise
        except Exception as error:  # noqa: BLE001 - any error of the learner's code is feedback
            raise failure_exception(agent.failure(error, LEARNER_FILES), self.name) from None
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)


class Rejected:
    """Stands for an answer refused before any check runs (not the learner's own function, not
    plain data); ``evaluate`` reports ``feedback`` with 0 points."""

    def __init__(self, feedback):
        self.feedback = feedback

    def __repr__(self):
        return f"Rejected({self.feedback!r})"


@dataclass
class Result:
    """The verdict on one question. ``status``: "passed", "failed", "not implemented",
    "missing" (no such name in the notebook) or "error" (the check itself could not run)."""

    id: str
    title: str
    status: str
    score: float
    max_score: float
    feedback: str
    passed_checks: list = field(default_factory=list)
    hint: str = ""  # the formula or code line, shown by check() on request or a second failure

    @property
    def passed(self):
        return self.status == "passed"

    def to_dict(self):
        out = asdict(self)
        out["passed"] = self.passed
        return out

    def __str__(self):
        points = f"{_num(self.score)}/{_num(self.max_score)} points"
        mark = {"passed": "✓", "not implemented": "…"}.get(self.status, "✗")
        label = {"passed": "passed", "failed": "not yet right", "not implemented": "not implemented yet",
                 "missing": "not found", "error": "could not be checked"}[self.status]
        body = textwrap.fill(self.feedback, width=78, initial_indent="  ", subsequent_indent="  ",
                             break_long_words=False, break_on_hyphens=False)
        return f"{mark} Question {self.id} ({self.title}): {label} ({points})\n{body}"

    def _repr_pretty_(self, printer, cycle):  # IPython shows str(), not the dataclass repr
        printer.text(str(self))


def _num(x):
    return f"{x:g}"


_MISSING = object()
#: The answer for a name the notebook does not define.
MISSING = _MISSING


def evaluate(question_id, answer=_MISSING, time_limit=DEFAULT_TIME_LIMIT):
    """Check the learner's ``answer`` (a function, or a value for kind="value" questions) for
    question ``question_id``; never raises for anything the learner did."""
    q = registry.get(question_id)

    def result(status, feedback, passed_checks=(), hint=""):
        score = q.points if status == "passed" else 0.0
        return Result(q.id, q.title, status, score, q.points, feedback, list(passed_checks),
                      hint)

    if answer is _MISSING:
        return result("missing", diagnose.missing_feedback(q.name))
    if isinstance(answer, Rejected):
        return result("failed", answer.feedback)
    if q.kind == "function":
        if isinstance(answer, Learner):
            subject = answer
        elif not callable(answer):
            return result("failed", f"{q.name} should be a function, but it is "
                                    f"{diagnose.describe_type(answer)}. Did a later cell assign "
                                    f"to the name {q.name}?")
        else:
            subject = Learner(answer, q.name, time_limit)
    else:
        if answer is None:
            return result("not implemented", f"not implemented yet: {q.name} is still None. "
                                              "Replace None with your answer, then run the cell again.")
        try:
            subject = plain.roundtrip(answer)
        except plain.Unplain as error:
            return result("failed", f"{q.name} is {error.what}, which the grader does not "
                                    "accept: give a number, a string or a NumPy array.")
    try:
        passed_checks = q.check(subject)
    except NotImplementedYet:
        return result("not implemented", f"not implemented yet: {q.name} (or a function it "
                                          "uses) still raises NotImplementedError. Write your code where it says "
                                          "# YOUR CODE HERE (then run its cell and the check "
                                          "again).")
    except LearnerTimeout:
        return result("failed", f"{q.name} did not return within {time_limit:g} s: is there an "
                                "infinite loop (a while loop whose condition never changes)?")
    except LearnerRaised as error:
        return result("failed", str(error) + _broken_prerequisites(q, subject, time_limit))
    except diagnose.Mistake as mistake:
        return result("failed", str(mistake) + _broken_prerequisites(q, subject, time_limit),
                      hint=mistake.hint)
    except KeyboardInterrupt:
        raise
    except Exception as error:  # noqa: BLE001 - e.g. the learner returned something unusable
        return result("error", f"the check could not use what {q.name} returned "
                               f"({type(error).__name__}: {error}).")
    if isinstance(passed_checks, str):
        passed_checks = [passed_checks]
    passed_checks = list(passed_checks or [])
    summary = "; ".join(passed_checks) if passed_checks else "all of them"
    return result("passed", f"Public checks passed: {summary}.", passed_checks)


def _broken_prerequisites(q, subject, time_limit):
    """' Note: train calls compute_gradients (question 1.3), which does not pass yet ...' or ''."""
    if not q.requires or q.kind != "function" or not isinstance(subject, Learner):
        return ""
    broken = []
    for required in q.requires:
        other = registry.get(required)
        if other.kind != "function" or not subject.uses(other.name):
            continue
        verdict = evaluate(required, subject.sibling(other.name), time_limit=time_limit)
        if not verdict.passed:
            broken.append(f"{other.name} (question {required})")
    if not broken:
        return ""
    which = "does" if len(broken) == 1 else "do"
    return (f" Note: {q.name} calls {' and '.join(broken)}, which {which} not pass yet: fix "
            f"{'it' if len(broken) == 1 else 'them'} first.")


#: Questions that already failed once in this session: the next failure shows the hint.
_FAILED_BEFORE = set()


def check(question_id, answer=_MISSING, hint=False):
    """Check your answer to a question and print what is right or probably wrong.

    ``check("1.1", predict)`` checks the function ``predict``; ``check("1.1")`` finds the name
    the question asks for in the notebook. A function that is not defined in the notebook
    (imported from nnlib, the course or elsewhere) is refused, as nnlib-grade refuses it.
    Prints the verdict and returns None. ``hint=True`` also prints the hint (the formula or the
    line of code) when the answer is not right yet; it is printed anyway when the same question
    fails a second time.
    """
    if os.environ.get(GRADING_ENV):
        print(f"(check {question_id}: nnlib-grade grades this question itself at the end)")
        return None
    q = registry.get(question_id)
    notebook = sys._getframe(1).f_globals
    if answer is _MISSING:
        answer = notebook.get(q.name, _MISSING)
    if q.kind == "function" and callable(answer) and not isinstance(answer, Learner):
        where = agent.origin(answer, notebook, LEARNER_FILES)
        if where is not None:
            answer = Rejected(not_own_feedback(q.name, where))
        else:
            answer = Learner(answer, q.name, watch_course_code=True)
    verdict = evaluate(question_id, answer)
    print(verdict)
    if verdict.status == "failed" and verdict.hint:
        if hint or q.id in _FAILED_BEFORE:
            print(textwrap.fill(f"Hint: {verdict.hint}", width=78, initial_indent="  ",
                                subsequent_indent="  ", break_long_words=False,
                                break_on_hyphens=False))
        else:
            print(f'  (A hint: check("{q.id}", {q.name}, hint=True).)')
    if verdict.status == "failed":
        _FAILED_BEFORE.add(q.id)
    return None


@contextlib.contextmanager
def skip_if_not_implemented():
    """``with skip_if_not_implemented():`` runs a block that uses your functions, and skips it
    with a short note (instead of an error) while one of them is still a stub."""
    try:
        yield
    except NotImplementedError:
        print("(skipped: this cell uses a function that is not implemented yet)")
