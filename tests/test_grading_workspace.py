"""workspace.py: make start says when an exercise has a newer version; make update carries every
answer into it, backs up the old file and never loses a line the learner wrote."""

import copy
import datetime
from pathlib import Path

import nbformat
import pytest

from nnlib.grading import identity, workspace
from nnlib.grading.generate import BEGIN, END

ROOT = Path(__file__).resolve().parent.parent
LEARNER = ROOT / "exercises" / "01_linear_regression.ipynb"
SOLUTION = ROOT / "exercises" / "solutions" / "01_linear_regression.ipynb"


def _answer_text(question_id):
    """The solution's answer to ``question_id``, as a learner would have written it."""
    nb = nbformat.read(SOLUTION, as_version=4)
    cell = next(c for c in nb.cells if identity.answer_of(c) == question_id)
    return "\n".join(line for line in cell.source.split("\n") if line.strip() not in (BEGIN, END))


def _cell(nb, question_id):
    return next(c for c in nb.cells if identity.answer_of(c) == question_id)


@pytest.fixture
def course(tmp_path):
    """exercises/ at version 2 (1.2's stub reworded, question 1.6 gone) and a workspace/ copy of
    version 1 with answers to 1.1 and 1.3, an own cell, and 1.6 answered."""
    v1 = nbformat.read(LEARNER, as_version=4)
    mine = copy.deepcopy(v1)
    _cell(mine, "1.1").source = _answer_text("1.1") + "\n# my note: the bias moves the line up"
    _cell(mine, "1.3").source = _answer_text("1.3")
    _cell(mine, "1.6").source = "learning_rate = 0.1   # found by trying 1, 0.1 and 0.01"
    index = mine.cells.index(_cell(mine, "1.1"))
    mine.cells.insert(index + 1, nbformat.v4.new_code_cell("print(predict(x, 2.0, 1.0)[0, :3])  # my try"))
    v2 = copy.deepcopy(v1)
    v2.metadata["nnlib"]["version"] = 2
    stub = _cell(v2, "1.2")
    stub.source = stub.source.replace('"""J = (1/m)', '"""The mean squared error J = (1/m)')
    stub.metadata["nnlib"]["stub"] = identity.stub_hash(stub.source)
    v2.cells.remove(_cell(v2, "1.6"))
    (tmp_path / "exercises").mkdir()
    (tmp_path / "workspace").mkdir()
    nbformat.write(v2, tmp_path / "exercises" / LEARNER.name)
    nbformat.write(mine, tmp_path / "workspace" / LEARNER.name)
    return tmp_path, mine, v2


def test_start_says_when_the_course_has_a_newer_version(course, capsys):
    root, _, _ = course
    assert workspace.main(["start", "--source", str(root / "exercises"),
                           "--workspace", str(root / "workspace")]) == 0
    out = capsys.readouterr().out
    assert "yours is version 1 of the exercise, the course now has version 2" in out
    assert "make update" in out
    assert [o.newer for o in workspace.outdated(root / "exercises", root / "workspace")] == [2]


def test_update_carries_each_answer_by_its_question(course):
    root, mine, v2 = course
    before = (root / "workspace" / LEARNER.name).read_bytes()
    [report] = workspace.update(root / "exercises", root / "workspace",
                                now=datetime.datetime(2026, 3, 1, 9, 30))
    new = nbformat.read(root / "workspace" / LEARNER.name, as_version=4)
    assert identity.version_of(new) == 2
    assert report.carried == ["1.1", "1.3"] and report.fresh == ["1.2", "1.4", "1.5"]
    assert _cell(new, "1.1").source == _cell(mine, "1.1").source
    assert _cell(new, "1.3").source == _cell(mine, "1.3").source
    assert _cell(new, "1.2").source == _cell(v2, "1.2").source       # never started: the new stub
    index = new.cells.index(_cell(new, "1.1"))
    assert new.cells[index + 1].source.endswith("# my try") and report.own_cells == 1
    assert report.backup == root / "workspace" / ".backups" / \
        "01_linear_regression.2026-03-01-093000.v1.ipynb"
    assert report.backup.read_bytes() == before


