"""Make the learner's notebook from the instructor's (``make exercises``).

    python -m nnlib.grading.generate            # exercises/solutions/*.ipynb -> exercises/*.ipynb
    python -m nnlib.grading.generate --check    # exit 1 if a learner notebook is out of date

One small transformation per step, each tested on its own:

1. ``strip_solutions(source)``: the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
   becomes a stub at the same indentation: ``# YOUR CODE HERE`` and
   ``raise NotImplementedError("not implemented yet")`` inside a function; ``name = None`` for a
   top-level region of assignments (a value the learner chooses). In markdown: "YOUR ANSWER HERE".
2. ``lock(cell)``: every cell without a solution is read-only in Jupyter (``editable: false``,
   ``deletable: false``), so a learner cannot break a check by accident.
3. ``clear_outputs(cell)``: no outputs, no execution counts.
4. ``check_identity(nb)``: the exercise's metadata (identity.py) is there and consistent:
   ``nnlib.exercise`` and ``nnlib.version`` on the notebook, ``nnlib.answer`` (the question id)
   on every cell with a solution region, each id once, each a question of that exercise. The
   learner's copy of an answer cell also records a hash of its stub (``nnlib.stub``), so that
   ``make update`` knows whether the learner wrote anything in it.

Everything else (cell ids, order, metadata, text) stays identical.

Where the solutions are: ``exercises/solutions/`` by default, or the folder in the environment
variable ``NNLIB_SOLUTIONS`` (an instructor can keep them outside the published repository);
the learner notebooks are written to ``exercises/`` (``--out`` to change).
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import sys
from pathlib import Path

import nbformat

from . import identity, registry

__all__ = ["BEGIN", "END", "STUB_MESSAGE", "GenerateError", "strip_solutions", "lock",
           "clear_outputs", "check_identity", "make_learner_notebook", "render", "learner_path",
           "solutions_dir", "generate", "main", "SOLUTIONS_ENV"]

#: The environment variable naming the folder of the solution notebooks.
SOLUTIONS_ENV = "NNLIB_SOLUTIONS"

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB_MESSAGE = "not implemented yet"
VALUE_STUB = "None  # YOUR CODE HERE: replace None with your answer"


class GenerateError(ValueError):
    """A solution notebook the generator cannot turn into a learner notebook."""


def _stub_values(region, where):
    """Top-level region: `learning_rate = 0.1` -> `learning_rate = None  # YOUR CODE HERE ...`."""
    text = "\n".join(region)
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        raise GenerateError(f"{where}: the solution region is not valid Python ({error}).") from None
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else None)
        if not targets or not all(isinstance(t, ast.Name) for t in targets):
            raise GenerateError(
                f"{where}: a solution region at the top level of a cell may only assign values "
                "(learning_rate = 0.1). Put code in a function and the region inside its body.")
        names.extend(t.id for t in targets)
    if not names:
        raise GenerateError(f"{where}: the top-level solution region assigns nothing.")
    return [f"{name} = {VALUE_STUB}" for name in dict.fromkeys(names)]


def strip_solutions(source, cell_type="code", where="cell"):
    """(new_source, True) with every solution region replaced by a stub, or (source, False)."""
    lines = source.split("\n")
    out, region, indent, found = [], None, "", False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped == BEGIN:
            if region is not None:
                raise GenerateError(f"{where}, line {number}: {BEGIN} inside another solution region.")
            region, indent, found = [], line[: len(line) - len(line.lstrip())], True
        elif stripped == END:
            if region is None:
                raise GenerateError(f"{where}, line {number}: {END} without {BEGIN}.")
            if cell_type == "markdown":
                out.append(f"{indent}YOUR ANSWER HERE")
            elif indent:
                out += [f"{indent}# YOUR CODE HERE",
                        f'{indent}raise NotImplementedError("{STUB_MESSAGE}")']
            else:
                out += _stub_values(region, f"{where}, line {number}")
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise GenerateError(f"{where}: {BEGIN} without {END}.")
    return ("\n".join(out), True) if found else (source, False)


def lock(cell):
    """Make a cell read-only in Jupyter (the nbgrader convention, understood by Jupyter)."""
    cell.metadata["editable"] = False
    cell.metadata["deletable"] = False


def clear_outputs(cell):
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None


def check_identity(nb, name="notebook"):
    """GenerateError unless the exercise's metadata is complete (see the module docstring)."""
    exercise, version = identity.exercise_of(nb), identity.version_of(nb)
    if exercise is None or version is None:
        raise GenerateError(
            f"{name}: the notebook's metadata needs \"nnlib\": {{\"exercise\": N, \"version\": 1}} "
            "(the grader identifies an exercise by it, never by the file name).")
    seen = {}
    for index, cell in enumerate(nb.cells, start=1):
        has_region = cell.cell_type == "code" and BEGIN in cell.source
        answer = identity.answer_of(cell)
        if has_region and answer is None:
            raise GenerateError(
                f"{name}, cell {index}: a cell with a solution region needs the question it "
                f"answers in its metadata, \"nnlib\": {{\"answer\": \"{exercise}.k\"}} (make update "
                "matches a learner's answers by it).")
        if answer is None:
            continue
        if not re.fullmatch(rf"{exercise}\.\d+", answer):
            raise GenerateError(f"{name}, cell {index}: answer id {answer!r} is not a question "
                                f"of exercise {exercise} ('{exercise}.1', '{exercise}.2', ...).")
        if answer in seen:
            raise GenerateError(f"{name}: cells {seen[answer]} and {index} both answer {answer}.")
        seen[answer] = index
    known = {q.id for q in registry.questions_for(exercise)}
    if known and set(seen) != known:
        missing, extra = sorted(known - set(seen)), sorted(set(seen) - known)
        raise GenerateError(f"{name}: the answer cells do not match exercise {exercise}'s "
                            f"questions (no cell for {missing or 'none'}; unknown {extra or 'none'}).")


