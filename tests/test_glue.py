"""nnlib.glue records what the book's {glue:text}`name:.2f` roles can format: the number, never
NumPy's repr; and it does nothing where myst-nb is absent (Colab)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from nnlib import glue as glue_module


@pytest.fixture
def recorded(monkeypatch):
    """What nnlib.glue hands to myst-nb's glue, by name."""
    myst_nb = pytest.importorskip("myst_nb")
    seen = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=False: seen.update({name: value}))
    return seen


@pytest.mark.parametrize("value, expected", [
    (np.float64(0.5), 0.5), (np.float32(0.25), 0.25), (np.int64(546), 546),
    (np.array(3.5), 3.5), (2.0, 2.0), (7, 7),
])
def test_numpy_scalars_are_glued_as_python_numbers(recorded, value, expected):
    glue_module.glue("x", value)
    assert recorded["x"] == expected and type(recorded["x"]) is type(expected)
    # myst-nb keeps the repr and formats float(repr) for {glue:text}`x:.2f`
    assert format(float(repr(recorded["x"])), ".2f") == format(expected, ".2f")


def test_other_values_are_glued_unchanged(recorded):
    array = np.arange(3)
    glue_module.glue("a", array)
    glue_module.glue("s", "text")
    assert recorded["a"] is array and recorded["s"] == "text"


def test_without_myst_nb_glue_does_nothing(monkeypatch):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # Colab: no myst-nb
    assert glue_module.glue("w", 1.0) is None
