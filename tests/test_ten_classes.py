"""Beyond the lecture: ten classes. Softmax + categorical cross-entropy and the digits data.

The chapter 06_ten_classes derives the fused output gradient dZ = (A − Y)/m; these tests prove it
at every CI run with finite differences, and against the long way round (the full softmax
Jacobian in the chain rule).
"""

import sys

import numpy as np
import pytest
from numerics import (DenseErrorAnalysis, assert_gradient_check_passes,
                      difference_gradient_tolerance, gamma, machine_epsilon,
                      relative_error_tolerance)

import nnlib
from nnlib import Dense, Network, activations, datasets, losses
from nnlib.gradcheck import numerical_gradient, relative_error

U = machine_epsilon(np.float64)


def softmax_layer(Z, Y):
    """DenseErrorAnalysis of J(Z) as a softmax layer with W = I, b = 0 fed Z (exact but for a
    spurious γ_(K+1) |z|): J's rounding e_J, and A = softmax(Z)'s, eA."""
    K = Z.shape[0]
    return DenseErrorAnalysis([np.eye(K)], [np.zeros((K, 1))], ["softmax"],
                              "categorical_cross_entropy", Z, Y)


def _Z_and_Y(K=4, m=6, seed=0):
    rng = np.random.default_rng(seed)
    Z = 3 * rng.standard_normal((K, m))
    Y = datasets.one_hot(rng.integers(0, K, m), K)
    return Z, Y


def test_fused_softmax_cross_entropy_gradient_matches_finite_differences():
    """Tolerances: the difference (nnlib's ε = 1e-6) within difference_gradient_tolerance, with
    J's rounding and (A − Y)/m's (A's own error, then 2 roundings) from softmax_layer (was a
    relative error of 1e-8); the two costs each within their rounding bounds, log a_y being off
    by its argument's relative error eA/A plus 4u |log a_y| (was np.isclose's rtol 1e-5,
    atol 1e-8)."""
    Z, Y = _Z_and_Y()
    m = Z.shape[1]
    J = lambda: losses.categorical_cross_entropy_from_logits(Z, Y)  # noqa: E731
    bounds = softmax_layer(Z, Y)
    fused = (activations.softmax(Z) - Y) / m
    e_fused = bounds.eA[-1] / m + 2 * U * np.abs(fused)
    per_entry = difference_gradient_tolerance(J, Z, fused, e_fused, bounds.e_J, 1e-6)
    numeric = numerical_gradient(J, Z)
    assert relative_error(numeric, fused) <= relative_error_tolerance(per_entry, fused)
    # and the probabilities' own cost gives the same J as the one from logits
    A = activations.softmax(Z)
    assert np.all(A > 1e-15)                          # (no clipping at 1e-15)
    of_A = (gamma(Y.size + 1) * losses.categorical_cross_entropy(A, Y)
            + float(np.sum(Y * (bounds.eA[-1] / A + 4 * U * np.abs(np.log(A))))) / m)
    assert abs(losses.categorical_cross_entropy(A, Y) - J()) <= bounds.e_J + of_A


def test_fused_gradient_equals_the_chain_rule_with_the_softmax_jacobian():
    Z, Y = _Z_and_Y(K=5, m=7, seed=1)
    m = Z.shape[1]
    A = activations.softmax(Z)
    dA = losses.CategoricalCrossEntropy().gradient(A, Y)           # dJ/dA = −Y / (m A)
    dZ_chain = np.empty_like(Z)
    for i in range(m):                                             # one Jacobian per example
        a = A[:, i]
        jacobian = np.diag(a) - np.outer(a, a)                     # da_j/dz_k = a_j (δ_jk − a_k)
        dZ_chain[:, i] = jacobian.T @ dA[:, i]
    # From the same A, the two routes are a few roundings apart: −y/(m a) (2 roundings), the
    # Jacobian's a_j δ_jk − a_j a_k (2) and the product with it (K + 1), against a − y and /m
    # (2): within γ_(K+5) (a + y)/m each of the exact value (was atol 1e-12).
    K = Z.shape[0]
    assert np.all(np.abs(dZ_chain - (A - Y) / m) <= 2 * gamma(K + 5) * (A + Y) / m)


