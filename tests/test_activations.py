"""nnlib.activations: each g and g' against finite differences, conventions at the kink, stability."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numerics import (activation_difference_tolerance, activation_rounding, activation_step,
                      machine_epsilon)

from nnlib import activations

U = machine_epsilon(np.float64)

ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]
finite = st.floats(-20, 20, allow_nan=False, allow_infinity=False)


def numeric_derivative(g, Z, eps):
    return (g(Z + eps) - g(Z - eps)) / (2 * eps)


@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=40, deadline=None)
@given(Z=arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite))
def test_derivative_matches_finite_differences(name, Z):
    """Tolerance (was atol 1e-6 at ε = 1e-6): numerics.activation_difference_tolerance, at the ε
    that balances truncation against rounding (activation_step)."""
    act = activations.get(name)
    Z = np.where(np.abs(Z) < 1e-3, 0.5, Z)  # stay away from ReLU's kink
    analytic = act.derivative(Z, act.forward(Z))
    eps = activation_step(act, Z)
    numeric = numeric_derivative(act.forward, Z, eps)
    assert np.all(np.abs(analytic - numeric)
                  <= activation_difference_tolerance(act, Z, eps, numeric)), (Z, analytic, numeric)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_shape_is_kept(name):
    Z = np.linspace(-3, 3, 12).reshape(3, 4)
    act = activations.get(name)
    assert act.forward(Z).shape == Z.shape
    assert act.derivative(Z).shape == Z.shape


def test_plain_functions_agree_with_objects():
    Z = np.linspace(-4, 4, 9).reshape(1, -1)
    pairs = [
        (activations.sigmoid, activations.sigmoid_derivative, activations.Sigmoid()),
        (activations.tanh, activations.tanh_derivative, activations.Tanh()),
        (activations.relu, activations.relu_derivative, activations.ReLU()),
        (activations.leaky_relu, activations.leaky_relu_derivative, activations.LeakyReLU()),
        (activations.identity, activations.identity_derivative, activations.Identity()),
    ]
    for g, dg, obj in pairs:
        # each within its rounding bound of the exact value (was rtol 1e-7)
        forward_error, derivative_error = activation_rounding(obj, Z)
        assert np.all(np.abs(g(Z) - obj.forward(Z)) <= 2 * forward_error)
        assert np.all(np.abs(dg(Z) - obj.derivative(Z)) <= 2 * derivative_error)


def test_relu_derivative_is_zero_at_zero_and_leaky_slope_is_alpha():
    Z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_array_equal(activations.ReLU().derivative(Z), [[0.0, 0.0, 1.0]])
    leaky = activations.LeakyReLU(alpha=0.2)
    # exact: the slope is alpha itself, and 0.2 × (−2) only doubles the float 0.2 (was rtol 1e-7)
    np.testing.assert_array_equal(leaky.derivative(Z), [[0.2, 0.2, 1.0]])
    np.testing.assert_array_equal(leaky.forward(Z), [[-0.4, 0.0, 3.0]])
    assert activations.get("leaky_relu").alpha == 0.01


def test_sigmoid_is_stable_for_huge_inputs():
    Z = np.array([[-1e4, -800.0, 0.0, 800.0, 1e4]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            A = activations.sigmoid(Z)
    assert np.all(np.isfinite(A))
    assert A[0, 0] == 0.0 and A[0, -1] == 1.0 and A[0, 2] == 0.5


def test_softmax_columns_sum_to_one_and_survive_large_scores():
    Z = np.array([[1000.0, -5.0], [1001.0, 0.0], [999.0, 5.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        A = activations.softmax(Z)
    # each a_k is within (K + 6)u + u |z_k − max z| of itself (the exponent's rounding, exp, the
    # sum of K terms, the division), and the column sum adds γ_(K−1) (was rtol 1e-7)
    K = Z.shape[0]
    spread = np.abs(Z - Z.max(axis=0))
    assert np.all(np.abs(A.sum(axis=0) - 1.0)
                  <= np.sum(A * ((K + 6) * U + U * spread), axis=0) + (K - 1) * U * 1.01)

    assert A[1, 0] > A[0, 0] > A[2, 0]


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="'relu'"):
        activations.get("relux")
    with pytest.raises(ValueError, match="slope alpha"):
        activations.LeakyReLU(alpha=-1)
