"""What a notebook's text says, read by the grader without running any of it.

    facts = NotebookFacts(nb)
    facts.code_cells                  # [(cell number, source)], what the kernel runs
    facts.course_code                 # "cell 4: from nnlib.grading.questions.ch3 import ..." or None
    facts.not_own("sigmoid")          # "imported from nnlib.activations" or None
    facts.why_missing("predict", run) # "cell 5, which defines predict, has a syntax error: ..."

An answer must be the learner's own: a function defined in the notebook. The kernel's agent says
whether the function object it finds was defined there, but the kernel is the learner's; these
facts come from the notebook's text, in the grader's process, and hold whatever the kernel says.

- ``course_code``: the notebook uses the course's grading code beyond the public interactive API
  (``check``, ``skip_if_not_implemented``, ...): an import of a module of ``nnlib.grading``
  (``questions``, ``diagnose``, ``runner`` ...), an attribute ``grading.questions`` or a string
  naming one. Such a notebook is not graded.
- ``not_own(name)``: the question's name is bound only by an import or by assigning something
  that is not a lambda or a function of the notebook's (``sigmoid = nnlib.activations.sigmoid``),
  and never by ``def name(...)``.

IPython's syntax (``%magic``, ``!shell``) is turned into Python text first (IPython's own
transformer, which runs nothing).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

__all__ = ["NotebookFacts", "python_source", "PUBLIC_API", "GRADING_MODULES"]

#: What a notebook may import from nnlib.grading (its interactive API).
PUBLIC_API = frozenset({"check", "skip_if_not_implemented", "evaluate", "Result", "Mistake",
                        "question"})
#: The modules and packages inside nnlib/grading (the course's checking code).
GRADING_MODULES = frozenset(
    p.stem for p in Path(__file__).resolve().parent.iterdir()
    if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").exists()))
_STRING_PATTERN = re.compile(
    r"grading[./\\]+(" + "|".join(sorted(map(re.escape, GRADING_MODULES))) + r")\b")


def python_source(source):
    """A cell's text as the Python IPython would run (magics become calls); never executed."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # no IPython: drop the lines that are IPython syntax
        return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                         for line in source.split("\n"))
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - malformed input: ast.parse will report it
        return source


