"""nnlib.glue: what the book's text inserts is the number, never NumPy's repr."""

import sys

import numpy as np
import pytest

from nnlib import glue as glue_module


def test_numpy_numbers_are_glued_as_python_numbers(monkeypatch):
    pytest.importorskip("myst_nb")
    glued = {}
    monkeypatch.setattr("myst_nb.glue", lambda name, value, display: glued.update({name: value}))
    glue_module.glue("w", np.float64(6.6025))
    glue_module.glue("m", np.int64(546))
    glue_module.glue("array", np.array([1.0, 2.0]))          # arrays stay arrays
    assert type(glued["w"]) is float and glued["w"] == 6.6025
    assert type(glued["m"]) is int and repr(glued["m"]) == "546"
    assert isinstance(glued["array"], np.ndarray)


def test_without_myst_nb_glue_does_nothing(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # Colab: no myst-nb
    assert glue_module.glue("w", 1.0) is None
