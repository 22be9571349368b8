"""tests/numerics.py: the rounding and truncation bounds the numerical tests use hold, and are
not so loose that a wrong formula would pass.

Each bound is checked against a computation whose exact answer is known (math.fsum, integer
data, a quadratic), in several orders of summation and in float32, where rounding is visible.
"""

import math

import numpy as np
import pytest
from numerics import (DenseErrorAnalysis, activation_difference_tolerance, activation_step,
                      assert_steps_match, best_step, centred_difference_tolerance,
                      contraction_error_bound, fit_batches, gamma, gradient_check_tolerance,
                      least_squares_gd_bound, lstsq_cost_bound, lstsq_error_bound, machine_epsilon,
                      matmul_error_bound, record_iterates, relative_error_tolerance,
                      sum_error_bound)

import nnlib
from nnlib import Dense, Network

U32 = machine_epsilon(np.float32)


def test_gamma():
    u = machine_epsilon(np.float64)
    assert gamma(1) == u / (1 - u)
    assert gamma(10) < gamma(11) < gamma(10, np.float32)
    with pytest.raises(ValueError, match="not small"):
        gamma(10**7, np.float32)


@pytest.mark.parametrize("seed", range(5))
def test_sum_error_bound_holds_in_any_order(seed):
    rng = np.random.default_rng(seed)
    terms = (rng.standard_normal(1000) * 10.0 ** rng.uniform(-3, 3, 1000)).astype(np.float32)
    exact = math.fsum(terms.astype(np.float64))
    bound = sum_error_bound(terms)
    left_to_right = np.float32(0)
    for t in terms:
        left_to_right = np.float32(left_to_right + t)
    for total in (np.sum(terms), left_to_right, np.sum(np.sort(terms)), np.cumsum(terms)[-1],
                  np.sum(terms[::-1]), terms @ np.ones_like(terms)):
        assert abs(float(total) - exact) <= bound


def test_sum_error_bound_can_nearly_be_reached():
    """Left to right in float32, 1 + 2^-25 + 2^-25 + ... stays 1: the whole tail is lost, a
    quarter of the bound, so the bound is not much larger than what rounding can do."""
    n = 10_000
    terms = np.array([1.0] + [2.0**-25] * n, dtype=np.float32)
    total = np.float32(0)
    for t in terms:
        total = np.float32(total + t)
    error = abs(float(total) - math.fsum(terms.astype(np.float64)))
    assert error == n * 2.0**-25
    assert sum_error_bound(terms) / 4.1 < error <= sum_error_bound(terms)


@pytest.mark.parametrize("shape", [(3, 700, 5), (64, 300, 10), (1, 2000, 1)])
def test_matmul_error_bound_holds_for_float32_products(shape):
    n, k, p = shape
    rng = np.random.default_rng(k)
    A = (rng.standard_normal((n, k)) * 10.0 ** rng.uniform(-2, 2, (n, k))).astype(np.float32)
    B = rng.standard_normal((k, p)).astype(np.float32)
    exact = A.astype(np.float64) @ B.astype(np.float64)   # within γ_k (float64), added below
    bound = matmul_error_bound(A, B) + matmul_error_bound(A, B, np.float64)
    for product in (A @ B, np.einsum("ik,kj->ij", A, B), (B.T @ A.T).T):
        assert np.all(np.abs(product - exact) <= bound)


def test_centred_difference_tolerance_for_exp():
    """D(ε) for e^x at 0.5: within the tolerance for every ε, and close to it where truncation
    dominates (the bound ε² M₃/6 with M₃ = e^(0.5 + ε) is within 11 % of the error at ε = 0.1)."""
    x, exact = 0.5, math.exp(0.5)
    for eps in 10.0 ** np.arange(-9, 0):
        D = (math.exp(x + eps) - math.exp(x - eps)) / (2 * eps)
        tol = centred_difference_tolerance(math.exp(x + eps), eps, ops=1, x=x, slope=D,
                                           third_derivative_bound=math.exp(x + eps))
        assert abs(D - exact) <= tol
    eps = 0.1
    D = (math.exp(x + eps) - math.exp(x - eps)) / (2 * eps)
    tol = centred_difference_tolerance(math.exp(x + eps), eps, ops=1, x=x, slope=D,
                                       third_derivative_bound=math.exp(x + eps))
    assert tol < 1.11 * abs(D - exact)


