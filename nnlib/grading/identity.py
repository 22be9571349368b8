"""Which exercise a notebook is, and which question an answer cell answers: from the notebook's
own metadata, never from its file name.

The instructor's solution notebook carries, and the generator copies into the learner's::

    notebook metadata:  "nnlib": {"exercise": 3, "version": 2}
    answer cell:        "nnlib": {"answer": "3.2"}            (the cell the learner writes in)
    (learner's copy)    "nnlib": {"answer": "3.2", "stub": "<hash of the stub as generated>"}

``version`` goes up when the course changes the exercise (``make update`` carries a learner's
answers into the new version, matching cells by ``answer``).
"""

from __future__ import annotations

import hashlib

__all__ = ["exercise_of", "version_of", "answer_of", "stub_of", "stub_hash", "describe_identity"]


def _meta(node):
    meta = node.get("metadata", {}).get("nnlib") if hasattr(node, "get") else None
    return meta if isinstance(meta, dict) else {}


def exercise_of(nb):
    """The exercise number in the notebook's metadata (0 is the introduction's), or None."""
    exercise = _meta(nb).get("exercise")
    return exercise if type(exercise) is int and exercise >= 0 else None


def version_of(nb):
    """The exercise's version in the notebook's metadata, or None."""
    version = _meta(nb).get("version")
    return version if type(version) is int and version > 0 else None


def answer_of(cell):
    """The question id ("3.2") an answer cell answers, or None."""
    answer = _meta(cell).get("answer")
    return answer if isinstance(answer, str) and answer else None


def stub_of(cell):
    """The hash of the stub the learner's copy of the cell started as, or None."""
    stub = _meta(cell).get("stub")
    return stub if isinstance(stub, str) else None


def stub_hash(source):
    """A short hash of a cell's text (to know whether the learner changed a stub)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def describe_identity(nb):
    """'exercise 3, version 2' (or 'no exercise id') for messages."""
    exercise, version = exercise_of(nb), version_of(nb)
    if exercise is None:
        return "no exercise id"
    return f"exercise {exercise}" + (f", version {version}" if version else "")
