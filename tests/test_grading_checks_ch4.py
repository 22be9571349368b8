"""The checks of exercise 4 (general networks): each usual mistake is rejected with its
diagnosis, and correct answers written differently are accepted.

Convention of the exercise (nnlib's): dZ^[L] = (A^[L] − Y)/m, dW = A_prev dZᵀ, db = Σ dZ.
"""

import numpy as np
import pytest

import nnlib
from nnlib.grading.questions import ch4
from nnlib.grading.testing import catalogue_tests, mistake, variant

G = {
    "identity": (nnlib.activations.identity, nnlib.activations.identity_derivative),
    "sigmoid": (nnlib.activations.sigmoid, nnlib.activations.sigmoid_derivative),
    "tanh": (nnlib.activations.tanh, nnlib.activations.tanh_derivative),
    "relu": (nnlib.activations.relu, nnlib.activations.relu_derivative),
}


# -- 4.1 initialisation ---------------------------------------------------------------------------


def make_init(scale=lambda n_prev, n: np.sqrt(1 / n_prev), transpose=False, flat_b=False,
              zeros=False, uniform=False, key=lambda p, l: f"{p}[{l}]", seeded=True,
              rng_per_layer=False):
    def initialize_parameters(layer_sizes, seed=0):
        rng = np.random.default_rng(seed) if seeded else np.random.default_rng()
        parameters = {}
        for l in range(1, len(layer_sizes)):
            if rng_per_layer:   # the wrong answer: the same draws in every layer
                rng = np.random.default_rng(seed)
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


# -- 4.5 the learner's gradient check -------------------------------------------------------------


def J(forward, X, Y, parameters, activations):
    return nnlib.losses.binary_cross_entropy(forward(X, parameters, activations)[0], Y)


def make_gradient_check(restore=True, centred=True, denominator="both", one_sided="forward",
                        arithmetic=False, own_epsilon=None, quotient=2):
    def gradient_check(forward, backward, parameters, X, Y, activations, epsilon=1e-6):
        if own_epsilon is not None:
            epsilon = own_epsilon
        AL, caches = forward(X, parameters, activations)
        grads = backward(AL, Y, caches, parameters, activations)
        J0 = J(forward, X, Y, parameters, activations)
        errors = {}
        for key, theta in parameters.items():
            approx = np.zeros_like(theta)
            for index in np.ndindex(theta.shape):
                saved = theta[index]
                if arithmetic:   # the right answer that was rejected: θ += ε, −= 2ε, += ε
                    theta[index] += epsilon
                    plus = J(forward, X, Y, parameters, activations)
                    theta[index] -= 2 * epsilon
                    minus = J(forward, X, Y, parameters, activations)
                    theta[index] += epsilon
                    approx[index] = (plus - minus) / (2 * epsilon)
                    continue
                theta[index] = saved + epsilon
                plus = J(forward, X, Y, parameters, activations)
                theta[index] = saved - epsilon
                minus = J(forward, X, Y, parameters, activations)
                if centred:
                    approx[index] = (plus - minus) / (quotient * epsilon)
                elif one_sided == "forward":
                    approx[index] = (plus - J0) / epsilon
                else:            # the wrong answer that passed: backward differences
                    approx[index] = (J0 - minus) / epsilon
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


def gradient_check_copy_per_evaluation(forward, backward, parameters, X, Y, activations,
                                       epsilon=1e-6):
    """Nudges a fresh copy of the parameters for every evaluation (no putting back at all)."""
    AL, caches = forward(X, parameters, activations)
    grads = backward(AL, Y, caches, parameters, activations)
    errors = {}
    for key, theta in parameters.items():
        approx = np.zeros(theta.size)
        for i in range(theta.size):
            values = []
            for sign in (+1, -1):
                nudged = {k: v.copy() for k, v in parameters.items()}
                nudged[key].flat[i] += sign * epsilon
                values.append(J(forward, X, Y, nudged, activations))
            approx[i] = (values[0] - values[1]) / 2 / epsilon
        exact = grads["d" + key].ravel()
        errors["d" + key] = float(np.sqrt(np.sum((approx - exact) ** 2))
                                  / (np.sqrt(np.sum(approx ** 2)) + np.sqrt(np.sum(exact ** 2))))
    return errors


