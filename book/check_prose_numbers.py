"""Find numbers in a chapter's text that a code cell computes but the text types by hand.

    .venv/bin/python book/check_prose_numbers.py chapters/02_many_features.ipynb [...]

runs each notebook and lists every number of its Markdown text that is "computed by a cell"
and not inserted with myst-nb's glue ({glue:text}`name:.2f`, nnlib.glue.glue):

- a number of the text is *computed* when a cell's output shows it (to the precision the text
  writes: "6.60" matches an output 6.6025, "2 410" matches 2410), and
- it is *typed in a cell* (an input, not a result: a learning rate 0.02, 300 epochs) when it
  appears as a literal in some cell's code; those may stand in the text as they are.

Integers below 100 are left out (counts such as "three layers" or "chapter 4" are too common to
tell apart from results), and so are numbers inside the glue roles themselves. Exit status 1 if
any number is to glue. tests/test_prose_numbers.py checks the built book's executed notebooks.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

if __package__ in (None, ""):  # run as a script (python book/x.py): make `book` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from book import run_notebook  # noqa: E402

# A number as a person writes it: 546, 2 410, 0.0109, 9e-23, 1.8 × 10^308 is two numbers.
_NUMBER = re.compile(r"(?<![\w.^_{])(\d{1,3}(?:[  ]\d{3})+|\d+(?:\.\d+)?(?:e[-+−]?\d+)?)(?![\w])",
                     re.IGNORECASE)
_GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
_LINK_OR_CODE = re.compile(r"`[^`]*`|\]\([^)]*\)|\{(?:doc|ref|numref|cite[:\w]*|term)\}`[^`]*`")
_GLUE_MIME = "application/papermill.record/text/plain"


def _value(token):
    """The number a token stands for, as a Decimal (None if it is not one)."""
    try:
        return Decimal(token.replace(" ", "").replace(" ", "").replace("−", "-"))
    except InvalidOperation:
        return None


def _decimals(token):
    """How many digits the text gives after the point ('6.60' -> 2, '546' -> 0, '9e-23' -> None)."""
    if "e" in token.lower():
        return None
    return len(token.split(".")[1]) if "." in token else 0


def prose_numbers(markdown):
    """The number tokens of a Markdown cell that a reader sees as text (not glued, not code)."""
    text = _LINK_OR_CODE.sub(" ", _GLUE.sub(" ", markdown))
    found = []
    for token in _NUMBER.findall(text):
        value = _value(token)
        if value is None:
            continue
        if value == value.to_integral_value() and value < 100 and "." not in token:
            continue  # small counts
        found.append(token)
    return found


def output_numbers(cell):
    """Every number an executed code cell shows (printed text, displayed values, glued values)."""
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append(output.get("text", ""))
        data = output.get("data", {})
        for key in ("text/plain", _GLUE_MIME):
            if key in data:
                texts.append(data[key] if isinstance(data[key], str) else "".join(data[key]))
    values = []
    for text in texts:
        for token in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text, re.IGNORECASE):
            try:
                values.append(float(token))
            except ValueError:
                pass
    return values


def code_literals(source):
    """The numbers written in a cell's code (the author's inputs)."""
    try:
        tree = ast.parse(source.replace("%", "#"))
    except SyntaxError:
        return set(float(t) for t in re.findall(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?", source))
    return {float(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)}


def _shown_as(value, token):
    """True if ``value`` (from an output), written the way ``token`` is, gives ``token``."""
    written = _value(token)
    decimals = _decimals(token)
    if decimals is None:  # scientific notation: the same to the digits given
        digits = len(token.lower().split("e")[0].replace(".", "").lstrip("0")) or 1
        return value != 0 and math.isclose(value, float(written), rel_tol=0.5 * 10 ** (1 - digits))
    return abs(value - float(written)) <= 0.5 * 10 ** (-decimals) * (1 + 1e-9)


def unglued(nb):
    """[(cell number, token)] of numbers in the text that a cell computes but are typed."""
    computed, inputs = [], set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            computed += output_numbers(cell)
            inputs |= code_literals(cell.source)
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "markdown":
            continue
        for token in prose_numbers(cell.source):
            written = float(_value(token))
            if any(math.isclose(written, literal, rel_tol=1e-12) for literal in inputs):
                continue
            if any(_shown_as(value, token) for value in computed) and (number, token) not in found:
                found.append((number, token))
    return found


def main(argv=None):
    return run_notebook.main(sys.argv[1:] if argv is None else argv, __doc__, unglued,
                             "numbers to glue")


if __name__ == "__main__":
    sys.exit(main())
