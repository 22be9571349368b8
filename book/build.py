"""``make book``: ``jupyter-book build`` with Sphinx reading several pages at once.

myst-nb executes each notebook while Sphinx reads it, so the book's build time is mostly the
notebooks' run time, one after the other. Sphinx can read pages in parallel processes
(``sphinx-build -j``), and myst-nb and every extension here declare that safe, but Jupyter Book 1's
command line has no option for it: its ``build_sphinx`` takes ``jobs`` and the command leaves it
at 1. This runs the same command with ``jobs`` set (``BOOK_JOBS``, default: the number of
processors). Usage: ``python -m book.build build . -W --keep-going`` (the arguments of
``jupyter-book``).

Sphinx hands each process a batch of about n / jobs pages in alphabetical order: all seven
chapters (95 s of notebooks) to one process and the short exercises to the other. ``one_page_each``
gives a process one page at a time instead, so the two stay busy until the end.

TRAP: one extension that does not declare itself parallel-safe makes Sphinx read one page at a
time ("doing serial read"), and with -W its warning fails the build. sphinx_external_toc always
loads sphinx_multitoc_numbering, which declares nothing. It is safe: it reads no page, it only
renumbers the merged table of contents in the main process (``assign_section_numbers``, after
every page is read). ``multitoc_numbering_setup`` below says so, as its setup should.
"""

from __future__ import annotations

import os
import sys

import jupyter_book.sphinx
import sphinx.builders
import sphinx_multitoc_numbering
from jupyter_book.cli.main import main as jupyter_book_command

_build_sphinx = jupyter_book.sphinx.build_sphinx
_multitoc_numbering_setup = sphinx_multitoc_numbering.setup


def multitoc_numbering_setup(app):
    """sphinx_multitoc_numbering's setup, declaring what it does: safe to read and write pages in
    parallel (see above)."""
    _multitoc_numbering_setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def one_page_each(docnames, nproc, maxbatch=None):
    """sphinx.util.parallel.make_chunks, one page per chunk (see above)."""
    return [[name] for name in docnames]


def build_sphinx(*args, **kwargs):
    """jupyter_book.sphinx.build_sphinx with ``jobs`` from BOOK_JOBS (default: all processors)."""
    kwargs["jobs"] = int(os.environ.get("BOOK_JOBS") or os.cpu_count() or 1)
    return _build_sphinx(*args, **kwargs)


if __name__ == "__main__":
    jupyter_book.sphinx.build_sphinx = build_sphinx   # the command imports it when it runs
    sphinx_multitoc_numbering.setup = multitoc_numbering_setup
    sphinx.builders.make_chunks = one_page_each
    sys.exit(jupyter_book_command())
