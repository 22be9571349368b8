"""Sphinx extension: the book page of an exercise, with its solution collapsed, or without it.

The page's source file is the learner notebook ``exercises/NN_name.ipynb`` (so the page's
download and launch buttons give the learner version). Two editions:

- the instructor's (the default): when Sphinx reads the page, this extension hands myst-nb the
  solution notebook instead, with each solution cell tagged ``hide-input`` and labelled "Show
  solution" (the markers ``### BEGIN/END SOLUTION`` removed from what is shown), so the page runs
  the reference solution and shows passing checks;
- the student edition (``NNLIB_BOOK_EDITION=student``, or ``make book EDITION=student``): the page
  is the learner notebook itself, stubs and all; no solution is read, so none can be in the
  built HTML. A missing solution notebook gives the student edition of that page too.

Both add a note under the title saying how to get the exercise itself. The solutions are in
``exercises/solutions/``, or in the folder named by ``NNLIB_SOLUTIONS`` (generate.py), so that
they can live outside the published repository.

Enable it in _config.yml: ``sphinx: extra_extensions: [nnlib.grading.book]``.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from .generate import BEGIN, END, solutions_dir

__all__ = ["solution_page", "learner_page", "edition", "EDITION_ENV", "NOTE", "STUDENT_NOTE"]

#: The environment variable that chooses the edition: "student", or anything else (instructor).
EDITION_ENV = "NNLIB_BOOK_EDITION"

NOTE = """```{note}
This page shows the exercise with its reference solution, hidden behind **Show solution**.
To do the exercise, download the notebook (the download button at the top, `.ipynb`) or run
`make start`, which copies every exercise into your own `workspace/` folder. Then write your
code where it says `# YOUR CODE HERE`, run the check below each question, and grade the whole
notebook with `nnlib-grade`.
```"""

STUDENT_NOTE = """```{note}
This page shows the exercise as you get it. To do it, download the notebook (the download
button at the top, `.ipynb`) or run `make start`, which copies every exercise into your own
`workspace/` folder. Then write your code where it says `# YOUR CODE HERE`, run the check below
each question, and grade the whole notebook with `nnlib-grade`.
```"""


def edition():
    """"student" or "instructor", from the environment."""
    return "student" if os.environ.get(EDITION_ENV, "").strip().lower() == "student" \
        else "instructor"


def _with_note(nb, text):
    """The note goes right under the title: after the first Markdown cell (the notebook may
    start with its hidden install cell)."""
    position = next((i + 1 for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"), 0)
    note = nbformat.v4.new_markdown_cell(text)
    note.id = "nnlib-exercise-note"
    nb.cells.insert(position, note)
    return nbformat.writes(nb)


def solution_page(solution_path):
    """The notebook text the instructor's edition renders for an exercise page."""
    nb = nbformat.read(solution_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or BEGIN not in cell.source:
            continue
        cell.source = "\n".join(line for line in cell.source.split("\n")
                                if line.strip() not in (BEGIN, END))
        tags = cell.metadata.setdefault("tags", [])
        if "hide-input" not in tags:
            tags.append("hide-input")
        cell.metadata["mystnb"] = {"code_prompt_show": "Show solution",
                                   "code_prompt_hide": "Hide solution"}
    return _with_note(nb, NOTE)


def learner_page(learner_path):
    """The notebook text the student edition renders: the learner notebook, with the note."""
    return _with_note(nbformat.read(learner_path, as_version=4), STUDENT_NOTE)


def _exercise_page(app, docname):
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb" or path.parent.name != "exercises":
        return None, None
    solution = solutions_dir(Path(app.srcdir)) / path.name
    if app.config.nnlib_book_edition == "student" or not solution.exists():
        return path, None
    return path, solution


def _on_source_read(app, docname, source):
    learner, solution = _exercise_page(app, docname)
    if solution is not None:
        source[0] = solution_page(solution)
        app.env.note_dependency(str(solution))
    elif learner is not None:
        source[0] = learner_page(learner)


def setup(app):
    # A config value (not only the environment) so that changing the edition rebuilds the pages.
    app.add_config_value("nnlib_book_edition", edition(), "env")
    app.connect("source-read", _on_source_read)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
