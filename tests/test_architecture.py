"""Dependencies point one way: nnlib's core knows nothing of the course machinery."""

import ast
from pathlib import Path

import nnlib

CORE = ["__init__", "activations", "datasets", "gradcheck", "interactive", "layers", "losses",
        "network", "plotting", "validation"]
PACKAGE = Path(nnlib.__file__).parent


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def test_core_modules_never_import_grading():
    offenders = []
    for name in CORE:
        for module in imported_modules(PACKAGE / f"{name}.py"):
            if "grading" in module:
                offenders.append(f"{name}.py imports {module}")
    assert not offenders, offenders


def test_the_check_itself_would_catch_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .grading import check\nimport nnlib.grading.cli\n")
    assert [m for m in imported_modules(bad) if "grading" in m] == [".grading", "nnlib.grading.cli"]
