"""nnlib's training gives the same numbers as the lecture's maths written out in plain NumPy.

The reference below is the lecture, line by line, with no library around it: forward
Z = Wᵀ A_prev + b, A = g(Z); backward dZ = dA * g'(Z) (or the fused (A − Y)/m), dW = A_prev dZᵀ,
db = Σ dZ, dA_prev = W dZ; update W <- W − α dW. It shuffles the columns once per epoch with the
same generator as ``Network.fit`` and takes batches as consecutive slices.

nnlib's training loop is tuned for speed (see benchmarks/); these tests keep its results equal,
to float tolerance, to this reference, for several activations, both kinds of output, full
batch and mini-batches, float64 and float32.
"""

import numpy as np
import pytest

import nnlib
from nnlib import Dense, Network

# -- the reference: the lecture in plain NumPy ------------------------------------------------


def _g(name, Z, alpha=0.01):
    if name == "identity":
        return Z
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-Z))
    if name == "tanh":
        return np.tanh(Z)
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "leaky_relu":
        return np.where(Z > 0, Z, alpha * Z)
    if name == "softmax":
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        return E / E.sum(axis=0, keepdims=True)
    raise AssertionError(name)


def _g_prime(name, Z, alpha=0.01):
    if name == "identity":
        return np.ones_like(Z)
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-Z))
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(Z) ** 2
    if name == "relu":
        return (Z > 0).astype(Z.dtype)
    if name == "leaky_relu":
        return np.where(Z > 0, 1.0, alpha)
    raise AssertionError(name)


def _reference_cost(loss, Z_L, A_L, Y):
    m = Y.shape[1]
    if loss == "mse":
        return np.sum((Y - A_L) ** 2) / m
    if loss == "binary_cross_entropy":
        return np.sum(np.maximum(Z_L, 0) - Z_L * Y + np.log1p(np.exp(-np.abs(Z_L)))) / m
    Zs = Z_L - Z_L.max(axis=0, keepdims=True)
    return -np.sum(Y * (Zs - np.log(np.exp(Zs).sum(axis=0, keepdims=True)))) / m


def reference_fit(Ws, bs, activations, loss, X, Y, epochs, alpha, batch_size, seed=0):
    """Gradient descent as the lecture writes it. Returns (Ws, bs, costs) in float64."""
    Ws = [W.astype(np.float64) for W in Ws]
    bs = [b.astype(np.float64) for b in bs]
    X = X.astype(np.float64)
    Y = Y.astype(np.float64)
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    costs = []

    def forward(A):
        cache = []
        for W, b, g in zip(Ws, bs, activations):
            Z = W.T @ A + b
            A_next = _g(g, Z)
            cache.append((A, Z))
            A = A_next
        return A, cache

    for _ in range(epochs):
        if batch_size is None or batch_size >= m:
            batches = [(X, Y)]
        else:
            order = rng.permutation(m)
            Xs, Ys = X[:, order], Y[:, order]
            batches = [(Xs[:, s:s + batch_size], Ys[:, s:s + batch_size])
                       for s in range(0, m, batch_size)]
        for Xb, Yb in batches:
            mb = Xb.shape[1]
            A_L, cache = forward(Xb)
            if loss == "mse":
                dZ = (2.0 / mb) * (A_L - Yb) * _g_prime(activations[-1], cache[-1][1])
            else:  # sigmoid + binary cross-entropy, softmax + categorical cross-entropy
                dZ = (A_L - Yb) / mb
            for l in range(len(Ws) - 1, -1, -1):
                A_prev, _ = cache[l]
                dW = A_prev @ dZ.T
                db = dZ.sum(axis=1, keepdims=True)
                if l > 0:
                    dA_prev = Ws[l] @ dZ
                    dZ = dA_prev * _g_prime(activations[l - 1], cache[l - 1][1])
                Ws[l] = Ws[l] - alpha * dW
                bs[l] = bs[l] - alpha * db
        A_L, cache = forward(X)
        costs.append(_reference_cost(loss, cache[-1][1], A_L, Y))
    return Ws, bs, costs


# -- the cases ------------------------------------------------------------------------------

def _data(loss, n_x=4, m=150, n_classes=3):
    rng = np.random.default_rng(42)
    X = rng.standard_normal((n_x, m))
    if loss == "mse":
        Y = np.vstack([np.sin(X[0]) + 0.5 * X[1], X[2] * X[3]])
    elif loss == "binary_cross_entropy":
        Y = (X[0] * X[1] > 0).astype(float).reshape(1, m)
    else:
        labels = (X[0] > 0).astype(int) + (X[1] > 0.5).astype(int)
        Y = nnlib.datasets.one_hot(labels, n_classes)
    return X, Y


CASES = [
    # (hidden activations, output activation, loss)
    (["tanh"], "identity", "mse"),
    (["relu", "sigmoid"], "identity", "mse"),
    (["leaky_relu"], "sigmoid", "mse"),
    (["relu", "relu"], "sigmoid", "binary_cross_entropy"),
    (["tanh", "leaky_relu"], "sigmoid", "binary_cross_entropy"),
    (["relu", "tanh"], "softmax", "categorical_cross_entropy"),
    (["sigmoid"], "softmax", "categorical_cross_entropy"),
]


def _build(hidden, output, loss, dtype):
    X, Y = _data(loss)
    sizes = [X.shape[0]] + [7] * len(hidden) + [Y.shape[0]]
    acts = hidden + [output]
    layers = [Dense(sizes[i], sizes[i + 1], acts[i], seed=10 + i, dtype=dtype)
              for i in range(len(acts))]
    return Network(layers, loss=loss), X, Y, acts


