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
