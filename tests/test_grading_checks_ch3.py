"""The checks of exercise 3 (logistic regression): each usual mistake is rejected with its
diagnosis, and correct answers written differently are accepted.

The wrong answers here are the learner's code as it is often written, not the reference with a
number changed: the checks must recognise the mistake from what the code returns.
"""

import numpy as np
import pytest

import nnlib
from nnlib.grading.questions import ch3
from nnlib.grading.testing import assert_accepted, assert_rejected, catalogue_tests, mistake, \
    variant

# The wrong answers below overflow on purpose: NumPy's warnings about them are expected.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def stable_sigmoid(Z):
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))


def clipped_cost(A, Y):
    m = Y.shape[1]
    A = np.clip(A, 1e-15, 1 - 1e-15)
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)


# -- 3.1 the sigmoid ------------------------------------------------------------------------------


def sigmoid_boolean_masks(Z):
    Z = np.asarray(Z, dtype=float)
    out = np.empty_like(Z)
    positive = Z >= 0
    out[positive] = 1 / (1 + np.exp(-Z[positive]))
    e = np.exp(Z[~positive])
    out[~positive] = e / (1 + e)
    return out


def sigmoid_loop(Z):
    out = np.zeros_like(Z, dtype=float)
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            z = Z[i, j]
            out[i, j] = 1 / (1 + np.exp(-z)) if z >= 0 else np.exp(z) / (1 + np.exp(z))
    return out


def sigmoid_where_both_branches(Z):
    """Computes both branches for every entry (with warnings), but returns the right values."""
    return np.where(Z >= 0, 1 / (1 + np.exp(-Z)), np.exp(Z) / (1 + np.exp(Z)))


def sigmoid_naive_silenced(Z):
    """The issue's wrong answer that passed: the overflow hidden from the warnings."""
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


def sigmoid_naive_warnings_filtered(Z):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 1 / (1 + np.exp(-Z))


def sigmoid_stub(Z):
    raise NotImplementedError("not implemented yet")


# -- 3.2 the cost ---------------------------------------------------------------------------------


def cost_loop(A, Y):
    m = Y.shape[1]
    J = 0.0
    for i in range(m):
        a = min(max(A[0, i], 1e-15), 1 - 1e-15)
        J -= Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a)
    return J / m


def clipped_cost_with(eps):
    def cost(A, Y):
        A = np.clip(A, eps, 1 - eps)
        return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))
    cost.__name__ = f"clip-{eps:g}"
    return cost


def _clip(A):
    return np.clip(A, 1e-15, 1 - 1e-15)


# -- 3.3 backward ---------------------------------------------------------------------------------


def backward_loop(X, A, Y):
    m = X.shape[1]
    dW = np.zeros((X.shape[0], 1))
    db = 0.0
    for i in range(m):
        dz = A[0, i] - Y[0, i]
        dW[:, 0] += X[:, i] * dz
        db += dz
    return dW / m, db / m


def _m(X):
    return X.shape[1]


def _slides(X, A, Y):
    return X @ (A - Y).T / _m(X), np.sum(A - Y, axis=1, keepdims=True) / _m(X)


# -- 3.4 training ---------------------------------------------------------------------------------


def make_train(sign=-1, update_b=True, epochs_offset=0, cost_after_update=False, rate=None):
    def train(X, Y, learning_rate, epochs):
        if rate is not None:
            learning_rate = rate
        w = np.zeros((X.shape[0], 1))
        b = 0.0
        costs = []
        for _ in range(epochs + epochs_offset):
            A = stable_sigmoid(w.T @ X + b)
            if not cost_after_update:
                costs.append(clipped_cost(A, Y))
            dZ = A - Y
            dW = X @ dZ.T / X.shape[1]
            db = float(np.mean(dZ))
            w = w + sign * learning_rate * dW
            if update_b:
                b = b + sign * learning_rate * db
            if cost_after_update:
                costs.append(clipped_cost(stable_sigmoid(w.T @ X + b), Y))
        return w, b, costs
    return train


def train_with_nnlib(X, Y, learning_rate, epochs):
    net = nnlib.Network([nnlib.Dense(X.shape[0], 1, "sigmoid", init="zeros")],
                        loss="binary_cross_entropy")
    history = net.fit(X, Y, epochs=epochs, learning_rate=learning_rate)
    return net.layers[0].W, net.layers[0].b, history.cost