def gradient_check_nudges_a_copy(forward, backward, parameters, X, Y, activations, epsilon=1e-6):
    AL, caches = forward(X, parameters, activations)
    grads = backward(AL, Y, caches, parameters, activations)
    errors = {}
    for key, value in parameters.items():
        theta = value.copy()            # the copy is nudged: J never sees it
        approx = np.zeros_like(theta)
        for index in np.ndindex(theta.shape):
            saved = theta[index]
            theta[index] = saved + epsilon
            plus = J(forward, X, Y, parameters, activations)
            theta[index] = saved - epsilon
            minus = J(forward, X, Y, parameters, activations)
            theta[index] = saved
            approx[index] = (plus - minus) / (2 * epsilon)
        exact = grads["d" + key]
        errors["d" + key] = np.linalg.norm(approx - exact) / (np.linalg.norm(approx)
                                                              + np.linalg.norm(exact))
    return errors


def forward_list(X, parameters, activations):
    return list(make_forward()(X, parameters, activations))


def forward_swapped(X, parameters, activations):
    A, caches = make_forward()(X, parameters, activations)
    return caches, A


def forward_dict_of_g(X, parameters, activations):
    g = {name: G[name][0] for name in G}
    A, caches = X, []
    for l, name in enumerate(activations, start=1):
        Z = np.einsum("ij,ik->jk", parameters[f"W[{l}]"], A) + parameters[f"b[{l}]"]
        caches.append((A, Z))
        A = g[name](Z)
    return A, caches


def backward_dict_loop(AL, Y, caches, parameters, activations):
    """db as (n, 1) via @ np.ones, a dict built from a list of pairs."""
    m = Y.shape[1]
    pairs, dZ = [], (AL - Y) / m
    for l in reversed(range(1, len(activations) + 1)):
        A_prev, Z = caches[l - 1]
        if l < len(activations):
            dZ = (parameters[f"W[{l + 1}]"] @ dZ_next) * G[activations[l - 1]][1](Z)  # noqa: F821
        pairs += [(f"dW[{l}]", A_prev @ dZ.T), (f"db[{l}]", dZ @ np.ones((m, 1)))]
        dZ_next = dZ  # noqa: F841
    return dict(pairs)


