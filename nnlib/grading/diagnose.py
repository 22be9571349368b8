"""Diagnosis helpers: compare a learner's answer with the reference and name the mistake.

Every helper returns quietly when the answer is right and raises ``Mistake(feedback, hint)``
when it is wrong: ``feedback`` says what is wrong and where to look, in the lecture's notation;
``hint`` (optional) gives the formula or the line of code, shown only when the learner asks for it
(``check("3.1", sigmoid, hint=True)``) or fails the same question a second time. No message shows
a reference value unless seeing it is the lesson. The checks in ``questions/`` are built from
them::

    got = answer(X, W, b)
    compare(got, reference, "Z", m=m,
            mistakes={"you used W where Wᵀ was meant": W @ X + b,
                      ("the bias b is missing", "Z = Wᵀ X + b"): W.T @ X})

What ``compare`` recognises by itself, in this order:

1. one of the question's own known wrong answers (``mistakes``: feedback -> wrong value, where
   feedback is a string or a pair (feedback, hint));
2. the wrong type (None: "did you forget return?", a list, a string, ...);
3. the wrong shape: (m, n) for (n, m) ("transposed"), (n,) for (n, 1), (m, m) from
   broadcasting a row against a column, (n, m) where a sum over the examples gives (n, 1);
4. NaN or inf;
5. a multiple of the right answer: −1 (sign flipped), m (1/m missing, or sum where mean was
   meant), 1/m (an extra 1/m, or mean where sum was meant), 2, 1/2, and their negatives.
"""

from __future__ import annotations

import itertools
import numbers
import os
import re

import numpy as np

from ..gradcheck import numerical_gradient, relative_error
from . import agent

__all__ = [
    "Mistake",
    "unpack",
    "number",
    "entries_close",
    "per_epoch",
    "ignores_learning_rate",
    "missing_feedback",
    "compare",
    "compare_scalar",
    "shape_hint",
    "as_array",
    "scale_hint",
    "gradient_report",
    "numerical_gradient",
    "relative_error",
    "describe_type",
    "require_vectorised",
    "RTOL",
]

#: Relative tolerance ‖got − expected‖ / ‖expected‖ under which an answer is accepted; loose
#: enough for float32 arithmetic, tight enough to catch any of the mistakes above.
RTOL = 1e-4


class Mistake(Exception):
    """The learner's answer is wrong.

    ``feedback`` (``str(error)``): what is wrong and where to look, shown at once. ``hint``: the
    formula or the code line that fixes it, shown only when the learner asks for it or fails the
    same question again ("" when there is none).
    """

    def __init__(self, feedback, hint=None):
        super().__init__(feedback)
        self.feedback = str(feedback)
        self.hint = str(hint or "")


def _feedback_and_hint(key):
    """A ``mistakes`` key is the feedback, or a pair (feedback, hint)."""
    if isinstance(key, tuple):
        feedback, hint = key
        return feedback, hint
    return key, None


