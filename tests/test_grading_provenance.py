"""provenance.py: what the notebook's text says, read without running it."""

import nbformat
import pytest

from nnlib.grading.kernel_session import RunReport
from nnlib.grading.provenance import NotebookFacts, python_source


def facts(*sources, markdown=False):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title")] if markdown else []
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return NotebookFacts(nb)


def test_cells_are_numbered_as_in_the_notebook_and_magics_do_not_break_the_analysis():
    f = facts("%matplotlib inline\nimport numpy as np", "!echo hi\ndef predict(x, w, b):\n    return x",
              markdown=True)
    assert [n for n, _ in f.code_cells] == [2, 3]
    assert f.syntax_errors == {} and f.not_own("predict") is None
    assert "run_line_magic" in python_source("%time 1")


@pytest.mark.parametrize("source", [
    "from nnlib.grading.questions.ch3 import ref_sigmoid",
    "import nnlib.grading.questions.ch1 as ch1",
    "from nnlib.grading import questions",
    "from nnlib.grading import diagnose, check",
    "import nnlib\nf = nnlib.grading.runner.evaluate",
    "from nnlib import grading\nq = grading.questions",
    "import importlib\nm = importlib.import_module('nnlib.grading.questions.ch1')",
    "path = 'nnlib/grading/questions/ch1.py'",
    "this cell does not parse ( 'nnlib.grading.diagnose'",
])
def test_using_the_courses_checking_code_is_found(source):
    f = facts("import numpy as np", source)
    assert f.course_code is not None and f.course_code.startswith("cell 2")


@pytest.mark.parametrize("source", [
    "from nnlib.grading import check, skip_if_not_implemented",
    "from nnlib.grading import evaluate, Result, Mistake",
    "import nnlib.grading\nnnlib.grading.check('1.1')",
    "print('grading: done')",
    "import nnlib\nX, Y = nnlib.datasets.house_prices(['lotsize'])",
])
def test_the_public_interactive_api_is_allowed(source):
    assert facts(source).course_code is None


@pytest.mark.parametrize("source, where", [
    ("from nnlib.activations import sigmoid", "imported from nnlib.activations (cell 1)"),
    ("import numpy as np\nfrom numpy import tanh as sigmoid", "imported from numpy (cell 1)"),
    ("import nnlib\nsigmoid = nnlib.activations.sigmoid", "assigned from nnlib.activations.sigmoid"),
    ("if True:\n    from scipy.special import expit as sigmoid", "imported from scipy.special"),
])
def test_a_name_bound_only_by_import_or_assignment_is_not_the_learners(source, where):
    assert facts(source).not_own("sigmoid").startswith(where)


@pytest.mark.parametrize("sources", [
    ["def sigmoid(Z):\n    return Z"],
    ["sigmoid = lambda Z: Z"],
    ["def mine(Z):\n    return Z\nsigmoid = mine"],
    ["from nnlib.activations import sigmoid", "def sigmoid(Z):\n    return Z"],   # redefined
    ["x = 1"],                       # not bound at all: the kernel's agent says what it is
])
def test_a_function_defined_in_the_notebook_is_the_learners(sources):
    assert facts(*sources).not_own("sigmoid") is None


def test_why_a_name_is_missing():
    f = facts("import numpy as np", "def predict(x, w, b)\n    return 0",
              "def train(x):\n    return undefined_name\ntrain(1)", "def update():\n    pass")
    run = RunReport(errors=[(3, "NameError", "name 'undefined_name' is not defined")],
                    not_run=[4], stopped="cell 3 took too long")
    assert "the cell that defines it (cell 2) has a syntax error (line 1: " \
        in f.why_missing("predict", "1.1", run)
    assert "cell 3, which defines train, raised NameError" in f.why_missing("train", "1.5", run)
    assert "cell 4, which defines update, was not run: cell 3 took too long" in \
        f.why_missing("update", "1.4", run)
    assert f.why_missing("nowhere", "1.2", run) is None


def test_the_answer_cell_counts_as_defining_its_question():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("broken (", metadata={"nnlib": {"answer": "1.6"}})]
    f = NotebookFacts(nb)
    assert f.answer_cells == {"1.6": 1}
    assert "(cell 1) has a syntax error (line 1: " in f.why_missing("learning_rate", "1.6", RunReport())
