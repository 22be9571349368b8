"""How long do the book's notebooks take? Each one on a fresh kernel, as the book build runs them.

Run it with ``make bench`` (after the training benchmark) or ``.venv/bin/python
benchmarks/notebooks.py``. It prints every notebook's time and its slowest cell, and checks the
course's goal: no cell over 20 seconds (CONTRIBUTING.md). It is a measurement, not a test: a
busy machine makes it slower, and nothing fails because of it.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CELL_GOAL = 20.0  # seconds


def _seconds(cell):
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    parse = datetime.datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def run(path):
    """Execute one notebook; return (seconds in all, seconds of the slowest cell, its index)."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})
    # the kernel's own stderr (a warning about TCP transport, every time) would hide the table;
    # a failing cell still raises here, with its traceback
    client.execute(stderr=subprocess.DEVNULL)
    total = time.perf_counter() - start
    times = [(_seconds(cell), i) for i, cell in enumerate(notebook.cells)
             if cell.cell_type == "code"]
    slowest, index = max(times, default=(0.0, -1))
    return total, slowest, index


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="notebooks (default: chapters/ and exercises/)")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
        (ROOT / "exercises").glob("*.ipynb"))
    print(f"| {'notebook':<40} | {'seconds':>7} | {'slowest cell':>12} | {'cell':>4} |")
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 14}|{'-' * 6}|")
    grand, worst = 0.0, (0.0, None, -1)
    for path in paths:
        total, slowest, index = run(path)
        grand += total
        worst = max(worst, (slowest, path, index), key=lambda row: row[0])
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"| {str(name):<40} | {total:>7.1f} | {slowest:>12.2f} | {index:>4} |")
    verdict = "holds" if worst[0] <= CELL_GOAL else "MISSED"
    print(f"\nall notebooks: {grand:.1f} s; slowest cell {worst[0]:.2f} s "
          f"({worst[1].name if worst[1] else '-'}, cell {worst[2]}): "
          f"no cell over {CELL_GOAL:.0f} s {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
