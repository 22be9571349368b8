"""nnlib's training gives the same numbers as the lecture's maths written out in plain NumPy.

The reference below is the lecture, line by line, with no library around it: forward
Z = Wᵀ A_prev + b, A = g(Z); backward dZ = dA * g'(Z) (or the fused (A − Y)/m), dW = A_prev dZᵀ,
db = Σ dZ, dA_prev = W dZ; update W <- W − α dW. It shuffles the columns once per epoch with the
same generator as ``Network.fit`` and takes batches as consecutive slices.

nnlib's training loop is tuned for speed (see benchmarks/); these tests keep its results equal
to this reference, for several activations, both kinds of output, full batch and mini-batches,
float64 and float32: step by step, each of nnlib's steps against the reference's step from the
same parameters on the same batch, within the rounding bounds of both (numerics.
assert_steps_match), and each epoch's cost against the reference's cost at nnlib's parameters,
within the bounds of both (e_J). (These tests compared the two after 5 epochs, at rtol 1e-10
and 1e-4: tolerances no rounding analysis gives, since differences may grow from step to step.)
"""

import numpy as np
import pytest
from numerics import DenseErrorAnalysis, assert_steps_match, record_iterates

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


def _forward(Ws, bs, activations, A):
    cache = []
    for W, b, g in zip(Ws, bs, activations):
        Z = W.T @ A + b
        A_next = _g(g, Z)
        cache.append((A, Z))
        A = A_next
    return A, cache


def reference_batches(X, Y, epochs, batch_size, seed=0):
    """The batches gradient descent steps on, in order: the whole set each epoch, or the
    columns shuffled once per epoch (the generator Network.fit uses) and cut into slices."""
    X = X.astype(np.float64)
    Y = Y.astype(np.float64)
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(epochs):
        if batch_size is None or batch_size >= m:
            batches.append((X, Y))
        else:
            order = rng.permutation(m)
            Xs, Ys = X[:, order], Y[:, order]
            batches += [(Xs[:, s:s + batch_size], Ys[:, s:s + batch_size])
                        for s in range(0, m, batch_size)]
    return batches


def reference_step(Ws, bs, activations, loss, Xb, Yb, alpha):
    """One gradient-descent step as the lecture writes it, in float64. Returns (Ws, bs)."""
    Ws = [W.astype(np.float64) for W in Ws]
    bs = [b.astype(np.float64) for b in bs]
    mb = Xb.shape[1]
    A_L, cache = _forward(Ws, bs, activations, Xb)
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
    return Ws, bs


def reference_cost(Ws, bs, activations, loss, X, Y):
    """J on (X, Y) as the lecture writes it, in float64."""
    Ws = [W.astype(np.float64) for W in Ws]
    bs = [b.astype(np.float64) for b in bs]
    A_L, cache = _forward(Ws, bs, activations, X.astype(np.float64))
    return _reference_cost(loss, cache[-1][1], A_L, Y.astype(np.float64))


def check_against_reference(net, iterates, history, activations, loss, X, Y, epochs, alpha,
                            batch_size, seed=0):
    """nnlib's steps (recorded by numerics.record_iterates) and costs against the reference:
    every step within assert_steps_match's bounds, the cost after each epoch within twice e_J
    (nnlib's dtype, which bounds float64's too) of the reference's cost at nnlib's parameters
    after that epoch."""
    batches = reference_batches(X, Y, epochs, batch_size, seed)
    final = [(layer.W, layer.b) for layer in net.layers]
    assert_steps_match(iterates, final, activations, loss, alpha, batches, net.dtype,
                       reference_step=lambda Ws, bs, Xb, Yb: reference_step(
                           Ws, bs, activations, loss, Xb, Yb, alpha))
    per_epoch = len(batches) // epochs
    after = [(Ws, bs) for Ws, bs, _ in iterates[per_epoch::per_epoch]] + [
        ([W for W, _ in final], [b for _, b in final])]
    assert len(history.cost) == len(after) == epochs
    for cost, (Ws, bs) in zip(history.cost, after):
        allowed = 2 * DenseErrorAnalysis(Ws, bs, activations, loss, X, Y, dtype=net.dtype).e_J
        assert abs(cost - reference_cost(Ws, bs, activations, loss, X, Y)) <= allowed


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
    iterates = record_iterates(net)
    history = net.fit(X, Y, epochs=5, learning_rate=0.1, batch_size=batch_size, seed=3)
    assert all(np.array_equal(W, W_0) for W, W_0 in zip(iterates[0][0], W0))  # from the start
    check_against_reference(net, iterates, history, acts, loss, X, Y, 5, 0.1, batch_size, seed=3)
    # and training really moved the parameters (the comparison is not of two copies of W0)
    assert not np.allclose(net.layers[0].W, W0[0])


