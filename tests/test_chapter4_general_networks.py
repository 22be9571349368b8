"""Chapter 4 (general neural networks): every formula the chapter states, checked numerically.

The forward and backward passes here are written again in plain NumPy, independently of
nnlib's implementation, and checked against centred finite differences of the cost; nnlib is
then compared with them. Notation as in the book: X (n^[0], m), W^[l] (n^[l-1], n^[l]),
b^[l] (n^[l], 1), Z^[l] = W^[l]ᵀ A^[l-1] + b^[l], A^[l] = g^[l](Z^[l]); dM = ∂J/∂M of the
averaged cost (so the 1/m is inside dZ^[L]).
"""

import numpy as np
import pytest
from numerics import (POWERLESS, DenseErrorAnalysis, activation_difference_tolerance,
                      activation_step, assert_gradient_check_passes, best_step,
                      centred_difference_tolerance, difference_gradient_tolerance, gamma,
                      machine_epsilon, relative_error_tolerance)

import nnlib
from nnlib import datasets

EPS = 1e-6
U = machine_epsilon(np.float64)

# g and g' as the chapter states them (g' written from Z and A = g(Z)).
G = {
    "identity": (lambda Z: Z, lambda Z, A: np.ones_like(Z)),
    "sigmoid": (lambda Z: 1 / (1 + np.exp(-Z)), lambda Z, A: A * (1 - A)),
    "tanh": (np.tanh, lambda Z, A: 1 - A**2),
    "relu": (lambda Z: np.maximum(Z, 0), lambda Z, A: (Z > 0).astype(float)),
}


# ------------------------------------------------------------------------------------------------
# The book's formulas, written independently of nnlib
# ------------------------------------------------------------------------------------------------

def forward(X, params, acts):
    A, cache = X, []
    for l, name in enumerate(acts, start=1):
        Z = params[f"W{l}"].T @ A + params[f"b{l}"]
        A_new = G[name][0](Z)
        cache.append((A, Z, A_new))
        A = A_new
    return A, cache


def cost(A_L, Y, loss):
    m = Y.shape[1]
    if loss == "bce":
        return float(-np.sum(Y * np.log(A_L) + (1 - Y) * np.log(1 - A_L)) / m)
    return float(np.sum((Y - A_L) ** 2) / m)


def output_dZ(A_L, Y, loss):
    m = Y.shape[1]
    if loss == "bce":            # sigmoid output with cross-entropy
        return (A_L - Y) / m
    return 2 * (A_L - Y) / m     # identity output with MSE


def backward(Y, params, acts, cache, loss, slides_layer2=False):
    """dW^[l] = A^[l-1] dZ^[l]ᵀ, db^[l] = Σ_i dZ^[l], dA^[l-1] = W^[l] dZ^[l],
    dZ^[l-1] = dA^[l-1] * g'(Z^[l-1]). With ``slides_layer2`` unit j of layer l only sees unit j
    of layer l-1 (the slides' form), so dA^[l-1] keeps only the diagonal of W^[l]."""
    L = len(acts)
    grads = {}
    dZ = output_dZ(cache[-1][2], Y, loss)
    for l in range(L, 0, -1):
        A_prev, _, _ = cache[l - 1]
        grads[f"W{l}"] = A_prev @ dZ.T
        grads[f"b{l}"] = dZ.sum(axis=1, keepdims=True)
        if l > 1:
            W = params[f"W{l}"]
            dA_prev = (np.diag(W).reshape(-1, 1) * dZ) if slides_layer2 else W @ dZ
            _, Z_prev, A_prev_act = cache[l - 2]
            dZ = dA_prev * G[acts[l - 2]][1](Z_prev, A_prev_act)
    return grads


