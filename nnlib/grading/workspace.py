"""``make start`` and ``make update``: your own copy of the exercises, and new versions of them.

    python -m nnlib.grading.workspace start  [--source exercises] [--workspace workspace]
    python -m nnlib.grading.workspace update [--source exercises] [--workspace workspace]

``start`` copies each exercise notebook into your workspace once. A file already there is never
overwritten (it holds your answers); it says when the course has a newer version of an exercise
you started (the ``version`` in the notebooks' metadata, identity.py).

``update`` moves your answers into the newer version: for each notebook of yours that is older
than the course's,

1. it copies your file to ``workspace/.backups/<name>.<date-time>.ipynb`` (never overwriting);
2. it starts from the course's new notebook and puts each of your answer cells into the cell
   that answers the same question (``nnlib.answer`` in the cells' metadata); an answer cell you
   never changed takes the new version's stub; cells you added are kept, after the cell they
   followed;
3. it checks that every line you wrote is in the new notebook, or listed as not carried (a
   question the new version no longer has, a course cell you had changed): then it replaces your
   file, and lists what it could not carry. Your old file is in the backup either way.

The matching is by question id, not by position or file name: a copy made before the notebooks
had ids is matched by the cell ids the course's notebooks keep, or by the function it defines.
Such a copy has no record of its stubs either: an answer cell counts as not started when every
line of it is also in the new version's cell; a stub the course has since reworded is kept as
it was (nothing is lost; the learner sees the old wording).
"""

from __future__ import annotations

import argparse
import copy
import datetime
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import identity

__all__ = ["start", "outdated", "update", "carry_answers", "Outdated", "Carried", "main"]

BACKUPS = ".backups"


def start(source="exercises", workspace="workspace"):
    """Copy source/*.ipynb into workspace/ where missing. Returns (copied, kept) path lists."""
    source, workspace = Path(source), Path(workspace)
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no exercise notebooks in {source}/")
    workspace.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for notebook in notebooks:
        target = workspace / notebook.name
        try:
            with open(target, "xb") as out:   # "x": fails if the file exists, never overwrites
                out.write(notebook.read_bytes())
        except FileExistsError:
            kept.append(target)
        else:
            shutil.copymode(notebook, target)
            copied.append(target)
    return copied, kept


# -- versions ---------------------------------------------------------------------------------------

@dataclass
class Outdated:
    """A notebook of yours (``path``, its exercise's ``yours`` version, None for a copy made before
    versions) and the course's newer one (``course``, version ``newer``)."""

    path: Path
    course: Path
    yours: int | None
    newer: int


def _read(path):
    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - not a notebook: nothing to compare
        return None


def _course_notebooks(source):
    """{exercise: (path, notebook)} of the course's learner notebooks."""
    found = {}
    for path in sorted(Path(source).glob("*.ipynb")):
        nb = _read(path)
        if nb is not None and identity.exercise_of(nb) is not None:
            found[identity.exercise_of(nb)] = (path, nb)
    return found


def outdated(source="exercises", workspace="workspace"):
    """Your notebooks for which the course has a newer version of the exercise."""
    course = _course_notebooks(source)
    by_name = {path.name: exercise for exercise, (path, _) in course.items()}
    found = []
    for path in sorted(Path(workspace).glob("*.ipynb")):
        nb = _read(path)
        if nb is None:
            continue
        exercise = identity.exercise_of(nb)
        if exercise is None:  # exercise 0 is an exercise too: no `or` here
            exercise = by_name.get(path.name)
        if exercise not in course:
            continue
        course_path, course_nb = course[exercise]
        yours, newer = identity.version_of(nb), identity.version_of(course_nb)
        if newer is not None and (yours is None or yours < newer):
            found.append(Outdated(path, course_path, yours, newer))
    return found


# -- carrying answers -------------------------------------------------------------------------------

@dataclass
class Carried:
    """What ``update`` did to one notebook."""

    path: Path
    backup: Path | None = None
    carried: list = field(default_factory=list)      # question ids whose answer was carried
    fresh: list = field(default_factory=list)        # question ids you had not started
    own_cells: int = 0                               # cells you had added, kept
    not_carried: list = field(default_factory=list)  # what could not be carried, in words


def _defined_name(source):
    match = re.search(r"^def\s+(\w+)|^(\w+)\s*=", source, re.M)
    return (match.group(1) or match.group(2)) if match else None


def _answer_cells(old, new):
    """{question id: cell of ``old``}: by the answer id, else (a copy made before ids) by the
    cell id, else by the name the new version's answer cell defines."""
    found = {identity.answer_of(c): c for c in old.cells if identity.answer_of(c)}
    if found:
        return found
    by_id = {c.get("id"): c for c in old.cells if c.get("id")}
    for cell in new.cells:
        qid = identity.answer_of(cell)
        if qid is None:
            continue
        match = by_id.get(cell.get("id"))
        if match is None:
            name = _defined_name(cell.source)
            match = next((c for c in old.cells if c.cell_type == cell.cell_type and name
                          and _defined_name(c.source) == name), None)
        if match is not None:
            found[qid] = match
    return found


def _lines(source):
    return [line.rstrip() for line in source.split("\n") if line.strip()]


def _untouched(cell, slot):
    """Did the learner write nothing in this answer cell? Its text is the stub it started as
    (its recorded hash), or every line of it is also in the new version's cell."""
    if identity.stub_of(cell) == identity.stub_hash(cell.source):
        return True
    return slot is not None and set(_lines(cell.source)) <= set(_lines(slot.source))