def test_network_uses_the_fused_gradient_for_a_softmax_output():
    Z, Y = _Z_and_Y(K=3, m=8, seed=2)
    X = np.random.default_rng(3).standard_normal((4, 8))
    net = Network([Dense(4, 5, "tanh", seed=0), Dense(5, 3, "softmax", seed=1)],
                  loss="categorical_cross_entropy")
    net.forward(X)
    net.backward(Y)
    A1 = net.layers[0]._cache[2]
    dZ2 = (net._Y_hat - Y) / X.shape[1]
    # the same product of the same numbers, each within γ_m |A1| |dZ2|ᵀ of the exact one (was
    # atol 1e-14)
    m = X.shape[1]
    allowed = 2 * gamma(m + 2) * (np.abs(A1) @ np.abs(dZ2).T)
    assert np.all(np.abs(net.layers[1].dW - A1 @ dZ2.T) <= allowed)
    # nnlib's gradient check, within numerics.gradient_check_tolerance (was 1e-7)
    assert_gradient_check_passes(net, X, Y)


def test_softmax_cross_entropy_stays_finite_for_huge_scores():
    Z = np.array([[1000.0, -1000.0], [0.0, 0.0], [-1000.0, 1000.0]])
    Y = datasets.one_hot([0, 1], 3)
    A = activations.softmax(Z)
    assert np.isfinite(A).all()
    # each column is 1 and e^(−1000), e^(−2000), which underflow to 0: exact (was rtol 1e-7)
    np.testing.assert_array_equal(A.sum(axis=0), 1.0)
    J = losses.categorical_cross_entropy_from_logits(Z, Y)
    assert J == (0.0 + 1000.0) / 2  # −log a = logsumexp(z) − z_true: 0 and 1000, exactly



def test_digits_match_scikit_learns_copy():
    """nnlib ships the same file scikit-learn reads (scikit-learn is a test dependency only)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    X, Y, labels = datasets.digits()
    assert X.shape == (64, 1797) and Y.shape == (10, 1797) and labels.shape == (1797,)
    assert X.dtype == Y.dtype == np.float64
    np.testing.assert_array_equal(X * 16, data.data.T)
    np.testing.assert_array_equal(labels, data.target)
    np.testing.assert_array_equal(Y.argmax(axis=0), labels)
    np.testing.assert_array_equal(Y.sum(axis=0), 1)
    # one column is one image read row by row: column 0 is the first image
    np.testing.assert_array_equal(X[:, 0].reshape(8, 8) * 16, data.images[0])


def test_digits_in_float32():
    X, Y, labels = datasets.digits(dtype=np.float32)
    assert X.dtype == Y.dtype == np.float32
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert labels.dtype.kind == "i"


def test_digits_need_no_scikit_learn(monkeypatch):
    """A learner on Colab or in a bare environment gets the digits from nnlib alone."""
    monkeypatch.setitem(sys.modules, "sklearn", None)  # any import of scikit-learn now fails
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    X, Y, labels = datasets.digits()
    assert X.shape == (64, 1797) and set(np.unique(labels)) == set(range(10))


def test_a_small_network_learns_the_digits():
    X, Y, labels = datasets.digits(dtype=np.float32)
    (X_train, Y_train), (X_test, Y_test) = datasets.train_validation_split(X, Y, 0.25, seed=0)
    rng = np.random.default_rng(0)
    net = Network([Dense(64, 32, "relu", seed=rng, dtype=np.float32),
                   Dense(32, 10, "softmax", seed=rng, dtype=np.float32)],
                  loss="categorical_cross_entropy")
    history = net.fit(X_train, Y_train, epochs=15, learning_rate=0.1, batch_size=32)
    assert history.cost[-1] < 0.5 * history.cost[0]
    accuracy = np.mean(net.predict(X_test).ravel() == Y_test.argmax(axis=0))
    assert accuracy > 0.9  # guessing gets 0.1


def test_a_softmax_probability_can_round_to_zero_and_its_log_is_not_negative_but_minus_infinity():
    """Chapter 6 names the slides' "Note that: 0 ≤ ŷ_i ≤ 1 – Meaning both log ŷ_i and
    log(1 − ŷ_i) are negative": false at the ends (log 1 = 0, log 0 = −inf), and rounding
    reaches the ends. The correct form, 0 < ŷ < 1 ⇒ log ŷ < 0, holds for every float in between;
    nnlib's cost from Z stays finite where −log of the rounded probability is inf."""
    Z = np.array([[800.0], [0.0]])
    Y = np.array([[0.0], [1.0]])
    A = activations.softmax(Z)
    assert A[0, 0] == 1.0 and A[1, 0] == 0.0       # e^-800 is below the smallest float64
    with np.errstate(divide="ignore"):
        assert np.log(A[1, 0]) == -np.inf           # log 0: not a negative number
    assert np.log(A[0, 0]) == 0.0                   # log 1: not negative either
    inside = np.array([np.nextafter(0.0, 1.0), 1e-300, 0.5, np.nextafter(1.0, 0.0)])
    assert np.all(np.log(inside) < 0) and np.all(np.log1p(-inside) < 0)
    # −log a_2 = logsumexp(z) − z_2 = 800 (+ log(1 + e^-800), which rounds away)
    assert losses.categorical_cross_entropy_from_logits(Z, Y) == 800.0
    net = Network([Dense(1, 2, "softmax", init="zeros")], loss="categorical_cross_entropy")
    net.layers[0].b[:] = Z                          # Z^[L] = b: scores 800 and 0 for any x
    assert net.loss(np.zeros((1, 1)), Y) == 800.0


