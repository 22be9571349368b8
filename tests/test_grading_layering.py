"""nnlib's core knows nothing of the course machinery: no core module imports nnlib.grading."""

import ast
from pathlib import Path

NNLIB = Path(__file__).resolve().parent.parent / "nnlib"


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            dots = "." * node.level
            module = node.module or ""
            yield dots + module
            for alias in node.names:  # from . import grading / from nnlib import grading
                yield f"{dots}{module}.{alias.name}" if module else f"{dots}{alias.name}"


def _is_grading(name):
    parts = [p for p in name.lstrip(".").split(".") if p]
    return "grading" in parts


def test_core_modules_exist():
    core = [p.name for p in NNLIB.glob("*.py")]
    for name in ("layers.py", "activations.py", "losses.py", "network.py", "gradcheck.py",
                 "datasets.py", "plotting.py", "__init__.py"):
        assert name in core


def test_no_core_module_imports_grading():
    offenders = {str(path.relative_to(NNLIB)): name
                 for path in NNLIB.glob("*.py") for name in _imports(path) if _is_grading(name)}
    assert offenders == {}


def test_the_detector_would_see_an_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .grading import check\nimport nnlib.grading.runner\n")
    assert sum(_is_grading(name) for name in _imports(bad)) >= 2


def test_grading_builds_on_the_core():
    grading_imports = {name for path in (NNLIB / "grading").rglob("*.py") for name in _imports(path)}
    assert any(name.startswith("...") or name.startswith("..gradcheck") for name in grading_imports)
