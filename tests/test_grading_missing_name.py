"""A name the notebook does not define because its cell has a syntax error is reported as that
syntax error (line and text), not as "run the cell that defines it"."""

import nbformat
from nnlib.grading.grader import grade_notebook

SOLUTION = "exercises/solutions/01_linear_regression.ipynb"


def test_a_syntax_error_in_an_answer_cell_is_named_by_the_grader(tmp_path):
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "def predict" in cell.source:
            cell.source = cell.source.replace("return w * x + b", "return w * x +")
    path = tmp_path / "01_linear_regression.ipynb"
    nbformat.write(nb, path)
    report = grade_notebook(path)
    feedback = {q["id"]: q["feedback"] for q in report["questions"]}
    assert "syntax error" in feedback["1.1"] and "return w * x +" in feedback["1.1"]
    assert "run the cell that defines it" not in feedback["1.1"]
