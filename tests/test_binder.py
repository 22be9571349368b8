"""Binder: the image repo2docker would build from binder/ has a Python the project accepts and
installs the project at the pinned versions.

`repo2docker --no-build` (PyPI's jupyter-repo2docker, a test dependency) writes the Dockerfile
it would build, offline and without Docker. Before binder/runtime.txt existed it chose Python
3.10, which pyproject.toml's requires-python (>= 3.11) and the pinned numpy exclude.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory):
    """The Dockerfile and log of `repo2docker --no-build --debug` for a copy of the files that
    choose the environment (binder/ and what it names)."""
    repo2docker = Path(sys.executable).with_name("repo2docker")
    if not repo2docker.exists():
        pytest.fail("repo2docker is missing: it is in the `test` extra (`make env`).")
    copy = tmp_path_factory.mktemp("binder-repo")
    shutil.copytree(ROOT / "binder", copy / "binder")
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, copy / name)
    run = subprocess.run([str(repo2docker), "--no-build", "--debug", str(copy)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout + run.stderr


def _requires_python():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return SpecifierSet(tomllib.load(handle)["project"]["requires-python"])


def test_binder_chooses_a_python_the_project_accepts(dockerfile):
    chosen = re.search(r"python=(\d+\.\d+)", dockerfile)
    assert chosen, "repo2docker did not say which Python it chose"
    python = Version(chosen.group(1))
    assert python in _requires_python(), (
        f"Binder would use Python {python}, but pyproject.toml requires {_requires_python()}: "
        "set it in binder/runtime.txt")


def test_binder_installs_the_project_at_the_pinned_versions(dockerfile):
    assert "RUN ./binder/postBuild" in dockerfile
    post_build = (ROOT / "binder" / "postBuild").read_text()
    installs = [line for line in post_build.splitlines()
                if line.startswith("pip install") and "-c constraints.txt" in line]
    assert installs and any('".[book]"' in line for line in installs), (
        "binder/postBuild must install the project with the book's packages, pinned: "
        'pip install -c constraints.txt -e ".[book]"')
    assert "ipython_kernel_config.py" in post_build  # the book's figure settings


def test_the_pins_are_for_the_python_binder_uses(dockerfile):
    """constraints.txt was resolved on the same minor Python as Binder's (the machines that
    `make` runs on): numpy 2.4 has no wheel for the Python 3.10 Binder chose before."""
    chosen = Version(re.search(r"python=(\d+\.\d+)", dockerfile).group(1))
    assert (chosen.major, chosen.minor) == sys.version_info[:2]
    pinned = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().split()
                  if "==" in line)
    from importlib.metadata import version

    for package in ("numpy", "matplotlib", "ipywidgets", "jupyter-book"):
        assert version(package) == pinned[package], (
            f"{package}: {version(package)} installed here, {pinned[package]} pinned")
