"""Grade whole notebooks: run each on a fresh kernel, then evaluate every question itself.

    grade_notebook("workspace/01_linear_regression.ipynb", timeout=60) -> dict

1. The notebook is read (never written) and run on a fresh kernel by nbclient, with a time
   limit per cell; errors do not stop the run, a cell that times out is interrupted. A cell
   that ignores the interrupt (a loop that catches every exception) is left out and the
   notebook run again on a fresh kernel. The environment variable NNLIB_GRADING makes the
   notebook's own ``check()`` calls do nothing.
2. Then, in the same kernel, the grader adds its own cells: one that re-imports
   ``nnlib.grading`` from disk (a notebook that replaced ``check`` or patched the checks changes
   nothing), and one per question of the exercise that evaluates the learner's function by name
   and appends the verdict to a file with a random name, which only the grader reads.
3. Points come from the registry in the grader's own process: a question scores its points
   when its check passed, else 0 with the reason.

The questions of a notebook are those of the exercise its file name starts with
("01_linear_regression.ipynb", "01_my_copy.ipynb" -> exercise 1).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import registry
from .runner import GRADING_ENV

__all__ = ["grade_notebook", "grade_paths", "DEFAULT_TIMEOUT", "chapter_of_notebook"]

DEFAULT_TIMEOUT = 60.0

_PURGE = """\
import sys as _nnlib_sys
for _nnlib_name in [*_nnlib_sys.modules]:
    if _nnlib_name == "nnlib.grading" or _nnlib_name.startswith("nnlib.grading."):
        del _nnlib_sys.modules[_nnlib_name]
import nnlib.grading.kernel as _nnlib_grading_kernel
"""


def chapter_of_notebook(path):
    """1 for '01_linear_regression.ipynb', None for a name that starts with no number."""
    match = re.match(r"^(\d+)", Path(path).name)
    return int(match.group(1)) if match else None


def _question_entry(q, passed, feedback):
    return {"id": q.id, "passed": bool(passed), "score": q.points if passed else 0.0,
            "max_score": q.points, "feedback": str(feedback)}


def _cell_error(cell):
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return output.get("ename", "Error"), output.get("evalue", "")
    return None


_ATTEMPTS = 4


class _Stuck(Exception):
    """A cell timed out and the kernel was still busy at the next cell's time limit."""

    def __init__(self, index):
        super().__init__(f"cell {index + 1} ignored the interrupt")
        self.index = index


def _client_class():
    from jupyter_core.utils import ensure_async
    from nbclient import NotebookClient

    class Client(NotebookClient):
        """nbclient, but a timed-out cell is interrupted once and the run moves on; if the
        kernel never started the next cell by that cell's time limit (the interrupted cell is
        still running), the run stops with _Stuck."""

        timed_out: list
        started: set

        def process_message(self, msg, cell, cell_index):
            self.started.add(cell_index)  # the kernel is working on this cell
            return super().process_message(msg, cell, cell_index)

        async def _async_handle_timeout(self, timeout, cell=None):
            index = next((i for i, c in enumerate(self.nb.cells) if c is cell), -1)
            if self.timed_out and index not in self.started:
                raise _Stuck(self.timed_out[-1])
            self.timed_out.append(index)
            await ensure_async(self.km.interrupt_kernel())
            return {"content": {"status": "error", "ename": "KeyboardInterrupt",
                                "evalue": f"time limit of {timeout} s", "traceback": []}}

    return Client