def make_learner_notebook(solution, name="notebook"):
    """The learner version of a solution notebook (a new notebook; the input is unchanged)."""
    check_identity(solution, name)
    nb = copy.deepcopy(solution)
    regions = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type in ("code", "markdown"):
            cell.source, changed = strip_solutions(cell.source, cell.cell_type,
                                                   f"{name}, cell {index + 1}")
        else:
            changed = False
        if changed:
            regions += 1
            cell.metadata.pop("editable", None)
            cell.metadata.pop("deletable", None)
        else:
            lock(cell)
        if identity.answer_of(cell) is not None:
            cell.metadata["nnlib"] = dict(cell.metadata["nnlib"],
                                          stub=identity.stub_hash(cell.source))
        clear_outputs(cell)
    if not regions:
        raise GenerateError(f"{name}: no {BEGIN} ... {END} region: nothing for the learner to do.")
    return nb


def render(nb):
    """The notebook as the exact text written to disk (stable, so files can be compared)."""
    return nbformat.writes(nb, version=4) + "\n"


def learner_path(solution_path, out_dir=None):
    """exercises/solutions/01_x.ipynb -> exercises/01_x.ipynb (or ``out_dir``/01_x.ipynb)."""
    solution_path = Path(solution_path)
    return Path(out_dir or solution_path.parent.parent) / solution_path.name


def solutions_dir(root=None):
    """Where the solution notebooks are: $NNLIB_SOLUTIONS, else ``root``/exercises/solutions
    (``root``: the current folder)."""
    configured = os.environ.get(SOLUTIONS_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(root or Path.cwd()) / "exercises" / "solutions"


def default_solutions_dir():
    return solutions_dir()


def generate(solutions_dir=None, check_only=False, out_dir=None):
    """Write (or, with ``check_only``, compare) the learner notebook of every solution notebook
    (into ``out_dir``, by default the solutions' parent folder, or ./exercises when the solutions
    are elsewhere). Returns the list of learner paths that were (or would be) changed."""
    solutions_dir = Path(solutions_dir or default_solutions_dir())
    if out_dir is None and os.environ.get(SOLUTIONS_ENV) and solutions_dir == default_solutions_dir():
        out_dir = Path.cwd() / "exercises"
    changed = []
    sources = sorted(solutions_dir.glob("*.ipynb"))
    if not sources:
        raise GenerateError(f"No solution notebooks in {solutions_dir}.")
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        text = render(make_learner_notebook(nb, source.name))
        target = learner_path(source, out_dir)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            changed.append(target)
            if not check_only:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m nnlib.grading.generate",
        description="Make the learner notebooks exercises/*.ipynb from exercises/solutions/*.ipynb.")
    parser.add_argument("solutions", nargs="?", default=None,
                        help=f"folder of solution notebooks (default: ${SOLUTIONS_ENV}, else "
                             "exercises/solutions)")
    parser.add_argument("--out", default=None,
                        help="folder for the learner notebooks (default: the solutions' parent "
                             "folder, or ./exercises when the solutions are elsewhere)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a learner notebook differs from its source")
    args = parser.parse_args(argv)
    try:
        changed = generate(args.solutions, check_only=args.check, out_dir=args.out)
    except (GenerateError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        for path in changed:
            print(f"out of date: {path} (run `make exercises`)")
        return 1 if changed else 0
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print("the learner notebooks are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
