"""Forgery: no code in a notebook changes its own score, nor anyone else's.

Every attempt below is a "student" of one class, graded once by the real ``nnlib-grade`` (two at a
time, ``-j 2``) against a private copy of nnlib (so that the attempt to rewrite the grader's source
cannot touch this repository). Each attempt is exercise 1 with its answers left as the stubs, plus
the forgery: each must score 0. The issue's attempts: replacing json.dumps or dataclasses.asdict,
an IPython input transformer, a sys.meta_path finder serving a fake nnlib.grading module, a
package named nnlib beside the notebook, an ndarray subclass whose subtraction gives zeros, a
function reading ``expected`` from its caller's frame, replacing np.linalg.norm, abs,
nnlib.losses.mse and numerical_gradient, the reference functions of nnlib.grading.questions,
five copies of exercise 1, a file named 01_... that is not exercise 1, and a notebook that
rewrites the grader's source on disk. And more: a hidden import of the reference, an agent patched
from inside the kernel, results too large or nested forever, a kernel killed during a check.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import nnlib
from nnlib.grading import identity
from test_grading_grader import CORRECT

ROOT = Path(__file__).resolve().parent.parent
NNLIB_DIR = Path(nnlib.__file__).resolve().parent
LEARNER = ROOT / "exercises" / "01_linear_regression.ipynb"
SOLUTION = ROOT / "exercises" / "solutions" / "01_linear_regression.ipynb"
SETUP = "import numpy as np\nimport nnlib\nfrom nnlib.grading import check, skip_if_not_implemented\n"

# Correct answers to exercise 1 (with learning_rate), for the attempts that smuggle them in.
ANSWERS = CORRECT

ATTEMPTS = {
    "json_dumps": ['''
import json
_real_dumps = json.dumps
def _forged(obj, *args, **kwargs):
    return _real_dumps({"id": "1.1", "passed": True, "status": "passed", "score": 14.0,
                        "max_score": 14.0, "feedback": "", "outcome": "returned"})
json.dumps = _forged
'''],
    "asdict": ['''
import dataclasses
dataclasses.asdict = lambda result, *a, **k: {"id": result.id, "title": "", "status": "passed",
    "score": result.max_score, "max_score": result.max_score, "feedback": "", "passed_checks": []}
'''],
    "input_transformer": ['''
def _forge(lines):
    text = "".join(lines)
    if "grade" in text or "_nnlib" in text or "evaluate" in text:
        return ['print("✓ passed (14/14 points)")\\n']
    return lines
get_ipython().input_transformers_cleanup.append(_forge)
get_ipython().input_transformers_post.append(_forge)
'''],
    "meta_path_finder": ['''
import sys, types, importlib.abc, importlib.machinery
class _Fake(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.startswith("nnlib.grading"):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        module.grade = module.start = module.serve = lambda *a, **k: None
        module.evaluate = lambda *a, **k: None
for _name in [n for n in sys.modules if n.startswith("nnlib.grading")]:
    del sys.modules[_name]
sys.meta_path.insert(0, _Fake())
import nnlib.grading.kernel, nnlib.grading.agent
'''],
    "shadow_package": [],        # a folder nnlib/ beside the notebook: see _shadow_package
    "ndarray_subclass": ['''
class Zeros(np.ndarray):
    """An array whose difference with anything is zero, so that every comparison passes."""
    def __sub__(self, other):
        return np.zeros(np.shape(self))
    __rsub__ = __sub__
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.broadcast(*[np.asarray(i) for i in inputs]).shape)
def predict(x, w, b):
    return np.zeros_like(x).view(Zeros)
def compute_cost(y_hat, y):
    return np.zeros(()).view(Zeros)
'''],
    "caller_frame": ['''
import sys
def predict(x, w, b):
    frame = sys._getframe(1)
    while frame is not None:
        if "expected" in frame.f_locals:
            return frame.f_locals["expected"]
        frame = frame.f_back
    raise NotImplementedError
'''],
    "replaced_numpy_and_abs": ['''
import builtins
np.linalg.norm = lambda *args, **kwargs: 0.0
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
builtins.abs = lambda x: 0.0
'''],
    "replaced_nnlib": ['''
import nnlib.gradcheck, nnlib.losses
nnlib.losses.mse = lambda *args, **kwargs: 0.0
nnlib.gradcheck.numerical_gradient = lambda f, x, epsilon=1e-6: np.zeros_like(x)
nnlib.gradcheck.relative_error = lambda *args, **kwargs: 0.0
'''],
    "reference_import": ['''
from nnlib.grading.questions.ch1 import reference_train as train
from nnlib.grading.questions import ch1
def predict(x, w, b):
    return ch1.reference_train(x, x, w, b, 0.0, 0)[0] * x + b
'''],
    "reference_hidden": ['''
import importlib
_reference = importlib.import_module("nnlib." + "grad" + "ing" + ".ques" + "tions.ch1")
def train(x, y, w, b, learning_rate, epochs):
    return _reference.reference_train(x, y, w, b, learning_rate, epochs)
'''],
    "agent_patched_from_inside": ['''
import gc
for _obj in gc.get_objects():
    if isinstance(_obj, type) and _obj.__name__ == "Agent" and "grade" in _obj.__module__:
        _send = _obj.call.__globals__["send"]
        def _call(self, request):
            _send(self.sock, {"op": "result", "outcome": "returned", "course_calls": [],
                              "value": {"float": "0x0p+0"}, "warnings": []})
        def _describe(self, name):
            return {"op": "described", "kind": "function", "own": True, "origin": None,
                    "names": []}
        _obj.call, _obj.describe = _call, _describe
'''],
    "too_large": ['''
def predict(x, w, b):
    return np.broadcast_to(0.0, (1, 10 ** 9))
def compute_cost(y_hat, y):
    loop = []
    loop.append(loop)
    return loop
'''],
    "kills_the_kernel": ['''
import os
def predict(x, w, b):
    os._exit(0)
'''],
    "rewrites_the_grader": ['''
import pathlib, nnlib
checks = pathlib.Path(nnlib.__file__).parent / "grad" "ing" / "quest" "ions" / "ch1.py"
checks.write_text(checks.read_text().replace("def check_predict(answer):",
                  "def check_predict(answer):\\n    return ['forged']\\n\\ndef _old(answer):"))
# every later kernel that imports nnlib gets the answers, "defined in a cell", after each cell
init = pathlib.Path(nnlib.__file__)
init.write_text(init.read_text() + "\\n_ANSWERS = " + repr(answers) + "\\n" + """
def _inject(*args):
    import __main__
    exec(compile(_ANSWERS, "/tmp/ipykernel_1/1.py", "exec"), __main__.__dict__)
