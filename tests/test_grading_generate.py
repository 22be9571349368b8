"""The generator: each transformation on its own, then the committed learner notebooks."""

from pathlib import Path

import nbformat
import pytest

from nnlib.grading import generate
from nnlib.grading.generate import GenerateError, make_learner_notebook, render, strip_solutions

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))


def test_a_function_body_becomes_a_stub_at_the_same_indentation():
    source = ("def f(x):\n    \"\"\"doc\"\"\"\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n"
              "    ### END SOLUTION\n")
    new, changed = strip_solutions(source)
    assert changed
    assert new == ("def f(x):\n    \"\"\"doc\"\"\"\n    y = 1\n    # YOUR CODE HERE\n"
                   "    raise NotImplementedError(\"not implemented yet\")\n")
    compile(new, "stub", "exec")


def test_nested_indentation_is_kept():
    source = "def f(x):\n    if x:\n        ### BEGIN SOLUTION\n        return 1\n        ### END SOLUTION\n    return 0"
    new, _ = strip_solutions(source)
    assert "        # YOUR CODE HERE\n        raise NotImplementedError" in new
    compile(new, "stub", "exec")


def test_a_top_level_value_becomes_none():
    new, changed = strip_solutions("### BEGIN SOLUTION\nlearning_rate = 0.1\n### END SOLUTION")
    assert changed and new.startswith("learning_rate = None  # YOUR CODE HERE")
    namespace = {}
    exec(new, namespace)
    assert namespace["learning_rate"] is None


def test_top_level_code_is_refused():
    with pytest.raises(GenerateError, match="only assign values"):
        strip_solutions("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION")


@pytest.mark.parametrize("source, message", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "without ### END"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", "without ### BEGIN"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    ### END SOLUTION\n", "inside another"),
])
def test_broken_markers_are_reported(source, message):
    with pytest.raises(GenerateError, match=message):
        strip_solutions(source)


def test_a_cell_without_markers_is_unchanged():
    assert strip_solutions("check('1.1', predict)") == ("check('1.1', predict)", False)


def test_markdown_answers_are_replaced():
    new, changed = strip_solutions("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION", "markdown")
    assert changed and new == "Why?\nYOUR ANSWER HERE"


def _notebook(exercise=99):
    """A solution notebook of a made-up exercise (no questions registered: only the metadata's
    form is checked)."""
    nb = nbformat.v4.new_notebook(metadata={"nnlib": {"exercise": exercise, "version": 1}})
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"),
                nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
                                          metadata={"nnlib": {"answer": f"{exercise}.1"}}),
                nbformat.v4.new_code_cell(f"check('{exercise}.1', f)")]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="hello")]
    nb.cells[2].execution_count = 3
    return nb


def test_learner_notebook_locks_clears_and_keeps_the_rest():
    nb = _notebook()
    learner = make_learner_notebook(nb, "test")
    assert len(learner.cells) == len(nb.cells)
    assert [c.id for c in learner.cells] == [c.id for c in nb.cells]
    assert learner.cells[0].source == "# Title"
    assert learner.cells[0].metadata["editable"] is False
    assert learner.cells[2].metadata["editable"] is False and learner.cells[2].outputs == []
    assert learner.cells[2].execution_count is None
    assert "editable" not in learner.cells[1].metadata
    assert "NotImplementedError" in learner.cells[1].source
    assert "return 1" in nb.cells[1].source  # the input notebook is not changed


def test_the_answer_cell_keeps_its_id_and_records_its_stub():
    from nnlib.grading import identity

    learner = make_learner_notebook(_notebook(), "test")
    cell = learner.cells[1]
    assert identity.answer_of(cell) == "99.1"
    assert identity.stub_of(cell) == identity.stub_hash(cell.source)
    assert identity.exercise_of(learner) == 99 and identity.version_of(learner) == 1


@pytest.mark.parametrize("number, exercise", [(0, 0), (6, 6), (-1, None), (True, None),
                                              ("0", None), (0.0, None)])
def test_an_exercise_number_is_a_whole_number_from_0(number, exercise):
    """Exercise 0 (the introduction's) is an exercise: its id is 0, not "no id"."""
    from nnlib.grading import identity

    nb = nbformat.v4.new_notebook(metadata={"nnlib": {"exercise": number, "version": 1}})
    assert identity.exercise_of(nb) == exercise


