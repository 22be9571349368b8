"""Every formula chapter 0 (the Introduction) states, checked numerically.

Each derivative is compared with a centred finite difference, and each check is paired with a
wrong variant that the same check must reject, so that these tests can fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numerics import (DenseErrorAnalysis, activation_difference_tolerance, activation_step,
                      best_step, gamma, machine_epsilon, relative_error_tolerance)

import nnlib
from nnlib.activations import sigmoid

U = machine_epsilon(np.float64)
# max |d³/dz³ (σ(z) − y)²| = max |6σ'σ'' + 2(σ − y)σ'''| ≤ 6 (1/4)(√3/18) + 2 (1/8)
SQUARED_SIGMOID_3 = 6 / 4 * math.sqrt(3) / 18 + 2 / 8


def centred_difference(f, x, eps):
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


def difference_bound(cost_error, x, eps, grad, e_grad, third_derivative=0.0):
    """Entry-wise bound on |centred_difference − grad| for a cost with rounding error
    ``cost_error(x')`` at the perturbed points x' = x ± ε e_j: truncation ε² M₃/6 (M₃ entry by
    entry), rounding max δJ / ε, the rounding of x ± ε (|g| u (|x| + ε)/ε + 2u|g|), and the
    rounding e_grad of the gradient it is compared with."""
    x = np.array(x, dtype=np.float64)
    bound = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[j] = eps
        bound[j] = max(cost_error(x + step), cost_error(x - step)) / eps
    g = np.abs(grad)
    return (eps**2 * np.asarray(third_derivative) / 6 + bound + g * U * (np.abs(x) + eps) / eps
            + 2 * U * g + e_grad)


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

    # Tolerances (were relative errors of 1e-6, at ε = 1e-6): J is (σ(z) − y)² with z linear in
    # w_j (slope x_j) and b, so |∂³J/∂w_j³| ≤ SQUARED_SIGMOID_3 |x_j|³; J's rounding from
    # DenseErrorAnalysis (one neuron, one example); ε balances the two (best_step); the formula
    # is the one-neuron backward pass, within e_dW, e_db.
    def J_error(W, b_):
        return DenseErrorAnalysis([W], [[[b_]]], ["sigmoid"], "mse", x, [[y]]).e_J

    bounds = DenseErrorAnalysis([w], [[[b]]], ["sigmoid"], "mse", x, [[y]])
    M3_w = SQUARED_SIGMOID_3 * np.abs(x) ** 3
    eps = best_step(None, M3_w.max(), function_error=bounds.e_J)
    numeric_dw = centred_difference(lambda v: cost(v, b, x, y), w, eps)
    per_entry = difference_bound(lambda v: J_error(v, b), w, eps, dJ_dw, bounds.e_dW[0], M3_w)
    assert relative_error(dJ_dw, numeric_dw) <= relative_error_tolerance(per_entry, dJ_dw)
    eps = best_step(None, SQUARED_SIGMOID_3, function_error=bounds.e_J)
    numeric_db = centred_difference(lambda v: cost(w, float(v), x, y), np.array(b), eps)
    per_entry = difference_bound(lambda v: J_error(w, float(v)), np.array(b), eps, dJ_db,
                                 bounds.e_db[0], SQUARED_SIGMOID_3)
    assert relative_error(dJ_db, numeric_db) <= relative_error_tolerance(per_entry, dJ_db)

    # The check rejects the chain rule with a missing link (dy_hat/dz forgotten).
    forgot_sigmoid_slope = 2 * (y_hat - y) * x
    assert relative_error(forgot_sigmoid_slope, numeric_dw) > 1e-2


@pytest.mark.parametrize("z", [-2.0, -0.7, 0.0, 0.3, 2.5])
def test_sigmoid_derivative(z):
    """dy_hat/dz = sigma(z)(1 - sigma(z)). Tolerance (was a relative error of 1e-6, at
    ε = 1e-6): numerics.activation_difference_tolerance at the ε of activation_step."""
    eps = activation_step("sigmoid", np.array(z))
    numeric = centred_difference(lambda v: float(sigmoid(v)), np.array(z), eps)
    formula = sigmoid(z) * (1 - sigmoid(z))
    bound = activation_difference_tolerance("sigmoid", np.array(z), eps, numeric)
    assert relative_error(formula, numeric) <= relative_error_tolerance(bound, formula)
    assert relative_error(sigmoid(z), numeric) > 1e-2  # "the derivative is sigma itself": wrong


def test_local_derivatives_of_z():
    """dz/dw_j = x_j and dz/db = 1 for z = w^T x + b.

    Tolerances (were 1e-8, at ε = 1e-6): z is linear, so the difference is exact for any ε
    (here 1) but for rounding: each z is 4 roundings of numbers up to S = |w|ᵀ|x| + ε|x_j| + |b|,
    hence γ_4 S / ε, plus the rounding of w_j ± ε and the subtraction (difference_bound)."""
    x, w, b, _ = neuron_example(7)
    eps = 1.0
    z = lambda w_, b_: float((w_.T @ x + b_)[0, 0])  # noqa: E731
    size = lambda w_, b_: gamma(4) * float((np.abs(w_).T @ np.abs(x)).item() + abs(b_))  # noqa: E731
    numeric = centred_difference(lambda v: z(v, b), w, eps)
    per_entry = difference_bound(lambda v: size(v, b), w, eps, x, 0.0)
    assert relative_error(numeric, x) <= relative_error_tolerance(per_entry, x)
    numeric = centred_difference(lambda v: z(w, float(v)), np.array(b), eps)
    assert abs(numeric - 1.0) <= difference_bound(lambda v: size(w, float(v)), np.array(b), eps,
                                                  1.0, 0.0)


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

    J = lambda W_, b_: float(np.mean((W_.T @ X + b_ - Y) ** 2))  # noqa: E731
    Y_hat = W.T @ X + b
    dZ = 2 * (Y_hat - Y) / m
    dW = X @ dZ.T
    db = dZ.sum(axis=1, keepdims=True)
    assert dW.shape == W.shape and db.shape == b.shape

    # Tolerances (were relative errors of 1e-6 at ε = 1e-6, rtol 1e-12 and 1e-10): J is
    # quadratic in W and b, so the difference is exact for any ε (here 1) but for rounding, δJ/ε
    # with J's rounding from DenseErrorAnalysis; the formula, nnlib's backward and the slides'
    # convention are the same sums in other orders, each within e_dW, e_db of the exact ones;
    # nnlib's J and this one each within e_J.
    def J_error(W_, b_):
        return DenseErrorAnalysis([W_], [b_], ["identity"], "mse", X, Y).e_J

    bounds = DenseErrorAnalysis([W], [b], ["identity"], "mse", X, Y)
    eps = 1.0
    numeric_W = centred_difference(lambda v: J(v, b), W, eps)
    per_entry = difference_bound(lambda v: J_error(v, b), W, eps, dW, bounds.e_dW[0])
    assert relative_error(dW, numeric_W) <= relative_error_tolerance(per_entry, dW)
    numeric_b = centred_difference(lambda v: J(W, v), b, eps)
    per_entry = difference_bound(lambda v: J_error(W, v), b, eps, db, bounds.e_db[0])
    assert relative_error(db, numeric_b) <= relative_error_tolerance(per_entry, db)
    # Forgetting the 1/m of the averaged cost is caught (for m > 1).
    assert relative_error(X @ (2 * (Y_hat - Y)).T, numeric_W) > 0.5

    # The other convention the chapter's note mentions (the lecture defines no dZ): dZ without
    # the 1/m and dW = (1/m) X dZ^T gives the same numbers.
    dZ_without_1_over_m = 2 * (Y_hat - Y)
    assert np.all(np.abs((1 / m) * X @ dZ_without_1_over_m.T - dW) <= 2 * bounds.e_dW[0])

    # ... and so does nnlib.
    net = nnlib.Network([nnlib.Dense(n_x, 1)], loss="mse")
    net.layers[0].W[...] = W
    net.layers[0].b[...] = b
    assert abs(net.loss(X, Y) - J(W, b)) <= 2 * bounds.e_J
    net.backward(Y)
    assert np.all(np.abs(net.layers[0].dW - dW) <= 2 * bounds.e_dW[0])
    assert np.all(np.abs(net.layers[0].db - db) <= 2 * bounds.e_db[0])


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
    # exactly equal (was rel 1e-6): every entry is a small multiple of 1/2, so every product and
    # sum here is exact, in any order
    for i in range(3):
        for j in range(4):
            assert Z[i, j] == sum(W[t, i] * X[t, j] for t in range(2)) + b[i, 0]
    assert Z[0, 0] == 2.0  # the chapter's "by hand" line: 1*1.0 + 2*0.5 + 0


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
    """The chapter says the centred difference is accurate to about eps^2.

    For exp at 0.5 the errors are e^0.5 (ε²/6 + ε⁴/120 + ...) (centred) and e^0.5 (ε/2 + ε²/6
    + ...) (one-sided), so the ratios for ε = 1e-2 and 1e-3 are 100 (1 + 8e-6) and
    10 (1 + 3e-3); rounding adds about u e^0.5 / ε ≈ 4e-13 to errors of at least 3e-7, which
    moves them by 1e-6 at most. Hence |ratio − 100| < 0.1 and |ratio − 10| < 0.1 (were
    50 < ratio < 200 and ratio < 20)."""
    f, exact = np.exp, np.exp(0.5)
    error = lambda eps: abs((f(0.5 + eps) - f(0.5 - eps)) / (2 * eps) - exact)  # noqa: E731
    ratio = error(1e-2) / error(1e-3)  # eps 10x smaller -> error about 100x smaller
    assert abs(ratio - 100) < 0.1
    one_sided = lambda eps: abs((f(0.5 + eps) - f(0.5)) / eps - exact)  # noqa: E731
    assert abs(one_sided(1e-2) / one_sided(1e-3) - 10) < 0.1  # a one-sided one is only ~eps