def test_centred_difference_of_a_quadratic_is_exact_but_for_rounding():
    """f(w) = mean((y − w x)²) has f''' = 0: at ε = 1 the difference is f'(w) to rounding."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(500), rng.standard_normal(500)
    w, eps = 0.3, 1.0
    f = lambda v: np.mean((y - v * x) ** 2)  # noqa: E731
    D = (f(w + eps) - f(w - eps)) / (2 * eps)
    exact = math.fsum(-2 * x * (y - w * x)) / 500      # to within γ_3 of the terms, below
    tol = (centred_difference_tolerance(max(f(w + eps), f(w - eps)), eps, m=500, ops=4, x=w,
                                        slope=D)
           + gamma(3) * np.mean(np.abs(2 * x) * (np.abs(y) + np.abs(w * x))))
    assert abs(D - exact) <= tol < 1e-12
    assert abs(D * 1.001 - exact) > tol           # a 0.1 % error in the formula would show


def test_best_step_minimises_the_bound():
    bound = lambda eps: centred_difference_tolerance(1.0, eps, third_derivative_bound=2.0)  # noqa
    eps = best_step(1.0, 2.0)
    assert bound(eps) < bound(eps * 1.5) and bound(eps) < bound(eps / 1.5)


def test_relative_error_tolerance():
    b = np.array([3.0, 4.0])                      # ‖b‖ = 5
    delta = np.array([0.3, -0.4])                 # ‖δ‖ = 0.5
    a = b + delta
    r = np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))
    assert r <= relative_error_tolerance(np.abs(delta), b) == 0.5 / (2 * (5 - 1.0))
    assert relative_error_tolerance([0.0, 0.0], b) == 0.0
    assert relative_error_tolerance([3.0, 4.0], b) == math.inf


def test_lstsq_error_bound_on_an_exact_problem():
    """y = A x + r with r orthogonal to A's columns, all exact in binary: x is the least-squares
    solution, and A's second column is scaled down 1e6-fold (cond(A) ≈ 1e6)."""
    A = np.array([[1.0, 0.0], [0.0, 2.0**-20], [1.0, 2.0**-20]])
    x = np.array([3.0, 5.0 * 2**20])
    r = np.array([1.0, 1.0, -1.0])                # Aᵀ r = 0
    y = A @ x + r
    x_hat, *_ = np.linalg.lstsq(A, y, rcond=None)
    bound = lstsq_error_bound(A, x, r)
    assert np.linalg.norm(x_hat - x) <= bound < 1e-6 * np.linalg.norm(x)
    excess = np.sum((y - A @ x_hat) ** 2) - np.sum(r**2)
    assert abs(excess) <= lstsq_cost_bound(A, x_hat, y) + gamma(6) * 3


def test_contraction_error_bound():
    assert contraction_error_bound(0.5, 1.0, [1.0, 1.0]) == 0.25 + 0.5 + 1.0
    e = 1.0
    for r in (0.1, 0.2, 0.3):                     # e_(t+1) = −0.5 e_t + r_t, the worst signs
        e = 0.5 * e + r
    assert e <= contraction_error_bound(0.5, 1.0, [0.1, 0.2, 0.3])


def test_least_squares_gd_bound_holds_and_shrinks():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 50))
    Y = (np.array([[1.5, -2.0]]) @ X + 0.7 + 0.1 * rng.standard_normal((1, 50)))
    A = np.vstack([X, np.ones((1, 50))]).T
    theta, *_ = np.linalg.lstsq(A, Y[0], rcond=None)
    ls = lstsq_error_bound(A, theta, Y[0] - A @ theta)
    net = Network([Dense(2, 1, seed=0)], loss="mse")
    iterates = record_iterates(net)
    bounds = []
    for epochs in (5, 20):
        net.fit(X, Y, epochs=epochs, learning_rate=0.2)
        path = [(Ws[0], bs[0]) for Ws, bs, _ in iterates] + [(net.layers[0].W, net.layers[0].b)]
        bound = least_squares_gd_bound(X, Y, 0.2, path, theta).bound + 2 * ls
        assert np.linalg.norm(np.append(net.layers[0].W, net.layers[0].b) - theta) <= bound
        bounds.append(bound)
    assert bounds[1] < bounds[0] / 100


CASES = [(["tanh"], "identity", "mse"), (["relu", "sigmoid"], "sigmoid", "mse"),
         (["leaky_relu"], "sigmoid", "binary_cross_entropy"),
         (["relu", "tanh"], "softmax", "categorical_cross_entropy")]