def numerical(params, key, J, eps=EPS):
    grad = np.zeros_like(params[key])
    for index in np.ndindex(grad.shape):
        saved = params[key][index]
        params[key][index] = saved + eps
        plus = J()
        params[key][index] = saved - eps
        minus = J()
        params[key][index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if den == 0 else float(np.linalg.norm(a - b) / den)


def analysis(params, acts, X, Y, loss):
    """The test's forward and backward pass with bounds on their rounding
    (numerics.DenseErrorAnalysis; the test's cost takes logs of A, as the lecture writes it)."""
    L = len(acts)
    return DenseErrorAnalysis([params[f"W{l}"] for l in range(1, L + 1)],
                              [params[f"b{l}"] for l in range(1, L + 1)], acts,
                              "binary_cross_entropy_of_A" if loss == "bce" else "mse", X, Y)


def difference_tolerance(params, key, J, bounds, l):
    """Bound on rel(backward's gradient, numerical(...)) for params[key], from the centred
    difference's truncation and rounding (numerics.difference_gradient_tolerance, with the
    cost's rounding e_J) and the backward pass's own rounding (e_dW, e_db)."""
    grad, e_grad = ((bounds.dW[l - 1], bounds.e_dW[l - 1]) if key[0] == "W"
                    else (bounds.db[l - 1], bounds.e_db[l - 1]))
    per_entry = difference_gradient_tolerance(J, params[key], grad, e_grad, bounds.e_J, EPS)
    tolerance = relative_error_tolerance(per_entry, grad)
    assert tolerance < POWERLESS, (key, tolerance)    # else the check could not tell a bug
    return tolerance


def random_problem(seed, loss):
    """A random L = 3 network (random sizes, mixed hidden activations) and a small batch."""
    rng = np.random.default_rng(seed)
    sizes = [int(n) for n in rng.integers(2, 6, size=3)] + [1 if loss == "bce" else int(rng.integers(1, 4))]
    m = int(rng.integers(3, 9))
    hidden = list(rng.choice(["tanh", "relu", "sigmoid"], size=2, replace=False))
    acts = hidden + ["sigmoid" if loss == "bce" else "identity"]
    params = {}
    for l in range(1, 4):
        params[f"W{l}"] = rng.standard_normal((sizes[l - 1], sizes[l]))
        params[f"b{l}"] = 0.5 * rng.standard_normal((sizes[l], 1))
    X = rng.standard_normal((sizes[0], m))
    if loss == "bce":
        Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    else:
        Y = rng.standard_normal((sizes[3], m))
    _, cache = forward(X, params, acts)
    for (_, Z, _), name in zip(cache, acts):   # keep ReLU away from its kink at z = 0
        if name == "relu":
            assert np.abs(Z).min() > 1e-4
    return sizes, acts, params, X, Y


def to_nnlib(sizes, acts, params, loss):
    net = nnlib.Network(
        [nnlib.Dense(sizes[l - 1], sizes[l], acts[l - 1]) for l in range(1, len(sizes))],
        loss="binary_cross_entropy" if loss == "bce" else "mse",
    )
    for l, layer in enumerate(net.layers, start=1):
        layer.W[...] = params[f"W{l}"]
        layer.b[...] = params[f"b{l}"]
    return net


# ------------------------------------------------------------------------------------------------
# Local derivatives: g'(Z) and dZ^[L]
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_activation_derivatives_match_finite_differences(name):
    """Tolerance (was rtol 1e-6, atol 1e-9 at ε = 1e-6): numerics.activation_difference_tolerance,
    truncation ε² max|g'''|/6 plus rounding, at the ε that balances them (activation_step)."""
    z = np.linspace(-3, 3, 61).reshape(1, -1) + 0.013      # avoids z = 0 exactly (ReLU's kink)
    g, dg = G[name]
    eps = activation_step(name, z)
    fd = (g(z + eps) - g(z - eps)) / (2 * eps)
    tolerance = activation_difference_tolerance(name, z, eps, fd)
    assert np.all(np.abs(dg(z, g(z)) - fd) <= tolerance)
    act = nnlib.activations.get(name)
    assert np.all(np.abs(act.derivative(z, act.forward(z)) - fd) <= tolerance)


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_output_dZ_matches_finite_differences(loss):
    """dZ^[L] = (A − Y)/m for sigmoid + cross-entropy, 2(A − Y)/m for identity + MSE."""
    rng = np.random.default_rng(11)
    m = 7
    Z = {"z": rng.standard_normal((1, m))}
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float) if loss == "bce" else rng.standard_normal((1, m))
    g = G["sigmoid" if loss == "bce" else "identity"][0]
    J = lambda: cost(g(Z["z"]), Y, loss)  # noqa: E731
    fd = numerical(Z, "z", J)
    # Tolerance (was a relative error of 1e-8): the rounding of J and of A = g(Z), from
    # DenseErrorAnalysis of a one-unit layer with W = 1, b = 0 fed Z (which only adds a spurious
    # γ_2 |z|), and the difference's truncation and rounding (difference_gradient_tolerance).
    bounds = DenseErrorAnalysis([np.eye(1)], [np.zeros((1, 1))],
                                ["sigmoid" if loss == "bce" else "identity"],
                                "binary_cross_entropy_of_A" if loss == "bce" else "mse", Z["z"], Y)
    dZ = output_dZ(g(Z["z"]), Y, loss)
    e_dZ = bounds.eA[-1] / m + 2 * U * np.abs(dZ)
    per_entry = difference_gradient_tolerance(J, Z["z"], dZ, e_dZ, bounds.e_J, EPS)
    assert rel(dZ, fd) <= relative_error_tolerance(per_entry, dZ)
    # without the 1/m (the slides' dZ = A − Y) it is not ∂J/∂Z of the averaged cost: the 1/m
    # must then go into dW and db
    assert rel(m * output_dZ(g(Z["z"]), Y, loss), fd) > 0.5


