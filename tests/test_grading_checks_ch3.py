"""The checks of exercise 3 (logistic regression): each usual mistake is rejected with its
diagnosis, and correct answers written differently are accepted.

The wrong answers here are the learner's code as it is often written, not the reference with a
number changed: the checks must recognise the mistake from what the code returns.
"""

import numpy as np
import pytest

import nnlib
from nnlib.grading.questions import ch3
from nnlib.grading.testing import assert_accepted, assert_rejected


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


@pytest.mark.parametrize("answer", [
    stable_sigmoid,
    sigmoid_boolean_masks,
    lambda Z: 0.5 * (1 + np.tanh(Z / 2)),                        # an equivalent formula
    lambda Z: 1 / (1 + np.exp(-np.clip(Z, -500, 500))),           # clipping also avoids overflow
    lambda Z: stable_sigmoid(Z.astype(np.float32)),               # float32 inside
], ids=["where", "masks", "tanh", "clip", "float32"])
def test_sigmoid_accepts_correct_answers(answer):
    assert_accepted("3.1", answer)


def sigmoid_loop(Z):
    out = np.zeros_like(Z, dtype=float)
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            z = Z[i, j]
            out[i, j] = 1 / (1 + np.exp(-z)) if z >= 0 else np.exp(z) / (1 + np.exp(z))
    return out


def sigmoid_where_both_branches(Z):
    return np.where(Z >= 0, 1 / (1 + np.exp(-Z)), np.exp(Z) / (1 + np.exp(Z)))


def sigmoid_stub(Z):
    raise NotImplementedError("not implemented yet")


@pytest.mark.parametrize("answer, phrases", [
    (lambda Z: 1 / (1 + np.exp(-Z)), ["overflow", "values still come out right"]),
    (lambda Z: np.exp(Z) / (1 + np.exp(Z)), ["overflow", "nan"]),
    (sigmoid_where_both_branches, ["overflow", "np.where"]),
    (lambda Z: 1 / (1 + np.exp(Z)), ["sign of the exponent is flipped"]),
    (sigmoid_loop, ["loop over the examples"]),
    (lambda Z: stable_sigmoid(Z).ravel(), ["shape (21,)", "(3, 7)"]),
    (lambda Z: stable_sigmoid(Z).T, ["swapped"]),
    (lambda Z: None, ["return"]),
], ids=["naive", "naive-other-form", "where-both-branches", "sign", "loop",
        "flattened", "transposed", "no-return"])
def test_sigmoid_rejects_mistakes(answer, phrases):
    assert_rejected("3.1", answer, *phrases)


def test_sigmoid_stub_is_not_implemented():
    assert_rejected("3.1", sigmoid_stub, "not implemented yet", status="not implemented")


def test_sigmoid_that_changes_its_input_cannot_change_the_check():
    def in_place(Z):
        Z[...] = stable_sigmoid(Z)
        return Z
    assert_accepted("3.1", in_place)


# -- 3.2 the cost ---------------------------------------------------------------------------------


def cost_loop(A, Y):
    m = Y.shape[1]
    J = 0.0
    for i in range(m):
        a = min(max(A[0, i], 1e-15), 1 - 1e-15)
        J -= Y[0, i] * np.log(a) + (1 - Y[0, i]) * np.log(1 - a)
    return J / m


@pytest.mark.parametrize("answer", [
    clipped_cost,
    lambda A, Y: -np.mean(np.where(Y == 1, np.log(np.clip(A, 1e-12, 1)),
                                   np.log(np.clip(1 - A, 1e-12, 1)))),
    lambda A, Y: (-(Y @ np.log(np.clip(A, 1e-15, 1 - 1e-15)).T
                    + (1 - Y) @ np.log(np.clip(1 - A, 1e-15, 1)).T) / Y.shape[1]),
    lambda A, Y: nnlib.losses.binary_cross_entropy(A, Y),
], ids=["clip", "where-mean", "dot-products-(1,1)", "nnlib"])
def test_cost_accepts_correct_answers(answer):
    assert_accepted("3.2", answer)