@pytest.mark.parametrize("breakage, message", [
    (lambda nb: nb.metadata.pop("nnlib"), "exercise"),
    (lambda nb: nb.metadata["nnlib"].pop("version"), "version"),
    (lambda nb: nb.cells[1].metadata.pop("nnlib"), "answer"),
    (lambda nb: nb.cells[1].metadata["nnlib"].update(answer="98.1"), "not a question of exercise 99"),
    (lambda nb: nb.cells.append(nbformat.v4.new_code_cell(
        "def g():\n    ### BEGIN SOLUTION\n    return 2\n    ### END SOLUTION",
        metadata={"nnlib": {"answer": "99.1"}})), "both answer 99.1"),
])
def test_incomplete_metadata_is_refused_with_what_to_add(breakage, message):
    nb = _notebook()
    breakage(nb)
    with pytest.raises(GenerateError, match=message):
        make_learner_notebook(nb, "broken")


def test_the_answer_cells_must_cover_the_exercises_questions():
    nb = _notebook(exercise=1)          # exercise 1 has six questions; this has one cell
    nb.cells[1].metadata["nnlib"]["answer"] = "1.1"
    with pytest.raises(GenerateError, match="no cell for"):
        make_learner_notebook(nb, "partial")


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_every_solution_notebook_names_its_exercise_and_answers(solution):
    from nnlib.grading import identity, registry

    nb = nbformat.read(solution, as_version=4)
    generate.check_identity(nb, solution.name)        # complete and consistent
    assert identity.exercise_of(nb) == int(solution.name[:2])
    answers = [identity.answer_of(c) for c in nb.cells if identity.answer_of(c)]
    assert answers == [q.id for q in registry.questions_for(identity.exercise_of(nb))]


def test_a_first_cell_without_solution_stays_first_and_locked():
    """The Colab cell (pip install when nnlib is missing) is an ordinary cell: kept as it is."""
    nb = _notebook()
    colab = nbformat.v4.new_code_cell("try:\n    import nnlib\nexcept ImportError:\n    %pip install nnlib",
                                      metadata={"tags": ["remove-cell"]})
    nb.cells.insert(0, colab)
    learner = make_learner_notebook(nb, "colab")
    assert learner.cells[0].source == colab.source
    assert learner.cells[0].metadata["tags"] == ["remove-cell"]
    assert learner.cells[0].metadata["editable"] is False


def test_the_solutions_can_live_outside_the_repository(tmp_path, monkeypatch):
    private = tmp_path / "private"
    private.mkdir()
    nbformat.write(_notebook(), private / "99_test.ipynb")
    course = tmp_path / "course"
    course.mkdir()
    monkeypatch.chdir(course)
    monkeypatch.setenv(generate.SOLUTIONS_ENV, str(private))
    assert generate.solutions_dir() == private
    assert generate.main([]) == 0
    assert (course / "exercises" / "99_test.ipynb").exists()
    assert not (tmp_path / "99_test.ipynb").exists()
    assert generate.main(["--check"]) == 0


def test_a_notebook_without_solutions_is_refused():
    nb = _notebook()
    nb.cells.pop(1)
    with pytest.raises(GenerateError, match="nothing for the learner"):
        make_learner_notebook(nb, "empty")


def test_generate_and_check(tmp_path):
    (tmp_path / "solutions").mkdir()
    nbformat.write(_notebook(), tmp_path / "solutions" / "01_test.ipynb")
    assert generate.main([str(tmp_path / "solutions"), "--check"]) == 1
    assert generate.main([str(tmp_path / "solutions")]) == 0
    assert (tmp_path / "01_test.ipynb").exists()    # next to the solutions' folder
    assert generate.main([str(tmp_path / "solutions"), "--check"]) == 0


