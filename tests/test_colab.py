"""Google Colab, reproduced: every chapter and exercise notebook runs alone, top to bottom, in an
environment that has only what Colab has and nnlib installed from its built wheel.

Colab ships NumPy, matplotlib, ipykernel 6 and ipywidgets 7.7.1 (which has no ``Stack``), and no
copy of this repository: the rocket button opens one notebook by itself. So this test

1. builds nnlib's wheel (``pip wheel``, exactly what a release would upload),
2. makes a fresh virtual environment with NumPy and matplotlib at the book's pins, ipykernel
   6.17.1 and ipywidgets 7.7.1, then installs the wheel with ``--no-index --no-deps``: the package
   must need nothing Colab lacks (``pip check``: every requirement it declares is met; its digits
   data ship inside it, for instance),
3. copies each notebook alone into an empty folder and runs it on a fresh kernel of that
   environment: no cell may fail, and no output may show an error.

The notebooks' first cell (the Colab install cell) finds nnlib there and does nothing. Slow (a few
minutes: a virtual environment, then every notebook): run by `make test`, not `make unit`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.colab

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/*.ipynb")])
# What Colab has (ipywidgets and ipykernel at Colab's versions; NumPy and matplotlib at the
# book's pins, which Colab's are at least as new as).
COLAB_IPYWIDGETS = "7.7.1"
COLAB_IPYKERNEL = "6.17.1"
KERNEL = "colab-like"
TIMEOUT = 120  # seconds per cell, as in the book's build


def _pins():
    return dict(line.strip().split("==") for line in (ROOT / "constraints.txt").read_text().split()
                if "==" in line)


def _pip(python, *args):
    run = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *args],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """A Colab-like environment with nnlib's wheel; its kernel is registered as KERNEL in a
    private Jupyter path. Yields (environment's python, JUPYTER_PATH)."""
    work = tmp_path_factory.mktemp("colab")
    wheels = work / "wheels"
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                          "-w", str(wheels), str(ROOT)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    wheel, = wheels.glob("nnlib-*.whl")

    venv.create(work / "env", with_pip=True)
    python = work / "env" / "bin" / "python"
    pins = _pins()
    _pip(python, f"numpy=={pins['numpy']}", f"matplotlib=={pins['matplotlib']}",
         f"ipykernel=={COLAB_IPYKERNEL}", "ipython_genutils", "jupyterlab_widgets")
    # ipywidgets 7's own dependency on the classic notebook server is for the browser side,
    # which a kernel does not need (and which Colab replaces with its own).
    _pip(python, "--no-deps", f"ipywidgets=={COLAB_IPYWIDGETS}", "widgetsnbextension==3.6.10")
    # The wheel alone (--no-deps: pip would otherwise walk ipywidgets 7's own requirements up to
    # the classic notebook server, which Colab has and a kernel does not need) ...
    _pip(python, "--no-index", "--no-deps", str(wheel))
    # ... and everything nnlib declares must already be there, at a version it accepts.
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True)
    unmet = [line for line in check.stdout.splitlines() if line.lower().startswith("nnlib ")]
    assert not unmet, unmet
    check = subprocess.run([str(python), "-c", "import ipywidgets, nnlib; "
                            "print(ipywidgets.__version__, nnlib.__file__)"],
                           capture_output=True, text=True, cwd=work,   # not beside this nnlib/
                           env={**os.environ, "PYTHONPATH": ""})
    assert check.returncode == 0, check.stderr
    version, location = check.stdout.split()
    assert version == COLAB_IPYWIDGETS
    assert "site-packages" in location and str(ROOT) not in location  # the wheel, not this repo

    jupyter = work / "jupyter"
    subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix", str(jupyter),
                    "--name", KERNEL], check=True, capture_output=True)
    yield python, str(jupyter / "share" / "jupyter")


def _errors(nb):
    """(cell number, what) for every output that shows an error."""
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append((number, f"{output.ename}: {output.evalue}"))
            elif output.output_type == "stream" and output.name == "stderr" and (
                    "Error" in output.text or "Traceback" in output.text):
                found.append((number, output.text[:300]))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_notebook_runs_alone_on_colab(colab, path, tmp_path, monkeypatch, record_property):
    from nbclient import NotebookClient

    _, jupyter_path = colab
    monkeypatch.setenv("JUPYTER_PATH", jupyter_path)
    alone = tmp_path / path.name
    shutil.copy2(path, alone)  # an empty folder: no nnlib/, no data beside it
    nb = nbformat.read(alone, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, kernel_name=KERNEL, timeout=TIMEOUT, allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute(
        env={**os.environ, "PYTHONPATH": ""})
    seconds = time.perf_counter() - start
    record_property("seconds", round(seconds, 1))
    print(f"{path.relative_to(ROOT)}: {seconds:.1f} s on the Colab-like kernel")
    assert not _errors(nb), f"{path.name} on Colab: {_errors(nb)}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # it wrote nothing beside
