"""What the authors' checks share: run a notebook as the book does, report per notebook."""

from __future__ import annotations

from pathlib import Path


def execute(path, timeout=120):
    """The notebook at ``path``, run top to bottom on a fresh kernel of this environment (the
    book's kernel settings, its folder as the working folder), with its outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    return nb


def report(paths, find, what):
    """Run each notebook, print what ``find(nb)`` -> [(cell number, message)] found in it, one
    line each; 0 if nothing was found anywhere, else 1 (an exit status)."""
    status = 0
    for path in paths:
        found = find(execute(path))
        print(f"{path}: {'ok' if not found else f'{len(found)} {what}'}")
        for number, message in found:
            print(f"  cell {number}: {message}")
        status = status or bool(found)
    return int(status)


def main(argv, doc, find, what):
    """A check's command line: ``report`` on the notebooks named in ``argv``; with none, print
    ``doc`` (the check's usage) and return 2."""
    if not argv:
        print(doc)
        return 2
    return report(argv, find, what)