@pytest.mark.parametrize("hidden, output, loss", CASES)
def test_dense_error_analysis_bounds_float32_against_float64(hidden, output, loss):
    """nnlib in float32 against nnlib in float64 (whose own error is far smaller): J, dW, db and
    the step within the float32 bounds (plus the float64 ones), for each kind of layer and loss."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((4, 60))
    Y = {"mse": rng.standard_normal((2, 60)),
         "binary_cross_entropy": (rng.random((2, 60)) > 0.5).astype(float),
         "categorical_cross_entropy": nnlib.datasets.one_hot(rng.integers(0, 3, 60), 3)}[loss]
    acts = hidden + [output]
    sizes = [4] + [6] * len(hidden) + [Y.shape[0]]
    nets = {dtype: Network([Dense(sizes[i], sizes[i + 1], acts[i], seed=i, dtype=dtype)
                            for i in range(len(acts))], loss=loss)
            for dtype in (np.float32, np.float64)}
    for l32, l64 in zip(nets[np.float32].layers, nets[np.float64].layers):
        l64.W[...] = l32.W                         # the same float32 numbers in both
    analyses = {dtype: DenseErrorAnalysis.of(nets[dtype], X, Y) for dtype in nets}
    J = {dtype: nets[dtype].loss(X, Y) for dtype in nets}
    assert abs(J[np.float32] - J[np.float64]) <= analyses[np.float32].e_J + analyses[np.float64].e_J
    for net in nets.values():
        net.backward(Y)
    for l, (l32, l64) in enumerate(zip(nets[np.float32].layers, nets[np.float64].layers)):
        e_dW = analyses[np.float32].e_dW[l] + analyses[np.float64].e_dW[l]
        e_db = analyses[np.float32].e_db[l] + analyses[np.float64].e_db[l]
        assert np.all(np.abs(l32.dW - l64.dW) <= e_dW)
        assert np.all(np.abs(l32.db - l64.db) <= e_db)
        # and the bound is far below a wrong formula's error (a dW off by 1 %)
        assert np.all(e_dW < 0.01 * np.abs(l64.dW) + 1e-3 * np.abs(l64.dW).max())


def test_assert_steps_match_follows_fit_and_catches_a_wrong_step():
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((3, 40)), rng.standard_normal((1, 40))
    acts = ["tanh", "identity"]

    def run(learning_rate):
        net = Network([Dense(3, 5, "tanh", seed=0), Dense(5, 1, seed=1)], loss="mse")
        iterates = record_iterates(net)
        net.fit(X, Y, epochs=3, learning_rate=learning_rate, batch_size=16, seed=4)
        return iterates, [(layer.W, layer.b) for layer in net.layers]

    iterates, final = run(0.1)
    batches = fit_batches(X, Y, 3, 16, seed=4)
    assert_steps_match(iterates, final, acts, "mse", 0.1, batches, np.float64)
    with pytest.raises(AssertionError, match="step 0"):     # steps of 0.1 are not steps of 0.1001
        assert_steps_match(iterates, final, acts, "mse", 0.1001, batches, np.float64)
    with pytest.raises(AssertionError):                      # nor on other batches
        assert_steps_match(iterates, final, acts, "mse", 0.1, fit_batches(X, Y, 3, 16, seed=5),
                           np.float64)


def test_gradient_check_tolerance_passes_backprop_and_fails_a_wrong_one(monkeypatch):
    rng = np.random.default_rng(0)
    net = Network([Dense(3, 4, "sigmoid", seed=0), Dense(4, 1, "sigmoid", seed=1)],
                  loss="binary_cross_entropy")
    X, Y = rng.standard_normal((3, 8)), (rng.random((1, 8)) > 0.5).astype(float)
    tolerances = gradient_check_tolerance(net, X, Y)
    errors = nnlib.gradient_check(net, X, Y)
    assert all(errors[key] <= tolerances[key] < 1e-3 for key in errors)
    original = Dense.backward_from_dZ

    def dW_off_by_a_thousandth(self, dZ, need_dA_prev=True):   # far subtler than a real bug
        out = original(self, dZ, need_dA_prev)
        self.dW = self.dW * 0.999
        return out

    monkeypatch.setattr(Dense, "backward_from_dZ", dW_off_by_a_thousandth)
    errors = nnlib.gradient_check(net, X, Y)
    assert all(errors[key] > tolerances[key] for key in errors if key.startswith("dW"))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_activation_difference_tolerance(name, dtype):
    """The centred difference of each activation, in float64 and in float32, at the ε of
    activation_step, within activation_difference_tolerance of g' (computed in float64)."""
    act = nnlib.activations.get(name)
    Z = (np.linspace(-6, 6, 97) + 0.0625).reshape(1, -1).astype(dtype)
    eps = dtype(activation_step(act, Z, dtype))
    numeric = (act.forward(Z + eps) - act.forward(Z - eps)) / (2 * eps)
    exact = act.derivative(Z.astype(np.float64))
    tolerance = activation_difference_tolerance(act, Z, float(eps), numeric, dtype)
    assert np.all(np.abs(numeric - exact) <= tolerance)
    if name in ("sigmoid", "tanh"):        # the tolerance is a few parts in 1e3 of g' at most
        assert np.all(tolerance < (3e-3 if dtype == np.float32 else 1e-9))