# ------------------------------------------------------------------------------------------------
# The full backward pass through L = 3 layers
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_backprop_L3_matches_finite_differences_and_nnlib(seed, loss):
    sizes, acts, params, X, Y = random_problem(seed, loss)
    _, cache = forward(X, params, acts)
    grads = backward(Y, params, acts, cache, loss)
    J = lambda: cost(forward(X, params, acts)[0], Y, loss)

    # Tolerances: the gradient against centred differences within difference_tolerance (was a
    # relative error of 1e-6); nnlib's J (from Z^[L] for cross-entropy) and the test's (from
    # A^[L]) each within its own rounding bound e_J of the exact J (was rtol 1e-12); nnlib's
    # gradients and the test's, the same formulas in other orders, each within e_dW, e_db of
    # the exact ones (was rtol 1e-10, atol 1e-14); nnlib's gradient check within
    # numerics.gradient_check_tolerance (was 1e-7).
    bounds = analysis(params, acts, X, Y, loss)
    for key, value in params.items():
        assert grads[key].shape == value.shape, key          # every gradient has its array's shape
        tolerance = difference_tolerance(params, key, J, bounds, int(key[1]))
        assert rel(grads[key], numerical(params, key, J)) <= tolerance, key

    net = to_nnlib(sizes, acts, params, loss)
    nnlib_bounds = DenseErrorAnalysis.of(net, X, Y)
    assert abs(net.loss(X, Y) - J()) <= nnlib_bounds.e_J + bounds.e_J
    net.forward(X)
    net.backward(Y)
    for l in range(1, 4):
        e_dW = nnlib_bounds.e_dW[l - 1] + bounds.e_dW[l - 1]
        e_db = nnlib_bounds.e_db[l - 1] + bounds.e_db[l - 1]
        assert np.all(np.abs(net.gradients()[f"dW[{l}]"] - grads[f"W{l}"]) <= e_dW)
        assert np.all(np.abs(net.gradients()[f"db[{l}]"] - grads[f"b{l}"]) <= e_db)
    errors, _ = assert_gradient_check_passes(net, X, Y)
    assert set(errors) == {f"d{p}[{l}]" for l in range(1, 4) for p in "Wb"}


