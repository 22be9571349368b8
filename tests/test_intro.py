"""Every formula chapter 0 (the Introduction) states, checked numerically.

Each derivative is compared with a centred finite difference, and each check is paired with a
wrong variant that the same check must reject, so that these tests can fail.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib.activations import sigmoid


def centred_difference(f, x, eps=1e-6):
    """(f(x + eps e_j) - f(x - eps e_j)) / (2 eps) for every entry j of the array x."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = eps
        grad[j] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def relative_error(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


# -- one sigmoid neuron, one example, J = (y_hat - y)^2 (the chapter's chain-rule example) ------

def neuron_example(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3, 1))
    w = rng.normal(size=(3, 1))
    b = float(rng.normal())
    y = float(rng.integers(0, 2))
    return x, w, b, y


def cost(w, b, x, y):
    return float((sigmoid(w.T @ x + b)[0, 0] - y) ** 2)


@pytest.mark.parametrize("seed", range(5))
def test_chain_rule_for_one_sigmoid_neuron(seed):
    """dJ/dw_j = 2(y_hat - y) sigma(z)(1 - sigma(z)) x_j and dJ/db = 2(y_hat - y) sigma(z)(1 - sigma(z))."""
    x, w, b, y = neuron_example(seed)
    z = (w.T @ x + b)[0, 0]
    y_hat = sigmoid(z)
    dJ_dw = 2 * (y_hat - y) * sigmoid(z) * (1 - sigmoid(z)) * x
    dJ_db = 2 * (y_hat - y) * sigmoid(z) * (1 - sigmoid(z))

    numeric_dw = centred_difference(lambda v: cost(v, b, x, y), w)
    numeric_db = centred_difference(lambda v: cost(w, float(v), x, y), np.array(b))
    assert relative_error(dJ_dw, numeric_dw) < 1e-6
    assert relative_error(dJ_db, numeric_db) < 1e-6

    # The check rejects the chain rule with a missing link (dy_hat/dz forgotten).
    forgot_sigmoid_slope = 2 * (y_hat - y) * x
    assert relative_error(forgot_sigmoid_slope, numeric_dw) > 1e-2


@pytest.mark.parametrize("z", [-2.0, -0.7, 0.0, 0.3, 2.5])
def test_sigmoid_derivative(z):
    """dy_hat/dz = sigma(z)(1 - sigma(z))."""
    numeric = centred_difference(lambda v: float(sigmoid(v)), np.array(z))
    assert relative_error(sigmoid(z) * (1 - sigmoid(z)), numeric) < 1e-6
    assert relative_error(sigmoid(z), numeric) > 1e-2  # "the derivative is sigma itself": wrong


def test_local_derivatives_of_z():
    """dz/dw_j = x_j and dz/db = 1 for z = w^T x + b."""
    x, w, b, _ = neuron_example(7)
    z = lambda w_, b_: float((w_.T @ x + b_)[0, 0])
    assert relative_error(centred_difference(lambda v: z(v, b), w), x) < 1e-8
    assert abs(centred_difference(lambda v: z(w, float(v)), np.array(b)) - 1.0) < 1e-8


# -- the five steps by hand, with the cost averaged over m ------------------------------------------

@pytest.mark.parametrize("n_x, m", [(1, 50), (3, 20)])
def test_mse_gradients_by_hand(n_x, m):
    """J = (1/m) sum (y_hat - y)^2 with Y_hat = W^T X + b: dZ = 2 (Y_hat - Y) / m,
    dW = X dZ^T, db = sum over examples of dZ."""
    rng = np.random.default_rng(n_x)
    X = rng.normal(size=(n_x, m))
    Y = rng.normal(size=(1, m))
    W = rng.normal(size=(n_x, 1))
    b = rng.normal(size=(1, 1))

    J = lambda W_, b_: float(np.mean((W_.T @ X + b_ - Y) ** 2))
    Y_hat = W.T @ X + b
    dZ = 2 * (Y_hat - Y) / m
    dW = X @ dZ.T
    db = dZ.sum(axis=1, keepdims=True)
    assert dW.shape == W.shape and db.shape == b.shape

    assert relative_error(dW, centred_difference(lambda v: J(v, b), W)) < 1e-6
    assert relative_error(db, centred_difference(lambda v: J(W, v), b)) < 1e-6
    # Forgetting the 1/m of the averaged cost is caught (for m > 1).
    assert relative_error(X @ (2 * (Y_hat - Y)).T, centred_difference(lambda v: J(v, b), W)) > 0.5

    # The other convention the chapter's note mentions (the lecture defines no dZ): dZ without
    # the 1/m and dW = (1/m) X dZ^T gives the same numbers.
    dZ_without_1_over_m = 2 * (Y_hat - Y)
    np.testing.assert_allclose((1 / m) * X @ dZ_without_1_over_m.T, dW, rtol=1e-12)

    # ... and so does nnlib.
    net = nnlib.Network([nnlib.Dense(n_x, 1)], loss="mse")
    net.layers[0].W[...] = W
    net.layers[0].b[...] = b
    assert net.loss(X, Y) == pytest.approx(J(W, b), rel=1e-12)
    net.backward(Y)
    np.testing.assert_allclose(net.layers[0].dW, dW, rtol=1e-10)
    np.testing.assert_allclose(net.layers[0].db, db, rtol=1e-10)


