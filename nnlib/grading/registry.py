"""The questions of the graded exercises: which learner name each one checks, its points, and
the function that checks it.

A question module (``nnlib/grading/questions/chN.py`` for exercise N) registers its questions
with the ``question`` decorator::

    @question("1.1", name="predict", points=2, title="The forward pass ŷ = w x + b")
    def check_predict(answer):
        ...                     # raise diagnose.Mistake("...") when something is wrong
        return ["ŷ has shape (1, m)", "ŷ on 3 seeded inputs"]   # the public checks passed

``answer`` is a ``runner.Learner`` (call it like the learner's function: it deep-copies the
arguments, mutes printing and enforces a time limit) for ``kind="function"``, or the learner's
value (deep-copied) for ``kind="value"``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Question", "question", "get", "questions_for", "chapter_of", "load_all", "exercises",
           "points_of"]

_QUESTIONS: dict[str, "Question"] = {}
_ID = re.compile(r"^(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Question:
    """One graded question: ``id`` "N.k", the learner's ``name`` to look up, its ``points``."""

    id: str
    name: str
    points: float
    title: str
    check: Callable = field(repr=False)
    kind: str = "function"  # "function": name is a function; "value": name is a variable
    requires: tuple = ()    # ids of questions whose functions this one's function calls

    @property
    def chapter(self):
        return chapter_of(self.id)

    @property
    def sort_key(self):
        return tuple(int(part) for part in self.id.split("."))


def chapter_of(question_id):
    """1 for "1.3"; raises ValueError for an id that is not "N.k"."""
    match = _ID.match(str(question_id))
    if not match:
        raise ValueError(f"A question id looks like '1.3' (exercise 1, question 3), got {question_id!r}.")
    return int(match.group(1))


def question(id, *, name, points, title, kind="function", requires=()):
    """Decorator registering ``check(answer)`` as the check of question ``id``.

    ``requires``: ids of earlier questions whose functions the learner's function calls (a
    training loop calls forward, gradients, ...). When the check fails, the feedback then also
    names the ones among them that do not pass yet ("fix that first")."""
    chapter_of(id)
    if kind not in ("function", "value"):
        raise ValueError(f"kind should be 'function' or 'value', got {kind!r}.")
    if not (isinstance(points, (int, float)) and points > 0):
        raise ValueError(f"points should be a positive number, got {points!r}.")

    def register(check):
        existing = _QUESTIONS.get(id)
        if existing is not None and existing.check.__module__ != check.__module__:
            raise ValueError(f"Question {id} is registered twice ({existing.check.__module__} "
                             f"and {check.__module__}).")
        _QUESTIONS[id] = Question(id=id, name=name, points=float(points), title=title,
                                  check=check, kind=kind, requires=tuple(requires))
        return check

    return register


def _load_chapter(chapter):
    """Import nnlib/grading/questions/ch<chapter>.py (once); False if there is none."""
    try:
        importlib.import_module(f"nnlib.grading.questions.ch{chapter}")
    except ModuleNotFoundError as error:
        if error.name == f"nnlib.grading.questions.ch{chapter}":
            return False
        raise
    return True


def get(question_id):
    """The Question with this id; KeyError naming the known ids if there is none."""
    chapter = chapter_of(question_id)
    _load_chapter(chapter)
    if question_id not in _QUESTIONS:
        known = ", ".join(q.id for q in questions_for(chapter)) or "none"
        raise KeyError(f"There is no question {question_id!r}. Exercise {chapter}'s questions: {known}.")
    return _QUESTIONS[question_id]


def questions_for(chapter):
    """Every question of exercise ``chapter``, in order ("1.1", "1.2", ..., "1.10")."""
    _load_chapter(int(chapter))
    found = [q for q in _QUESTIONS.values() if q.chapter == int(chapter)]
    return sorted(found, key=lambda q: q.sort_key)


def load_all():
    """Import every question module (nnlib/grading/questions/chN.py): the grader does it once,
    before it grades any notebook, so that no check is ever loaded from disk afterwards."""
    from . import questions

    for info in pkgutil.iter_modules(questions.__path__):
        match = re.fullmatch(r"ch(\d+)", info.name)
        if match:
            _load_chapter(int(match.group(1)))
    return exercises()


def exercises():
    """The course's exercises (the numbers that have questions), in order."""
    return sorted({q.chapter for q in _QUESTIONS.values()})


def points_of(exercise):
    """The points exercise ``exercise`` is worth (the sum over its questions)."""
    return float(sum(q.points for q in questions_for(exercise)))