def test_transposes_follow_from_W_being_n_prev_by_n():
    """In this notation dW = A_prev dZᵀ and dA_prev = W dZ. The other convention's formulas
    (dW = dZ A_prevᵀ, dA_prev = Wᵀ dZ) give transposed shapes here, hence are wrong here."""
    sizes, acts, params, X, Y = random_problem(0, "bce")
    _, cache = forward(X, params, acts)
    A_prev, _, A_L = cache[-1]
    dZ = output_dZ(A_L, Y, "bce")
    W = params["W3"]
    assert (A_prev @ dZ.T).shape == W.shape
    assert (dZ @ A_prev.T).shape != W.shape or sizes[2] == sizes[3]
    assert (W @ dZ).shape == A_prev.shape
    # square layer: the transposed formula has the right shape but the wrong numbers
    rng = np.random.default_rng(5)
    params_sq = {"W1": rng.standard_normal((3, 3)), "b1": rng.standard_normal((3, 1)),
                 "W2": rng.standard_normal((3, 1)), "b2": rng.standard_normal((1, 1))}
    Xs, Ys = rng.standard_normal((3, 6)), np.array([[0, 1, 1, 0, 1, 0]], float)
    _, cache = forward(Xs, params_sq, ["tanh", "sigmoid"])
    grads = backward(Ys, params_sq, ["tanh", "sigmoid"], cache, "bce")
    J = lambda: cost(forward(Xs, params_sq, ["tanh", "sigmoid"])[0], Ys, "bce")  # noqa: E731
    fd = numerical(params_sq, "W1", J)
    A0, Z1, A1 = cache[0]
    dZ1 = (params_sq["W2"] @ output_dZ(cache[1][2], Ys, "bce")) * (1 - A1**2)
    tolerance = difference_tolerance(params_sq, "W1", J,
                                     analysis(params_sq, ["tanh", "sigmoid"], Xs, Ys, "bce"), 1)
    assert rel(grads["W1"], fd) <= tolerance        # was < 1e-6
    assert rel(dZ1 @ A0.T, fd) > 1e-3 > 100 * tolerance


# ------------------------------------------------------------------------------------------------
# Where the book differs from the slides: layer 2 takes the whole A^[1]
# ------------------------------------------------------------------------------------------------