def test_there_are_solution_notebooks():
    assert {p.name for p in SOLUTIONS} >= {"01_linear_regression.ipynb", "02_many_features.ipynb"}


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_committed_learner_notebook_is_what_the_generator_makes(solution):
    learner = ROOT / "exercises" / solution.name
    assert learner.exists(), f"{learner} is missing: run `make exercises`"
    expected = render(make_learner_notebook(nbformat.read(solution, as_version=4), solution.name))
    assert learner.read_text(encoding="utf-8") == expected, f"{learner} is stale: run `make exercises`"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_solution_notebooks_are_stored_without_outputs(solution):
    nb = nbformat.read(solution, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert nb.metadata["kernelspec"]["name"] == "python3"


# -- the book page of an exercise -------------------------------------------------------------------

@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name)
def test_the_book_page_shows_the_solution_collapsed(solution):
    from nnlib.grading.book import solution_page

    page = nbformat.reads(solution_page(solution), as_version=4)
    source = nbformat.read(solution, as_version=4)
    assert len(page.cells) == len(source.cells) + 1          # + the note on how to get the exercise
    title = next(i for i, c in enumerate(page.cells) if c.cell_type == "markdown")
    assert page.cells[title].source.startswith("# ")
    assert "make start" in page.cells[title + 1].source      # right under the title
    solved = [c for c in page.cells if "hide-input" in c.metadata.get("tags", [])]
    assert len(solved) == sum(generate.BEGIN in c.source for c in source.cells) > 0
    for cell in solved:
        assert generate.BEGIN not in cell.source and generate.END not in cell.source
        assert cell.metadata["mystnb"]["code_prompt_show"] == "Show solution"


def test_the_book_config_enables_the_extension_and_lists_the_pages():
    config = (ROOT / "_config.yml").read_text()
    toc = (ROOT / "_toc.yml").read_text()
    assert "nnlib.grading.book" in config
    assert "caption: Exercises" in toc
    for solution in SOLUTIONS[:2]:
        assert f"exercises/{solution.stem}" in toc
    assert toc.index("caption: The lecture") < toc.index("caption: Exercises")


def test_the_student_edition_shows_no_solution(monkeypatch):
    from nnlib.grading import book

    monkeypatch.setenv(book.EDITION_ENV, "student")
    assert book.edition() == "student"
    for solution in SOLUTIONS:
        learner = ROOT / "exercises" / solution.name
        page = book.learner_page(learner)
        given = {line for c in nbformat.read(learner, as_version=4).cells
                 for line in c.source.split("\n")}
        hidden = [line for c in nbformat.read(solution, as_version=4).cells
                  for line in c.source.split("\n") if line.strip() and line not in given]
        assert hidden, "the solution has lines the learner does not get"
        text = nbformat.reads(page, as_version=4)
        shown = {line for c in text.cells for line in c.source.split("\n")}
        assert not shown & set(hidden), solution.name
        title = next(i for i, c in enumerate(text.cells) if c.cell_type == "markdown")
        assert "as you get it" in text.cells[title + 1].source


class _App:
    """The part of Sphinx's application the extension uses."""

    def __init__(self, srcdir, edition):
        self.srcdir = str(srcdir)
        self.config = type("Config", (), {"nnlib_book_edition": edition})()
        self.env = type("Env", (), {"doc2path": staticmethod(lambda doc: str(srcdir / f"{doc}.ipynb")),
                                    "note_dependency": staticmethod(lambda path: None)})()


@pytest.mark.parametrize("edition, shows_solution", [("instructor", True), ("student", False)])
def test_the_page_of_an_exercise_in_each_edition(edition, shows_solution):
    from nnlib.grading import book

    source = [""]
    book._on_source_read(_App(ROOT, edition), "exercises/01_linear_regression", source)
    page = nbformat.reads(source[0], as_version=4)
    assert any("Show solution" in str(c.metadata) for c in page.cells) == shows_solution
    assert any(generate.STUB_MESSAGE in c.source for c in page.cells) != shows_solution


def test_the_solutions_folder_of_the_book_can_be_elsewhere(tmp_path, monkeypatch):
    from nnlib.grading import book

    monkeypatch.setenv(generate.SOLUTIONS_ENV, str(tmp_path))     # empty: no solutions there
    source = [""]
    book._on_source_read(_App(ROOT, "instructor"), "exercises/01_linear_regression", source)
    assert generate.STUB_MESSAGE in source[0]                    # the learner's page, then
    (tmp_path / "01_linear_regression.ipynb").write_bytes(
        (ROOT / "exercises" / "solutions" / "01_linear_regression.ipynb").read_bytes())
    book._on_source_read(_App(ROOT, "instructor"), "exercises/01_linear_regression", source)
    assert "Show solution" in source[0]