@pytest.mark.parametrize("batch_size", [None, 32])
@pytest.mark.parametrize("hidden, output, loss", CASES)
def test_fit_matches_reference_float32(hidden, output, loss, batch_size):
    net, X, Y, acts = _build(hidden, output, loss, np.float32)
    W0 = [layer.W.copy() for layer in net.layers]
    iterates = record_iterates(net)
    history = net.fit(X, Y, epochs=5, learning_rate=0.1, batch_size=batch_size, seed=3)
    for layer in net.layers:
        assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
    assert all(np.array_equal(W, W_0) for W, W_0 in zip(iterates[0][0], W0))  # from the start
    check_against_reference(net, iterates, history, acts, loss, X, Y, 5, 0.1, batch_size, seed=3)


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
    iterates = record_iterates(net)
    history = net.fit(X, Y, epochs=2, learning_rate=0.1, batch_size=500)
    check_against_reference(net, iterates, history, ["tanh", output], loss, X, Y, 2, 0.1, 500)
    # any blocking gives the same J, up to each one's rounding (e_J; was rel 1e-12)
    e_J = DenseErrorAnalysis.of(net, X, Y).e_J
    assert abs(history.cost[-1] - net.loss(X, Y)) <= 2 * e_J
    for block in (1, 7, 512, 4499, 10**6):
        assert abs(net._evaluate(X, Y, block=block) - history.cost[-1]) <= 2 * e_J


def test_cost_of_a_small_training_set_is_exactly_the_loss():
    net, X, Y, _ = _build(["relu"], "sigmoid", "binary_cross_entropy", np.float64)
    history = net.fit(X, Y, epochs=1, learning_rate=0.1)
    assert history.cost[-1] == net.loss(X, Y)


def test_forward_backward_step_match_reference():
    """The five steps called one by one (as the chapters do) give the reference's numbers."""
    net, X, Y, acts = _build(["relu", "tanh"], "softmax", "categorical_cross_entropy",
                             np.float64)
    iterates = record_iterates(net)
    for _ in range(3):
        net.forward(X)
        net.backward(Y)
        net.step(0.5)
    loss = "categorical_cross_entropy"
    assert_steps_match(iterates, [(layer.W, layer.b) for layer in net.layers], acts, loss, 0.5,
                       reference_batches(X, Y, 3, None), np.float64,
                       reference_step=lambda Ws, bs, Xb, Yb: reference_step(
                           Ws, bs, acts, loss, Xb, Yb, 0.5))


def test_layer_backward_gives_dA_prev_of_the_first_layer():
    """Skipping dJ/dX inside fit must not take it away from Dense.backward."""
    layer = Dense(3, 2, "tanh", seed=0)
    X = np.random.default_rng(0).standard_normal((3, 5))
    A = layer.forward(X)
    dA = np.ones_like(A)
    dX = layer.backward(dA)
    Z = layer.W.T @ X + layer.b
    # two computations of dJ/dX for J = Σ A, each within e_dX of the exact one (was rtol 1e-7)
    e_dX = DenseErrorAnalysis([layer.W], [layer.b], ["tanh"], "weighted_sum", X, dA,
                               need_dX=True).e_dX
    assert np.all(np.abs(dX - layer.W @ (dA * (1 - np.tanh(Z) ** 2))) <= 2 * e_dX)



def test_fit_does_not_change_the_callers_arrays():
    net, X, Y, _ = _build(["relu"], "softmax", "categorical_cross_entropy", np.float64)
    X0, Y0 = X.copy(), Y.copy()
    net.fit(X, Y, epochs=2, learning_rate=0.1, batch_size=16)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