def test_layer2_unit_takes_all_of_A1_not_only_A1_j():
    rng = np.random.default_rng(1)
    W1, b1 = rng.standard_normal((2, 3)), rng.standard_normal((3, 1))
    W2, b2 = rng.standard_normal((3, 3)), rng.standard_normal((3, 1))
    x = np.array([[0.5], [-1.0]])
    A1 = np.tanh(W1.T @ x + b1)
    book = lambda A: np.tanh(np.column_stack([W2[:, j] for j in range(3)]).T @ A + b2)
    slides = lambda A: np.tanh(np.diag(W2).reshape(-1, 1) * A + b2)

    # unit j of layer 2, written one at a time: g(W_j^[2]ᵀ A^[1] + b_j^[2]) = the matrix form.
    # Both compute each Z_j from the same 3 products and b_j in some order, each within
    # γ_4 (|W|ᵀ|A| + |b|) of the exact Z_j, and tanh adds 4u |A| and passes Z's error on times
    # tanh' ≤ 1 (was rtol 1e-14 with np.allclose's default atol of 1e-8).
    per_unit = np.vstack([np.tanh(W2[:, [j]].T @ A1 + b2[j]) for j in range(3)])
    e_Z = gamma(4) * (np.abs(W2).T @ np.abs(A1) + np.abs(b2))
    assert np.all(np.abs(per_unit - book(A1)) <= 2 * (e_Z + 4 * U * np.abs(book(A1))))
    net = nnlib.Network([nnlib.Dense(2, 3, "tanh"), nnlib.Dense(3, 3, "tanh")], loss="mse")
    net.layers[0].W[...], net.layers[0].b[...] = W1, b1
    net.layers[1].W[...], net.layers[1].b[...] = W2, b2
    # nnlib and book(A1) (with A1 computed here): two passes through the same two layers, each
    # within DenseErrorAnalysis's e_A of the exact output (was rtol 1e-12, atol 1e-8)
    e_A = DenseErrorAnalysis([W1, W2], [b1, b2], ["tanh", "tanh"], "mse", x, np.zeros((3, 1))).eA[-1]
    assert np.all(np.abs(net.forward(x) - book(A1)) <= 2 * e_A)
    assert not np.allclose(net.forward(x), slides(A1), rtol=1e-3)       # a different function

    # ∂A_1^[2]/∂A_k^[1] by finite differences equals W_k1 g'(Z_1^[2]) (book), not 0 for k ≠ 1.
    # Tolerance (was 1e-6 relative, at ε = 1e-6): f(a_k) = tanh(W_k1 a_k + ...) has
    # |f'''| ≤ 2 |W_k1|³; f is off by 4u |f| + γ_4 (|W|ᵀ|A| + |b|) (tanh, and Z's rounding times
    # tanh' ≤ 1); ε balances the two (best_step); the formula is off by 2 |W_k1| |A2| δA2 + 2u.
    A2 = book(A1)
    delta_f = 4 * U + e_Z[0, 0] + gamma(4) * np.abs(W2[:, 0]).max()   # a_k ± ε: 1 more size
    delta_A2 = 4 * U * abs(A2[0, 0]) + e_Z[0, 0]
    for k in range(3):
        M3 = 2 * abs(W2[k, 0]) ** 3
        eps = best_step(None, M3, function_error=delta_f)
        E = np.zeros((3, 1))
        E[k] = eps
        fd = (book(A1 + E)[0, 0] - book(A1 - E)[0, 0]) / (2 * eps)
        formula = W2[k, 0] * (1 - A2[0, 0] ** 2)
        tolerance = (centred_difference_tolerance(None, eps, third_derivative_bound=M3, x=A1[k, 0],
                                                  slope=fd, function_error=delta_f)
                     + abs(W2[k, 0]) * (2 * abs(A2[0, 0]) * delta_A2 + 3 * U))
        assert abs(fd - formula) <= tolerance
        if k > 0:
            fd_slides = (slides(A1 + E)[0, 0] - slides(A1 - E)[0, 0]) / (2 * eps)
            assert fd_slides == 0.0 and abs(fd) > 1e-3 and abs(fd - fd_slides) > 100 * tolerance


def test_backprop_with_the_slides_layer2_form_fails_the_gradient_check():
    """dA^[l-1] = W^[l] dZ^[l] (every unit of layer l-1 feeds every unit of layer l) matches
    finite differences; the slides' one-to-one form does not."""
    rng = np.random.default_rng(7)
    acts = ["tanh", "tanh", "sigmoid"]
    params = {"W1": rng.standard_normal((2, 3)), "b1": rng.standard_normal((3, 1)),
              "W2": rng.standard_normal((3, 3)), "b2": rng.standard_normal((3, 1)),
              "W3": rng.standard_normal((3, 1)), "b3": rng.standard_normal((1, 1))}
    X = rng.standard_normal((2, 6))
    Y = np.array([[1, 0, 0, 1, 1, 0]], float)
    _, cache = forward(X, params, acts)
    J = lambda: cost(forward(X, params, acts)[0], Y, "bce")
    fd = numerical(params, "W1", J)
    book = backward(Y, params, acts, cache, "bce")
    slides = backward(Y, params, acts, cache, "bce", slides_layer2=True)
    tolerance = difference_tolerance(params, "W1", J, analysis(params, acts, X, Y, "bce"), 1)
    assert rel(book["W1"], fd) <= tolerance          # was < 1e-6
    assert rel(slides["W1"], fd) > 1e-2 > 100 * tolerance



