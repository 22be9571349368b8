"""classroom.py and the learner's total: who handed in what, each exercise once, the grade sheet.
(A real class graded with -j 2: test_grading_forgery.py.)"""

import csv

import pytest

from nnlib.grading import registry
from nnlib.grading.classroom import (UsageError, class_report, find_submissions, student_of_file,
                                     summary_lines, write_csv)
from nnlib.grading.grader import learner_report


def touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return path


@pytest.mark.parametrize("name, student", [
    ("alice_01_linear_regression.ipynb", "alice"),
    ("mary_ann_03_logistic_regression.ipynb", "mary_ann"),
    ("bob.smith_2_x.ipynb", "bob.smith"),
    ("01_linear_regression.ipynb", None),
    ("notes.ipynb", None),
])
def test_the_student_of_a_file_is_the_name_before_the_exercise_number(name, student):
    assert student_of_file(name) == student


def test_a_workspace_is_one_learners(tmp_path):
    touch(tmp_path / "01_linear_regression.ipynb")
    touch(tmp_path / "my_notes.ipynb")
    touch(tmp_path / ".backups" / "01_linear_regression.old.ipynb")
    touch(tmp_path / ".ipynb_checkpoints" / "01_linear_regression-checkpoint.ipynb")
    submissions, is_class, problems = find_submissions([tmp_path])
    assert not is_class and problems == []
    assert [(s.student, s.path.name) for s in submissions] == [
        (None, "01_linear_regression.ipynb"), (None, "my_notes.ipynb")]


def test_a_class_is_a_folder_per_student_and_files_named_after_students(tmp_path):
    touch(tmp_path / "alice" / "01_linear_regression.ipynb")
    touch(tmp_path / "alice" / "later" / "02_many_features.ipynb")
    touch(tmp_path / "bob" / "whatever.ipynb")
    touch(tmp_path / "carol_01_linear_regression.ipynb")
    touch(tmp_path / "01_no_owner.ipynb")
    touch(tmp_path / "empty" / "README.md")
    submissions, is_class, problems = find_submissions([tmp_path])
    assert is_class
    assert sorted((s.student, s.path.name) for s in submissions) == [
        ("alice", "01_linear_regression.ipynb"), ("alice", "02_many_features.ipynb"),
        ("bob", "whatever.ipynb"), ("carol", "carol_01_linear_regression.ipynb")]
    assert len(problems) == 1 and "01_no_owner.ipynb: whose is it?" in problems[0]


def test_a_folder_of_named_files_is_a_class_and_csv_makes_any_folder_one(tmp_path):
    touch(tmp_path / "named" / "alice_01_a.ipynb")
    touch(tmp_path / "named" / "bob_01_a.ipynb")
    assert find_submissions([tmp_path / "named"])[1]
    touch(tmp_path / "plain" / "01_a.ipynb")
    assert not find_submissions([tmp_path / "plain"])[1]
    assert find_submissions([tmp_path / "plain"], classroom=True)[1]


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing", "does not exist"),
    (lambda p: touch(p / "README.md"), "not a notebook"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "no notebooks"),
])
def test_paths_that_cannot_be_graded_are_usage_errors(tmp_path, make, message):
    with pytest.raises(UsageError, match=message):
        find_submissions([make(tmp_path)])


# -- the reports -----------------------------------------------------------------------------------

def entry(path, exercise, points):
    """A graded notebook of ``exercise`` with ``points`` for every question (in order)."""
    questions = registry.questions_for(exercise) if exercise else []
    qs = [{"id": q.id, "passed": p == q.points, "score": float(p), "max_score": q.points,
           "feedback": ""} for q, p in zip(questions, points)]
    return {"path": path, "exercise": exercise, "version": 1, "max_score": float(sum(q.points for q in questions)),
            "score": float(sum(q["score"] for q in qs)), "error": None if exercise else "not an exercise",
            "questions": qs}


def test_each_exercise_counts_once_the_best_and_the_total_is_the_courses():
    report = learner_report([entry("a.ipynb", 1, [2, 2, 0, 0, 0, 0]),
                             entry("b.ipynb", 1, [2, 2, 3, 2, 3, 2]),
                             entry("c.ipynb", 1, [2, 0, 0, 0, 0, 0]),
                             entry("d.ipynb", 3, [2, 0, 0, 0, 0]),
                             entry("e.ipynb", None, [])])
    assert report["max_score"] == 75 == sum(registry.points_of(e) for e in registry.exercises())
    assert report["score"] == 14 + 2
    by_number = {x["exercise"]: x for x in report["exercises"]}
    one = by_number[1]
    assert one["notebook"] == "b.ipynb" and one["duplicates"] == ["a.ipynb", "c.ipynb"]
    assert [nb["counted"] for nb in report["notebooks"]] == [False, True, False, True, False]
    assert by_number[2]["notebook"] is None and by_number[2]["score"] == 0
    assert by_number[0]["notebook"] is None and by_number[0]["max_score"] == 10


@pytest.fixture
def sheet(tmp_path):
    reports = {
        "alice": learner_report([entry("alice/1.ipynb", 1, [2, 2, 3, 2, 3, 2]),
                                 entry("alice/1b.ipynb", 1, [2, 0, 0, 0, 0, 0])]),
        "bob": learner_report([entry("bob/2.ipynb", 2, [2, 3, 0, 0, 0]),
                               entry("bob/x.ipynb", None, [])]),
    }
    report = class_report(reports, problems=["stray.ipynb: whose is it?"])
    write_csv(report, tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv", newline="", encoding="utf-8") as handle:
        return report, list(csv.reader(handle))


def test_the_sheet_has_one_row_per_student_and_a_column_per_exercise_and_question(sheet):
    report, rows = sheet
    header = rows[0]
    questions = [q.id for e in registry.exercises() for q in registry.questions_for(e)]
    assert header == (["student", "total"] + [f"exercise {e}" for e in registry.exercises()]
                      + questions + ["notes"])
    alice, bob = rows[1], rows[2]
    column = {name: i for i, name in enumerate(header)}
    assert alice[0] == "alice" and float(alice[column["total"]]) == 14
    assert float(alice[column["exercise 1"]]) == 14 and float(alice[column["1.3"]]) == 3
    assert "exercise 1 handed in 2 times" in alice[column["notes"]]
    assert float(bob[column["total"]]) == 5 and float(bob[column["2.2"]]) == 3
    assert float(bob[column["1.1"]]) == 0 and "x.ipynb: not an exercise" in bob[column["notes"]]


def test_the_sheet_ends_with_the_class_mean_and_the_points_possible(sheet):
    report, rows = sheet
    column = {name: i for i, name in enumerate(rows[0])}
    mean, possible = rows[-2], rows[-1]
    assert mean[0] == "(class mean)" and float(mean[column["total"]]) == (14 + 5) / 2
    assert float(mean[column["1.3"]]) == 1.5 and mean[column["notes"]] == "2 students"
    assert possible[0] == "(points possible)" and float(possible[column["total"]]) == 75
    assert float(possible[column["exercise 4"]]) == 11 and float(possible[column["4.5"]]) == 2


def test_the_terminal_summary_lists_students_notes_and_problems(sheet):
    text = "\n".join(summary_lines(sheet[0]))
    assert "alice" in text and "14/75" in text and "5/75" in text
    assert "note: exercise 1 handed in 2 times" in text
    assert "problem: stray.ipynb: whose is it?" in text and "(class mean)" in text