def carry_answers(old, new, name="notebook"):
    """(merged notebook, Carried) : ``new`` with ``old``'s answers and added cells (see the
    module docstring). ``old`` and ``new`` are not changed."""
    merged = copy.deepcopy(new)
    report = Carried(Path(name))
    slots = {identity.answer_of(c): c for c in merged.cells if identity.answer_of(c)}
    answers = _answer_cells(old, new)
    used = {id(c) for c in answers.values()}
    for qid, cell in answers.items():
        untouched = _untouched(cell, slots.get(qid))
        if qid not in slots:
            if not untouched:
                report.not_carried.append(
                    f"your answer to question {qid}: the new version has no question {qid} "
                    "(it is in the backup)")
            continue
        if untouched:
            report.fresh.append(qid)
            continue
        slots[qid].source = cell.source
        report.carried.append(qid)

    course_ids = {c.get("id") for c in new.cells}
    new_by_id = {c.get("id"): c for c in new.cells}
    previous = None
    for cell in old.cells:
        if id(cell) in used:
            previous = cell.get("id")
            continue
        if cell.get("id") in course_ids:
            if cell.source != new_by_id[cell.get("id")].source and cell.cell_type == "code" \
                    and _lines(cell.source) and not identity.answer_of(new_by_id[cell.get("id")]):
                report.not_carried.append(
                    f"cell {cell.get('id')}: a cell of the course that differs in your copy "
                    "(you changed it, or the course did); the new version's is used, yours is in "
                    "the backup")
            previous = cell.get("id")
            continue
        added = copy.deepcopy(cell)           # a cell you added: kept after the one it followed
        if added.cell_type == "code":
            added.outputs, added.execution_count = [], None
        index = next((i for i, c in enumerate(merged.cells) if c.get("id") == previous), None)
        merged.cells.insert(len(merged.cells) if index is None else index + 1, added)
        previous = added.get("id")
        report.own_cells += 1
    _check_nothing_lost(old, merged, answers, slots, report)
    return merged, report


def _check_nothing_lost(old, merged, answers, slots, report):
    """Every line of every cell the learner wrote in is in ``merged``, or reported."""
    merged_lines = {line for cell in merged.cells for line in _lines(cell.source)}
    reported = " ".join(report.not_carried)
    for qid, cell in answers.items():
        if _untouched(cell, slots.get(qid)):
            continue
        missing = [line for line in _lines(cell.source) if line not in merged_lines]
        if missing and f"question {qid}" not in reported:
            raise RuntimeError(f"update would lose lines of your answer to {qid}: "
                               f"{missing[:2]}; nothing was changed")


def update(source="exercises", workspace="workspace", now=None):
    """Carry your answers into every newer version (see the module docstring); a list of
    Carried, one per notebook updated."""
    now = now or datetime.datetime.now()
    done = []
    for item in outdated(source, workspace):
        old, new = _read(item.path), _read(item.course)
        merged, report = carry_answers(old, new, str(item.path))
        backups = Path(workspace) / BACKUPS
        backups.mkdir(exist_ok=True)
        stamp = now.strftime("%Y-%m-%d-%H%M%S")
        backup = backups / f"{item.path.stem}.{stamp}.v{item.yours or 0}.ipynb"
        with open(backup, "xb") as out:      # never overwrites an earlier backup
            out.write(item.path.read_bytes())
        temporary = item.path.with_name(f".{item.path.name}.updating")
        nbformat.write(merged, temporary)
        os.replace(temporary, item.path)
        report.backup = backup
        report.path = item.path
        done.append(report)
    return done


# -- command line -----------------------------------------------------------------------------------

def _print_start(args):
    copied, kept = start(args.source, args.workspace)
    for path in copied:
        print(f"copied   {path}")
    newer = {item.path: item for item in outdated(args.source, args.workspace)}
    for path in kept:
        item = newer.get(path)
        if item is None:
            print(f"kept     {path} (already there: your answers are never overwritten)")
        else:
            yours = f"version {item.yours}" if item.yours else "an older version"
            print(f"kept     {path}: yours is {yours} of the exercise, the course now has version "
                  f"{item.newer}. `make update` moves your answers into it (your file is backed "
                  "up first).")
    print(f"\nYour exercises are in {args.workspace}/. Open them with `make lab` (or any Jupyter), "
          f"and grade them with `make grade` or `nnlib-grade {args.workspace}`.")


def _print_update(args):
    done = update(args.source, args.workspace)
    if not done:
        print(f"Every notebook in {args.workspace}/ is the course's latest version.")
        return
    for report in done:
        print(f"updated  {report.path} (your old file: {report.backup})")
        if report.carried:
            print(f"  your answers carried: {', '.join(report.carried)}")
        if report.fresh:
            print(f"  not started yet, the new version's stub: {', '.join(report.fresh)}")
        if report.own_cells:
            print(f"  your own cells kept: {report.own_cells}")
        for item in report.not_carried:
            print(f"  NOT carried: {item}")
    print("\nIf a notebook is open in Jupyter, close it without saving and open it again.")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nnlib.grading.workspace",
                                     description="Your own copy of the exercises (start), and "
                                                 "their new versions (update).")
    parser.add_argument("command", nargs="?", default="start", choices=["start", "update"])
    parser.add_argument("--source", default="exercises")
    parser.add_argument("--workspace", default="workspace")
    args = parser.parse_args(argv)
    try:
        (_print_update if args.command == "update" else _print_start)(args)
    except (FileNotFoundError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
