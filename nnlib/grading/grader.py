"""Grade notebooks: run each on a fresh kernel, call the learner's functions there, check them here.

    grade_notebook("workspace/01_linear_regression.ipynb", timeout=60)  -> one notebook's entry
    grade_many(paths, timeout=60, jobs=2)        -> the entries, the installation kept intact
    learner_report(entries)                      -> one learner's score over the course

One notebook:

1. The notebook is read, never written, and never run in this process. Its exercise is the one
   in its metadata (identity.py), not its file name. Its text is analysed (provenance.py): a
   notebook that uses the course's grading code is not graded, and a question whose name is
   only imported or assigned from elsewhere is not the learner's own.
2. A fresh kernel starts the grader's agent, then runs the notebook's cells
   (kernel_session.py): ``timeout`` seconds per cell, and for all the cells together.
3. Every question of the exercise is checked *in this process* (runner.evaluate), with an
   ``answer`` that runs the learner's function in the kernel and receives plain data
   (remote.py); the reference values and the verdict are made here. Each question gets an equal
   share of another ``timeout`` seconds of the learner's code. Nothing the notebook prints and
   nothing the kernel sends is taken as a verdict.
4. A question scores its points when its check passes, 0 otherwise, with the reason.

So a notebook takes at most about 2 × ``timeout`` (plus starting the kernel), whatever it does.

Many notebooks (``grade_many``): every check is loaded before the first notebook; after each
notebook, the installation is compared with its fingerprint (integrity.py): a notebook that
changed the course's files scores 0 and the files are put back; a change that cannot be undone
(the Python environment) stops the grading. With ``jobs`` > 1, worker processes forked after
loading grade several notebooks at once; when a change is found, every notebook of that run is
graded again one by one, to tell which one made it.

A learner (``learner_report``): each exercise counts once (the best notebook; the others are
reported as duplicates), and the total is over the course's exercises, not the files found.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import nbformat

from . import identity, registry
from .integrity import Installation
from .kernel_session import KernelSession, KernelStartError
from .provenance import NotebookFacts
from .remote import SessionLost, TimeBudget
from .runner import MISSING, Rejected, evaluate, not_own_feedback

__all__ = ["grade_notebook", "grade_many", "learner_report", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 60.0
_COURSE_CODE_RULE = ("a graded notebook may import only check and skip_if_not_implemented (and "
                     "evaluate) from nnlib.grading; using the course's own checks or reference "
                     "code scores nothing")


def _question_entry(q, passed, feedback):
    return {"id": q.id, "passed": bool(passed), "score": q.points if passed else 0.0,
            "max_score": q.points, "feedback": str(feedback)}


def _new_entry(path):
    return {"path": str(path), "exercise": None, "version": None, "score": 0.0,
            "max_score": 0.0, "error": None, "questions": []}


def _all_zero(entry, questions, reason):
    entry["error"] = reason
    entry["questions"] = [_question_entry(q, False, f"not graded: {reason}") for q in questions]
    entry["score"] = 0.0
    return entry


def grade_notebook(path, timeout=DEFAULT_TIMEOUT, kernel_name="python3", cell_errors=None):
    """{"path", "exercise", "version", "score", "max_score", "error", "questions": [...]} for
    one notebook. ``cell_errors``: a list to which (cell number, exception name) of every cell
    that raised is appended (tests: a learner notebook runs to the end without error)."""
    path = Path(path)
    timeout = float(timeout)
    entry = _new_entry(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not raised
        entry["error"] = f"the notebook could not be read ({type(error).__name__}: {error})"
        return entry
    exercise = identity.exercise_of(nb)
    entry["exercise"], entry["version"] = exercise, identity.version_of(nb)
    questions = registry.questions_for(exercise) if exercise is not None else []
    if not questions:
        entry["error"] = (
            "not an exercise notebook of this course: its metadata has no known exercise id "
            "(nnlib.exercise). Work in the course's own notebook (make start), or move your "
            "answers into it (make update).")
        entry["exercise"] = None
        return entry
    entry["max_score"] = registry.points_of(exercise)

    facts = NotebookFacts(nb)
    if facts.course_code:
        return _all_zero(entry, questions, f"the notebook uses the course's checking code "
                                           f"({facts.course_code}): {_COURSE_CODE_RULE}")
    try:
        with KernelSession(kernel_name) as kernel:
            run = kernel.run_cells(facts.code_cells, cell_limit=timeout, total=timeout)
            if cell_errors is not None:
                cell_errors.extend((number, ename) for number, ename, _ in run.errors)
            if run.died:
                return _all_zero(entry, questions, run.stopped)
            if run.stopped:
                entry["error"] = (f"{run.stopped}: cell{'s' if len(run.not_run) > 1 else ''} "
                                  f"{_numbers(run.not_run)} {'were' if len(run.not_run) > 1 else 'was'}"
                                  " not run" if run.not_run else run.stopped)
            _grade_questions(kernel.session, questions, facts, run, timeout, entry)
    except KernelStartError as error:
        return _all_zero(entry, questions, str(error))
    except Exception as error:  # noqa: BLE001 - one notebook never stops a class's grading
        return _all_zero(entry, questions, f"the grader could not run this notebook "
                                           f"({type(error).__name__}: {error})")
    entry["score"] = float(sum(item["score"] for item in entry["questions"]))
    return entry


def _numbers(numbers):
    numbers = list(numbers)
    if len(numbers) > 3 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(map(str, numbers))


def _grade_questions(session, questions, facts, run, timeout, entry):
    """Check every question in this process, on answers that run in the kernel."""
    share = timeout / len(questions)
    lost = None
    for q in questions:
        if lost is not None:
            entry["questions"].append(_question_entry(q, False, f"not graded: {lost}"))
            continue
        try:
            answer = _answer(session, q, facts, run, TimeBudget(share))
            result = evaluate(q.id, answer, time_limit=share)
        except SessionLost as error:
            lost = f"the kernel {error.reason.removeprefix('the kernel ')} while {q.name} ran"
            entry["questions"].append(_question_entry(
                q, False, f"{lost} (did it call exit(), use too much memory, or loop in C code?)"))
            continue
        entry["questions"].append(_question_entry(q, result.passed, result.feedback))


def _answer(session, q, facts, run, budget):
    """What evaluate gets for question ``q``: refused by the notebook's text, or the kernel's."""
    if q.kind == "function":
        where = facts.not_own(q.name)
        if where is not None:
            return Rejected(not_own_feedback(q.name, where))
    answer = session.answer(q.name, q.kind, budget)
    if answer is MISSING:
        why = facts.why_missing(q.name, q.id, run)
        if why is not None:
            return Rejected(why)
    return answer


# -- many notebooks ---------------------------------------------------------------------------------

def _tampered(entry, changes):
    """The entry of a notebook that changed the installation: 0, with what it changed."""
    shown = ", ".join(changes[:3]) + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
    reason = (f"the notebook changed the course's installation ({shown}): it scores 0 (the "
              "course's files were put back)")
    questions = (registry.questions_for(entry["exercise"])
                 if entry.get("exercise") is not None else [])
    entry = dict(entry)
    _all_zero(entry, questions, reason)
    entry["tampered"] = changes
    return entry


def _halted(path, reason):
    entry = _new_entry(path)
    entry["error"] = f"not graded: {reason}"
    return entry


def _in_worker(path, timeout):
    """grade_notebook in a worker process; a failure of the grader becomes the entry."""
    try:
        return grade_notebook(path, timeout=timeout)
    except BaseException as error:  # noqa: BLE001 - reported, never raised into the pool
        return _halted(path, f"the grader failed on it ({type(error).__name__}: {error})")


def grade_many(paths, timeout=DEFAULT_TIMEOUT, jobs=1, progress=None, installation=None):
    """The entries of ``paths`` (in order), graded ``jobs`` at a time, the installation kept
    intact (see the module docstring). ``progress(index, entry)`` after each notebook."""
    paths = [Path(p) for p in paths]
    registry.load_all()
    installation = installation or Installation()
    entries = [None] * len(paths)
    halted = None

    def check_installation(index, entry):
        """The entry, or the tampered entry; sets ``halted`` when the change cannot be undone."""
        nonlocal halted
        changes = installation.changes()
        if not changes:
            return entry, False
        unrestored = installation.restore()
        if unrestored:
            halted = (f"{paths[index]} changed the Python environment ({', '.join(unrestored[:3])})"
                      ", which the grader cannot undo: reinstall it (make env) and grade untrusted "
                      "notebooks in a container or as a separate user")
        return _tampered(entry, changes), True

    if jobs <= 1 or len(paths) <= 1:
        for index, path in enumerate(paths):
            if halted:
                entries[index] = _halted(path, halted)
            else:
                entries[index], _ = check_installation(index, grade_notebook(path, timeout))
            if progress is not None:
                progress(index, entries[index])
        return entries

    # Several at once: workers forked now, with every check loaded. A change found after a
    # notebook could be any running one's: all are graded again, alone, at the end.
    graded, changed = [], False
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending = {pool.submit(_in_worker, path, timeout): index for index, path in enumerate(paths)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                if future.cancelled() or halted:   # it ran on a changed environment
                    entries[index] = _halted(paths[index], halted)
                    if progress is not None:
                        progress(index, entries[index])
                    continue
                entries[index] = future.result()
                graded.append(index)
                if installation.changes():
                    unrestored = installation.restore()
                    changed = True
                    if unrestored and halted is None:
                        halted = (f"a notebook graded at that time changed the Python environment "
                                  f"({', '.join(unrestored[:3])}), which the grader cannot undo: "
                                  "reinstall it (make env) and grade untrusted notebooks in a "
                                  "container or as a separate user")
                        for other in pending:
                            other.cancel()
                if progress is not None:
                    progress(index, entries[index])
    # Once any change was found, every notebook of the parallel run is a suspect: a kernel that
    # imported nnlib while it was changed carries the change to its end, and the start and end
    # times seen by this process do not bound when a kernel read the files (a forged stub scored
    # 14/14 that way under load). Graded again alone, whoever changes the files again did it.
    suspects = sorted(graded) if changed else []
    for index in suspects:
        if halted:
            entries[index] = _halted(paths[index], halted)
            continue
        entries[index], _ = check_installation(index, grade_notebook(paths[index], timeout))
        if progress is not None:
            progress(index, entries[index])
    return entries


# -- one learner's score over the course ------------------------------------------------------------

def learner_report(entries):
    """{"score", "max_score", "exercises": [...], "notebooks": entries}: each exercise of the
    course counted once (its best notebook; the others are duplicates), out of the course's
    total."""
    exercises = []
    for exercise in registry.load_all():
        found = [e for e in entries if e.get("exercise") == exercise]
        best = max(found, key=lambda e: e["score"], default=None)
        for entry in found:
            entry["counted"] = entry is best
        exercises.append({
            "exercise": exercise,
            "score": best["score"] if best else 0.0,
            "max_score": registry.points_of(exercise),
            "notebook": best["path"] if best else None,
            "duplicates": [e["path"] for e in found if e is not best],
        })
    for entry in entries:
        entry.setdefault("counted", False)
    return {
        "score": float(sum(x["score"] for x in exercises)),
        "max_score": float(sum(x["max_score"] for x in exercises)),
        "exercises": exercises,
        "notebooks": entries,
    }