# ------------------------------------------------------------------------------------------------
# Symmetry: hidden units that start equal stay equal
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hidden, start", [("sigmoid", "zeros"), ("tanh", "zeros"), ("tanh", 0.5)])
def test_equal_initial_weights_keep_hidden_units_equal(hidden, start):
    X, Y = datasets.xor(m=200, seed=0)
    layers = [nnlib.Dense(2, 4, hidden, init="zeros"), nnlib.Dense(4, 1, "sigmoid", init="zeros")]
    if start != "zeros":
        for layer in layers:
            layer.W[...] = start
    net = nnlib.Network(layers, loss="binary_cross_entropy")
    W1_before = layers[0].W.copy()
    history = net.fit(X, Y, epochs=500, learning_rate=0.5)
    W1, b1, W2 = layers[0].W, layers[0].b, layers[1].W
    # Exactly equal, not within a tolerance: equal units get the same operations on the same
    # numbers (a BLAS kernel computes every entry of a product with one instruction sequence,
    # unit by unit in the same micro-tile), so no rounding can tell them apart; and a tolerance
    # would have to allow for the growth of any difference over 500 epochs near this saddle.
    # Checked with OPENBLAS_CORETYPE unset (Haswell), SandyBridge and Prescott.
    for j in range(1, 4):                         # every hidden unit equals hidden unit 1
        assert np.array_equal(W1[:, j], W1[:, 0])
        assert b1[j, 0] == b1[0, 0]
        assert W2[j, 0] == W2[0, 0]
    if hidden == "tanh" and start == "zeros":     # tanh(0) = 0: no weight gets a gradient at all
        assert np.all(W1 == 0) and np.all(W2 == 0)
    else:                                         # the weights did move, together
        assert np.abs(W1 - W1_before).max() > 0.1
    assert history.cost[-1] > 0.3                 # and the network cannot solve XOR


def test_random_initial_weights_break_the_symmetry():
    X, Y = datasets.xor(m=200, seed=0)
    net = nnlib.Network([nnlib.Dense(2, 4, "tanh", seed=3), nnlib.Dense(4, 1, "sigmoid", seed=4)],
                        loss="binary_cross_entropy")
    net.fit(X, Y, epochs=500, learning_rate=0.5)
    W1 = net.layers[0].W
    assert min(np.abs(W1[:, i] - W1[:, j]).max() for i in range(4) for j in range(i)) > 0.05


# ------------------------------------------------------------------------------------------------
# One hidden layer solves what logistic regression cannot
# ------------------------------------------------------------------------------------------------

def _accuracy(net, X, Y):
    return float((net.predict(X) == Y).mean())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_logistic_regression_fails_on_xor(seed):
    X, Y = datasets.xor(m=200, seed=seed)
    net = nnlib.Network([nnlib.Dense(2, 1, "sigmoid", seed=seed)], loss="binary_cross_entropy")
    history = net.fit(X, Y, epochs=2000, learning_rate=0.5)
    assert _accuracy(net, X, Y) <= 0.76          # a line gets at most 3 of the 4 corners
    assert history.cost[-1] > 0.6                # ln 2 = 0.693 is the cost of ŷ = 0.5


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("problem", ["xor", "two_moons", "circles"])
def test_one_hidden_layer_solves_xor_moons_circles(problem, seed):
    X, Y = getattr(datasets, problem)(m=200, seed=seed)
    net = nnlib.Network([nnlib.Dense(2, 8, "tanh", seed=seed + 1),
                         nnlib.Dense(8, 1, "sigmoid", seed=seed + 2)], loss="binary_cross_entropy")
    history = net.fit(X, Y, epochs=2000, learning_rate=0.5)
    assert _accuracy(net, X, Y) >= 0.95
    assert history.cost[-1] < 0.15


