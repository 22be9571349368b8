"""integrity.py: any change to the installation is seen; nnlib's own files are put back."""

import os
import subprocess
import sys

import pytest

from nnlib.grading.integrity import Installation


@pytest.fixture
def installation(tmp_path):
    package = tmp_path / "nnlib"
    (package / "grading").mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = 1\n")
    (package / "grading" / "checks.py").write_text("def check():\n    return False\n")
    prefix = tmp_path / "venv"
    (prefix / "site-packages").mkdir(parents=True)
    (prefix / "site-packages" / "numpy.py").write_text("pi = 3.14\n")
    return Installation(package, prefix), package, prefix


def test_nothing_changed_is_nothing_changed(installation):
    assert installation[0].changes() == []


def test_a_rewritten_file_is_found_and_put_back_with_its_time(installation):
    inst, package, _ = installation
    checks = package / "grading" / "checks.py"
    before = checks.stat().st_mtime_ns
    checks.write_text("def check():\n    return True\n")
    assert inst.changes() == [os.path.join("nnlib", "grading", "checks.py")]
    assert inst.restore() == []
    assert checks.read_text() == "def check():\n    return False\n"
    assert checks.stat().st_mtime_ns == before          # its bytecode stays valid
    assert inst.changes() == []


def test_writing_the_same_bytes_back_is_still_a_change(installation):
    inst, package, _ = installation
    init = package / "__init__.py"
    stat = init.stat()
    init.write_text(init.read_text())
    os.utime(init, ns=(stat.st_atime_ns, stat.st_mtime_ns))      # even the time set back
    assert inst.changes() == [os.path.join("nnlib", "__init__.py")]   # st_ctime cannot be


def test_added_and_removed_files_are_undone(installation):
    inst, package, _ = installation
    (package / "grading" / "evil.py").write_text("import os\n")
    (package / "__init__.py").unlink()
    assert len(inst.changes()) == 2
    assert inst.restore() == []
    assert not (package / "grading" / "evil.py").exists()
    assert (package / "__init__.py").read_text() == "VERSION = 1\n"


def test_a_change_outside_nnlib_is_found_and_reported_as_not_undone(installation):
    inst, _, prefix = installation
    (prefix / "site-packages" / "sitecustomize.py").write_text("print('hello')\n")
    changes = inst.changes()
    assert len(changes) == 1 and changes[0].endswith("sitecustomize.py")
    assert inst.restore() == changes
    assert inst.changes() == []                      # fingerprinted again: reported once


def test_after_sealing_no_module_of_nnlib_is_loaded_from_disk():
    code = ("import nnlib, nnlib.grading.integrity as i\ni.seal_nnlib()\n"
            "import nnlib.activations\n"                 # loaded before: fine
            "try:\n    import nnlib.grading.testing\nexcept ImportError as e:\n    print('refused:', e)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "refused: nnlib-grade loads all of its code before the first notebook" in result.stdout


# -- the grader keeps the installation intact between notebooks --------------------------------------

def _fake_grader(package, prefix):
    """grade_notebook as a notebook would have it: 'tamper' rewrites nnlib's source, 'pth' drops
    a file into the environment; every notebook scores 14."""
    import time

    def grade_notebook(path, timeout=60):
        time.sleep(0.3)
        if "tamper" in path.name:
            (package / "grading" / "checks.py").write_text("def check():\n    return True\n")
        if "pth" in path.name:
            (prefix / "site-packages" / "evil.pth").write_text("import os\n")
        return {"path": str(path), "exercise": 1, "version": 1, "score": 14.0, "max_score": 14.0,
                "error": None, "questions": []}

    return grade_notebook


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_notebook_that_changed_nnlib_scores_zero_and_the_others_are_kept(installation, jobs,
                                                                              monkeypatch):
    from pathlib import Path

    from nnlib.grading import grader

    inst, package, prefix = installation
    monkeypatch.setattr(grader, "grade_notebook", _fake_grader(package, prefix))
    paths = [Path(f"{name}.ipynb") for name in ("a", "b", "tamper", "c", "d")]
    entries = grader.grade_many(paths, jobs=jobs, installation=inst)
    assert [e["score"] for e in entries] == [14, 14, 0, 14, 14]
    assert "changed the course's installation" in entries[2]["error"]
    assert entries[2]["tampered"] == [os.path.join("nnlib", "grading", "checks.py")]
    assert (package / "grading" / "checks.py").read_text() == "def check():\n    return False\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_change_to_the_environment_stops_the_grading(installation, jobs, monkeypatch):
    from pathlib import Path

    from nnlib.grading import grader

    inst, package, prefix = installation
    monkeypatch.setattr(grader, "grade_notebook", _fake_grader(package, prefix))
    paths = [Path(f"{name}.ipynb") for name in ("a", "pth", "b", "c", "d", "e")]
    entries = grader.grade_many(paths, jobs=jobs, installation=inst)
    assert entries[1]["score"] == 0 and all(e["score"] == 0 for e in entries[1:])
    assert "cannot undo" in entries[-1]["error"]
    if jobs == 1:
        assert entries[0]["score"] == 14          # graded before the change
    else:                                         # graded at the same time: not trusted either
        assert entries[0]["score"] == 14 or "cannot undo" in entries[0]["error"]
