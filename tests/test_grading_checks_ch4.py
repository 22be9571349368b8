"""The checks of exercise 4 (general networks): each usual mistake is rejected with its
diagnosis, and correct answers written differently are accepted.

Convention of the exercise (nnlib's): dZ^[L] = (A^[L] − Y)/m, dW = A_prev dZᵀ, db = Σ dZ.
"""

import numpy as np
import pytest

import nnlib
from nnlib.grading.questions import ch4
from nnlib.grading.testing import assert_accepted, assert_rejected

G = {
    "identity": (nnlib.activations.identity, nnlib.activations.identity_derivative),
    "sigmoid": (nnlib.activations.sigmoid, nnlib.activations.sigmoid_derivative),
    "tanh": (nnlib.activations.tanh, nnlib.activations.tanh_derivative),
    "relu": (nnlib.activations.relu, nnlib.activations.relu_derivative),
}


# -- 4.1 initialisation ---------------------------------------------------------------------------


def make_init(scale=lambda n_prev, n: np.sqrt(1 / n_prev), transpose=False, flat_b=False,
              zeros=False, uniform=False, key=lambda p, l: f"{p}[{l}]", seeded=True):
    def initialize_parameters(layer_sizes, seed=0):
        rng = np.random.default_rng(seed) if seeded else np.random.default_rng()
        parameters = {}
        for l in range(1, len(layer_sizes)):
            n_prev, n = layer_sizes[l - 1], layer_sizes[l]
            draw = rng.random((n_prev, n)) if uniform else rng.standard_normal((n_prev, n))
            W = draw * scale(n_prev, n)
            parameters[key("W", l)] = np.zeros_like(W) if zeros else (W.T if transpose else W)
            parameters[key("b", l)] = np.zeros(n) if flat_b else np.zeros((n, 1))
        return parameters
    return initialize_parameters


def init_legacy_he(layer_sizes, seed=0):
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layer_sizes)):
        parameters[f"W[{l}]"] = np.random.randn(layer_sizes[l - 1], layer_sizes[l]) \
            * np.sqrt(2 / layer_sizes[l - 1])
        parameters[f"b[{l}]"] = np.zeros((layer_sizes[l], 1))
    return parameters


@pytest.mark.parametrize("answer", [
    make_init(),
    make_init(scale=lambda n_prev, n: 0.01),
    init_legacy_he,
    make_init(scale=lambda n_prev, n: np.float32(np.sqrt(1 / n_prev))),
], ids=["xavier", "slides-0.01", "he-legacy-random", "float32-scale"])
def test_initialize_accepts_correct_answers(answer):
    assert_accepted("4.1", answer)


@pytest.mark.parametrize("answer, phrases", [
    (make_init(transpose=True), ["swapped", "did you transpose W?"]),
    (make_init(flat_b=True), ["b of shape (n,) instead of (n, 1)"]),
    (make_init(zeros=True), ["all zeros", "symmetry"]),
    (make_init(scale=lambda n_prev, n: 1.0), ["unscaled", "saturate"]),
    (make_init(scale=lambda n_prev, n: np.sqrt(1 / n)), ["n^[l] (this layer's units)"]),
    (make_init(uniform=True), ["positive", "standard_normal"]),
    (make_init(seeded=False), ["same seed gave different W"]),
    (make_init(key=lambda p, l: f"{p}{l}"), ["'W[1]'", "missing"]),
    (make_init(key=lambda p, l: f"{p}[{l - 1}]"), ["counted from 1"]),
    (lambda layer_sizes, seed=0: {f"{p}[{l}]": np.full((layer_sizes[l - 1], layer_sizes[l]), 0.1)
                                  if p == "W" else np.zeros((layer_sizes[l], 1))
                                  for l in range(1, len(layer_sizes)) for p in "Wb"},
     ["columns of W[1] are all equal", "symmetry"]),
    (lambda layer_sizes, seed=0: None, ["return"]),
], ids=["transposed", "flat-b", "zeros", "unscaled", "wrong-n", "uniform", "unseeded",
        "keys-W1", "zero-based", "constant", "no-return"])
