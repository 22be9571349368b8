"""nnlib-grade end to end: solutions score full marks, learner notebooks 0, and notebooks that
raise, loop forever, print a lot, return the wrong type, redefine names or kill the kernel are
still graded (question by question) without the grader failing or writing to them; each
exercise counts once, out of the course's total. (Forgeries: test_grading_forgery.py.)"""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from nnlib.grading import cli
from nnlib.grading.grader import learner_report
from nnlib.grading.registry import questions_for

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))
LEARNERS = [ROOT / "exercises" / p.name for p in SOLUTIONS]


def run_grade(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "nnlib.grading", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def fingerprint(paths):
    return {str(p): (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


NOTEBOOK_KEYS = {"path", "exercise", "version", "score", "max_score", "error", "questions"}


def check_schema(report):
    assert set(report) == {"score", "max_score", "exercises", "notebooks"}
    assert isinstance(report["score"], float) and isinstance(report["max_score"], float)
    assert report["max_score"] == 75.0                  # the course's total, whatever was found
    assert [x["exercise"] for x in report["exercises"]] == [0, 1, 2, 3, 4, 5, 6]
    for x in report["exercises"]:
        assert set(x) == {"exercise", "score", "max_score", "notebook", "duplicates"}
    assert report["score"] == sum(x["score"] for x in report["exercises"])
    for nb in report["notebooks"]:
        assert set(nb) - {"tampered"} == NOTEBOOK_KEYS | {"counted"}
        assert isinstance(nb["path"], str) and isinstance(nb["score"], float)
        assert isinstance(nb["max_score"], float) and (nb["error"] is None or isinstance(nb["error"], str))
        for q in nb["questions"]:
            assert set(q) == {"id", "passed", "score", "max_score", "feedback"}
            assert isinstance(q["id"], str) and isinstance(q["passed"], bool)
            assert isinstance(q["score"], float) and isinstance(q["max_score"], float)
            assert isinstance(q["feedback"], str)
            assert q["score"] == (q["max_score"] if q["passed"] else 0.0)


# -- the course's own notebooks ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def course_report():
    """Every solution and learner notebook graded once (in this process; the CLI is tested
    on the robustness notebooks below)."""
    from nnlib.grading.grader import grade_notebook

    before = fingerprint(SOLUTIONS + LEARNERS)
    notebooks, errors = [], {}
    for path in SOLUTIONS + LEARNERS:
        errors[path] = []
        notebooks.append(grade_notebook(path, timeout=60, cell_errors=errors[path]))
    assert fingerprint(SOLUTIONS + LEARNERS) == before, "the grader changed a notebook"
    return {"notebooks": notebooks}, errors


def test_the_report_has_the_schema(course_report):
    for nb in course_report[0]["notebooks"]:
        assert set(nb) == NOTEBOOK_KEYS
    assert len(course_report[0]["notebooks"]) == 2 * len(SOLUTIONS)


def test_solutions_and_learner_notebooks_of_an_exercise_count_once(course_report):
    report = learner_report([dict(nb) for nb in course_report[0]["notebooks"]])
    check_schema(report)
    assert report["score"] == 75.0
    for x in report["exercises"]:
        assert "solutions" in x["notebook"] and len(x["duplicates"]) == 1


def test_every_solution_scores_full_marks_and_runs_without_error(course_report):
    by_path = {Path(nb["path"]).resolve(): nb for nb in course_report[0]["notebooks"]}
    for solution in SOLUTIONS:
        nb = by_path[solution.resolve()]
        assert nb["error"] is None and course_report[1][solution] == []
        assert nb["max_score"] > 0 and nb["score"] == nb["max_score"], nb
        chapter = int(solution.name[:2])
        assert nb["exercise"] == chapter and nb["version"] == 1
        assert [q["id"] for q in nb["questions"]] == [q.id for q in questions_for(chapter)]


def test_every_learner_notebook_scores_zero_and_runs_to_the_end(course_report):
    by_path = {Path(nb["path"]).resolve(): nb for nb in course_report[0]["notebooks"]}
    for learner in LEARNERS:
        nb = by_path[learner.resolve()]
        assert course_report[1][learner] == [], f"{learner.name}: cells raised {course_report[1][learner]}"
        assert nb["error"] is None and nb["score"] == 0 and nb["max_score"] > 0
        for q in nb["questions"]:
            assert "not implemented yet" in q["feedback"], q


# -- robustness ------------------------------------------------------------------------------------------

CORRECT = '''
import numpy as np
import nnlib
from nnlib.grading import check

def predict(x, w, b):
    return w * x + b

def compute_cost(y_hat, y):
    return float(np.mean((y - y_hat) ** 2))

def compute_gradients(x, y, y_hat):
    m = x.shape[1]
    return -2 / m * np.sum(x * (y - y_hat)), -2 / m * np.sum(y - y_hat)

def update(w, b, dw, db, learning_rate):
    return w - learning_rate * dw, b - learning_rate * db

def train(x, y, w, b, learning_rate, epochs):
    costs = []
    for _ in range(epochs):
        y_hat = predict(x, w, b)
        costs.append(compute_cost(y_hat, y))
        dw, db = compute_gradients(x, y, y_hat)
        w, b = update(w, b, dw, db, learning_rate)
    return w, b, costs

learning_rate = 0.1
'''

CASES = {
    # raises, returns the wrong type (a str, a list)
    "01_broken": ["""
def predict(x, w, b):
    return w * x + b + 1 / 0

def update(w, b, dw, db, learning_rate):
    return "w, b"

def compute_cost(y_hat, y):
    return [0.5]
""", 'check("1.1", predict)'],
    # an endless function, an endless cell, and a flood of output
    "01_endless": ["""
def train(x, y, w, b, learning_rate, epochs):
    print("training", flush=True)
    while True:
        pass

def predict(x, w, b):
    for i in range(2000):
        print("predicting", i)
    return w * x + b
""", "while True:\n    pass", 'for i in range(200_000):\n    print("a line of output", i)'],
    # redefines check, prints fake results, reuses a name
    "01_redefines": ["""
def compute_cost(y_hat, y):
    return float(np.sum((y - y_hat) ** 2))
""", """
def check(*args, **kwargs):
    print("✓ passed (2/2 points)")

print('{"id": "1.2", "passed": true, "score": 2.0, "max_score": 2.0, "feedback": "", "status": "passed"}')
predict = 42
""", 'check("1.2")'],
    "01_dies": ["import os\nos._exit(1)"],
    # loops that swallow the interrupt (KeyboardInterrupt) and the check's time limit
    "01_stubborn": ["""
def train(x, y, w, b, learning_rate, epochs):
    while True:
        try:
            while True:
                pass
        except BaseException:
            pass
""", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        "learning_rate = 'never set: this cell is not run'"],
    # a syntax error in the (only) cell that defines a function
    "01_typo": ["del compute_gradients", "def compute_gradients(x, y, y_hat)\n    return 0.0, 0.0\n"],
}
EXERCISE_1 = {"nnlib": {"exercise": 1, "version": 1}}


def _write_case(folder, name, cells, metadata=EXERCISE_1):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}, **metadata})
    nb.cells = [nbformat.v4.new_code_cell(CORRECT)] + [nbformat.v4.new_code_cell(c) for c in cells]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def robustness(tmp_path_factory):
    folder = tmp_path_factory.mktemp("robustness")
    paths = [_write_case(folder, name, cells) for name, cells in CASES.items()]
    (folder / "01_not_a_notebook.ipynb").write_text("this is not JSON {")
    before = fingerprint(sorted(folder.glob("*.ipynb")))
    result = run_grade(folder, "--json", "--timeout", "4.5")   # any positive number of seconds
    assert fingerprint(sorted(folder.glob("*.ipynb"))) == before, "the grader changed a notebook"
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    check_schema(report)
    return {Path(nb["path"]).stem: nb for nb in report["notebooks"]}, paths, result.stdout