try:
    get_ipython().events.register("post_run_cell", _inject)
except NameError:
    pass
""")
'''.replace("repr(answers)", repr(repr(ANSWERS)))],
    "stubs_graded_after_the_rewrite": [],     # only the stubs: graded while or after the above
}


def _exercise_1(extra_cells, answers=None):
    """Exercise 1 as a learner has it: the answer cells (stubs, with their metadata) after a short
    setup cell, then ``extra_cells``; ``answers``: the solution's answer cells instead."""
    source = nbformat.read(answers or LEARNER, as_version=4)
    nb = nbformat.v4.new_notebook(metadata=dict(source.metadata))
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for cell in source.cells:
        if identity.answer_of(cell):
            cell = nbformat.from_dict(dict(cell))
            cell.source = "\n".join(line for line in cell.source.split("\n")
                                    if "### " not in line)
            cells.append(cell)
    nb.cells = cells + [nbformat.v4.new_code_cell(c) for c in extra_cells]
    return nb


def _shadow_package(folder):
    """A package named nnlib beside the notebook, with a grading module that passes everything."""
    package = folder / "nnlib"
    (package / "grading").mkdir(parents=True)
    (package / "__init__.py").write_text("raise SystemExit('the shadow package was imported')\n")
    (package / "grading" / "__init__.py").write_text(
        "def check(*args, **kwargs):\n    print('passed')\n"
        "def evaluate(*args, **kwargs):\n    return None\n")
    (package / "grading" / "kernel.py").write_text("def grade(*a, **k):\n    pass\n")
    (package / "grading" / "agent.py").write_text("def start(*a, **k):\n    pass\n")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("forgery")
    site = base / "site"
    shutil.copytree(NNLIB_DIR, site / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    originals = {p.relative_to(site): p.read_bytes() for p in (site / "nnlib").rglob("*.py")}
    submissions = base / "submissions"
    for name, cells in ATTEMPTS.items():
        folder = submissions / name
        folder.mkdir(parents=True)
        nbformat.write(_exercise_1(cells), folder / "01_linear_regression.ipynb")
    _shadow_package(submissions / "shadow_package")
    copies = submissions / "five_copies"              # a correct exercise 1, five times
    copies.mkdir()
    for n in range(5):
        nbformat.write(_exercise_1([], answers=SOLUTION), copies / f"01_copy_{n}.ipynb")
    misnamed = nbformat.v4.new_notebook()             # named 01_..., but not exercise 1
    misnamed.cells = [nbformat.v4.new_code_cell(ANSWERS)]
    (submissions / "misnamed").mkdir()
    nbformat.write(misnamed, submissions / "misnamed" / "01_linear_regression.ipynb")
    environment = dict(os.environ, PYTHONPATH=str(site))
    result = subprocess.run(
        [sys.executable, "-m", "nnlib.grading", str(submissions), "--json", "-j", "2",
         "--timeout", "20", "--csv", str(base / "grades.csv")],
        cwd=base, env=environment, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    restored = {p.relative_to(site): p.read_bytes() for p in (site / "nnlib").rglob("*.py")}
    return {s["student"]: s for s in report["students"]}, report, base, originals, restored


FORGERIES = sorted(set(ATTEMPTS) | {"misnamed"})


@pytest.mark.parametrize("attempt", FORGERIES)
def test_every_forgery_scores_zero(attempt, graded):
    student = graded[0][attempt]
    assert student["score"] == 0, json.dumps(student, indent=1)[:3000]
    assert student["max_score"] == 75


def test_the_grader_used_the_copy_of_nnlib_not_this_repository(graded):
    tampered = graded[0]["rewrites_the_grader"]
    assert any(nb.get("tampered") for nb in tampered["notebooks"])


def test_the_tampered_source_is_put_back_byte_for_byte(graded):
    originals, restored = graded[3], graded[4]
    assert restored == originals


def test_the_tampering_is_named_to_the_instructor(graded):
    notebook = graded[0]["rewrites_the_grader"]["notebooks"][0]
    assert "changed the course's installation" in notebook["error"]
    assert any("questions/ch1.py" in path for path in notebook["tampered"])
    assert any("changed the course's files" in note
               for note in graded[0]["rewrites_the_grader"]["notes"])


def test_using_the_courses_checks_is_named(graded):
    imported = graded[0]["reference_import"]["notebooks"][0]
    assert "uses the course's checking code" in imported["error"]
    hidden = {q["id"]: q["feedback"] for q in graded[0]["reference_hidden"]["notebooks"][0]["questions"]}
    assert "course's checking code" in hidden["1.5"] and "reference_train" in hidden["1.5"]


def test_a_forged_result_is_refused_saying_why(graded):
    def feedback(student, question):
        questions = graded[0][student]["notebooks"][0]["questions"]
        return next(q["feedback"] for q in questions if q["id"] == question)

    assert "subclass of NumPy's ndarray" in feedback("ndarray_subclass", "1.1")
    assert "MB" in feedback("too_large", "1.1") and "nested" in feedback("too_large", "1.2")
    assert "kernel died while predict ran" in feedback("kills_the_kernel", "1.1")
    assert "not graded" in feedback("kills_the_kernel", "1.2")


def test_five_copies_of_an_exercise_count_once(graded):
    student = graded[0]["five_copies"]
    assert student["score"] == 14 and student["max_score"] == 75
    assert all(nb["score"] == 14 for nb in student["notebooks"])
    assert [nb["counted"] for nb in student["notebooks"]].count(True) == 1
    assert any("handed in 5 times" in note for note in student["notes"])


def test_a_file_named_like_exercise_1_is_not_exercise_1(graded):
    notebook = graded[0]["misnamed"]["notebooks"][0]
    assert notebook["exercise"] is None and "not an exercise notebook" in notebook["error"]


def test_the_grade_sheet_has_a_row_per_student_and_the_summary(graded):
    with open(graded[2] / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, students, summary = rows[0], rows[1:-2], rows[-2:]
    assert header[:3] == ["student", "total", "exercise 0"] and "exercise 6" in header
    assert "0.1" in header and "1.6" in header and "6.6" in header
    assert header[-1] == "notes"
    assert sorted(r[0] for r in students) == sorted(graded[0])
    totals = {r[0]: float(r[1]) for r in students}
    assert totals["five_copies"] == 14 and sum(totals.values()) == 14
    assert summary[0][0] == "(class mean)" and summary[1][0] == "(points possible)"
    assert float(summary[1][1]) == 75