@pytest.mark.parametrize("batch_size", [None, 32, 150, 64])
@pytest.mark.parametrize("hidden, output, loss", CASES)
def test_fit_matches_plain_numpy_reference_float64(hidden, output, loss, batch_size):
    net, X, Y, acts = _build(hidden, output, loss, np.float64)
    W0 = [layer.W.copy() for layer in net.layers]
    b0 = [layer.b.copy() for layer in net.layers]
    history = net.fit(X, Y, epochs=5, learning_rate=0.1, batch_size=batch_size, seed=3)
    Ws, bs, costs = reference_fit(W0, b0, acts, loss, X, Y, 5, 0.1, batch_size, seed=3)
    for layer, W, b in zip(net.layers, Ws, bs):
        np.testing.assert_allclose(layer.W, W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer.b, b, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(history.cost, costs, rtol=1e-10)
    # and training really moved the parameters (the comparison is not of two copies of W0)
    assert not np.allclose(net.layers[0].W, W0[0])


@pytest.mark.parametrize("batch_size", [None, 32])
@pytest.mark.parametrize("hidden, output, loss", CASES)
def test_fit_matches_reference_float32(hidden, output, loss, batch_size):
    net, X, Y, acts = _build(hidden, output, loss, np.float32)
    W0 = [layer.W.copy() for layer in net.layers]
    b0 = [layer.b.copy() for layer in net.layers]
    history = net.fit(X, Y, epochs=5, learning_rate=0.1, batch_size=batch_size, seed=3)
    Ws, bs, costs = reference_fit(W0, b0, acts, loss, X, Y, 5, 0.1, batch_size, seed=3)
    for layer, W, b in zip(net.layers, Ws, bs):
        assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
        np.testing.assert_allclose(layer.W, W, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(layer.b, b, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history.cost, costs, rtol=1e-4)


@pytest.mark.parametrize("loss", ["mse", "binary_cross_entropy", "categorical_cross_entropy"])
def test_cost_of_a_large_training_set_matches_reference(loss):
    """fit computes the epoch's cost block by block (here 9 blocks of 512 columns, because
    the 64 units of float64 take 512 bytes per column); the same number."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((3, 4500))
    Y = {"mse": X[:1] * X[1:2],
         "binary_cross_entropy": (X[:1] > 0).astype(float),
         "categorical_cross_entropy": nnlib.datasets.one_hot((X[0] > 0) + (X[1] > 0), 3)}[loss]
    output = {"mse": "identity", "binary_cross_entropy": "sigmoid",
              "categorical_cross_entropy": "softmax"}[loss]
    net = Network([Dense(3, 64, "tanh", seed=1), Dense(64, Y.shape[0], output, seed=2)],
                  loss=loss)
    W0 = [layer.W.copy() for layer in net.layers]
    b0 = [layer.b.copy() for layer in net.layers]
    history = net.fit(X, Y, epochs=2, learning_rate=0.1, batch_size=500)
    _, _, costs = reference_fit(W0, b0, ["tanh", output], loss, X, Y, 2, 0.1, 500)
    np.testing.assert_allclose(history.cost, costs, rtol=1e-10)
    assert history.cost[-1] == pytest.approx(net.loss(X, Y), rel=1e-12)
    for block in (1, 7, 512, 4499, 10**6):  # any blocking gives the same J
        assert net._evaluate(X, Y, block=block) == pytest.approx(history.cost[-1], rel=1e-12)


def test_cost_of_a_small_training_set_is_exactly_the_loss():
    net, X, Y, _ = _build(["relu"], "sigmoid", "binary_cross_entropy", np.float64)
    history = net.fit(X, Y, epochs=1, learning_rate=0.1)
    assert history.cost[-1] == net.loss(X, Y)


def test_forward_backward_step_match_reference():
    """The five steps called one by one (as the chapters do) give the reference's numbers."""
    net, X, Y, acts = _build(["relu", "tanh"], "softmax", "categorical_cross_entropy",
                             np.float64)
    W0 = [layer.W.copy() for layer in net.layers]
    b0 = [layer.b.copy() for layer in net.layers]
    for _ in range(3):
        net.forward(X)
        net.backward(Y)
        net.step(0.5)
    Ws, bs, _ = reference_fit(W0, b0, acts, "categorical_cross_entropy", X, Y, 3, 0.5, None)
    for layer, W, b in zip(net.layers, Ws, bs):
        np.testing.assert_allclose(layer.W, W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(layer.b, b, rtol=1e-10, atol=1e-12)


def test_layer_backward_gives_dA_prev_of_the_first_layer():
    """Skipping dJ/dX inside fit must not take it away from Dense.backward."""
    layer = Dense(3, 2, "tanh", seed=0)
    X = np.random.default_rng(0).standard_normal((3, 5))
    A = layer.forward(X)
    dA = np.ones_like(A)
    dX = layer.backward(dA)
    Z = layer.W.T @ X + layer.b
    np.testing.assert_allclose(dX, layer.W @ (dA * (1 - np.tanh(Z) ** 2)))


def test_fit_does_not_change_the_callers_arrays():
    net, X, Y, _ = _build(["relu"], "softmax", "categorical_cross_entropy", np.float64)
    X0, Y0 = X.copy(), Y.copy()
    net.fit(X, Y, epochs=2, learning_rate=0.1, batch_size=16)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