# ------------------------------------------------------------------------------------------------
# The backward pass by hand: the 2-2-1 network of the chapter, every number it states
# ------------------------------------------------------------------------------------------------

HAND = {   # x = (1, 2), y = 1, hidden ReLU, sigmoid output, cross-entropy (the chapter's example)
    "W1": np.array([[0.5, -1.0], [0.5, 1.0]]), "b1": np.array([[0.0], [-0.5]]),
    "W2": np.array([[1.0], [-1.0]]), "b2": np.array([[-1.0]]),
}
HAND_X, HAND_Y = np.array([[1.0], [2.0]]), np.array([[1.0]])


def test_the_2_2_1_example_by_hand_gives_the_numbers_the_chapter_states():
    params = {k: v.copy() for k, v in HAND.items()}
    acts = ["relu", "sigmoid"]
    y_hat, cache = forward(HAND_X, params, acts)
    # forward: z^[1] = (1.5, 0.5), a^[1] = (1.5, 0.5), z^[2] = 0, ŷ = 0.5, J = ln 2 (exact)
    assert np.array_equal(cache[0][1], [[1.5], [0.5]]) and np.array_equal(cache[0][2], [[1.5], [0.5]])
    assert cache[1][1].item() == 0.0 and y_hat.item() == 0.5
    assert cost(y_hat, HAND_Y, "bce") == pytest.approx(np.log(2), rel=1e-15)
    # the local derivatives: dJ/dŷ = -2, dŷ/dz = 0.25, dz^[2] = -0.5, da^[1] = (-0.5, 0.5)
    assert -HAND_Y.item() / y_hat.item() + 0.0 == -2.0
    assert y_hat.item() * (1 - y_hat.item()) == 0.25
    assert np.array_equal(params["W2"] * (-0.5), [[-0.5], [0.5]])
    # the gradients, exactly as the chapter writes them
    grads = backward(HAND_Y, params, acts, cache, "bce")
    expected = {"W2": [[-0.75], [-0.25]], "b2": [[-0.5]],
                "W1": [[-0.5, 0.5], [-1.0, 1.0]], "b1": [[-0.5], [0.5]]}
    for key, value in expected.items():
        assert np.array_equal(grads[key], value), key
    # and they are the derivatives of J: centred differences (the ReLU units are far from 0)
    J = lambda: cost(forward(HAND_X, params, acts)[0], HAND_Y, "bce")
    for key in params:
        np.testing.assert_allclose(numerical(params, key, J), expected[key], atol=1e-9)
    # nnlib gives the same, exactly
    net = to_nnlib([2, 2, 1], acts, params, "bce")
    net.forward(HAND_X)
    net.backward(HAND_Y)
    for l in (1, 2):
        assert np.array_equal(net.gradients()[f"dW[{l}]"], expected[f"W{l}"])
        assert np.array_equal(net.gradients()[f"db[{l}]"], expected[f"b{l}"])
    # one step with α = 0.1 lowers the cost from ln 2 to -ln σ(0.79) ≈ 0.374
    net.step(0.1)
    z2 = 1.075 * 1.8 - 0.975 * 0.2 - 0.95          # the new z^[2], by hand
    assert z2 == pytest.approx(0.79, abs=1e-12)
    assert net.loss(HAND_X, HAND_Y) == pytest.approx(np.log1p(np.exp(-0.79)), rel=1e-12)
    assert round(net.loss(HAND_X, HAND_Y), 3) == 0.374