def _scores(nb):
    return {q["id"]: q["score"] for q in nb["questions"]}, {q["id"]: q["feedback"] for q in nb["questions"]}


def test_code_that_raises_or_returns_the_wrong_type_gets_zero_with_the_reason(robustness):
    nb = robustness[0]["01_broken"]
    scores, feedback = _scores(nb)
    assert nb["error"] is None
    assert scores["1.1"] == 0 and "ZeroDivisionError" in feedback["1.1"] and "1 / 0" in feedback["1.1"]
    assert scores["1.4"] == 0 and "two values" in feedback["1.4"]
    assert scores["1.2"] == 0 and "one number" in feedback["1.2"]
    assert scores["1.3"] == 3 and scores["1.6"] == 2      # the rest is graded


def test_an_endless_loop_and_a_flood_of_output_do_not_stop_the_grader(robustness):
    nb = robustness[0]["01_endless"]
    scores, feedback = _scores(nb)
    assert "time limit of 4.5 s" in nb["error"] and "cell 4 was not run" in nb["error"]
    assert scores["1.5"] == 0 and "did not return" in feedback["1.5"]
    assert all(scores[q] > 0 for q in ("1.1", "1.2", "1.3", "1.4", "1.6"))


def test_redefining_check_or_printing_results_fakes_nothing(robustness):
    nb = robustness[0]["01_redefines"]
    scores, feedback = _scores(nb)
    assert scores["1.1"] == 0 and "should be a function" in feedback["1.1"]
    assert scores["1.2"] == 0 and "1/m" in feedback["1.2"]
    assert scores["1.3"] == 2 * 1.5 and scores["1.4"] == 2 and scores["1.6"] == 2
    assert nb["score"] == 7 and nb["max_score"] == 14


