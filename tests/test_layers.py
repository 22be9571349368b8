"""nnlib.layers.Dense: shapes, the backward formulas against finite differences, initialisation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numerics import DenseErrorAnalysis, difference_gradient_tolerance

import nnlib
from nnlib import Dense
from nnlib.gradcheck import numerical_gradient


@pytest.mark.parametrize("activation", ["identity", "sigmoid", "tanh", "relu", "leaky_relu"])
@settings(max_examples=15, deadline=None)
@given(n_in=st.integers(1, 5), n_out=st.integers(1, 5), m=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_backward_matches_finite_differences(activation, n_in, n_out, m, seed):
    """For J = Σ (A * R) with a fixed random R, dJ/dA = R: check dW, db and dA_prev."""
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, activation, seed=seed)
    layer.b[:] = rng.standard_normal(layer.b.shape)
    A_prev = rng.standard_normal((n_in, m))
    R = rng.standard_normal((n_out, m))
    Z = layer.W.T @ A_prev + layer.b
    if activation in ("relu", "leaky_relu") and np.min(np.abs(Z)) < 1e-3:
        return  # a finite difference across the kink is not a derivative

    def J():
        return float(np.sum(layer.forward(A_prev) * R))

    layer.forward(A_prev)
    dA_prev = layer.backward(R)
    # Tolerance (was rtol 1e-5, atol 1e-8, at nnlib's ε = 1e-6), entry by entry: J = Σ A ⊙ R is
    # computed to within e_J, and dW, db, dA_prev to within e_dW, e_db, e_dX (DenseErrorAnalysis
    # of this layer, probed with the weights R); the difference adds its truncation and
    # rounding (numerics.difference_gradient_tolerance).
    bounds = DenseErrorAnalysis([layer.W], [layer.b], [layer.activation], "weighted_sum",
                                A_prev, R, need_dX=True)
    for name, analytic, e_grad in (("W", layer.dW, bounds.e_dW[0]), ("b", layer.db, bounds.e_db[0]),
                                   ("A_prev", dA_prev, bounds.e_dX)):
        param = A_prev if name == "A_prev" else getattr(layer, name)
        numeric = numerical_gradient(J, param)
        tolerance = difference_gradient_tolerance(J, param, analytic, e_grad, bounds.e_J, 1e-6)
        assert np.all(np.abs(analytic - numeric) <= tolerance), name


def test_shapes_follow_the_lecture():
    layer = Dense(3, 4, "relu")
    assert layer.W.shape == (3, 4) and layer.b.shape == (4, 1)
    A = layer.forward(np.ones((3, 7)))
    assert A.shape == (4, 7)
    dA_prev = layer.backward(np.ones((4, 7)))
    assert layer.dW.shape == layer.W.shape and layer.db.shape == layer.b.shape
    assert dA_prev.shape == (3, 7)


def test_forward_is_the_lectures_formula():
    layer = Dense(2, 3, "tanh", seed=1)
    layer.b[:] = [[0.1], [-0.2], [0.3]]
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    expected = np.tanh(layer.W.T @ X + layer.b)
    # two computations of the same layer, each within e_A of the exact output (was rtol 1e-7)
    e_A = DenseErrorAnalysis([layer.W], [layer.b], ["tanh"], "mse", X, np.zeros((3, 2))).eA[-1]
    assert np.all(np.abs(layer.forward(X) - expected) <= 2 * e_A)


def test_initialisation_is_seeded_and_random():
    nnlib.set_seed(5)
    first = Dense(4, 3).W.copy()
    nnlib.set_seed(5)
    assert np.array_equal(first, Dense(4, 3).W)
    assert np.array_equal(Dense(4, 3, seed=9).W, Dense(4, 3, seed=9).W)
    assert len(np.unique(first)) == first.size  # no two weights equal: symmetry is broken
    assert np.all(Dense(4, 3, init="zeros").W == 0)


def test_he_lecun_and_glorot_scales():
    """The inits are named after who proposed them: LeCun et al. (1998) √(1/n_in), Glorot and
    Bengio (2010) √(2/(n_in + n_out)), He et al. (2015) √(2/n_in); "auto" takes He for ReLU-like
    units and LeCun otherwise."""
    wide, units = 4000, 1000
    # statistical, not rounding, tolerances: the sample standard deviation of N normal draws is
    # off by about 1/√(2N) relatively: 0.0016 for 4000 × 50 draws (0.05 is 30 of those), 0.0004
    # for 4000 × 1000 (0.02 is 50), 0.07 for 10 × 10 (0.3 is 4); the same seed and scale give
    # the same draws, hence the same std
    he = Dense(wide, 50, "relu", seed=0).W.std()
    lecun = Dense(wide, 50, "tanh", seed=0).W.std()
    assert he == pytest.approx(np.sqrt(2 / wide), rel=0.05)
    assert lecun == pytest.approx(np.sqrt(1 / wide), rel=0.05)
    assert Dense(wide, 50, "leaky_relu", seed=0).W.std() == pytest.approx(np.sqrt(2 / wide), rel=0.05)
    assert Dense(wide, 50, "sigmoid", init="lecun", seed=0).W.std() == lecun
    assert Dense(wide, 50, "relu", init="he", seed=0).W.std() == he
    # Glorot's depends on both sizes; with n_in = 4000 and n_out = 1000 it lies between the two
    glorot = Dense(wide, units, "tanh", init="glorot", seed=0).W.std()
    assert glorot == pytest.approx(np.sqrt(2 / (wide + units)), rel=0.02)
    assert abs(glorot / np.sqrt(1 / wide) - 1) > 0.2          # and it is not LeCun's
    assert Dense(10, 10, init="small", seed=0).W.std() == pytest.approx(0.01, rel=0.3)


def test_xavier_is_the_deprecated_name_of_lecun():
    """init="xavier" used to give √(1/n_in), which is LeCun's, not Glorot's ("Xavier"): it keeps
    its weights, and says so."""
    with pytest.warns(FutureWarning, match=r"LeCun.*init='lecun'.*init='glorot'"):
        old = Dense(300, 100, "tanh", init="xavier", seed=3).W
    np.testing.assert_array_equal(old, Dense(300, 100, "tanh", init="lecun", seed=3).W)


def test_step_moves_against_the_gradient():
    layer = Dense(2, 1, seed=0)
    X = np.array([[1.0], [2.0]])
    layer.forward(X)
    layer.backward(np.array([[1.0]]))
    W_before, b_before = layer.W.copy(), layer.b.copy()
    layer.step(0.1)
    # the same two roundings (0.1 dW, then the subtraction) on the same numbers: exact (was
    # rtol 1e-7)
    np.testing.assert_array_equal(layer.W, W_before - 0.1 * layer.dW)
    np.testing.assert_array_equal(layer.b, b_before - 0.1 * layer.db)



def test_layer_errors_speak_the_lectures_language():
    layer = Dense(3, 2)
    with pytest.raises(nnlib.ShapeError, match=r"\(n_x, m\) = \(3, m\).*pass A_prev.T"):
        layer.forward(np.ones((5, 3)))
    with pytest.raises(RuntimeError, match="forward"):
        Dense(3, 2).backward(np.ones((2, 1)))
    with pytest.raises(ValueError, match="positive whole number"):
        Dense(0, 2)
    with pytest.raises(ValueError, match="Unknown init"):
        Dense(2, 2, init="ones")


def test_a_replaced_W_or_b_is_refused_before_it_can_broadcast():
    layer = Dense(3, 2, seed=0)
    A = np.ones((3, 2))                    # m = 2 = n_out: a 1-D b of 2 values would broadcast
    layer.b = np.zeros(2)
    with pytest.raises(nnlib.ShapeError, match=r"b has shape \(2,\), a 1-D array.*\(2, 1\)"):
        layer.forward(A)
    layer.b = np.zeros((2, 1))
    layer.W = np.ones((2, 3))
    with pytest.raises(nnlib.ShapeError, match=r"Dense\(3, 2\) layer's W has shape \(2, 3\).*transposed"):
        layer.forward(A)


def test_no_raw_numpy_warning_escapes_forward_or_step():
    import warnings

    from nnlib.validation import NumericalWarning

    layer = Dense(2, 2, seed=0)           # identity: Z itself overflows
    layer.W[...] = 1e308
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer.forward(np.full((2, 3), 1e10))
        layer.backward(np.ones((2, 3)))
        layer.step(1e10)
    assert caught and all(w.category is NumericalWarning for w in caught), \
        [(w.category.__name__, str(w.message)) for w in caught]