def _clip(A):
    return np.clip(A, 1e-15, 1 - 1e-15)


@pytest.mark.parametrize("answer, phrases", [
    (lambda A, Y: -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1], ["log(0)", "clip"]),
    (lambda A, Y: -np.sum(Y * np.log(_clip(A))) / Y.shape[1], ["(1 − y) log(1 − ŷ) term is missing"]),
    (lambda A, Y: -np.sum(Y * np.log(_clip(A))) / Y.shape[1]
     + np.sum((1 - Y) * np.log(1 - _clip(A))) / Y.shape[1], ["missing brackets", "minus sign"]),
    (lambda A, Y: -np.sum(Y * np.log(_clip(A)) + 1 - Y * np.log(1 - _clip(A))) / Y.shape[1],
     ["missing brackets around (1 − y)"]),
    (lambda A, Y: -1 / Y.shape[1] * np.sum(Y * np.log(_clip(A))) + (1 - Y) * np.log(1 - _clip(A)),
     ["one number", "shape (1, 8)"]),
    (lambda A, Y: -np.sum(Y * np.log(_clip(A)) + (1 - Y) * np.log(1 - _clip(A))), ["1/m"]),
    (lambda A, Y: np.mean(Y * np.log(_clip(A)) + (1 - Y) * np.log(1 - _clip(A))), ["wrong sign"]),
    (lambda A, Y: -np.sum(Y * np.log(_clip(A)) + (1 - Y) * np.log(_clip(A))) / Y.shape[1],
     ["log ŷ instead of log(1 − ŷ)"]),
    (lambda A, Y: -(Y * np.log(_clip(A)) + (1 - Y) * np.log(1 - _clip(A))) / Y.shape[1],
     ["one number", "sum"]),
    (cost_loop, ["loop over the examples"]),
], ids=["log0", "no-(1-y)-term", "brackets-minus", "brackets-(1-y)", "brackets-sum",
        "no-1/m", "sign", "log-a-twice", "no-sum", "loop"])
def test_cost_rejects_mistakes(answer, phrases):
    assert_rejected("3.2", answer, *phrases)


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


@pytest.mark.parametrize("answer", [
    lambda X, A, Y: (X @ (A - Y).T / X.shape[1], np.sum(A - Y, axis=1, keepdims=True) / X.shape[1]),
    lambda X, A, Y: (np.dot(X, (A - Y).T) / X.shape[1], float(np.sum(A - Y)) / X.shape[1]),
    lambda X, A, Y: (np.mean(X * (A - Y), axis=1, keepdims=True), np.mean(A - Y)),
    # nnlib's convention gives the same numbers: dZ = (A − Y)/m, dW = X dZᵀ, db = Σ dZ
    lambda X, A, Y: (X @ ((A - Y) / X.shape[1]).T, np.sum((A - Y) / X.shape[1], axis=1, keepdims=True)),
    lambda X, A, Y: ((X @ (A - Y).T / X.shape[1]).astype(np.float32),
                     np.float32(np.mean(A - Y))),
], ids=["slides", "float-db", "means", "nnlib-convention", "float32"])
def test_backward_accepts_correct_answers(answer):
    assert_accepted("3.3", answer)


def _m(X):
    return X.shape[1]


