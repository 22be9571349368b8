"""The chapters' text and their code cannot drift apart: a number the text states that a cell
computes is inserted from the computation (myst-nb's glue, nnlib.glue), never typed by hand.

book/check_prose_numbers.py says which numbers count as computed (a cell's output shows them, to
the precision the text gives) and which as typed inputs (literals in the code). These tests read
the notebooks as the book build executed them (_build/jupyter_execute/), so they need `make book`.
"""

from __future__ import annotations

import nbformat
import pytest
from browser_support import HTML, ROOT

from book import check_prose_numbers as check

EXECUTED = HTML.parent / "jupyter_execute" / "chapters"
CHAPTERS = sorted(p.name for p in (ROOT / "chapters").glob("0*.ipynb"))




@pytest.mark.browser
@pytest.mark.parametrize("name", CHAPTERS)
def test_no_computed_number_is_typed_by_hand(book, name):
    path = EXECUTED / name
    assert path.is_file(), f"{path} is missing: run `make book`"
    found = check.unglued(nbformat.read(path, as_version=4))
    assert not found, (
        f"{name}: numbers in the text that a cell computes, typed by hand (glue them with "
        f"nnlib.glue.glue and {{glue:text}}`name:.2f`): "
        + ", ".join(f"{token!r} in cell {cell}" for cell, token in found))


def _notebook(markdown, code, output):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(code)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    nb.cells = [cell, nbformat.v4.new_markdown_cell(markdown)]
    return nb


@pytest.mark.parametrize("markdown, found", [
    ("The slope is about 6.60 CAD per square foot.", [(2, "6.60")]),    # 6.6025 rounded
    ("It spans 0.0109 and 44.5.", [(2, "0.0109"), (2, "44.5")]),
    ("There are 2 410 parameters.", [(2, "2 410")]),                     # a thin space
    ("The slope is {glue:text}`w:.2f` CAD.", []),                        # glued
    ("We train with α = 0.02 for 300 epochs.", []),                      # inputs in the code
    ("Three layers and chapter 4.", []),                                 # small counts
    ("A house is worth 68 000 CAD.", []),                                # not in any output
    ("The slope is about 6.61.", []),                                    # not what was computed
    ("`6.60` in code is not prose, nor [link](6.60).", []),
])
def test_the_checker_tells_computed_numbers_from_inputs(markdown, found):
    nb = _notebook(markdown, "alpha = 0.02\nepochs = 300\nprint(w, a, b, n)",
                   "6.6025 0.010934 44.46 2410\n")
    assert check.unglued(nb) == found
