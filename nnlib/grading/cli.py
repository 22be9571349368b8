"""nnlib-grade: grade exercise notebooks, a learner's or a whole class's.

    nnlib-grade [PATH ...] [--json] [--timeout SECONDS] [--csv FILE] [-j N]
    python -m nnlib.grading [PATH ...] ...

PATH is a notebook or a folder; by default your own copies in workspace/ (made by ``make
start``), or exercises/ when there is no workspace. A folder with one subfolder per student, or
with notebooks named like ``alice_01_linear_regression.ipynb``, is a class (classroom.py); so is
any folder with ``--csv``. Exit status 0 when grading ran, whatever the score; 2 for a usage
error.

--timeout SECONDS   any positive number (default 60): no cell may run longer, nor all of a
                    notebook's cells together; then its questions share another SECONDS of
                    the learner's code. A notebook takes at most about twice that.
-j N                grade N notebooks at a time (separate kernels, worker processes).
--csv FILE          the class's grade sheet: one row per student, one column per exercise and
                    per question, and a summary.
--json              print one JSON object instead of the table. For a learner:
  {"score", "max_score", "exercises": [{"exercise", "score", "max_score", "notebook",
   "duplicates"}], "notebooks": [{"path", "exercise", "version", "score", "max_score",
   "error", "counted", "questions": [{"id", "passed", "score", "max_score", "feedback"}]}]}
  For a class: {"students": [{"student", ...the learner's report..., "notes"}], "problems",
  "summary"}.

The notebooks are run, never trusted: see FRAMEWORK.md ("Trust") and the README's instructor
section (grade untrusted notebooks in a container or as a separate user).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

from . import registry
from .classroom import UsageError, class_report, find_submissions, summary_lines, write_csv
from .grader import DEFAULT_TIMEOUT, grade_many, learner_report

__all__ = ["main", "format_report", "default_paths", "positive_seconds"]


def default_paths():
    workspace = Path("workspace")
    if workspace.is_dir() and any(workspace.glob("*.ipynb")):
        return [workspace]
    return [Path("exercises")]


def positive_seconds(text):
    """argparse type: a positive number of seconds (2.5 is fine)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (value > 0 and value < float("inf")):
        raise argparse.ArgumentTypeError("should be a positive number of seconds")
    return value


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("should be at least 1")
    return value


def _points(x):
    return f"{x:g}"


def format_report(report):
    """The human-readable report of one learner: a table per notebook, the feedback of failed
    questions, then the course's total (each exercise counted once)."""
    lines = []
    for nb in report["notebooks"]:
        lines += ["", nb["path"] + (f"  (exercise {nb['exercise']})"
                                if nb.get("exercise") is not None else "")]
        if nb["error"]:
            lines.append(f"  problem: {nb['error']}")
        if nb.get("exercise") is not None and not nb.get("counted", True):
            lines.append("  (another notebook of this exercise scored at least as much: this one "
                         "does not count)")
        titles = {}
        for q in nb["questions"]:
            try:
                titles[q["id"]] = registry.get(q["id"]).title
            except (KeyError, ValueError):
                titles[q["id"]] = ""
        width = max([len(t) for t in titles.values()] + [8])
        for q in nb["questions"]:
            mark = "✓ passed" if q["passed"] else "✗ not yet"
            points = f"{_points(q['score'])}/{_points(q['max_score'])}"
            lines.append(f"  {q['id']:<5} {titles[q['id']]:<{width}}  {mark:<9}  {points:>7}")
        if nb["questions"]:
            lines.append(f"  {'total':<5} {'':<{width}}  {'':<9}  "
                         f"{_points(nb['score']) + '/' + _points(nb['max_score']):>7}")
        failed = [q for q in nb["questions"] if not q["passed"]]
        if failed:
            lines.append("  What to look at:")
            for q in failed:
                lines += textwrap.wrap(q["feedback"], width=96, initial_indent=f"    {q['id']}: ",
                                       subsequent_indent=" " * (6 + len(q["id"])))
    if "exercises" in report:
        lines += ["", "Exercises (each counts once):"]
        for x in report["exercises"]:
            where = Path(x["notebook"]).name if x["notebook"] else "not handed in"
            extra = (f"; also {', '.join(Path(p).name for p in x['duplicates'])} (not counted)"
                     if x["duplicates"] else "")
            lines.append(f"  exercise {x['exercise']}: {_points(x['score'])}/"
                         f"{_points(x['max_score'])}  ({where}{extra})")
    total, best = report["score"], report["max_score"]
    share = f" ({100 * total / best:.0f}%)" if best else ""
    lines += ["", f"Score: {_points(total)}/{_points(best)} points{share}"]
    return "\n".join(lines)


