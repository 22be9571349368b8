"""``make start``: copy the learner notebooks into your own workspace, once.

    python -m nnlib.grading.workspace [--source exercises] [--workspace workspace]

A file already in the workspace is never overwritten (it holds your answers); only notebooks
that are not there yet are copied, so new exercises arrive after a ``git pull`` and your work
stays. workspace/ is ignored by git.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

__all__ = ["start", "main"]


def start(source="exercises", workspace="workspace"):
    """Copy source/*.ipynb into workspace/ where missing. Returns (copied, kept) path lists."""
    source, workspace = Path(source), Path(workspace)
    notebooks = sorted(source.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no exercise notebooks in {source}/")
    workspace.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for notebook in notebooks:
        target = workspace / notebook.name
        try:
            with open(target, "xb") as out:   # "x": fails if the file exists, never overwrites
                out.write(notebook.read_bytes())
        except FileExistsError:
            kept.append(target)
        else:
            shutil.copymode(notebook, target)
            copied.append(target)
    return copied, kept


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m nnlib.grading.workspace",
                                     description="Copy the exercise notebooks into your workspace.")
    parser.add_argument("--source", default="exercises")
    parser.add_argument("--workspace", default="workspace")
    args = parser.parse_args(argv)
    try:
        copied, kept = start(args.source, args.workspace)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in copied:
        print(f"copied   {path}")
    for path in kept:
        print(f"kept     {path} (already there: your answers are never overwritten)")
    print(f"\nYour exercises are in {args.workspace}/. Open them with `make lab` (or any Jupyter), "
          f"and grade them with `make grade` or `nnlib-grade {args.workspace}`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