@pytest.mark.parametrize("answer, phrases", [
    (lambda X, A, Y: (X @ (A - Y).T, np.sum(A - Y, axis=1, keepdims=True)),
     ["dW ✗", "db ✗", "the 1/m missing"]),
    (lambda X, A, Y: (X @ (A - Y).T / _m(X), np.sum(A - Y, axis=1, keepdims=True)),
     ["dW ✓", "db ✗", "relative error", "the 1/m missing"]),
    (lambda X, A, Y: (X @ (Y - A).T / _m(X), np.sum(Y - A, axis=1, keepdims=True) / _m(X)),
     ["dW ✗", "db ✗", "sign flipped"]),
    (lambda X, A, Y: (X @ (A - Y).T / _m(X), np.sum(A - Y, axis=0, keepdims=True) / _m(X)),
     ["dW ✓", "db ✗", "wrong axis"]),
    (lambda X, A, Y: (X @ (A - Y).T / _m(X), np.sum(A - Y, axis=0) / _m(X)),
     ["db ✗", "wrong axis"]),
    (lambda X, A, Y: ((A - Y) @ X.T / _m(X), np.mean(A - Y)), ["dW ✗", "did you transpose"]),
    (lambda X, A, Y: ((X @ (A - Y).T / _m(X)).ravel(), np.mean(A - Y)), ["dW ✗", "(3,)", "(3, 1)"]),
    (lambda X, A, Y: X @ (A - Y).T / _m(X), ["two things", "return dW, db"]),
    (backward_loop, ["loop over the examples"]),
    # the sigmoid's derivative put in again: dZ = (A − Y) A (1 − A) is not the cross-entropy's
    (lambda X, A, Y: (X @ ((A - Y) * A * (1 - A)).T / _m(X),
                      np.sum((A - Y) * A * (1 - A), axis=1, keepdims=True) / _m(X)),
     ["dW ✗", "db ✗", "relative error"]),
], ids=["no-1/m", "no-1/m-in-db", "sign", "axis0-keepdims", "axis0", "transposed", "flat-dW",
        "one-value", "loop", "extra-derivative"])
def test_backward_rejects_mistakes(answer, phrases):
    assert_rejected("3.3", answer, *phrases)


# -- 3.4 training ---------------------------------------------------------------------------------


def make_train(sign=-1, update_b=True, epochs_offset=0, cost_after_update=False):
    def train(X, Y, learning_rate, epochs):
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


@pytest.mark.parametrize("answer", [make_train(), make_train(cost_after_update=True),
                                    train_with_nnlib],
                         ids=["numpy", "cost-recorded-after-update", "nnlib"])
def test_train_accepts_correct_answers(answer):
    assert_accepted("3.4", answer)


@pytest.mark.parametrize("answer, phrases", [
    (make_train(sign=+1), ["cost goes up", "sign of the update"]),
    (make_train(update_b=False), ["b ← b − α db is missing"]),
    (make_train(epochs_offset=3), ["one cost per epoch"]),
    (lambda X, Y, learning_rate, epochs: make_train()(X, Y, learning_rate, epochs)[:2],
     ["three things"]),
    (lambda X, Y, learning_rate, epochs: make_train()(X, Y, learning_rate, epochs)[:2]
     + ([2 * c for c in make_train()(X, Y, learning_rate, epochs)[2]],),
     ["costs", "twice the right answer"]),
], ids=["sign", "no-b-update", "epochs", "two-values", "costs-doubled"])
def test_train_rejects_mistakes(answer, phrases):
    assert_rejected("3.4", answer, *phrases)


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


@pytest.mark.parametrize("answer", [0.9996, np.float64(0.99961), np.array([[0.9996]])],
                         ids=["float", "numpy-scalar", "(1, 1)-array"])
def test_challenger_accepts_the_fitted_probability(answer):
    result = assert_accepted("3.5", answer)
    assert "0.9996" not in result.feedback          # a single-value answer is never given away


@pytest.mark.parametrize("answer, phrases", [
    (99.96, ["percentage"]),
    (0.0004, ["probability of no failure"]),
    (0.2, ["below 0.5", "standardise 31 °F"]),
    (0.95, ["not yet", "train until the cost stops falling"]),
    (-8.2, ["not a probability", "z = wᵀx + b"]),
    ("0.9996", ["one number"]),
], ids=["percent", "complement", "unscaled", "not-converged", "logit", "text"])
def test_challenger_rejects_mistakes(answer, phrases):
    result = assert_rejected("3.5", answer, *phrases)
    assert "0.9996" not in result.feedback and "0.99961" not in result.feedback


def test_challenger_none_is_not_implemented():
    assert_rejected("3.5", None, "not implemented yet", status="not implemented")