def test_initialize_rejects_mistakes(answer, phrases):
    assert_rejected("4.1", answer, *phrases)


# -- 4.2 forward ----------------------------------------------------------------------------------


def make_forward(transpose=True, cache="A_prev", output=True, same_g=None):
    def forward(X, parameters, activations):
        A = X
        caches = []
        L = len(activations)
        for l, name in enumerate(activations, start=1):
            W, b = parameters[f"W[{l}]"], parameters[f"b[{l}]"]
            Z = (W.T @ A if transpose else W @ A) + b
            g = G[same_g or name][0]
            A_new = g(Z) if (output or l < L) else Z
            caches.append({"A_prev": (A, Z), "A": (A_new, Z), "Z->A": (A, A_new)}[cache])
            A = A_new
        return A, caches
    return forward


def forward_dot_tuples(X, parameters, activations):
    A, caches = X, []
    for l in range(1, len(activations) + 1):
        Z = np.dot(parameters[f"W[{l}]"].T, A) + parameters[f"b[{l}]"]
        caches.append([A, Z])
        A = G[activations[l - 1]][0](Z)
    return A, tuple(caches)


def forward_float32(X, parameters, activations):
    return make_forward()(X.astype(np.float32),
                          {k: v.astype(np.float32) for k, v in parameters.items()}, activations)


def forward_loop_over_examples(X, parameters, activations):
    AL = np.zeros((1, X.shape[1]))
    for i in range(X.shape[1]):
        AL[:, i:i + 1] = make_forward()(X[:, i:i + 1], parameters, activations)[0]
    return AL, make_forward()(X, parameters, activations)[1]


@pytest.mark.parametrize("answer", [make_forward(), forward_dot_tuples, forward_float32],
                         ids=["matmul", "dot-lists", "float32"])
def test_forward_accepts_correct_answers(answer):
    assert_accepted("4.2", answer)


@pytest.mark.parametrize("answer, phrases", [
    (make_forward(transpose=False), ["matmul", "did you transpose W?"]),
    (make_forward(cache="A"), ["holds A^[1]", "A^[0]"]),
    (make_forward(cache="Z->A"), ["holds A^[1] = g(Z^[1])"]),
    (make_forward(output=False), ["σ was not applied"]),
    (make_forward(same_g="sigmoid"), ["its own g^[l]"]),
    (forward_loop_over_examples, ["loop over the examples"]),
    (lambda X, parameters, activations: make_forward()(X, parameters, activations)[0],
     ["two things"]),
], ids=["no-transpose", "cache-A", "cache-Z-is-A", "no-output-sigmoid", "same-g", "loop",
        "one-value"])
def test_forward_rejects_mistakes(answer, phrases):
    assert_rejected("4.2", answer, *phrases)


# -- 4.3 backward ---------------------------------------------------------------------------------


def make_backward(mistake=None):
    def backward(AL, Y, caches, parameters, activations):
        m = Y.shape[1]
        L = len(caches)
        grads = {}
        dZ = AL - Y if mistake == "no-1/m" else (AL - Y) / m
        if mistake == "sign":
            dZ = -dZ
        for l in range(L, 0, -1):
            A_prev, Z = caches[l - 1]
            if l < L:
                name = activations[l - 1]
                if mistake == "from-Z" and name == "sigmoid":
                    g_prime = Z * (1 - Z)
                elif mistake == "from-Z" and name == "tanh":
                    g_prime = 1 - Z ** 2
                else:
                    g_prime = G[name][1](Z)
                dZ = dA * g_prime
            grads[f"dW[{l}]"] = dZ @ A_prev.T if mistake == "dW-transposed" else A_prev @ dZ.T
            db = {"mean": lambda: dZ.mean(axis=1, keepdims=True),
                  "axis0": lambda: dZ.sum(axis=0, keepdims=True),
                  "flat-db": lambda: dZ.sum(axis=1),
                  "no-sum": lambda: dZ}.get(mistake, lambda: dZ.sum(axis=1, keepdims=True))()
            grads[f"db[{l}]"] = db
            W = parameters[f"W[{l}]"]
            dA = W.T @ dZ if mistake == "W-not-transposed-back" else W @ dZ
        return grads
    return backward