def train_list_of_arrays(X, Y, learning_rate, epochs):
    """(1, 1) b, costs as (1, 1) arrays in a list, and the three returned in a list."""
    w, b, costs = np.zeros((X.shape[0], 1)), np.zeros((1, 1)), []
    for _ in range(epochs):
        A = sigmoid_boolean_masks(w.T @ X + b)
        costs.append(-(Y @ np.log(A).T + (1 - Y) @ np.log(1 - A).T) / X.shape[1])
        dW, db = _slides(X, A, Y)
        w -= learning_rate * dW
        b -= learning_rate * db
    return [w, b, costs]


def train_float32_costs_column_b(X, Y, learning_rate, epochs):
    w, b, costs = np.zeros((X.shape[0], 1)), np.zeros((1, 1)), []
    for epoch in range(epochs):
        A = nnlib.activations.sigmoid(np.dot(w.T, X) + b)
        costs.append(np.float32(nnlib.losses.binary_cross_entropy(A, Y)))
        dZ = A - Y
        w = w - learning_rate * np.dot(X, dZ.T) / X.shape[1]
        b = b - learning_rate * np.mean(dZ, axis=1, keepdims=True)
    return w, b, costs


def train_zero_costs(X, Y, learning_rate, epochs):
    """The issue's wrong answer that passed: the costs were never compared."""
    w, b, _ = make_train()(X, Y, learning_rate, epochs)
    return w, b, [0.0] * epochs


def train_swapped(X, Y, learning_rate, epochs):
    w, b, costs = make_train()(X, Y, learning_rate, epochs)
    return b, w, costs


