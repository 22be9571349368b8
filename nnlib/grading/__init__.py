"""The course machinery of the graded exercises: checks, the grader, the learner notebooks.

It builds on nnlib's core (layers, activations, losses, network, gradcheck, datasets); the core
knows nothing of it.

In an exercise notebook::

    from nnlib.grading import check, skip_if_not_implemented
    ...
    check("1.1", predict)      # or check("1.1"): finds the function named in question 1.1

The questions are in ``nnlib/grading/questions/chN.py``; ``nnlib-grade`` (``python -m
nnlib.grading``) grades whole notebooks, a learner's or a class's: each runs on a fresh kernel
that only runs the learner's functions, and every check runs in the grader's own process
(agent.py, remote.py, grader.py); ``python -m nnlib.grading.generate`` makes the learner
notebooks from ``exercises/solutions/``. See FRAMEWORK.md next to this file.
"""

from .diagnose import Mistake
from .registry import question
from .runner import Result, check, evaluate, skip_if_not_implemented

__all__ = ["check", "evaluate", "skip_if_not_implemented", "Result", "Mistake", "question"]