def describe_type(value):
    """'None', 'a list', 'a str', 'a NumPy array of shape (2, 3)', 'a float' ..."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape}"
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def as_array(got, name, expected_shape=None):
    """``got`` as a float NumPy array, or Mistake saying what was returned instead."""
    shape = f" of shape {fmt_shape(expected_shape)}" if expected_shape is not None else ""
    if got is None:
        raise Mistake(f"{name} is None: did the function forget to `return` it?")
    if isinstance(got, (list, tuple)):
        raise Mistake(f"{name} is {describe_type(got)}, where a NumPy array{shape} was "
                      "expected.", "Return the NumPy expression itself (or np.array(...) of "
                      "your list).")
    if isinstance(got, np.matrix):
        got = np.asarray(got)
    if isinstance(got, (numbers.Number, np.generic)) and not isinstance(got, (bool, np.bool_)):
        got = np.asarray(got)
    if not isinstance(got, np.ndarray):
        raise Mistake(f"{name} is {describe_type(got)}, where a NumPy array{shape} was expected.")
    if got.dtype == bool or not np.issubdtype(got.dtype, np.number) or np.iscomplexobj(got):
        raise Mistake(f"{name} holds {got.dtype} values, where real numbers were expected.")
    # a plain float64 copy: an ndarray subclass keeps none of its own arithmetic
    return np.array(got, dtype=np.float64, subok=False)


def fmt_shape(shape):
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def shape_hint(got_shape, expected_shape, name, transpose_hint=None):
    """None when the shapes agree, else a sentence naming the likely cause."""
    got_shape, expected_shape = tuple(got_shape), tuple(expected_shape)
    if got_shape == expected_shape:
        return None
    g, e = fmt_shape(got_shape), fmt_shape(expected_shape)
    head = f"{name} has shape {g} where {e} was expected"
    if len(expected_shape) == 2 and got_shape == expected_shape[::-1]:
        return f"{head}: the two axes are swapped. {transpose_hint or 'Did you transpose?'}"
    if len(expected_shape) == 2 and len(got_shape) == 1:
        rows, cols = expected_shape
        if cols == 1 and got_shape == (rows,):
            return (f"{head}: a column vector keeps its second axis. Sum with keepdims=True, "
                    "or use .reshape(-1, 1).")
        if rows == 1 and got_shape == (cols,):
            return (f"{head}: a row of m values keeps its first axis (one example per column). "
                    "Use keepdims=True, or .reshape(1, -1).")
    if len(expected_shape) == 2 and len(got_shape) == 2:
        rows, cols = expected_shape
        if got_shape[0] == got_shape[1] > 1 and got_shape[0] in expected_shape:
            return (f"{head}: a square array usually means NumPy broadcast a row (1, m) against a "
                    "column (m, 1). Check the shapes of the arrays you combine.")
        if cols == 1 and got_shape[0] == rows and got_shape[1] > 1:
            return (f"{head}: it still has one column per example. Is the sum over the examples "
                    "(axis=1) missing?")
        if rows == 1 and got_shape[1] == cols and got_shape[0] > 1 and cols > 1:
            return (f"{head}: the sum over the rows (axis=0) is missing, or a (n, 1) column was "
                    "added to a (1, m) row.")
        if cols == 1 and rows > 1 and got_shape == (1, rows):
            return f"{head}: the sum ran over the wrong axis, or a column became a row."
    if int(np.prod(got_shape)) == 1 and int(np.prod(expected_shape)) == 1:
        return (f"{head}: the value is one number, as it should be, but it should keep the shape "
                f"{e} of the parameter (np.sum(..., axis=1, keepdims=True), or .reshape{e}).")
    if len(got_shape) == 0 or got_shape == (1, 1):
        return (f"{head}: it is a single number. Did you sum over every axis (np.sum without "
                "axis=...)?")
    return f"{head}."


_FACTORS = [
    (-1.0, "it has the opposite sign of the right answer: is a sign flipped (y − ŷ instead of "
           "ŷ − y, or + instead of −)?"),
    (2.0, "it is twice the right answer: is there a factor 2 too many?"),
    (0.5, "it is half the right answer: is the factor 2 (from the derivative of the square) "
          "missing?"),
    (-2.0, "it is −2 times the right answer: a sign is flipped and there is a factor 2 too many."),
    (-0.5, "it is −1/2 times the right answer: a sign is flipped and the factor 2 is missing."),
]


def scale_hint(got, expected, m=None):
    """If ``got`` is c × ``expected`` for a telling c, a sentence naming the mistake."""
    got = np.asarray(got, dtype=np.float64).ravel()
    expected = np.asarray(expected, dtype=np.float64).ravel()
    if got.shape != expected.shape:
        return None
    energy = float(expected @ expected)
    if energy == 0:
        return None
    c = float(got @ expected) / energy
    if np.linalg.norm(got - c * expected) > 1e-6 * (np.linalg.norm(got) + 1e-300):
        return None
    factors = list(_FACTORS)
    if m is not None and m > 2:
        factors += [
            (float(m), f"it is m = {m} times the right answer: is the 1/m missing (a sum where "
                       "the mean over the examples was meant)?"),
            (1.0 / m, f"it is 1/m = 1/{m} times the right answer: is there an extra 1/m (a mean "
                      "where the sum over the examples was meant)?"),
            (-float(m), f"it is −m = −{m} times the right answer: a sign is flipped and the 1/m "
                        "is missing."),
            (-1.0 / m, "it is −1/m times the right answer: a sign is flipped and there is an "
                       "extra 1/m."),
            (2.0 * m, "it is 2m times the right answer: is the 1/m missing and a factor 2 "
                      "too many?"),
            (0.5 * m, "it is m/2 times the right answer: the 1/m and the factor 2 of the "
                      "derivative of the square are both missing."),
            (2.0 / m, "it is 2/m times the right answer: is there an extra 2/m?"),
        ]
    for factor, text in factors:
        if abs(c - factor) <= 1e-6 * abs(factor):
            return text
    return None


def _close(got, expected, rtol):
    scale = np.linalg.norm(expected)
    return np.linalg.norm(got - expected) <= rtol * max(scale, 1e-8)


def _matches(got, wrong, rtol):
    try:
        wrong = np.asarray(wrong, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return wrong.shape == got.shape and bool(np.all(np.isfinite(wrong))) and _close(got, wrong, rtol)


def compare(got, expected, name, *, m=None, mistakes=None, transpose_hint=None, rtol=RTOL,
            show_values=True):
    """Accept ``got`` if it has ``expected``'s shape and values (relative error < rtol).

    ``mistakes``: {feedback: wrong_value} of the question's known wrong answers, tried first.
    ``m``: the number of examples, so that a factor m or 1/m can be named.
    ``transpose_hint``: what to say when the axes are swapped ("did you transpose W?").
    ``show_values``: False to not even say where the largest difference is. (The reference's
    own values are never shown: only where yours differ most, and your value there.)
    """
    expected = np.asarray(expected, dtype=np.float64)
    got = as_array(got, name, expected.shape)
    for key, wrong in (mistakes or {}).items():
        right = got.shape == expected.shape and _close(got, expected, rtol)
        if _matches(got, wrong, rtol) and not right:
            feedback, hint = _feedback_and_hint(key)
            raise Mistake(f"{name}: {feedback}", hint)
    hint = shape_hint(got.shape, expected.shape, name, transpose_hint)
    if hint:
        raise Mistake(hint)
    if not np.all(np.isfinite(got)):
        bad = int(got.size - np.isfinite(got).sum())
        raise Mistake(f"{name} contains {bad} NaN or infinite value(s): an overflow, a division "
                      "by zero, or a log of 0?")
    if _close(got, expected, rtol):
        return
    hint = scale_hint(got, expected, m)
    if hint:
        raise Mistake(f"{name} is wrong: {hint}")
    error = relative_error(got, expected)
    where = ""
    if show_values and got.size > 1:
        index = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
        where = (f" Look at {name}[{', '.join(map(str, index))}] first (yours is {got[index]:.6g}"
                 "): that is where it is furthest from the right value.")
    raise Mistake(f"{name} has the right shape but wrong values (relative error {error:.2g})."
                  + where)


def compare_scalar(got, expected, name, *, m=None, mistakes=None, rtol=RTOL):
    """Like ``compare`` for one number (a cost, a learning rate): accepts a Python or NumPy
    number or a size-1 array; never shows the expected value."""
    if isinstance(got, (bool, np.bool_)) or got is None or isinstance(got, (str, bytes, list, tuple, dict)):
        if got is None:
            raise Mistake(f"{name} is None: did the function forget to `return` it?")
        raise Mistake(f"{name} is {describe_type(got)}, where one number was expected.")
    if isinstance(got, np.ndarray):
        if got.size != 1:
            hint = ""
            if got.ndim == 2 and got.shape[0] == 1 and got.shape[1] > 1:
                hint = " It has one value per example: is the sum (or mean) over the examples missing?"
            raise Mistake(f"{name} should be one number, got an array of shape {got.shape}.{hint}")
        got = np.asarray(got, dtype=np.float64).reshape(())  # plain: no subclass's __float__
    try:
        value = float(got)
    except (TypeError, ValueError):
        raise Mistake(f"{name} is {describe_type(got)}, where one number was expected.") from None
    expected = float(expected)
    for key, wrong in (mistakes or {}).items():
        if abs(value - float(wrong)) <= rtol * max(abs(float(wrong)), 1e-8) \
                and abs(value - expected) > rtol * max(abs(expected), 1e-8):
            feedback, hint = _feedback_and_hint(key)
            raise Mistake(f"{name}: {feedback}", hint)
    if not np.isfinite(value):
        raise Mistake(f"{name} is {value}: an overflow, a division by zero, or a log of 0?")
    if abs(value - expected) <= rtol * max(abs(expected), 1e-8):
        return
    hint = scale_hint([value], [expected], m)
    if hint:
        raise Mistake(f"{name} is wrong: {hint}")
    raise Mistake(f"{name} is wrong (relative error {relative_error(value, expected):.2g}).")


def gradient_report(got, expected, *, m=None, tol=1e-5, hints=None):
    """Compare gradients parameter by parameter; raise one Mistake listing every parameter.

    ``got`` and ``expected``: {"dW[1]": array, "db[1]": array, ...} (``expected`` from the
    reference or from ``numerical_gradient``). ``hints``: {key: {feedback: wrong_value}} of known
    wrong answers per parameter. Returns the list of "dW[1] ✓" strings when all are right.

    The feedback reads: "dW[2] ✓; db[2] ✗: relative error 0.41, is the sum over the examples
    missing?"
    """
    if not isinstance(got, dict):
        raise Mistake(f"the gradients should be a dict like {{'dW[1]': ..., 'db[1]': ...}}, got "
                      f"{describe_type(got)}.")
    parts, hints_given, wrong = [], [], False
    for key, reference in expected.items():
        reference = np.asarray(reference, dtype=np.float64)
        if key not in got:
            parts.append(f"{key} ✗: missing")
            wrong = True
            continue
        try:
            compare(got[key], reference, key, m=m, mistakes=(hints or {}).get(key), rtol=tol,
                    show_values=False)
        except Mistake as mistake:
            value = got[key]
            error = ""
            if isinstance(value, np.ndarray) and value.shape == reference.shape:
                error = f"relative error {relative_error(value, reference):.2g}, "
            text = str(mistake)
            for prefix in (f"{key} is wrong: ", f"{key}: "):
                if text.startswith(prefix):
                    text = text[len(prefix):]
            parts.append(f"{key} ✗: {error}{text.rstrip('.')}")
            if mistake.hint:
                hints_given.append(f"{key}: {mistake.hint.rstrip('.')}")
            wrong = True
        else:
            parts.append(f"{key} ✓")
    if wrong:
        raise Mistake("; ".join(parts) + ".", "; ".join(hints_given) + "." if hints_given else None)
    return parts


# -- loops over examples --------------------------------------------------------------------------

#: Is code from this file the learner's (not Python's, a package's or nnlib's)? The same rule
#: as the grader's agent in the learner's kernel (agent.py), which counts the lines there.
_is_learner_file = agent.LearnerFiles(agent.library_dirs(
    [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]))  # nnlib itself


def count_lines(function, *args, **kwargs):
    """(result, n) where n is the number of Python lines of learner code (anything outside the
    standard library, site-packages and nnlib) executed by ``function(*args, **kwargs)``."""
    return agent.count_lines(function, _is_learner_file, *args, **kwargs)


def require_vectorised(answer, make_args, sizes=(4, 64), what="the examples"):
    """Mistake if the learner's code runs more Python lines for more examples.

    ``answer``: the Learner; ``make_args(m)``: the arguments for m examples. A vectorised
    expression runs the same lines whatever m; a loop over examples runs more lines for larger m.
    """
    small, large = sizes
    _, n_small = answer.count_lines(*make_args(small))
    _, n_large = answer.count_lines(*make_args(large))
    if n_large - n_small >= (large - small) // 2:
        raise Mistake(
            f"a loop over {what} where a vectorised expression was asked: your code ran "
            f"{n_small} lines of Python for m = {small} and {n_large} for m = {large}.",
            "Write it as one NumPy expression over the whole (n, m) array, e.g. X @ ... or "
            "np.sum(..., axis=1, keepdims=True).")


# -- several return values ------------------------------------------------------------------------


def _as_float_array(value):
    """``value`` as a float64 array, or None when it is not numbers."""
    if value is None or isinstance(value, (str, bytes, bool, np.bool_, dict)):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _same_value(got, expected, rtol):
    """True if ``got`` holds ``expected``'s numbers: equal sizes (a number and a size-1 array
    alike), relative error at most ``rtol``."""
    got, expected = _as_float_array(got), _as_float_array(expected)
    if got is None or expected is None or got.size != expected.size or got.size == 0:
        return False
    if got.shape != expected.shape and got.size > 1:
        return False
    got, expected = got.ravel(), expected.ravel()
    if not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected))):
        return False
    return bool(_close(got, expected, rtol))


def _returned_order(result, expected, rtol):
    """The permutation p with result[k] ≈ expected[p[k]] for every k (the identity first), or
    None if there is none."""
    n = len(expected)
    for order in itertools.permutations(range(n)):
        if all(_same_value(result[k], expected[order[k]], rtol) for k in range(n)):
            return order
    return None


def unpack(result, names, function, expected=None, rtol=RTOL):
    """The ``len(names)`` values a function returned, as a tuple; a tuple or a list alike.

    ``names``: what it should return, in order (``("w", "b")``); ``function``: its name, for the
    feedback. ``expected``: the right values in that order (numbers, arrays, lists of numbers);
    when given, the right values returned in another order are named as such ("returns the
    right values in the wrong order: b, w where w, b was asked") before anything is compared.
    """
    n = len(names)
    listed = ", ".join(names)
    hint = f"End {function} with `return {listed}` (a tuple; a list works too)."
    if result is None:
        raise Mistake(f"{function} returned None: did it forget to `return {listed}`?", hint)
    if not isinstance(result, (tuple, list)) or len(result) != n:
        got = describe_type(result)
        if isinstance(result, (tuple, list)):
            got += f" of {len(result)} value{'' if len(result) == 1 else 's'}"
        count = {2: "two", 3: "three", 4: "four"}.get(n, str(n))
        raise Mistake(f"{function} should return {count} values, {listed}, in that order; it "
                      f"returned {got}.", hint)
    result = tuple(result)
    if expected is not None and n > 1:
        order = _returned_order(result, tuple(expected), rtol)
        if order is not None and order != tuple(range(n)):
            returned = ", ".join(names[i] for i in order)
            raise Mistake(f"{function} returns the right values in the wrong order: {returned}, "
                          f"where {listed} (in that order) was asked.", hint)
    return result


def number(value, name):
    """A learner's number as a float: a Python or NumPy number, or any size-1 array."""
    if isinstance(value, (bool, np.bool_)):
        raise Mistake(f"{name} should be one number, got {describe_type(value)}.")
    if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number) \
            and not np.iscomplexobj(value):
        return float(np.asarray(value, dtype=np.float64).reshape(()))
    if isinstance(value, (numbers.Real, np.integer, np.floating)):
        return float(value)
    if value is None:
        raise Mistake(f"{name} is None: did the function forget to `return` it?")
    raise Mistake(f"{name} should be one number, got {describe_type(value)}.")