def backward_slides_convention(AL, Y, caches, parameters, activations):
    """dZ^[L] = A − Y, the 1/m in dW and db, and g' written out from A = g(Z)."""
    m = Y.shape[1]
    grads = {}
    dZ = AL - Y
    for l in range(len(caches), 0, -1):
        A_prev, Z = caches[l - 1]
        if l < len(caches):
            A = G[activations[l - 1]][0](Z)
            g_prime = {"relu": (Z > 0) * 1.0, "tanh": 1 - A ** 2, "sigmoid": A * (1 - A),
                       "identity": np.ones_like(Z)}[activations[l - 1]]
            dZ = dA * g_prime
        grads[f"dW[{l}]"] = np.dot(A_prev, dZ.T) / m
        grads[f"db[{l}]"] = np.mean(dZ, axis=1, keepdims=True)
        dA = parameters[f"W[{l}]"] @ dZ
    return grads


@pytest.mark.parametrize("answer", [make_backward(), backward_slides_convention],
                         ids=["nnlib-convention", "slides-convention"])
def test_backward_accepts_correct_answers(answer):
    assert_accepted("4.3", answer)


@pytest.mark.parametrize("answer, phrases", [
    (make_backward("no-1/m"), ["dW[1] ✗", "relative error", "1/m missing"]),
    (make_backward("sign"), ["dW[3] ✗", "sign flipped"]),
    (make_backward("from-Z"), ["dW[3] ✓", "db[3] ✓", "dW[2] ✗", "computed from Z where A was meant"]),
    (make_backward("mean"), ["dW[1] ✓", "db[1] ✗", "a mean where a sum was meant"]),
    (make_backward("axis0"), ["db[1] ✗", "wrong axis"]),
    (make_backward("flat-db"), ["db[1] ✗", "b of shape (n,) instead of (n, 1)"]),
    (make_backward("no-sum"), ["db[1] ✗", "sum over the examples is missing"]),
    (make_backward("dW-transposed"), ["dW[1] ✗", "swapped", "transpose"]),
    (make_backward("W-not-transposed-back"), ["matmul", "dA^[l-1] = W^[l] dZ^[l]"]),
    (lambda AL, Y, caches, parameters, activations: {
        k.replace("[", "").replace("]", ""): v
        for k, v in make_backward()(AL, Y, caches, parameters, activations).items()},
     ["'dW[1]'"]),
], ids=["no-1/m", "sign", "derivative-from-Z", "db-mean", "db-axis0", "flat-db", "no-sum",
        "dW-transposed", "dA-transposed", "keys"])
def test_backward_rejects_mistakes(answer, phrases):
    assert_rejected("4.3", answer, *phrases)


def test_backward_reference_agrees_with_nnlib():
    """The check's reference (finite differences of its own forward pass) is nnlib's gradient."""
    X, Y, parameters, activations = ch4.CASES[0]
    layers = []
    for l, name in enumerate(activations, start=1):
        W = parameters[f"W[{l}]"]
        layer = nnlib.Dense(W.shape[0], W.shape[1], name)
        layer.W, layer.b = W.copy(), parameters[f"b[{l}]"].copy()
        layers.append(layer)
    net = nnlib.Network(layers, loss="binary_cross_entropy")
    net.forward(X)
    net.backward(Y)
    AL, caches = ch4.ref_forward(X, parameters, activations)
    ours = ch4.ref_backward(AL, Y, caches, parameters, activations)
    for key, value in net.gradients().items():
        np.testing.assert_allclose(ours[key], value, rtol=1e-10, atol=1e-14)


# -- 4.4 update -----------------------------------------------------------------------------------


def update_in_place(parameters, grads, learning_rate):
    for key in parameters:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters


@pytest.mark.parametrize("answer", [
    lambda parameters, grads, learning_rate: {k: v - learning_rate * grads["d" + k]
                                              for k, v in parameters.items()},
    update_in_place,
], ids=["new-dict", "in-place"])
def test_update_accepts_correct_answers(answer):
    assert_accepted("4.4", answer)


@pytest.mark.parametrize("answer, phrases", [
    (lambda p, g, lr: {k: v + lr * g["d" + k] for k, v in p.items()}, ["sign is flipped"]),
    (lambda p, g, lr: {k: (v - lr * g["d" + k] if k[0] == "W" else v) for k, v in p.items()},
     ["b[1] did not change"]),
    (lambda p, g, lr: {k: v - g["d" + k] for k, v in p.items()}, ["learning rate is missing"]),
    (lambda p, g, lr: None, ["return"]),
], ids=["sign", "no-b", "no-learning-rate", "no-return"])
def test_update_rejects_mistakes(answer, phrases):
    assert_rejected("4.4", answer, *phrases)


# -- 4.5 the learner's gradient check -------------------------------------------------------------


def J(forward, X, Y, parameters, activations):
    return nnlib.losses.binary_cross_entropy(forward(X, parameters, activations)[0], Y)


def make_gradient_check(restore=True, centred=True, denominator="both"):
    def gradient_check(forward, backward, parameters, X, Y, activations, epsilon=1e-6):
        AL, caches = forward(X, parameters, activations)
        grads = backward(AL, Y, caches, parameters, activations)
        J0 = J(forward, X, Y, parameters, activations)
        errors = {}
        for key, theta in parameters.items():
            approx = np.zeros_like(theta)
            for index in np.ndindex(theta.shape):
                saved = theta[index]
                theta[index] = saved + epsilon
                plus = J(forward, X, Y, parameters, activations)
                if centred:
                    theta[index] = saved - epsilon
                    minus = J(forward, X, Y, parameters, activations)
                    approx[index] = (plus - minus) / (2 * epsilon)
                else:
                    approx[index] = (plus - J0) / epsilon
                if restore:
                    theta[index] = saved
            exact = grads["d" + key]
            norm = (np.linalg.norm(approx) + np.linalg.norm(exact) if denominator == "both"
                    else np.linalg.norm(approx))
            errors["d" + key] = np.linalg.norm(approx - exact) / norm
        return errors
    return gradient_check


def gradient_check_with_nnlib_helpers(forward, backward, parameters, X, Y, activations,
                                      epsilon=1e-6):
    from nnlib.gradcheck import numerical_gradient, relative_error
    AL, caches = forward(X, parameters, activations)
    grads = backward(AL, Y, caches, parameters, activations)
    return {"d" + key: relative_error(
        numerical_gradient(lambda: J(forward, X, Y, parameters, activations), theta, epsilon),
        grads["d" + key]) for key, theta in parameters.items()}


@pytest.mark.parametrize("answer", [make_gradient_check(), gradient_check_with_nnlib_helpers],
                         ids=["loops", "nnlib-helpers"])
def test_gradient_check_accepts_correct_answers(answer):
    assert_accepted("4.5", answer)


@pytest.mark.parametrize("answer, phrases", [
    (make_gradient_check(restore=False), ["changed at once", "put it back"]),
    (make_gradient_check(centred=False), ["centred differences"]),
    (make_gradient_check(denominator="one"), ["‖a − b‖ / (‖a‖ + ‖b‖)", "both norms"]),
    (lambda forward, backward, parameters, X, Y, activations, epsilon=1e-6:
     {f"d{p}[{l}]": 0.0 for l in range(1, len(activations) + 1) for p in "Wb"},
     ["broke it on purpose"]),
    (lambda forward, backward, parameters, X, Y, activations, epsilon=1e-6: 0.0,
     ["one relative error per parameter"]),
], ids=["no-restore", "one-sided", "denominator", "always-zero", "one-number"])
def test_gradient_check_rejects_mistakes(answer, phrases):
    assert_rejected("4.5", answer, *phrases)
