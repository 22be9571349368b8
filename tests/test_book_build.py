"""book/build.py: `make book` is `jupyter-book build` with Sphinx reading two pages at once."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

build = pytest.importorskip("book.build", reason="the book's packages are not installed")


def test_each_process_gets_one_page_at_a_time():
    pages = [f"chapters/0{n}" for n in range(7)] + ["exercises/00", "index"]
    assert build.one_page_each(pages, 2) == [[page] for page in pages]


def test_jobs_come_from_BOOK_JOBS_or_the_processors(monkeypatch):
    seen = {}
    monkeypatch.setattr(build, "_build_sphinx", lambda *a, **k: seen.update(k))
    monkeypatch.setenv("BOOK_JOBS", "3")
    build.build_sphinx("src", "out", jobs=None)
    assert seen["jobs"] == 3
    monkeypatch.delenv("BOOK_JOBS")
    build.build_sphinx("src", "out", jobs=None)
    assert seen["jobs"] >= 1


def test_no_extension_forces_a_serial_read(monkeypatch):
    """Sphinx reads one page at a time if any extension does not declare itself parallel-safe:
    the LaTeX extension is off (the book is HTML only), and multitoc numbering is declared safe."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(user_yaml=ROOT / "_config.yml",
                                 cli_config={"latex_individualpages": False}, sourcedir=ROOT)
    assert "sphinx_jupyterbook_latex" not in config["extensions"]
    calls = []
    monkeypatch.setattr(build, "_multitoc_numbering_setup", calls.append)
    declared = build.multitoc_numbering_setup("app")
    assert calls == ["app"]                      # its own setup still runs
    assert declared["parallel_read_safe"] and declared["parallel_write_safe"]
