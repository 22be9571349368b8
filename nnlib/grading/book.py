"""Sphinx extension: the book page of an exercise shows the solution, collapsed.

The page's source file is the learner notebook ``exercises/NN_name.ipynb`` (so the page's
download and launch buttons give the learner version). When Sphinx reads it, this extension
hands myst-nb the solution notebook ``exercises/solutions/NN_name.ipynb`` instead, with:

- each solution cell tagged ``hide-input`` and labelled "Show solution" (the markers
  ``### BEGIN/END SOLUTION`` removed from what is shown), so the reference solution sits behind
  a toggle;
- a note under the title saying how to get the exercise itself.

The page therefore runs the reference solution and shows passing checks, never a traceback.
Enable it in _config.yml: ``sphinx: extra_extensions: [nnlib.grading.book]``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .generate import BEGIN, END

NOTE = """```{note}
This page shows the exercise with its reference solution, hidden behind **Show solution**.
To do the exercise, download the notebook (the download button at the top, `.ipynb`) or run
`make start`, which copies every exercise into your own `workspace/` folder. Then write your
code where it says `# YOUR CODE HERE`, run the check below each question, and grade the whole
notebook with `nnlib-grade`.
```"""


def solution_page(solution_path):
    """The notebook text the book renders for an exercise page."""
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
    position = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
    note = nbformat.v4.new_markdown_cell(NOTE)
    note.id = "nnlib-exercise-note"
    nb.cells.insert(position, note)
    return nbformat.writes(nb)


def _solution_for(app, docname):
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb" or path.parent.name != "exercises":
        return None
    solution = path.parent / "solutions" / path.name
    return solution if solution.exists() else None


def _on_source_read(app, docname, source):
    solution = _solution_for(app, docname)
    if solution is not None:
        source[0] = solution_page(solution)
        app.env.note_dependency(str(solution))


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