def test_update_lowers_the_cost_for_a_small_learning_rate_and_overshoots_for_a_large_one():
    """W <- W - alpha dW lowers J when alpha is small enough; too large an alpha makes J grow."""
    X, Y = nnlib.datasets.noisy_line(m=50)

    def cost_after_one_step(alpha):
        net = nnlib.Network([nnlib.Dense(1, 1, seed=0)], loss="mse")
        before = net.loss(X, Y)
        net.backward(Y)
        net.step(alpha)
        return before, net.loss(X, Y)

    before, after = cost_after_one_step(0.02)
    assert after < before
    before, after = cost_after_one_step(1.0)
    assert after > before


# -- shapes and the refreshers --------------------------------------------------------------------

def test_matrix_product_shapes_and_entries():
    """(r, k)(k, c) -> (r, c), entry (i, j) = sum_t P_it Q_tj; Z = W^T X + b broadcasts b."""
    X = np.array([[1.0, 2.0, 0.0, -1.0], [0.5, 0.0, 1.0, 2.0]])
    W = np.array([[1.0, -1.0, 0.0], [2.0, 0.0, 1.0]])
    b = np.array([[0.0], [1.0], [-1.0]])
    Z = W.T @ X + b
    assert Z.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            assert Z[i, j] == pytest.approx(sum(W[t, i] * X[t, j] for t in range(2)) + b[i, 0])
    assert Z[0, 0] == pytest.approx(2.0)  # the chapter's "by hand" line: 1*1.0 + 2*0.5 + 0


def test_two_layer_network_notation():
    """3 inputs, 4 hidden units, 1 output: L = 2 (the input layer is not counted)."""
    net = nnlib.Network([nnlib.Dense(3, 4, activation="tanh"),
                         nnlib.Dense(4, 1, activation="sigmoid")], loss="binary_cross_entropy")
    assert len(net.layers) == 2
    assert (net.n_x, net.n_y) == (3, 1)
    shapes = {name: value.shape for name, value in net.parameters().items()}
    assert shapes == {"W[1]": (3, 4), "b[1]": (4, 1), "W[2]": (4, 1), "b[2]": (1, 1)}


def test_check_yourself_network_of_5_8_4_1():
    """The chapter's question: 5 inputs, hidden layers of 8 and 4 units, 1 output: L = 3,
    W[2] is (8, 4), b[2] is (4, 1), 89 parameters in all."""
    net = nnlib.Network([nnlib.Dense(5, 8, activation="tanh"), nnlib.Dense(8, 4, activation="tanh"),
                         nnlib.Dense(4, 1, activation="sigmoid")], loss="binary_cross_entropy")
    parameters = net.parameters()
    assert len(net.layers) == 3
    assert parameters["W[2]"].shape == (8, 4) and parameters["b[2]"].shape == (4, 1)
    assert sum(value.size for value in parameters.values()) == 89


def test_centred_difference_error_shrinks_like_eps_squared():
    """The chapter says the centred difference is accurate to about eps^2."""
    f, exact = np.exp, np.exp(0.5)
    error = lambda eps: abs((f(0.5 + eps) - f(0.5 - eps)) / (2 * eps) - exact)
    ratio = error(1e-2) / error(1e-3)  # eps 10x smaller -> error about 100x smaller
    assert 50 < ratio < 200
    one_sided = lambda eps: abs((f(0.5 + eps) - f(0.5)) / eps - exact)
    assert one_sided(1e-2) / one_sided(1e-3) < 20  # a one-sided difference is only ~eps
