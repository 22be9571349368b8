"""Running a learner's code safely and turning the outcome into a verdict.

``evaluate(question_id, answer)`` is the one place where a check runs: the notebook's ``check``
calls it and prints the verdict; the grader calls it inside the grading kernel and records it.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import signal
import textwrap
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field

from . import diagnose, registry

__all__ = ["Learner", "Result", "evaluate", "check", "skip_if_not_implemented",
           "NotImplementedYet", "LearnerRaised", "LearnerTimeout", "GRADING_ENV"]

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


def _learner_line(tb):
    """'line 4 of predict: return w * x + c' for the innermost frame outside nnlib."""
    frames = [f for f in traceback.extract_tb(tb) if diagnose._is_learner_file(f.filename)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": {frame.line.strip()}" if frame.line else ""
    return f" (in {frame.name}, line {frame.lineno}{code})"


class Learner:
    """The learner's function, wrapped for checking.

    Calling it deep-copies the arguments (a function that changes its inputs cannot change the
    check's data), sends anything printed to a sink, and stops the learner's code when the
    question's time budget runs out. Exceptions become NotImplementedYet, LearnerRaised or
    LearnerTimeout, which ``evaluate`` turns into feedback.
    """

    def __init__(self, function, name, time_limit=DEFAULT_TIME_LIMIT):
        self.function = function
        self.name = name
        self.time_limit = float(time_limit)
        self.deadline = time.monotonic() + self.time_limit

    def __call__(self, *args, **kwargs):
        return self._run(self.function, args, kwargs)

    def count_lines(self, *args, **kwargs):
        """(result, number of lines of learner code run) for this call; see
        diagnose.require_vectorised."""
        return self._run(lambda *a, **k: diagnose.count_lines(self.function, *a, **k), args, kwargs)

    def _run(self, target, args, kwargs):
        args = copy.deepcopy(args)
        kwargs = copy.deepcopy(kwargs)
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
                return target(*args, **kwargs)
        except NotImplementedError:
            raise NotImplementedYet() from None
        except (LearnerTimeout, KeyboardInterrupt):
            raise
        except RecursionError as error:
            raise LearnerRaised(f"{self.name} raised RecursionError: {error}") from None
        except Exception as error:  # noqa: BLE001 - any error of the learner's code is feedback
            where = _learner_line(error.__traceback__)
            hint = ""
            text = str(error)
            if "mismatch in its core dimension" in text or "not aligned" in text:
                hint = (" The shapes of the two operands of the product do not fit: write both "
                        "shapes down. Did you transpose?")
            elif "could not be broadcast" in text:
                hint = " Two arrays with shapes NumPy cannot combine: write both shapes down."
                if re.search(r"\(\d+,\)", text):
                    hint += (" A 1-D array of n values lines up with the last axis (the examples), "
                             "not with the rows: keep it a column (n, 1), with keepdims=True.")
            raise LearnerRaised(f"{self.name} raised {type(error).__name__}: {text}{where}.{hint}"
                                ) from None
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)


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
    if q.kind == "function":
        if not callable(answer):
            return result("failed", f"{q.name} should be a function, but it is "
                                    f"{diagnose.describe_type(answer)}. Did a later cell assign "
                                    f"to the name {q.name}?")
        subject = Learner(answer, q.name, time_limit)
    else:
        if answer is None:
            return result("not implemented", f"not implemented yet: {q.name} is still None. "
                                              "Replace None with your answer, then run the cell again.")
        try:
            subject = copy.deepcopy(answer)
        except Exception:  # noqa: BLE001
            subject = answer
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
        return result("failed", str(error) + _broken_prerequisites(q, answer, time_limit))
    except diagnose.Mistake as mistake:
        return result("failed", str(mistake) + _broken_prerequisites(q, answer, time_limit),
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


def _broken_prerequisites(q, answer, time_limit):
    """' Note: train calls compute_gradients (question 1.3), which does not pass yet ...' or ''."""
    if not q.requires or q.kind != "function":
        return ""
    namespace = getattr(answer, "__globals__", None)
    code = getattr(answer, "__code__", None)
    if namespace is None or code is None:
        return ""
    broken = []
    for required in q.requires:
        other = registry.get(required)
        if other.kind != "function" or other.name not in code.co_names:
            continue
        verdict = evaluate(required, namespace.get(other.name, _MISSING), time_limit=time_limit)
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
    the question asks for in the notebook. Prints the verdict and returns None.
    ``hint=True`` also prints the hint (the formula or the line of code) when the answer is not
    right yet; it is printed anyway when the same question fails a second time.
    """
    if os.environ.get(GRADING_ENV):
        print(f"(check {question_id}: nnlib-grade grades this question itself at the end)")
        return None
    q = registry.get(question_id)
    if answer is _MISSING:
        import sys

        answer = sys._getframe(1).f_globals.get(q.name, _MISSING)
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