MISTAKES = [
    # 3.1: every overflow is seen in the values returned (e^720 = inf turns σ(−720) into 0)
    mistake("3.1", lambda Z: 1 / (1 + np.exp(-Z)), "overflows", "gives 0", "-720", id="naive"),
    mistake("3.1", sigmoid_naive_silenced, "overflows", "np.errstate", id="naive-errstate"),
    mistake("3.1", sigmoid_naive_warnings_filtered, "overflows", id="naive-warnings-filtered"),
    mistake("3.1", lambda Z: np.exp(Z) / (1 + np.exp(Z)), "gives nan", "positive z", id="naive-e^z"),
    mistake("3.1", lambda Z: 0.5 * (1 + np.tanh(Z / 2)), "gives 0 already", "cancels", id="tanh-form"),
    mistake("3.1", lambda Z: 1 - 1 / (1 + np.exp(np.clip(Z, -700, 700))), "gives 0 already",
            id="one-minus"),
    mistake("3.1", lambda Z: 1 / (1 + np.exp(-np.clip(Z, -500, 500))), "clipping", id="clip"),
    mistake("3.1", lambda Z: 1 / (1 + np.exp(Z)), "sign of the exponent is flipped", id="sign"),
    mistake("3.1", lambda Z: np.exp(-Z) / (1 + np.exp(-Z)), "1 − σ(z)", id="one-minus-sigma"),
    mistake("3.1", sigmoid_loop, "loop over the examples", id="loop"),
    mistake("3.1", lambda Z: stable_sigmoid(Z).ravel(), "shape (21,)", "(3, 7)", id="flattened"),
    mistake("3.1", lambda Z: stable_sigmoid(Z).T, "swapped", id="transposed"),
    mistake("3.1", lambda Z: None, "return", id="no-return"),
    # 3.2
    mistake("3.2", lambda A, Y: -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1],
            "log(0)", "exactly 0 or 1", id="no-clip"),
    mistake("3.2", clipped_cost_with(1e-3), "ε ≈ 0.001", "at most 1e-6", id="eps-1e-3"),
    mistake("3.2", clipped_cost_with(1e-17), "log(0)", id="eps-below-rounding"),
    mistake("3.2", lambda A, Y: float(-np.nansum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1]),
            "confidently wrong", "inf", id="nansum"),
    mistake("3.2", lambda A, Y: -np.sum(Y * np.log(_clip(A))) / Y.shape[1],
            "(1 − y) log(1 − ŷ) term is missing", id="no-(1-y)-term"),
    mistake("3.2", lambda A, Y: -np.sum(Y * np.log(_clip(A))) / Y.shape[1]
            + np.sum((1 - Y) * np.log(1 - _clip(A))) / Y.shape[1], "missing brackets", "minus sign",
            id="brackets-minus"),
    mistake("3.2", lambda A, Y: -np.sum(Y * np.log(_clip(A)) + 1 - Y * np.log(1 - _clip(A))) / Y.shape[1],
            "missing brackets around (1 − y)", id="brackets-(1-y)"),
    mistake("3.2", lambda A, Y: -1 / Y.shape[1] * np.sum(Y * np.log(_clip(A))) + (1 - Y) * np.log(1 - _clip(A)),
            "one number", "shape (1, 8)", id="brackets-sum"),
    mistake("3.2", lambda A, Y: -np.sum(Y * np.log(_clip(A)) + (1 - Y) * np.log(1 - _clip(A))), "1/m",
            id="no-1/m"),
    mistake("3.2", lambda A, Y: np.mean(Y * np.log(_clip(A)) + (1 - Y) * np.log(1 - _clip(A))),
            "wrong sign", id="sign"),
    mistake("3.2", lambda A, Y: -np.sum(Y * np.log(_clip(A)) + (1 - Y) * np.log(_clip(A))) / Y.shape[1],
            "uses log ŷ where log(1 − ŷ) belongs", id="log-a-twice"),
    mistake("3.2", lambda A, Y: -(Y * np.log(_clip(A)) + (1 - Y) * np.log(1 - _clip(A))) / Y.shape[1],
            "one number", "sum", id="no-sum"),
    mistake("3.2", cost_loop, "loop over the examples", id="loop"),
    # 3.3
    mistake("3.3", lambda X, A, Y: (X @ (A - Y).T, np.sum(A - Y, axis=1, keepdims=True)),
            "dW ✗", "db ✗", "1/m is missing", id="no-1/m"),
    mistake("3.3", lambda X, A, Y: (X @ (A - Y).T / _m(X), np.sum(A - Y, axis=1, keepdims=True)),
            "dW ✓", "db ✗", "relative error", "1/m is missing", id="no-1/m-in-db"),
    mistake("3.3", lambda X, A, Y: (X @ (Y - A).T / _m(X), np.sum(Y - A, axis=1, keepdims=True) / _m(X)),
            "dW ✗", "db ✗", "sign is flipped", id="sign"),
    mistake("3.3", lambda X, A, Y: (X @ (A - Y).T / _m(X), np.sum(A - Y, axis=0, keepdims=True) / _m(X)),
            "dW ✓", "db ✗", "sum over the examples", id="axis0-keepdims"),
    mistake("3.3", lambda X, A, Y: (X @ (A - Y).T / _m(X), np.sum(A - Y, axis=0) / _m(X)),
            "db ✗", "wrong axis", id="axis0"),
    mistake("3.3", lambda X, A, Y: ((A - Y) @ X.T / _m(X), np.mean(A - Y)), "dW ✗", "transpose",
            id="transposed"),
    mistake("3.3", lambda X, A, Y: ((X @ (A - Y).T / _m(X)).ravel(), np.mean(A - Y)),
            "dW ✗", "(3,)", "(3, 1)", id="flat-dW"),
    mistake("3.3", lambda X, A, Y: X @ (A - Y).T / _m(X), "should return two values", id="one-value"),
    mistake("3.3", lambda X, A, Y: _slides(X, A, Y)[::-1], "wrong order: db, dW", id="swapped"),
    mistake("3.3", lambda X, A, Y: list(_slides(X, A, Y)[::-1]), "wrong order: db, dW",
            id="swapped-list"),
    mistake("3.3", backward_loop, "loop over the examples", id="loop"),
    # the sigmoid's derivative put in again: dZ = (A − Y) A (1 − A) is not the cross-entropy's
    mistake("3.3", lambda X, A, Y: (X @ ((A - Y) * A * (1 - A)).T / _m(X),
                                    np.sum((A - Y) * A * (1 - A), axis=1, keepdims=True) / _m(X)),
            "dW ✗", "db ✗", "relative error", id="extra-derivative"),
    # 3.4
    mistake("3.4", make_train(sign=+1), "cost goes up", "sign of the update", id="uphill"),
    mistake("3.4", make_train(update_b=False), "update of b is missing", id="no-b-update"),
    mistake("3.4", make_train(epochs_offset=3), "one entry per epoch", id="epochs"),
    mistake("3.4", make_train(cost_after_update=True), "after each update", id="costs-after"),
    mistake("3.4", train_with_nnlib, "after each update", id="nnlib-history"),
    mistake("3.4", make_train(rate=0.5), "ignores its learning_rate", id="ignores-alpha"),
    mistake("3.4", train_zero_costs, "costs", id="zero-costs"),
    mistake("3.4", train_swapped, "wrong order: b, w, costs", id="swapped"),
    mistake("3.4", lambda X, Y, learning_rate, epochs: make_train()(X, Y, learning_rate, epochs)[:2],
            "should return three values", id="two-values"),
    mistake("3.4", lambda X, Y, learning_rate, epochs: make_train()(X, Y, learning_rate, epochs)[:2]
            + ([2 * c for c in make_train()(X, Y, learning_rate, epochs)[2]],),
            "costs", "twice the right answer", id="costs-doubled"),
    # 3.5 (the values a learner's pipeline gives on the real flights: see the test below)
    mistake("3.5", 99.96, "percentage", id="percent"),
    mistake("3.5", 0.00039, "probability of no failure", id="complement"),
    mistake("3.5", 8.8e-23, "31 itself", "standardised", id="unscaled-31"),
    mistake("3.5", 7.85, "log-odds", id="z"),
    mistake("3.5", 1.0, "exactly 1", id="one"),
    mistake("3.5", 0.2, "below 0.5", id="low"),
    mistake("3.5", 0.95, "not yet", id="not-converged"),
    mistake("3.5", -8.2, "not a probability", id="negative"),
    mistake("3.5", "0.9996", "one number", id="text"),
]