def update_new_dict(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def update_in_place(parameters, grads, learning_rate):
    for key in parameters:
        parameters[key] -= learning_rate * grads["d" + key]
    return parameters


def update_loop_over_layers(parameters, grads, learning_rate):
    new = {}
    for l in range(1, len(parameters) // 2 + 1):
        for p in "Wb":
            new[f"{p}[{l}]"] = np.subtract(parameters[f"{p}[{l}]"],
                                           np.multiply(learning_rate, grads[f"d{p}[{l}]"]))
    return new


def _constant_W(layer_sizes, seed=0):
    return {f"{p}[{l}]": np.full((layer_sizes[l - 1], layer_sizes[l]), 0.1)
            if p == "W" else np.zeros((layer_sizes[l], 1))
            for l in range(1, len(layer_sizes)) for p in "Wb"}


def _drop_brackets(AL, Y, caches, parameters, activations):
    return {k.replace("[", "").replace("]", ""): v
            for k, v in make_backward()(AL, Y, caches, parameters, activations).items()}


MISTAKES = [
    # 4.1
    mistake("4.1", make_init(transpose=True), "swapped", "did you transpose W?", id="transposed"),
    mistake("4.1", make_init(flat_b=True), "b of shape (n,) instead of (n, 1)", id="flat-b"),
    mistake("4.1", make_init(zeros=True), "all zeros", "symmetry", id="zeros"),
    mistake("4.1", make_init(scale=lambda n_prev, n: 1.0), "unscaled", "saturate", id="unscaled"),
    mistake("4.1", make_init(scale=lambda n_prev, n: np.sqrt(1 / n)), "n^[l] (this layer's units)",
            id="wrong-n"),
    mistake("4.1", make_init(uniform=True), "positive", "not centred on 0", id="uniform"),
    mistake("4.1", make_init(seeded=False), "same seed gave different W", id="unseeded"),
    mistake("4.1", make_init(rng_per_layer=True), "same random numbers as W[1]",
            "created again", id="generator-per-layer"),
    mistake("4.1", make_init(key=lambda p, l: f"{p}{l}"), "'W[1]'", "missing", id="keys-W1"),
    mistake("4.1", make_init(key=lambda p, l: f"{p}[{l - 1}]"), "counted from 1", id="zero-based"),
    mistake("4.1", _constant_W, "columns of W[1] are all equal", "symmetry", id="constant"),
    mistake("4.1", lambda layer_sizes, seed=0: None, "return", id="no-return"),
    # 4.2
    mistake("4.2", make_forward(transpose=False), "matmul", "did you transpose W?", id="no-transpose"),
    mistake("4.2", make_forward(cache="A"), "holds A^[1]", "A^[0]", id="cache-A"),
    mistake("4.2", make_forward(cache="Z->A"), "holds A^[1] = g(Z^[1])", id="cache-Z-is-A"),
    mistake("4.2", make_forward(output=False), "σ was not applied", id="no-output-sigmoid"),
    mistake("4.2", make_forward(same_g="sigmoid"), "its own g^[l]", id="same-g"),
    mistake("4.2", forward_loop_over_examples, "loop over the examples", id="loop"),
    mistake("4.2", forward_swapped, "caches first", id="swapped"),
    mistake("4.2", lambda X, parameters, activations: make_forward()(X, parameters, activations)[0],
            "should return two values", id="one-value"),
    # 4.3
    mistake("4.3", make_backward("no-1/m"), "dW[1] ✗", "relative error", "1/m is missing", id="no-1/m"),
    mistake("4.3", make_backward("sign"), "dW[3] ✗", "sign flipped", id="sign"),
    mistake("4.3", make_backward("from-Z"), "dW[3] ✓", "db[3] ✓", "dW[2] ✗",
            "computed from Z where A was meant", id="derivative-from-Z"),
    mistake("4.3", make_backward("mean"), "dW[1] ✓", "db[1] ✗", "a mean where a sum was meant",
            id="db-mean"),
    mistake("4.3", make_backward("axis0"), "db[1] ✗", "wrong axis", id="db-axis0"),
    mistake("4.3", make_backward("flat-db"), "db[1] ✗", "(n,) instead of (n, 1)", id="flat-db"),
    mistake("4.3", make_backward("no-sum"), "db[1] ✗", "sum over the examples (the columns) is missing",
            id="no-sum"),
    mistake("4.3", make_backward("dW-transposed"), "dW[1] ✗", "swapped", "transpose", id="dW-transposed"),
    mistake("4.3", make_backward("W-not-transposed-back"), "matmul", "dA^[l-1] = W^[l] dZ^[l]",
            id="dA-transposed"),
    mistake("4.3", _drop_brackets, "'dW[1]'", id="keys"),
    # 4.4
    mistake("4.4", lambda p, g, lr: {k: v + lr * g["d" + k] for k, v in p.items()}, "sign is flipped",
            id="sign"),
    mistake("4.4", lambda p, g, lr: {k: (v - lr * g["d" + k] if k[0] == "W" else v) for k, v in p.items()},
            "b[1] did not change", id="no-b"),
    mistake("4.4", lambda p, g, lr: {k: v - g["d" + k] for k, v in p.items()}, "learning rate is missing",
            id="no-learning-rate"),
    mistake("4.4", lambda p, g, lr: {k: v - g["d" + k] / lr for k, v in p.items()},
            "divides by the learning rate", id="divides"),
    mistake("4.4", lambda p, g, lr: None, "return", id="no-return"),
    # 4.5: the verdict comes from the errors returned, for a ε the check chooses
    mistake("4.5", make_gradient_check(restore=False), "not put back", id="no-restore"),
    mistake("4.5", make_gradient_check(centred=False), "one-sided", id="one-sided-forward"),
    mistake("4.5", make_gradient_check(centred=False, one_sided="backward"), "one-sided",
            "(J(θ) − J(θ − ε)) / ε", id="one-sided-backward"),
    mistake("4.5", make_gradient_check(quotient=1), "instead of 2ε", id="over-epsilon"),
    mistake("4.5", make_gradient_check(denominator="one"), "both norms", id="denominator"),
    mistake("4.5", gradient_check_nudges_a_copy, "copy", id="nudges-a-copy"),
    mistake("4.5", make_gradient_check(own_epsilon=1e-6), "ignores its epsilon", id="ignores-epsilon"),
    mistake("4.5", lambda forward, backward, parameters, X, Y, activations, epsilon=1e-6:
            {f"d{p}[{l}]": 0.0 for l in range(1, len(activations) + 1) for p in "Wb"},
            "not those of centred differences", "dW[1]", id="always-zero"),
    mistake("4.5", lambda forward, backward, parameters, X, Y, activations, epsilon=1e-6: 0.0,
            "one relative error per parameter", id="one-number"),
]

VARIANTS = [
    variant("4.1", make_init(), id="lecun"),
    variant("4.1", make_init(scale=lambda n_prev, n: np.sqrt(2 / (n_prev + n))), id="glorot"),
    variant("4.1", make_init(scale=lambda n_prev, n: 0.01), id="slides-0.01"),
    variant("4.1", init_legacy_he, id="he-legacy-random"),
    variant("4.1", make_init(scale=lambda n_prev, n: np.float32(np.sqrt(1 / n_prev))), id="float32-scale"),
    variant("4.2", make_forward(), id="matmul"),
    variant("4.2", forward_dot_tuples, id="dot-lists"),
    variant("4.2", forward_float32, id="float32"),
    variant("4.2", forward_list, id="list"),
    variant("4.2", forward_dict_of_g, id="einsum"),
    variant("4.3", make_backward(), id="nnlib-convention"),
    variant("4.3", backward_slides_convention, id="slides-convention"),
    variant("4.3", backward_dict_loop, id="ones-product"),
    variant("4.4", update_new_dict, id="new-dict"),
    variant("4.4", update_in_place, id="in-place"),
    variant("4.4", update_loop_over_layers, id="loop-over-layers"),
    variant("4.5", make_gradient_check(), id="loops"),
    variant("4.5", make_gradient_check(arithmetic=True), id="restore-by-arithmetic"),
    variant("4.5", gradient_check_with_nnlib_helpers, id="nnlib-helpers"),
    variant("4.5", gradient_check_copy_per_evaluation, id="copy-per-evaluation"),
]


(test_usual_mistakes_are_rejected_with_their_diagnosis,
 test_correct_answers_written_differently_are_accepted,
 test_every_question_has_a_catalogue) = catalogue_tests(4, MISTAKES, VARIANTS)


def test_the_gradient_check_reference_is_the_solution_notebooks():
    """The check's reference errors are what the notebook's own gradient_check gives."""
    X, Y, parameters, activations = ch4.CASES[0]
    ours = ch4.ref_gradient_check(ch4.ref_forward, ch4.ref_backward, parameters, X, Y,
                                  activations, ch4.GC_EPSILON)
    theirs = make_gradient_check()(ch4.ref_forward, ch4.ref_backward,
                                   {k: v.copy() for k, v in parameters.items()}, X, Y,
                                   activations, ch4.GC_EPSILON)
    for key in ours:
        assert abs(ours[key] - theirs[key]) <= 1e-12
    # and the slips it recognises are far apart from it: at least 400 times the tolerance
    for slip in ch4.GC_SLIPS:
        wrong = ch4.ref_gradient_check(ch4.ref_forward, ch4.ref_backward, parameters, X, Y,
                                       activations, ch4.GC_EPSILON, slip)
        assert max(abs(wrong[k] - ours[k]) for k in ours) > 400 * ch4.GC_ATOL, slip
