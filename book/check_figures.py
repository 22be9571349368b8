"""Check a chapter's figures the way a learner on a phone meets them, without building the book.

    .venv/bin/python book/check_figures.py chapters/01_linear_regression.ipynb [...]

runs each notebook on a fresh kernel (the book's kernel settings: retina figures) and lists,
for every code cell that draws, what the book will show:

- the figure's width in CSS pixels: at most MAX_WIDTH, so that a 390-pixel phone, whose text
  column is 358 pixels wide, draws it at 60 % of its size or more (a figure of 5.5 inches is
  about 550 pixels);
- its caption and alt text, from the cell's metadata (myst-nb reads both):

      "metadata": {"mystnb": {"figure": {"caption": "What the figure shows ..."},
                              "image": {"alt": "What a screen reader says instead ..."}}}

  One figure per cell: myst-nb gives every picture of a cell the cell's caption and alt text;
- the pictures of a slider (nnlib.interactive.precomputed_slider), which carry their own alt
  texts, and their width.

Exit status 1 if anything is to fix. The browser tests (tests/test_book_phone.py,
tests/test_book_accessibility.py) check the built book itself.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script (python book/x.py): make `book` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from book import run_notebook  # noqa: E402

#: Widest figure, in CSS pixels, that a 358-pixel text column (a 390-pixel phone) shows at 60 %.
MAX_WIDTH = 590

_IMG = re.compile(r'<img src="data:image/png;base64,[^"]*" alt="([^"]*)" width="(\d+)"')


def _image_width(output):
    """CSS width of an image output: the width a retina figure declares, else its pixels."""
    declared = output.get("metadata", {}).get("image/png", {}).get("width")
    if declared:
        return int(declared)
    import base64
    import struct

    png = base64.b64decode(output["data"]["image/png"])
    return struct.unpack(">I", png[16:20])[0]


def problems(nb):
    """[(cell number, message)] for an executed notebook ``nb`` (nbformat)."""
    found = []
    states = nb.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        widgets = [o for o in cell.get("outputs", [])
                   if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
        options = cell.metadata.get("mystnb", {})
        if images:
            if len(images) > 1:
                found.append((number, f"{len(images)} figures in one cell: one per cell, each "
                                      "with its own caption"))
            if not options.get("figure", {}).get("caption"):
                found.append((number, "no caption (metadata mystnb.figure.caption)"))
            alt = options.get("image", {}).get("alt", "")
            if len(alt) < 15:
                found.append((number, "no alt text (metadata mystnb.image.alt)"))
            for image in images:
                if _image_width(image) > MAX_WIDTH:
                    found.append((number, f"{_image_width(image)} px wide, more than "
                                          f"{MAX_WIDTH}: at most 5.5 inches"))
        if widgets:
            for state in states.values():
                value = state.get("state", {}).get("value", "")
                for alt, width in _IMG.findall(value if isinstance(value, str) else ""):
                    if int(width) > MAX_WIDTH:
                        found.append((number, f"a slider picture {width} px wide, more than "
                                              f"{MAX_WIDTH}"))
                    if len(alt) < 15:
                        found.append((number, f"a slider picture with the alt text {alt!r}"))
    return sorted(set(found))


def main(argv=None):
    return run_notebook.main(sys.argv[1:] if argv is None else argv, __doc__, problems, "to fix")


if __name__ == "__main__":
    sys.exit(main())
