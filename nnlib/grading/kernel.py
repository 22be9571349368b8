"""The grader's side inside the kernel that ran the learner's notebook (not for learners).

nnlib-grade appends one cell per question that calls ``grade``. It evaluates the question on
whatever the learner's name holds now and appends the verdict as one JSON line to a file only
the grader knows; the grader trusts nothing the notebook printed.
"""

from __future__ import annotations

import json

from . import runner


def _namespace():
    from IPython import get_ipython

    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def grade(question_id, results_path, time_limit):
    """Evaluate question ``question_id`` on the learner's namespace; record the verdict."""
    from . import registry

    q = registry.get(question_id)
    answer = _namespace().get(q.name, runner._MISSING)
    result = runner.evaluate(question_id, answer, time_limit=time_limit)
    with open(results_path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