def test_update_lists_what_it_could_not_carry_and_loses_no_line(course):
    root, mine, _ = course
    [report] = workspace.update(root / "exercises", root / "workspace")
    assert len(report.not_carried) == 1 and "question 1.6" in report.not_carried[0]
    new = nbformat.read(root / "workspace" / LEARNER.name, as_version=4)
    new_lines = {line for cell in new.cells for line in cell.source.split("\n")}
    backup = nbformat.read(report.backup, as_version=4)
    given = {cell.source for cell in nbformat.read(LEARNER, as_version=4).cells}
    written = [cell for cell in mine.cells if cell.source not in given]     # the learner's
    assert len(written) == 4
    for cell in written:
        for line in cell.source.split("\n"):
            if line.strip() and line not in new_lines:
                assert "learning_rate = 0.1" in line                    # reported: 1.6 is gone
                assert any(line in c.source for c in backup.cells)      # and in the backup


def test_update_twice_changes_nothing_the_second_time(course, capsys):
    root, _, _ = course
    args = ["update", "--source", str(root / "exercises"), "--workspace", str(root / "workspace")]
    assert workspace.main(args) == 0
    first = (root / "workspace" / LEARNER.name).read_bytes()
    assert workspace.main(args) == 0
    assert "is the course's latest version" in capsys.readouterr().out
    assert (root / "workspace" / LEARNER.name).read_bytes() == first


def test_a_copy_made_before_versions_is_matched_by_its_cells(course):
    root, mine, v2 = course
    old = copy.deepcopy(mine)
    old.metadata.pop("nnlib")
    for cell in old.cells:
        cell.metadata.pop("nnlib", None)
    nbformat.write(old, root / "workspace" / LEARNER.name)
    [item] = workspace.outdated(root / "exercises", root / "workspace")
    assert item.yours is None                                      # matched by its file name
    merged, report = workspace.carry_answers(old, v2)
    assert _cell(merged, "1.1").source == _cell(mine, "1.1").source
    assert _cell(merged, "1.3").source == _cell(mine, "1.3").source
    assert report.fresh == ["1.4", "1.5"]              # stubs the course did not change
    # Without the stub's hash (a copy made before there were any), an old stub the course has
    # since reworded cannot be told from an answer: it is kept as it was, nothing is lost.
    assert report.carried == ["1.1", "1.2", "1.3"]
    assert _cell(merged, "1.2").source == _cell(mine, "1.2").source


def test_a_renamed_copy_of_exercise_0_is_found_by_its_metadata(tmp_path):
    """Exercise 0's number is 0: a renamed copy is still matched by its metadata."""
    learner = nbformat.read(ROOT / "exercises" / "00_introduction.ipynb", as_version=4)
    newer = copy.deepcopy(learner)
    newer.metadata["nnlib"]["version"] = learner.metadata["nnlib"]["version"] + 1
    (tmp_path / "exercises").mkdir()
    (tmp_path / "workspace").mkdir()
    nbformat.write(newer, tmp_path / "exercises" / "00_introduction.ipynb")
    nbformat.write(learner, tmp_path / "workspace" / "my_first_exercise.ipynb")
    [item] = workspace.outdated(tmp_path / "exercises", tmp_path / "workspace")
    assert item.path.name == "my_first_exercise.ipynb" and item.newer == item.yours + 1


def test_an_update_that_would_lose_a_line_changes_nothing(course, monkeypatch):
    root, _, _ = course
    before = (root / "workspace" / LEARNER.name).read_bytes()
    original = workspace.carry_answers

    def lossy(old, new, name="notebook"):
        merged, report = original(old, new, name)
        report.not_carried.clear()
        _cell(merged, "1.1").source = "def predict(x, w, b):\n    pass"
        workspace._check_nothing_lost(old, merged, workspace._answer_cells(old, new),
                                      {identity.answer_of(c): c for c in merged.cells
                                       if identity.answer_of(c)}, report)
        return merged, report

    monkeypatch.setattr(workspace, "carry_answers", lossy)
    with pytest.raises(RuntimeError, match="would lose lines of your answer to 1.1"):
        workspace.update(root / "exercises", root / "workspace")
    assert (root / "workspace" / LEARNER.name).read_bytes() == before
