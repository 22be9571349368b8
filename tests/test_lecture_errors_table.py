"""CONTRIBUTING.md's table of the lecture's errors: every row names a chapter and tests that
exist, so a renamed or deleted proof cannot leave the table pointing at nothing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def table_rows():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("### The lecture's errors", 1)[1]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    table = [line for line in lines[start:end] if not line.startswith("|---")]
    return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in table[1:]]


def referenced_tests(cell):
    """('tests/file.py', 'test_name') for every `file.py::name` and following `::name`."""
    current = None
    for path, name in re.findall(r"`(?:(test_\w+\.py))?::(\w+)`", cell):
        current = path or current
        yield f"tests/{current}", name


def test_every_row_names_a_chapter_and_existing_tests():
    rows = table_rows()
    assert len(rows) >= 10
    for slides, correct, chapter, tests in rows:
        assert slides and correct, (slides, correct)
        assert re.fullmatch(r"\d(, \d)*", chapter), chapter
        found = list(referenced_tests(tests))
        assert found, f"no test for: {slides}"
        for path, name in found:
            tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
            names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
            assert name in names, f"{path}::{name} (for: {slides})"
