"""nnlib-grade: grade exercise notebooks and print a score report.

    nnlib-grade [PATH ...] [--json] [--timeout SECONDS]
    python -m nnlib.grading [PATH ...] [--json] [--timeout SECONDS]

PATH is a notebook or a folder of notebooks; by default your own copies in workspace/ (made by
``make start``), or exercises/ when there is no workspace. Exit status 0 when grading ran,
whatever the score; 2 for a usage error.

--json prints exactly one JSON object:
{"score": float, "max_score": float, "notebooks": [{"path": str, "score": float,
 "max_score": float, "error": str | null, "questions": [{"id": str, "passed": bool,
 "score": float, "max_score": float, "feedback": str}]}]}
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from . import registry
from .grader import DEFAULT_TIMEOUT, grade_paths


class UsageError(Exception):
    pass


def default_paths():
    workspace = Path("workspace")
    if workspace.is_dir() and any(workspace.glob("*.ipynb")):
        return [workspace]
    return [Path("exercises")]


def find_notebooks(paths):
    notebooks = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("."))
            if not found:
                raise UsageError(f"no notebooks (*.ipynb) in the folder {path}")
            notebooks += found
        elif path.is_file():
            if path.suffix != ".ipynb":
                raise UsageError(f"{path} is not a notebook (*.ipynb)")
            notebooks.append(path)
        else:
            raise UsageError(f"{path} does not exist")
    return notebooks


def _points(x):
    return f"{x:g}"


def format_report(report):
    """The human-readable report: a table per notebook, then the feedback of failed questions."""
    lines = []
    for nb in report["notebooks"]:
        lines += ["", nb["path"]]
        if nb["error"]:
            lines.append(f"  problem: {nb['error']}")
        titles = {}
        for q in nb["questions"]:
            try:
                titles[q["id"]] = registry.get(q["id"]).title
            except (KeyError, ValueError):
                titles[q["id"]] = ""
        width = max([len(t) for t in titles.values()] + [8])
        for q in nb["questions"]:
            mark = "✓ passed" if q["passed"] else "✗ not yet"
            points = f"{_points(q['score'])}/{_points(q['max_score'])}"
            lines.append(f"  {q['id']:<5} {titles[q['id']]:<{width}}  {mark:<9}  {points:>7}")
        lines.append(f"  {'total':<5} {'':<{width}}  {'':<9}  "
                     f"{_points(nb['score']) + '/' + _points(nb['max_score']):>7}")
        failed = [q for q in nb["questions"] if not q["passed"]]
        if failed:
            lines.append("  What to look at:")
            for q in failed:
                lines += textwrap.wrap(q["feedback"], width=96, initial_indent=f"    {q['id']}: ",
                                       subsequent_indent=" " * (6 + len(q["id"])))
    total, best = report["score"], report["max_score"]
    share = f" ({100 * total / best:.0f}%)" if best else ""
    lines += ["", f"Score: {_points(total)}/{_points(best)} points{share}"]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="nnlib-grade",
        description="Grade exercise notebooks: run each on a fresh kernel, check every question, "
                    "print the points.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="a notebook or a folder of notebooks (default: workspace/, or "
                             "exercises/ when there is no workspace)")
    parser.add_argument("--json", action="store_true", help="print one JSON object (the report)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"time limit per cell (default {DEFAULT_TIMEOUT:g})")
    args = parser.parse_args(argv)
    if not args.timeout > 0:
        parser.print_usage(sys.stderr)
        print("nnlib-grade: error: --timeout should be a positive number of seconds", file=sys.stderr)
        return 2
    try:
        notebooks = find_notebooks(args.paths or default_paths())
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"nnlib-grade: error: {error}", file=sys.stderr)
        return 2
    if not args.json:
        print(f"Grading {len(notebooks)} notebook(s), each on a fresh kernel "
              f"(time limit {args.timeout:g} s per cell) ...", flush=True)
    try:
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
    except ImportError as error:
        print(f"nnlib-grade: error: {error.name} is not installed. The grader runs notebooks with "
              "nbclient: `make env`, or pip install nbclient nbformat ipykernel.", file=sys.stderr)
        return 2
    def progress(path, entry):
        if not args.json:
            print(f"  {path}: {_points(entry['score'])}/{_points(entry['max_score'])}", flush=True)

    report = grade_paths(notebooks, timeout=args.timeout, progress=progress)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