def _execute(nb, path, timeout, kernel_name):
    """Run ``nb`` on a fresh kernel; None, an error message, or a _Stuck."""
    from nbclient.exceptions import DeadKernelError

    quiet = logging.getLogger("nnlib.grading.nbclient")
    quiet.setLevel(logging.CRITICAL)
    client = _client_class()(
        nb, timeout=float(timeout), allow_errors=True, interrupt_on_timeout=True,
        kernel_name=kernel_name, record_timing=False, log=quiet, shutdown_kernel="immediate",
        resources={"metadata": {"path": str(Path(path).parent.resolve())}},
    )
    client.timed_out, client.started = [], set()
    try:
        # The kernel's own stdout/stderr (not the notebook's outputs) are not the learner's business.
        client.execute(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except _Stuck as stuck:
        return stuck
    except DeadKernelError:
        return ("the kernel died while running the notebook (did the code call exit(), "
                "or use too much memory?)")
    except Exception as error:  # noqa: BLE001
        return f"the notebook could not be run ({type(error).__name__}: {error})"
    return None


def grade_notebook(path, timeout=DEFAULT_TIMEOUT, kernel_name="python3", cell_errors=None):
    """{"path", "score", "max_score", "error", "questions": [...]} for one notebook.

    ``cell_errors``: a list to which (cell number, error name) of every notebook cell that
    raised is appended (for tests: a learner notebook must run to the end without error)."""
    import nbformat

    path = Path(path)
    entry = {"path": str(path), "score": 0.0, "max_score": 0.0, "error": None, "questions": []}
    chapter = chapter_of_notebook(path)
    questions = registry.questions_for(chapter) if chapter is not None else []
    if not questions:
        entry["error"] = (f"no graded questions for {path.name}: an exercise notebook's name "
                          "starts with its number, like 01_linear_regression.ipynb")
        return entry
    entry["max_score"] = float(sum(q.points for q in questions))

    def everything_zero(reason):
        entry["error"] = reason
        entry["questions"] = [_question_entry(q, False, f"not graded: {reason}") for q in questions]
        return entry

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 - any unreadable file is reported, not raised
        return everything_zero(f"the notebook could not be read ({type(error).__name__}: {error})")

    source_cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        source_cells.append(cell)
    first_grading_cell = len(source_cells)
    budget = max(0.5, 0.8 * float(timeout))
    workdir = Path(tempfile.mkdtemp(prefix="nnlib-grade-"))
    skipped = set()       # cells that ignored the interrupt: left out of the next attempt
    run_error, verdicts, ran = None, {}, None
    previous = os.environ.get(GRADING_ENV)
    os.environ[GRADING_ENV] = "1"
    try:
        for attempt in range(_ATTEMPTS):
            results_path = workdir / f"results-{secrets.token_hex(8)}.jsonl"
            ran = nbformat.v4.new_notebook(metadata=nb.metadata)
            ran.cells = [copy.deepcopy(cell) for cell in source_cells]
            ran.cells.append(nbformat.v4.new_code_cell(_PURGE))
            for q in questions:
                ran.cells.append(nbformat.v4.new_code_cell(
                    f"_nnlib_grading_kernel.grade({q.id!r}, {str(results_path)!r}, {budget!r})"))
            for index in skipped:
                ran.cells[index].source = "# skipped by nnlib-grade: it ignored the interrupt"
            run_error = _execute(ran, path, timeout, kernel_name)
            if isinstance(run_error, _Stuck):
                skipped.add(run_error.index)
                run_error = None
                continue
            break
        else:
            run_error = (f"cells kept running after the time limit of {timeout:g} s even when "
                         "interrupted (a loop that catches every exception?)")
        try:
            lines = results_path.read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
    finally:
        if previous is None:
            os.environ.pop(GRADING_ENV, None)
        else:
            os.environ[GRADING_ENV] = previous
        shutil.rmtree(workdir, ignore_errors=True)

    if cell_errors is not None:
        for index, cell in enumerate(ran.cells[:first_grading_cell]):
            error = _cell_error(cell)
            if error:
                cell_errors.append((index + 1, error[0]))
    stuck_learner_cells = sorted(i + 1 for i in skipped if i < first_grading_cell)
    if stuck_learner_cells and run_error is None:
        run_error = (f"cell {', '.join(map(str, stuck_learner_cells))} was still running after "
                     f"{timeout:g} s and ignored the interrupt; it was left out and the rest graded")
    nb = ran

    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("id") not in verdicts:
            verdicts[record.get("id")] = record

    for offset, q in enumerate(questions):
        record = verdicts.get(q.id)
        if record is not None:
            entry["questions"].append(_question_entry(
                q, record.get("status") == "passed", record.get("feedback", "")))
            continue
        index = first_grading_cell + 1 + offset
        cell = nb.cells[index] if nb is not None and index < len(nb.cells) else {}
        error = (_cell_error(cell) or _cell_error(nb.cells[first_grading_cell])) if cell else None
        if index in skipped:
            reason = (f"{q.name} did not return within {timeout:g} s and ignored the interrupt: "
                      "an infinite loop (that catches every exception)?")
        elif run_error is not None and not stuck_learner_cells:
            reason = f"not graded: {run_error}"
        elif error and error[0] == "KeyboardInterrupt":
            reason = (f"grading stopped after the time limit of {timeout:g} s: does {q.name} "
                      "loop forever?")
        elif error:
            reason = f"the check could not run ({error[0]}: {error[1]})"
        else:
            reason = f"the check of {q.id} did not finish within {timeout:g} s"
        entry["questions"].append(_question_entry(q, False, reason))
    entry["error"] = run_error
    entry["score"] = float(sum(item["score"] for item in entry["questions"]))
    return entry


def grade_paths(notebooks, timeout=DEFAULT_TIMEOUT, progress=None):
    """The report for a list of notebook paths (see cli.py for the schema). ``progress(path,
    entry)`` is called after each notebook."""
    reports = []
    for path in notebooks:
        reports.append(grade_notebook(path, timeout=timeout))
        if progress is not None:
            progress(path, reports[-1])
    return {
        "score": float(sum(r["score"] for r in reports)),
        "max_score": float(sum(r["max_score"] for r in reports)),
        "notebooks": reports,
    }