def test_a_dying_kernel_is_reported_and_scores_zero(robustness):
    nb = robustness[0]["01_dies"]
    assert nb["error"] and "kernel died" in nb["error"] and nb["score"] == 0
    assert all("not graded" in q["feedback"] for q in nb["questions"])


def test_a_loop_that_ignores_the_interrupt_keeps_the_cells_after_it_from_running(robustness):
    nb = robustness[0]["01_stubborn"]
    scores, feedback = _scores(nb)
    assert "ignored the interrupt" in nb["error"] and "cell 3" in nb["error"]
    assert "cell 4 was not run" in nb["error"]
    assert scores["1.5"] == 0 and "did not" in feedback["1.5"]
    assert all(scores[q] > 0 for q in ("1.1", "1.2", "1.3", "1.4", "1.6"))   # graded all the same


def test_a_syntax_error_is_named_where_the_function_is_missing(robustness):
    nb = robustness[0]["01_typo"]
    scores, feedback = _scores(nb)
    assert scores["1.3"] == 0 and "(cell 3) has a syntax error (line 1: " in feedback["1.3"]
    assert "def compute_gradients(x, y, y_hat)" in feedback["1.3"]
    assert nb["error"] is None and scores["1.1"] == 2


def test_an_unreadable_notebook_is_reported(robustness):
    nb = robustness[0]["01_not_a_notebook"]
    assert nb["error"] and "could not be read" in nb["error"] and nb["score"] == 0
    assert nb["max_score"] == 0 and nb["exercise"] is None


def test_the_learners_total_counts_exercise_1_once(robustness):
    report = json.loads(robustness[2])
    one = next(x for x in report["exercises"] if x["exercise"] == 1)
    graded = [nb for nb in report["notebooks"] if nb["exercise"] == 1]
    assert len(graded) == 6 and len(one["duplicates"]) == 5         # 01_broken ... 01_typo
    assert one["score"] == max(nb["score"] for nb in graded) < 14
    assert [nb["counted"] for nb in graded].count(True) == 1
    assert report["score"] == one["score"] and report["max_score"] == 75