def per_epoch(costs, epochs, hint=None, name="costs"):
    """A training loop's list of costs as a float array of ``epochs`` entries (a list, a tuple
    or an array of numbers or size-1 arrays), or Mistake saying what it is instead."""
    if not isinstance(costs, (list, tuple, np.ndarray)):
        raise Mistake(f"{name} should be a list with one cost per epoch, got "
                      f"{describe_type(costs)}.", hint)
    try:
        values = np.asarray([number(c, f"each entry of {name}")
                             for c in np.ravel(np.asarray(costs, dtype=object))])
    except Mistake:
        raise Mistake(f"{name} should hold one number per epoch (the cost J of that epoch).",
                      hint) from None
    if values.size != epochs:
        raise Mistake(f"{name} should have one entry per epoch: {epochs} for epochs={epochs}, "
                      f"got {values.size}.", hint or "Append J exactly once in each pass of the "
                      "loop, before the update.")
    return values


#: Learning rates a training loop that ignores its argument usually has written in instead.
USUAL_RATES = (0.1, 0.01, 0.05, 0.001, 0.5, 1.0)


def ignores_learning_rate(costs, learning_rate, costs_with, hint=None):
    """Mistake if ``costs`` are those of another usual α (``costs_with(α)`` gives them): the
    training loop ignores its learning_rate argument."""
    for other in USUAL_RATES:
        if other != learning_rate and np.allclose(costs, costs_with(other), rtol=1e-6):
            raise Mistake(f"train ignores its learning_rate: called with learning_rate = "
                          f"{learning_rate:g}, it steps with α = {other:g}.",
                          hint or "Pass the argument learning_rate to the update.")