VARIANTS = [
    variant("3.1", stable_sigmoid, id="where"),
    variant("3.1", sigmoid_boolean_masks, id="masks"),
    variant("3.1", sigmoid_where_both_branches, id="where-both-branches"),
    variant("3.1", lambda Z: np.exp(-np.logaddexp(0, -Z)), id="logaddexp"),
    variant("3.1", lambda Z: np.exp(Z - np.logaddexp(0, Z)), id="logaddexp-2"),
    variant("3.1", lambda Z: np.exp(np.minimum(Z, 0)) / (1 + np.exp(-np.abs(Z))), id="min-abs"),
    variant("3.1", lambda Z: nnlib.activations.sigmoid(Z), id="nnlib"),
    variant("3.2", clipped_cost, id="clip"),
    variant("3.2", clipped_cost_with(1e-6), id="clip-1e-6"),
    variant("3.2", clipped_cost_with(1e-7), id="clip-1e-7"),
    variant("3.2", clipped_cost_with(np.finfo(float).eps), id="clip-machine-eps"),
    variant("3.2", lambda A, Y: -np.mean(np.where(Y == 1, np.log(np.clip(A, 1e-12, 1)),
                                                  np.log(np.clip(1 - A, 1e-12, 1)))), id="where-mean"),
    variant("3.2", lambda A, Y: (-(Y @ np.log(np.clip(A, 1e-15, 1 - 1e-15)).T
                                   + (1 - Y) @ np.log(np.clip(1 - A, 1e-15, 1)).T) / Y.shape[1]),
            id="dot-products-(1,1)"),
    variant("3.2", lambda A, Y: nnlib.losses.binary_cross_entropy(A, Y), id="nnlib"),
    variant("3.3", _slides, id="slides"),
    variant("3.3", lambda X, A, Y: (np.dot(X, (A - Y).T) / X.shape[1], float(np.sum(A - Y)) / X.shape[1]),
            id="float-db"),
    variant("3.3", lambda X, A, Y: [np.mean(X * (A - Y), axis=1, keepdims=True), np.mean(A - Y)],
            id="means-list"),
    # nnlib's convention gives the same numbers: dZ = (A − Y)/m, dW = X dZᵀ, db = Σ dZ
    variant("3.3", lambda X, A, Y: (X @ ((A - Y) / X.shape[1]).T,
                                    np.sum((A - Y) / X.shape[1], axis=1, keepdims=True)),
            id="nnlib-convention"),
    variant("3.3", lambda X, A, Y: ((X @ (A - Y).T / X.shape[1]).astype(np.float32),
                                    np.float32(np.mean(A - Y))), id="float32"),
    variant("3.4", make_train(), id="numpy"),
    variant("3.4", train_list_of_arrays, id="list-of-(1,1)-costs"),
    variant("3.4", train_float32_costs_column_b, id="float32-costs"),
    variant("3.5", 0.9996, id="printed-4-decimals"),
    variant("3.5", np.float64(0.99961), id="numpy-scalar"),
    variant("3.5", np.array([[0.9996087]]), id="(1,1)-array"),
]