def _top_level(tree):
    """The statements at a cell's top level, including inside if/for/while/with/try blocks (but
    not inside function or class bodies)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop(0)
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            stack.extend(getattr(node, name, []) or [])
        for handler in getattr(node, "handlers", []) or []:
            stack.extend(handler.body)


def _targets(node):
    if isinstance(node, ast.Assign):
        return node.targets, node.value
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return [node.target], node.value
    return [], None


def _names(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _names(element)]
    return []


class NotebookFacts:
    """The facts above for one notebook (an nbformat NotebookNode)."""

    def __init__(self, nb):
        self.code_cells = []       # (cell number, source) of every code cell, in order
        self.trees = {}            # cell number -> ast.Module, for the cells that parse
        self.syntax_errors = {}    # cell number -> "invalid syntax (line 3)"
        self.answer_cells = {}     # question id -> cell number (metadata.nnlib.answer)
        for number, cell in enumerate(nb.cells, start=1):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            self.code_cells.append((number, source))
            answer = (cell.get("metadata", {}).get("nnlib") or {}).get("answer")
            if isinstance(answer, str):
                self.answer_cells.setdefault(answer, number)
            try:
                self.trees[number] = ast.parse(python_source(source))
            except SyntaxError as error:
                text = f": {error.text.strip()}" if error.text and error.text.strip() else ""
                self.syntax_errors[number] = f"line {error.lineno}: {error.msg}{text}"
        self.course_code = self._find_course_code()

    # the course's code ---------------------------------------------------------------------------

    def _find_course_code(self):
        for number, tree in self.trees.items():
            for node in ast.walk(tree):
                found = self._course_use(node)
                if found:
                    return f"cell {number}: {found}"
        for number, source in self.code_cells:   # also cells that do not parse, and strings
            match = _STRING_PATTERN.search(source)
            if match and number not in self.trees:
                return f"cell {number}: {match.group(0)}"
        return None

    @staticmethod
    def _course_use(node):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nnlib.grading."):
                    return f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("nnlib.grading."):
                return f"from {node.module} import ..."
            if node.module == "nnlib.grading":
                extra = [a.name for a in node.names if a.name not in PUBLIC_API]
                if extra:
                    return f"from nnlib.grading import {', '.join(extra)}"
        elif isinstance(node, ast.Attribute) and node.attr in GRADING_MODULES:
            value = node.value
            if (isinstance(value, ast.Name) and value.id == "grading") or \
                    (isinstance(value, ast.Attribute) and value.attr == "grading"):
                return f"grading.{node.attr}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _STRING_PATTERN.search(node.value)
            if match:
                return repr(match.group(0))
        return None

    # whose function --------------------------------------------------------------------------------

    def _bindings(self, name):
        """[(cell number, kind, detail)] of the top-level bindings of ``name``: kind "def",
        "lambda", "import" (detail: the module) or "assign" (detail: the value's text)."""
        found = []
        for number, tree in self.trees.items():
            defined = set()
            for node in _top_level(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    defined.add(node.name)
                    if node.name == name:
                        found.append((number, "def", ""))
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    for alias in node.names:
                        bound = alias.asname or alias.name.split(".")[0]
                        if bound == name:
                            module = getattr(node, "module", None) or alias.name
                            found.append((number, "import", module))
                else:
                    targets, value = _targets(node)
                    if any(name in _names(t) for t in targets):
                        if isinstance(value, ast.Lambda) or (
                                isinstance(value, ast.Name) and value.id in defined):
                            found.append((number, "lambda", ""))
                        else:
                            text = ast.unparse(value) if value is not None else "?"
                            found.append((number, "assign", text))
        return found

    def not_own(self, name):
        """Why the notebook's ``name`` is not a function of the learner's, or None when some
        cell defines it (``def name``, a lambda, or another def of the notebook)."""
        bindings = self._bindings(name)
        if not bindings or any(kind in ("def", "lambda") for _, kind, _ in bindings):
            return None
        number, kind, detail = bindings[-1]
        if kind == "import":
            return f"imported from {detail} (cell {number})"
        if len(detail) > 60:
            detail = detail[:57] + "..."
        return f"assigned from {detail} (cell {number}), not defined with def"

    def defining_cells(self, name, question_id=None):
        """The numbers of the cells that define ``name`` (by their text, even if they do not
        parse), and the answer cell of ``question_id``."""
        pattern = re.compile(rf"^\s*(async\s+)?def\s+{re.escape(name)}\b|^\s*{re.escape(name)}\s*=",
                             re.M)
        cells = [n for n, source in self.code_cells if pattern.search(source)]
        answer = self.answer_cells.get(question_id)
        if answer is not None and answer not in cells:
            cells.append(answer)
        return sorted(cells)

    def why_missing(self, name, question_id, run):
        """The feedback for a ``name`` the kernel does not have although the notebook defines
        it (a syntax error, in the words of diagnose.missing_feedback; an error; a cell not
        run), or None. ``run``: the kernel_session.RunReport."""
        errors = {number: (ename, evalue) for number, ename, evalue in run.errors}
        for number in self.defining_cells(name, question_id):
            if number in self.syntax_errors:
                return (f"`{name}` is not defined: the cell that defines it (cell {number}) has a "
                        f"syntax error ({self.syntax_errors[number]}), so Python ran none of that "
                        "cell. Fix the line, run the cell again, then check.")
            if number in errors:
                ename, evalue = errors[number]
                return (f"There is no `{name}` in the notebook: cell {number}, which defines "
                        f"{name}, raised {ename}: {evalue[:200]}. Fix it and run the cell again.")
            if number in run.not_run:
                return (f"There is no `{name}` in the notebook: cell {number}, which defines "
                        f"{name}, was not run: {run.stopped}.")
        return None