def test_an_epoch_of_mini_batches_is_ceil_m_over_B_updates(monkeypatch):
    """Chapter 6: an epoch of m examples in batches of B is ceil(m / B) updates (1078 training
    digits in batches of 32: 34, the last one of 22); the full batch is one update."""
    sizes = []
    original = Network._train_step

    def counting(self, X, Y, learning_rate):
        sizes.append(X.shape[1])
        return original(self, X, Y, learning_rate)

    monkeypatch.setattr(Network, "_train_step", counting)
    X, Y, _ = datasets.digits()
    X, Y = X[:, :1078], Y[:, :1078]
    net = Network([Dense(64, 8, "relu", seed=0), Dense(8, 10, "softmax", seed=1)],
                  loss="categorical_cross_entropy")
    net.fit(X, Y, epochs=2, learning_rate=0.1, batch_size=32)
    assert len(sizes) == 2 * 34 == 2 * -(-1078 // 32)
    assert sizes[:34] == [32] * 33 + [1078 - 33 * 32] and sum(sizes[:34]) == 1078
    updates = []
    monkeypatch.setattr(Network, "_update", lambda self, rate: updates.append(rate))
    net.fit(X, Y, epochs=3, learning_rate=0.1)      # full batch: one update per epoch
    assert len(updates) == 3


def test_a_gradient_check_costs_one_pair_of_forward_passes_per_parameter(monkeypatch):
    """Chapter 6: checking the 64-32-10 network would take 2410 pairs of forward passes."""
    big = Network([Dense(64, 32, "relu", seed=0), Dense(32, 10, "softmax", seed=1)],
                  loss="categorical_cross_entropy")
    assert sum(layer.W.size + layer.b.size for layer in big.layers) == 2410
    calls = []
    original = Network.forward
    monkeypatch.setattr(Network, "forward",
                        lambda self, X: calls.append(1) or original(self, X))
    small = Network([Dense(4, 5, "tanh", seed=0), Dense(5, 3, "softmax", seed=1)],
                    loss="categorical_cross_entropy")
    rng = np.random.default_rng(1)
    nnlib.gradient_check(small, rng.standard_normal((4, 10)),
                         datasets.one_hot(rng.integers(0, 3, 10), 3))
    n_small = 4 * 5 + 5 + 5 * 3 + 3
    assert len(calls) == 1 + 2 * n_small            # the backprop pass, then a pair per parameter