def test_the_check_yourself_variant_of_the_example():
    """b^[1]_2 = -2 and b^[2] = -1.5: hidden unit 2 is off, so its gradients are exactly 0."""
    params = {k: v.copy() for k, v in HAND.items()}
    params["b1"][1, 0], params["b2"][0, 0] = -2.0, -1.5
    y_hat, cache = forward(HAND_X, params, ["relu", "sigmoid"])
    assert np.array_equal(cache[0][1], [[1.5], [-1.0]]) and y_hat.item() == 0.5
    grads = backward(HAND_Y, params, ["relu", "sigmoid"], cache, "bce")
    assert np.array_equal(grads["W2"], [[-0.75], [0.0]])
    assert np.array_equal(grads["W1"], [[-0.5, 0.0], [-1.0, 0.0]])
    assert np.array_equal(grads["b1"], [[-0.5], [0.0]])


# ------------------------------------------------------------------------------------------------
# Where the book differs from the slides: "Values in layer L is denoted by: W^[L]"
# ------------------------------------------------------------------------------------------------

def test_the_values_of_a_layer_are_A_not_its_weights_W():
    """The values of layer l are A^[l] = g(W^[l]ᵀ A^[l-1] + b^[l]), (n^[l], m), one column per
    example; W^[l], (n^[l-1], n^[l]), is the same whatever the input and changes only in an
    update."""
    X, _ = datasets.xor(m=200, seed=0)
    layer = nnlib.Dense(2, 4, "tanh", seed=0)
    W_before = layer.W.copy()
    A_first, A_other = layer.forward(X[:, :100]), layer.forward(X[:, 100:])
    assert layer.W.shape == (2, 4) and A_first.shape == (4, 100)
    np.testing.assert_allclose(A_first, np.tanh(layer.W.T @ X[:, :100] + layer.b), rtol=1e-14)
    assert not np.allclose(A_first, A_other)           # the values change with the examples
    assert np.array_equal(layer.W, W_before)            # the weights do not


# ------------------------------------------------------------------------------------------------
# XOR: logistic regression below the majority baseline, and why
# ------------------------------------------------------------------------------------------------

def test_logistic_regression_on_xor_is_below_the_majority_baseline_for_the_reason_stated():
    nnlib.set_seed(0)                                   # as in the chapter
    X, Y = datasets.xor(m=200, noise=0.15, seed=0)
    net = nnlib.Network([nnlib.Dense(2, 1, "sigmoid")], loss="binary_cross_entropy")
    J_trained = net.fit(X, Y, epochs=2000, learning_rate=0.5).cost[-1]
    Y_hat, predicted = net.forward(X), net.predict(X)
    majority = float((Y == 0).mean())                   # always answering y = 0
    assert majority == 109 / 200 and _accuracy(net, X, Y) == 65 / 200 < majority
    corner = lambda s1, s2: (np.sign(X[0]) == s1) & (np.sign(X[1]) == s2)  # noqa: E731
    big, small = corner(1, 1), corner(-1, -1)           # the two class-0 corners
    assert np.all(Y[0, big] == 0) and np.all(Y[0, small] == 0)
    assert big.sum() == 65 > small.sum() == 44
    # the tilt: ŷ lowered at the big corner, raised over 0.5 at the opposite one
    assert np.all(predicted[0, big] == 0) and np.all(predicted[0, small] == 1)
    for s1, s2 in [(-1, 1), (1, -1)]:                   # the class-1 corners: all below 0.5
        assert np.all(Y[0, corner(s1, s2)] == 1) and np.all(predicted[0, corner(s1, s2)] == 0)
    assert 0.35 < Y_hat.min() and Y_hat.max() < 0.6      # every ŷ near 0.5
    # cost and accuracy rank the three models in opposite orders
    p = Y.mean()
    J_constant = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    line = 1 / (1 + np.exp(-(0.5 * X[0:1] - 0.5 * X[1:2] - 0.5)))
    J_line = cost(line, Y, "bce")
    assert J_trained < J_constant < J_line
    assert _accuracy(net, X, Y) < majority < float(((line >= 0.5) == Y).mean()) == 155 / 200
