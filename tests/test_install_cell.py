"""Every notebook starts with the cell that installs nnlib where it is missing (Colab), derived
from the one address in _config.yml (book/install_cell.py), hidden in the HTML book."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from book import install_cell

ROOT = Path(__file__).resolve().parent.parent


NOTEBOOKS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/*.ipynb"),
                    *ROOT.glob("exercises/solutions/*.ipynb")])


def test_every_chapter_and_exercise_is_covered():
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert {"chapters/01_linear_regression.ipynb", "exercises/01_linear_regression.ipynb",
            "exercises/solutions/01_linear_regression.ipynb"} <= names
    assert len(NOTEBOOKS) >= 17


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_first_cell_installs_this_version_of_nnlib(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert install_cell.is_install_cell(first), (
        f"{path.name}: the first cell is not the install cell: run `make sync`")
    assert first.source == install_cell.cell_source(), (
        f"{path.name}: the install cell is out of date (repository.url or the version changed): "
        "run `make sync`")
    assert "remove-cell" in first.metadata["tags"], "the HTML book must not show it"
    assert sum(install_cell.is_install_cell(c) for c in nb.cells) == 1


def test_the_address_comes_from_the_config_and_the_version_from_pyproject():
    url = install_cell.repository_url()
    assert url.startswith("https://github.com/")
    spec = install_cell.package_spec()
    assert spec == f"nnlib @ git+{url}@v{install_cell.version()}"
    assert spec in install_cell.cell_source()


def test_the_check_mode_names_a_stale_notebook(tmp_path, monkeypatch, capsys):
    """`python book/install_cell.py --check` fails, naming the file, when a cell is stale."""
    for name in ("_config.yml", "pyproject.toml"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    (tmp_path / "chapters").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import nnlib")])
    nbformat.write(nb, tmp_path / "chapters" / "00_x.ipynb")
    monkeypatch.setattr(install_cell, "ROOT", tmp_path)
    assert install_cell.main(["--check"]) == 1
    assert "chapters/00_x.ipynb" in capsys.readouterr().err
    assert install_cell.main([]) == 0
    assert install_cell.main(["--check"]) == 0
    written = nbformat.read(tmp_path / "chapters" / "00_x.ipynb", as_version=4)
    assert [c.source for c in written.cells][1:] == ["import nnlib"]  # the learner's cell kept


class _Shell:
    """Stands in for IPython: records the magics the cell runs."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line, _stack_depth=1):
        self.magics.append((name, line))


def _run_cell(source, nnlib_importable):
    """Run the cell's code as IPython would (magics turned into calls), with or without nnlib."""
    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(source)
    shell = _Shell()
    saved = sys.modules.get("nnlib")
    sys.modules["nnlib"] = saved if nnlib_importable else None  # None: `import nnlib` fails
    try:
        exec(compile(code, "install-cell", "exec"), {"get_ipython": lambda: shell})
    finally:
        sys.modules["nnlib"] = saved
    return shell.magics


def test_the_cell_does_nothing_where_nnlib_is_installed():
    import nnlib  # noqa: F401 - make sure it is in sys.modules

    assert _run_cell(install_cell.cell_source(), nnlib_importable=True) == []


def test_the_cell_installs_the_pinned_package_where_nnlib_is_missing():
    magics = _run_cell(install_cell.cell_source(), nnlib_importable=False)
    assert magics == [("pip", f'install --quiet "{install_cell.package_spec()}"')]