def _refuse_unsafe_imports(paths):
    """The grader's own code must not come from the folders it grades, nor from the current
    folder later on."""
    import nnlib

    package = Path(nnlib.__file__).resolve().parent
    for path in paths:
        folder = Path(path).resolve()
        folder = folder if folder.is_dir() else folder.parent
        if folder in package.parents:
            raise UsageError(f"nnlib was imported from {package}, inside the folder being graded: "
                             "run nnlib-grade from another folder")
    sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="nnlib-grade",
        description="Grade exercise notebooks (a learner's or a class's): run each on a fresh "
                    "kernel, check every question, print the points.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="a notebook or a folder of notebooks (default: workspace/, or "
                             "exercises/ when there is no workspace)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (the report)")
    parser.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT,
                        metavar="SECONDS",
                        help=f"time limit of each cell and of all of a notebook's cells together "
                             f"(default {DEFAULT_TIMEOUT:g}); the questions share as much again")
    parser.add_argument("--csv", metavar="FILE", default=None,
                        help="write the class's grade sheet (one row per student) to FILE")
    parser.add_argument("-j", "--jobs", type=_positive_int, default=1, metavar="N",
                        help="grade N notebooks at a time (default 1)")
    args = parser.parse_args(argv)
    try:
        paths = args.paths or default_paths()
        submissions, is_class, problems = find_submissions(paths, classroom=bool(args.csv))
        _refuse_unsafe_imports(paths)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"nnlib-grade: error: {error}", file=sys.stderr)
        return 2
    try:
        import jupyter_client  # noqa: F401
        import nbformat  # noqa: F401
    except ImportError as error:
        print(f"nnlib-grade: error: {error.name} is not installed. The grader runs notebooks with "
              "jupyter_client: `make env`, or pip install jupyter_client nbformat ipykernel.",
              file=sys.stderr)
        return 2

    sys.dont_write_bytecode = True
    from .integrity import Installation, seal_nnlib

    registry.load_all()
    installation = Installation()
    seal_nnlib()
    if not args.json:
        print(f"Grading {len(submissions)} notebook(s), each on a fresh kernel (time limit "
              f"{args.timeout:g} s per cell and per notebook, {args.jobs} at a time) ...",
              flush=True)

    def progress(index, entry):
        if not args.json:
            who = f"{submissions[index].student}: " if is_class else ""
            print(f"  {who}{entry['path']}: {_points(entry['score'])}/"
                  f"{_points(entry['max_score'])}", flush=True)

    entries = grade_many([s.path for s in submissions], timeout=args.timeout, jobs=args.jobs,
                         progress=progress, installation=installation)
    if is_class:
        by_student = defaultdict(list)
        for submission, entry in zip(submissions, entries):
            by_student[submission.student].append(entry)
        report = class_report({s: learner_report(e) for s, e in by_student.items()}, problems)
        if args.csv:
            write_csv(report, args.csv)
        if args.json:
            print(json.dumps(report, ensure_ascii=False))
        else:
            print("\n".join([""] + summary_lines(report)))
            if args.csv:
                print(f"\nThe grade sheet is in {args.csv}.")
        return 0
    report = learner_report(entries)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
