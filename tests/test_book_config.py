"""The book's configuration keeps its traps closed (see the comments in _config.yml).

These run in a second, without building the book. The browser tests (test_book_browser.py)
check the result in a real browser.
"""

from __future__ import annotations

import json
import posixpath
import re
import types
from pathlib import Path

import pytest
import yaml

from book import offline_assets

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".git", ".venv", "node_modules", "_build", "workspace", ".ipynb_checkpoints",
             "__pycache__", ".pytest_cache", ".hypothesis"}


@pytest.fixture(scope="module")
def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


@pytest.fixture(scope="module")
def sphinx_config():
    """The Sphinx configuration Jupyter Book makes from _config.yml (as `jupyter-book build`)."""
    from jupyter_book.config import get_final_config

    final, _ = get_final_config(user_yaml=ROOT / "_config.yml",
                                cli_config={"latex_individualpages": False},
                                sourcedir=ROOT, raise_on_invalid=True)
    return final


def _our_folders():
    for path in ROOT.rglob("*"):
        if path.is_dir() and not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


# -- execution ----------------------------------------------------------------------------------

def test_notebooks_are_executed_at_every_build(config, sphinx_config):
    """myst-nb's cache would show stale outputs after nnlib changes: keep `force`."""
    assert config["execute"]["execute_notebooks"] == "force"
    assert sphinx_config["nb_execution_mode"] == "force"
    assert config["execute"].get("allow_errors", False) is False


def test_the_book_is_built_with_warnings_as_errors():
    """Without -W, jupyter-book exits 0 even when a chapter fails to run."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^book:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no `book` target"
    build = [line for line in recipe.group(1).splitlines()
             if "jupyter-book build" in line or "-m book.build build" in line]
    assert build and all(" -W" in line for line in build), build


def test_make_test_limits_each_notebook_cell():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)
    assert "--nbval-cell-timeout" in recipe


# -- scripts are never scanned from a _static folder ----------------------------------------------

def test_no_folder_of_ours_is_named_static_with_scripts_in_it():
    """Jupyter Book adds every .js/.css file under a source `_static/` folder to every page."""
    offenders = [
        str(file.relative_to(ROOT))
        for folder in _our_folders() if folder.name == "_static"
        for file in folder.rglob("*") if file.suffix in (".js", ".css", ".mjs")
    ]
    assert not offenders, f"scripts in a _static folder would be loaded by every page: {offenders}"


def test_jupyter_book_adds_no_scripts_of_ours_to_every_page(sphinx_config):
    assert not sphinx_config.get("html_js_files"), sphinx_config.get("html_js_files")
    assert not sphinx_config.get("html_css_files"), sphinx_config.get("html_css_files")
    assert not sphinx_config.get("html_static_path"), sphinx_config.get("html_static_path")


def test_offline_scripts_are_served_from_outside_static(monkeypatch):
    """With node_modules installed, MathJax and the widget scripts resolve to _vendor/ at the
    book's root (Sphinx writes relative script paths as _static/<path>)."""
    assets = offline_assets
    monkeypatch.setattr(assets, "_installed", lambda: True)
    config = types.SimpleNamespace()
    assets.configure(None, config)
    scripts = [config.mathjax_path, *config.nb_ipywidgets_js]
    for script in scripts:
        assert "://" not in script, script
        served = posixpath.normpath(posixpath.join("_static", script))
        assert served.startswith("_vendor/"), f"{script} is served as {served}"
    for attributes in config.nb_ipywidgets_js.values():
        assert "crossorigin" not in attributes  # Chromium refuses it on file:// pages
        assert "integrity" not in attributes


def test_without_npm_the_cdn_serves_the_pinned_versions(monkeypatch):
    assets = offline_assets
    monkeypatch.setattr(assets, "_installed", lambda: False)
    config = types.SimpleNamespace()
    assets.configure(None, config)
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    assert f"mathjax@{pinned['mathjax']}/" in config.mathjax_path
    urls = " ".join(config.nb_ipywidgets_js)
    assert f"html-manager@{pinned['@jupyter-widgets/html-manager']}/" in urls
    assert f"requirejs@{pinned['requirejs']}/" in urls


def test_the_installed_node_modules_are_used_when_present():
    """If `npm ci` ran, the extension must find every file it serves."""
    assets = offline_assets
    if not (ROOT / "node_modules").is_dir():
        pytest.skip("node_modules/ not installed (no npm): the book uses the CDN")
    assert assets._installed(), "node_modules/ exists but lacks a file the book serves"


# -- the npm packages are pinned and match the Python side ------------------------------------------

def test_npm_versions_are_pinned_exactly():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: pin an exact version, not {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, (
            f"package-lock.json is out of date for {name}: run `npm install`")


def test_html_manager_matches_the_installed_ipywidgets():
    """ipywidgets says which @jupyter-widgets/html-manager can show its widgets (a ^ range);
    the pinned one must be in that range (nnlib's slider is a SelectionSlider jslinked to a
    Stack, ipywidgets 8 widgets)."""
    import ipywidgets
    from ipywidgets._version import __html_manager_version__

    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]
    version = tuple(int(p) for p in pinned["@jupyter-widgets/html-manager"].split("."))
    wanted = tuple(int(p) for p in __html_manager_version__.lstrip("^~").split("."))
    assert version[0] == wanted[0] and version >= wanted, (version, __html_manager_version__)
    assert tuple(int(p) for p in ipywidgets.__version__.split(".")[:2]) >= (8, 1)
    assert pinned["mathjax"].startswith("3."), "Sphinx 7's MathJax configuration is for MathJax 3"


# -- what a learner sees -----------------------------------------------------------------------------

def test_launch_and_download_buttons_survive_the_sphinx_overrides(sphinx_config):
    """With recursive_update false, `sphinx: config: html_theme_options` replaces the options
    built from _config.yml and the repository/launch buttons vanish."""
    options = sphinx_config["html_theme_options"]
    assert options.get("use_repository_button") is True
    assert options.get("repository_url", "").startswith("https://github.com/")
    assert options["launch_buttons"].get("binderhub_url")
    assert options["launch_buttons"].get("colab_url")
    assert options.get("use_download_button") is True
    assert options.get("home_page_in_toc") is True


def test_logo_exists(config):
    assert (ROOT / config["logo"]).is_file()


def test_hidden_and_tool_folders_are_not_scanned_for_pages(config):
    """`pytest` leaves .pytest_cache/README.md behind; Sphinx would warn about it and -W fails."""
    patterns = config["exclude_patterns"]
    for folder in (".*", "node_modules", "_build", "workspace"):
        assert folder in patterns, f"add {folder!r} to exclude_patterns in _config.yml"
