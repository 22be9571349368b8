"""Numbers in the book's text that come from the computation, so that text and code cannot drift.

A chapter computes a value in a code cell and glues it:

    from nnlib.glue import glue
    glue("w_ls", w_ls)                    # in the code cell

and its text inserts it, formatted: ``{glue:text}`w_ls:.2f``` (myst-nb's glue role). When the
book is built, myst-nb puts the value into the sentence; tests/test_prose_numbers.py fails if a
chapter's text states a number that a cell computes without gluing it.

Outside the book (Colab, a plain Jupyter), where myst-nb is not installed, ``glue`` does nothing:
the learner sees the value in the cell's printed output anyway.
"""

from __future__ import annotations

import numpy as np

__all__ = ["glue"]


def glue(name, value, display=False):
    """Record ``value`` under ``name`` for the book's text (myst-nb's ``glue``, not shown in the
    notebook unless ``display``); does nothing where myst-nb is not installed.

    NumPy scalars (and 0-d arrays) are recorded as the Python number they hold: myst-nb stores a
    value as its repr, and NumPy 2 writes ``np.float64(0.5)``, which ``{glue:text}`name:.2f```
    cannot format."""
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:
        return
    myst_nb_glue(name, _plain(value), display=display)


def _plain(value):
    """``value`` as a Python number if it is a NumPy scalar or 0-d array, else unchanged."""
    if isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return value.item()
    return value