def entries_close(got, candidates, rtol, atol):
    """Boolean array of ``got``'s shape: True where the entry is within rtol·|c| + atol of the
    same entry of at least one candidate array c (several correct formulas may round
    differently, e.g. A(1 − A) and σ(z)σ(−z) for σ'(z) at z = 700)."""
    got = np.asarray(got, dtype=np.float64)
    ok = np.zeros(got.shape, dtype=bool)
    with np.errstate(invalid="ignore", over="ignore"):
        for candidate in candidates:
            candidate = np.broadcast_to(np.asarray(candidate, dtype=np.float64), got.shape)
            ok |= np.abs(got - candidate) <= rtol * np.abs(candidate) + atol
    return ok


# -- a name the notebook does not define ------------------------------------------------------------


def _ipython_history():
    """The cells this IPython kernel ran (its ``In`` list), or [] outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return []
    shell = get_ipython()
    if shell is None:
        return []
    history = shell.user_ns.get("In", [])
    return [cell for cell in history if isinstance(cell, str)]


def _defines(source, name):
    name = re.escape(name)
    return re.search(rf"(^|\n)[ \t]*def[ \t]+{name}[ \t]*\(|(^|\n){name}[ \t]*(:[^=\n]*)?=(?!=)",
                     source) is not None


def _syntax_problem(source):
    """'line 3: invalid syntax: return w * x +' for a cell Python cannot compile, else None."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        source = TransformerManager().transform_cell(source)  # %magics and !commands
    except Exception:  # noqa: BLE001 - without IPython, compile the text as it is
        pass
    try:
        compile(source, "<cell>", "exec")
    except SyntaxError as error:
        text = f": {error.text.strip()}" if error.text and error.text.strip() else ""
        return f"line {error.lineno}: {error.msg}{text}"
    return None


def missing_feedback(name, sources=None):
    """Why the notebook has no ``name``: the cell that defines it does not compile (a syntax
    error stops Python before it runs any line of the cell), or it was not run.

    ``sources``: the notebook's code cells, in order (default: the cells this IPython kernel
    ran, its ``In`` history).
    """
    if sources is None:
        sources = _ipython_history()
    for source in reversed(list(sources)):
        if not isinstance(source, str) or not _defines(source, name):
            continue
        problem = _syntax_problem(source)
        if problem:
            return (f"`{name}` is not defined: the cell that defines it has a syntax error "
                    f"({problem}), so Python ran none of that cell. Fix the line, run the cell "
                    "again, then check.")
        break
    return (f"There is no `{name}` in the notebook: run the cell that defines it (and keep the "
            f"name {name}).")