(test_usual_mistakes_are_rejected_with_their_diagnosis,
 test_correct_answers_written_differently_are_accepted,
 test_every_question_has_a_catalogue) = catalogue_tests(3, MISTAKES, VARIANTS)


def test_sigmoid_stub_is_not_implemented():
    assert_rejected("3.1", sigmoid_stub, "not implemented yet", status="not implemented")


def test_sigmoid_that_changes_its_input_cannot_change_the_check():
    def in_place(Z):
        Z[...] = stable_sigmoid(Z)
        return Z
    assert_accepted("3.1", in_place)


def test_the_sigmoid_hint_is_shown_only_on_request():
    result = assert_rejected("3.1", sigmoid_naive_silenced, "overflows")
    assert "np.exp(-np.abs(Z))" in result.hint and "np.exp(-np.abs(Z))" not in result.feedback


# -- 3.5 Challenger -------------------------------------------------------------------------------


def test_challenger_reference_is_the_maximum_likelihood_fit():
    """Independent of the check: long gradient descent from zero reaches the same probability,
    and the published fit (Dalal et al. 1989: logit p = 15.04 − 0.232 t) agrees to 1e-3."""
    X, Y = nnlib.datasets.challenger()
    x, mean, std = nnlib.datasets.standardize(X)
    net = nnlib.Network([nnlib.Dense(1, 1, "sigmoid", init="zeros")], loss="binary_cross_entropy")
    net.fit(x, Y, epochs=3000, learning_rate=1.0)
    p_gd = float(net.forward((np.array([[31.0]]) - mean) / std)[0, 0])
    reference = ch3.challenger_reference()
    assert abs(p_gd - reference) < 1e-6
    assert abs(reference - 1 / (1 + np.exp(-(15.0429 - 0.232163 * 31)))) < 1e-3


def _notebook_model():
    """The learner's pipeline of exercise 3 on the real 23 flights, written as a learner would
    (the notebook's cells: standardise, train 1000 epochs with α = 0.5)."""
    X, Y = nnlib.datasets.challenger()
    x, t_mean, t_std = nnlib.datasets.standardize(X)
    w, b, _ = make_train()(x, Y, 0.5, 1000)
    return w, b, t_mean, t_std


@pytest.mark.parametrize("slip, phrases", [
    ("right", []),
    ("31 not standardised", ["31 itself", "standardised"]),
    ("z instead of σ(z)", ["log-odds", "σ(z)"]),
    ("z of the unscaled 31", ["both slips"]),
    ("1 − p", ["probability of no failure"]),
    ("percent", ["percentage"]),
    ("scaled the wrong way round", ["wrong way round"]),
    ("mean not subtracted", ["mean was not subtracted"]),
    ("no bias", ["bias b is missing"]),
    ("std not divided", ["exactly 1"]),
])
def test_challenger_diagnoses_are_what_the_learner_gets_on_the_flights(slip, phrases):
    w, b, t_mean, t_std = _notebook_model()
    x_31 = (np.array([[31.0]]) - t_mean) / t_std
    z = (w.T @ x_31 + b).item()
    p = {
        "right": stable_sigmoid(z),
        "31 not standardised": stable_sigmoid((w.T * 31 + b).item()),
        "z instead of σ(z)": z,
        "z of the unscaled 31": (w.T * 31 + b).item(),
        "1 − p": 1 - stable_sigmoid(z),
        "percent": 100 * stable_sigmoid(z),
        "scaled the wrong way round": stable_sigmoid((w.T @ ((t_mean - 31) / t_std) + b).item()),
        "mean not subtracted": stable_sigmoid((w.T @ (31 / t_std) + b).item()),
        "no bias": stable_sigmoid((w.T @ x_31).item()),
        "std not divided": stable_sigmoid((w.T @ (31 - t_mean) + b).item()),
    }[slip]
    if slip == "right":
        assert_accepted("3.5", float(p))
        return
    result = assert_rejected("3.5", float(p), *phrases)
    assert f"{ch3.challenger_reference():.4f}" not in result.feedback
    if slip == "31 not standardised":
        assert 1e-23 < p < 1e-22          # the p ≈ 9e-23
    if slip == "z instead of σ(z)":
        assert round(p, 2) == 7.85        # the 7.85


def test_challenger_none_is_not_implemented():
    assert_rejected("3.5", None, "not implemented yet", status="not implemented")
