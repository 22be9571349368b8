"""Who handed in what: a learner's notebooks, or a class's, and the class's grade sheet.

    submissions = find_submissions(["submissions/"])   # [Submission(student, path)], or UsageError
    rows = class_report(entries_by_student)            # one learner_report per student
    write_csv(report, "grades.csv")

A class folder holds one subfolder per student (``submissions/alice/*.ipynb``, at any depth), or
files named after the student (``submissions/alice_01_linear_regression.ipynb``: the student is
what comes before ``_<number>_``), or both. A folder is a class folder when it has student
subfolders, when every notebook in it is named after a student, or when ``classroom=True``
(``--csv``). Otherwise it is one learner's folder (a workspace). Hidden folders (``.backups``,
``.ipynb_checkpoints``) are never read.

The sheet has one row per student: the total, one column per exercise and one per question
(the points of the notebook that counted for that exercise), and notes (duplicates, files that
are not exercises, errors); then two summary rows, the class mean and the points possible.
"""

from __future__ import annotations

import csv
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from . import registry

__all__ = ["Submission", "UsageError", "find_submissions", "student_of_file", "class_report",
           "write_csv", "summary_lines"]

_NAMED = re.compile(r"^(?P<student>[^\W\d][\w.\-]*?)_\d+_.*\.ipynb$")


class UsageError(Exception):
    """A path that cannot be graded (missing, not a notebook, an empty folder)."""


@dataclass(frozen=True)
class Submission:
    """One notebook and whose it is (``student`` None: a single learner's)."""

    student: str | None
    path: Path


def _visible(path, root):
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def _notebooks(folder, recursive):
    pattern = "**/*.ipynb" if recursive else "*.ipynb"
    return sorted(p for p in Path(folder).glob(pattern) if p.is_file() and _visible(p, folder))


def student_of_file(name):
    """'alice' for 'alice_01_linear_regression.ipynb'; None for '01_linear_regression.ipynb'."""
    match = _NAMED.match(name)
    return match.group("student") if match else None


def find_submissions(paths, classroom=False):
    """(submissions, is_class, problems) for the command line's paths (see the module
    docstring). ``problems``: files of a class folder whose student cannot be told."""
    submissions, problems, is_class = [], [], False
    for path in map(Path, paths):
        if path.is_file():
            if path.suffix != ".ipynb":
                raise UsageError(f"{path} is not a notebook (*.ipynb)")
            student = student_of_file(path.name) if classroom else None
            submissions.append(Submission(student, path))
            continue
        if not path.is_dir():
            raise UsageError(f"{path} does not exist")
        top = _notebooks(path, recursive=False)
        folders = [d for d in sorted(path.iterdir())
                   if d.is_dir() and not d.name.startswith(".") and _notebooks(d, recursive=True)]
        named = [p for p in top if student_of_file(p.name)]
        if folders or classroom or (top and len(named) == len(top)):
            is_class = True
            for folder in folders:
                submissions += [Submission(folder.name, p) for p in _notebooks(folder, True)]
            for notebook in top:
                student = student_of_file(notebook.name)
                if student is None:
                    problems.append(f"{notebook}: whose is it? Name it like "
                                    f"alice_{notebook.name}, or put it in a folder per student.")
                else:
                    submissions.append(Submission(student, notebook))
        else:
            if not top:
                raise UsageError(f"no notebooks (*.ipynb) in the folder {path}")
            submissions += [Submission(None, p) for p in top]
    return submissions, is_class, problems


# -- the class's report ------------------------------------------------------------------------------

def _notes(report):
    notes = []
    for exercise in report["exercises"]:
        if exercise["duplicates"]:
            notes.append(f"exercise {exercise['exercise']} handed in "
                         f"{1 + len(exercise['duplicates'])} times (the best counted)")
    for entry in report["notebooks"]:
        if entry.get("exercise") is None:
            notes.append(f"{Path(entry['path']).name}: {entry.get('error') or 'not an exercise'}")
        elif entry.get("tampered"):
            notes.append(f"{Path(entry['path']).name}: changed the course's files (scored 0)")
        elif entry.get("error") and entry.get("counted"):
            notes.append(f"{Path(entry['path']).name}: {entry['error']}")
    return notes


def class_report(reports, problems=()):
    """{"students": [{"student", **learner_report, "notes"}], "problems": [...], "summary"}
    from {student: learner_report}."""
    students = []
    for student in sorted(reports, key=str):
        report = dict(reports[student])
        report["student"] = student
        report["notes"] = _notes(report)
        students.append(report)
    return {"students": students, "problems": list(problems), "summary": _summary(students)}


def _question_points(report):
    """{question id: points} of the notebooks that counted."""
    points = {}
    for entry in report["notebooks"]:
        if entry.get("counted"):
            for q in entry["questions"]:
                points[q["id"]] = q["score"]
    return points


def _columns():
    exercises = registry.load_all()
    questions = [q for e in exercises for q in registry.questions_for(e)]
    return exercises, questions


def _row(report, exercises, questions):
    by_exercise = {x["exercise"]: x["score"] for x in report["exercises"]}
    points = _question_points(report)
    return ([report["score"]] + [by_exercise.get(e, 0.0) for e in exercises]
            + [points.get(q.id, 0.0) for q in questions])


def _summary(students):
    exercises, questions = _columns()
    rows = [_row(s, exercises, questions) for s in students]
    names = ["total"] + [f"exercise {e}" for e in exercises] + [q.id for q in questions]
    possible = ([sum(registry.points_of(e) for e in exercises)]
                + [registry.points_of(e) for e in exercises] + [q.points for q in questions])
    means = [statistics.fmean(column) if column else 0.0 for column in zip(*rows)] or \
        [0.0] * len(names)
    return {"students": len(students), "columns": names, "mean": means, "possible": possible}


def _fmt(x):
    return f"{x:.4g}"


def write_csv(report, path):
    """The grade sheet (see the module docstring), UTF-8, comma-separated."""
    exercises, questions = _columns()
    summary = report["summary"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student"] + summary["columns"] + ["notes"])
        for student in report["students"]:
            writer.writerow([student["student"]]
                            + [_fmt(x) for x in _row(student, exercises, questions)]
                            + ["; ".join(student["notes"])])
        writer.writerow(["(class mean)"] + [_fmt(x) for x in summary["mean"]]
                        + [f"{summary['students']} students"])
        writer.writerow(["(points possible)"] + [_fmt(x) for x in summary["possible"]] + [""])


def summary_lines(report):
    """The class's report for the terminal: one line per student, then the means."""
    summary = report["summary"]
    exercises, _ = _columns()
    width = max([len(str(s["student"])) for s in report["students"]] + [12])
    head = f"  {'student':<{width}}  {'total':>9}  " + "  ".join(f"ex{e:<4}" for e in exercises)
    lines = [head]
    for student in report["students"]:
        row = _row(student, exercises, [])
        total = f"{row[0]:g}/{student['max_score']:g}"
        lines.append(f"  {student['student']:<{width}}  {total:>9}  "
                     + "  ".join(f"{x:<6g}" for x in row[1:]))
        for note in student["notes"]:
            lines.append(f"  {'':<{width}}    note: {note}")
    means = summary["mean"]
    lines.append(f"  {'(class mean)':<{width}}  {means[0]:>9.3g}  "
                 + "  ".join(f"{x:<6.3g}" for x in means[1:1 + len(exercises)]))
    for problem in report["problems"]:
        lines.append(f"  problem: {problem}")
    return lines
