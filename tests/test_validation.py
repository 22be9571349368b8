"""nnlib.validation: the fast finiteness check agrees with np.isfinite everywhere.

The other checks (shapes, dtypes, 1-D arrays, m = 0) are tested through the public API in
test_network.py and test_layers.py, with their messages.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.validation import all_finite, as_matrix

SPECIALS = [np.nan, np.inf, -np.inf]


@given(n=st.integers(1, 6), m=st.integers(1, 40), dtype=st.sampled_from([np.float32, np.float64]),
       bad=st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(SPECIALS)), max_size=3),
       layout=st.sampled_from(["C", "F", "slice"]), seed=st.integers(0, 2**16))
def test_all_finite_agrees_with_isfinite(n, m, dtype, bad, layout, seed):
    X = np.random.default_rng(seed).standard_normal((n, 2 * m)).astype(dtype)
    for position, value in bad:
        X.flat[position % X.size] = value
    X = {"C": X, "F": np.asfortranarray(X), "slice": X[:, ::2]}[layout]
    assert all_finite(X) == bool(np.isfinite(X).all())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_finite_values_whose_row_sum_overflows_are_still_finite(dtype):
    big = np.finfo(dtype).max
    X = np.array([[big, big, big], [1.0, 2.0, 3.0]], dtype=dtype)
    with np.errstate(over="ignore"):
        assert not np.isfinite(X @ np.ones(3, dtype)).all()  # the fast path cannot decide...
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # (and says nothing about it)
        assert all_finite(X)                                 # ...and the exact check does


def test_opposite_infinities_in_one_row_are_caught():
    X = np.array([[np.inf, -np.inf, 1.0]])  # their sum is NaN, not inf: still not finite
    assert not all_finite(X)
    with pytest.raises(ValueError, match="2 NaN or infinite"):
        as_matrix(X, "X")
