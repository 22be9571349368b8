"""Issue 11, point 7: the reader sees the lecture's computation, not the drawing. No visible code
cell of a chapter is longer than 25 lines, and none is mostly plotting: a figure used twice is a
function of nnlib.plotting, a one-off drawing sits behind `hide-input` (CONTRIBUTING.md)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("0*.ipynb"))
HIDDEN = {"hide-input", "remove-input", "remove-cell"}
MAX_LINES = 25
# A line that draws: a matplotlib call on a figure or axes object (or the pyplot module).
DRAWING = re.compile(r"^\s*(?:[\w\[\], ()]+=\s*)?(?:plt|ax\w*|axes\w*|fig\w*)(?:\[[^\]]*\])?\.\w+\(")


def visible_code_cells(path):
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "code" and not HIDDEN & set(cell.metadata.get("tags", [])):
            lines = [line for line in cell.source.splitlines() if line.strip()]
            yield number, lines


def drawing_share(lines):
    code = [line for line in lines if not line.lstrip().startswith("#")]
    return sum(bool(DRAWING.match(line)) for line in code) / max(len(code), 1)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_visible_cell_is_longer_than_25_lines(path):
    long = [(number, len(lines)) for number, lines in visible_code_cells(path)
            if len(lines) > MAX_LINES]
    assert not long, f"{path.name}: visible code cells over {MAX_LINES} lines (cell, lines): {long}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_visible_cell_is_mostly_plotting(path):
    drawing = [(number, f"{drawing_share(lines):.0%}") for number, lines in visible_code_cells(path)
               if len(lines) >= 6 and drawing_share(lines) > 0.5]
    assert not drawing, (f"{path.name}: visible cells that are mostly matplotlib (cell, share): "
                         f"{drawing}; move the drawing to nnlib.plotting or tag the cell hide-input")


def test_the_drawing_detector_sees_plotting():
    """The two tests above can fail: a cell of axes calls counts as drawing, a computation not."""
    assert drawing_share(["fig, ax = plt.subplots()", "ax.plot(x, y)", "ax.set_xlabel('x')",
                          "axes[0].legend()"]) == 1.0
    assert drawing_share(["Z = W.T @ X + b", "A = np.tanh(Z)", "cost = np.mean((A - Y) ** 2)"]) == 0