# -- usage -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["does/not/exist.ipynb"], ["README.md"], ["--timeout", "0"],
                                  ["--timeout", "soon"], ["--timeout", "-1"], ["--timeout", "nan"],
                                  ["--timeout", "inf"], ["-j", "0"], ["--no-such-option"]])
def test_usage_errors_exit_with_2(args):
    result = run_grade(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert "usage: nnlib-grade" in result.stderr


def test_any_positive_number_of_seconds_is_a_timeout():
    assert cli.positive_seconds("2.5") == 2.5 and cli.positive_seconds("1e-3") == 0.001


def test_a_notebook_without_an_exercise_id_is_not_graded_whatever_its_name(tmp_path):
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "notes.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "01_linear_regression.ipynb")
    result = run_grade(tmp_path, "--json")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    for nb in report["notebooks"]:
        assert "not an exercise notebook" in nb["error"] and nb["max_score"] == 0
    assert report["score"] == 0 and report["max_score"] == 75


def test_the_default_is_the_workspace_then_the_exercises(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.default_paths() == [Path("exercises")]
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "01_linear_regression.ipynb").write_text("{}")
    assert cli.default_paths() == [Path("workspace")]


def test_the_human_report_lists_points_and_feedback():
    report = {"score": 2.0, "max_score": 4.0, "notebooks": [{
        "path": "workspace/01_linear_regression.ipynb", "exercise": 1, "counted": True,
        "score": 2.0, "max_score": 4.0, "error": None,
        "questions": [
            {"id": "1.1", "passed": True, "score": 2.0, "max_score": 2.0, "feedback": "Passed."},
            {"id": "1.2", "passed": False, "score": 0.0, "max_score": 2.0,
             "feedback": "J is wrong: is the 1/m missing?"}]}]}
    text = cli.format_report(report)
    assert "1.1" in text and "✓ passed" in text and "2/2" in text
    assert "1.2: J is wrong: is the 1/m missing?" in text
    assert "Score: 2/4 points (50%)" in text


def test_the_human_report_names_exercise_0_and_its_duplicates():
    """Exercise 0 is an exercise like the others (0 is no 'no exercise')."""
    notebook = {"path": "workspace/00_introduction.ipynb", "exercise": 0, "counted": False,
                "score": 0.0, "max_score": 10.0, "error": None, "questions": []}
    text = cli.format_report({"score": 0.0, "max_score": 75.0, "notebooks": [notebook]})
    assert "00_introduction.ipynb  (exercise 0)" in text
    assert "this one does not count" in text


def test_a_notebook_of_exercise_0_that_tampers_scores_0_on_every_question():
    from nnlib.grading import grader

    entry = {"path": "00_introduction.ipynb", "exercise": 0, "version": 1, "score": 10.0,
             "max_score": 10.0, "error": None, "questions": []}
    tampered = grader._tampered(entry, ["nnlib/grading/questions/ch0.py"])
    assert [q["id"] for q in tampered["questions"]] == [q.id for q in questions_for(0)]
    assert tampered["score"] == 0 and all(not q["passed"] for q in tampered["questions"])


# -- make start --------------------------------------------------------------------------------------------

def test_start_copies_once_and_never_overwrites(tmp_path):
    from nnlib.grading.workspace import start

    source = tmp_path / "exercises"
    source.mkdir()
    (source / "01_a.ipynb").write_text("course v1")
    copied, kept = start(source, tmp_path / "workspace")
    assert [p.name for p in copied] == ["01_a.ipynb"] and kept == []
    (tmp_path / "workspace" / "01_a.ipynb").write_text("my answers")
    (source / "01_a.ipynb").write_text("course v2")          # git pull
    (source / "02_b.ipynb").write_text("new exercise")
    copied, kept = start(source, tmp_path / "workspace")
    assert [p.name for p in copied] == ["02_b.ipynb"] and [p.name for p in kept] == ["01_a.ipynb"]
    assert (tmp_path / "workspace" / "01_a.ipynb").read_text() == "my answers"
