"""Exercise 2's checks: vectorised forward pass and gradients, feature scaling."""

import numpy as np
import pytest

from nnlib import losses
from nnlib.grading.testing import assert_accepted, assert_rejected


def forward(X, W, b):
    return W.T @ X + b


def gradients(X, Y, Y_hat):
    m = X.shape[1]
    return -2 / m * X @ (Y - Y_hat).T, -2 / m * np.sum(Y - Y_hat, axis=1, keepdims=True)


def standardize(X):
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    return (X - mean) / std, mean, std


def make_train(record_after=False, flip=False):
    def train(X, Y, learning_rate, epochs):
        W, b, costs = np.zeros((X.shape[0], 1)), np.zeros((1, 1)), []
        sign = -1 if flip else 1
        for _ in range(epochs):
            Y_hat = forward(X, W, b)
            if not record_after:
                costs.append(losses.mse(Y_hat, Y))
            dW, db = gradients(X, Y, Y_hat)
            W, b = W - sign * learning_rate * dW, b - sign * learning_rate * db
            if record_after:
                costs.append(losses.mse(forward(X, W, b), Y))
        return W, b, costs
    return train


# -- 2.1 ------------------------------------------------------------------------------------------------

def test_2_1_accepts_equivalent_vectorised_forms():
    assert_accepted("2.1", forward)
    assert_accepted("2.1", lambda X, W, b: np.dot(W.T, X) + b)
    assert_accepted("2.1", lambda X, W, b: np.sum(W * X, axis=0, keepdims=True) + b)
    assert_accepted("2.1", lambda X, W, b: (X.T @ W).T + b.item())
    assert_accepted("2.1", lambda X, W, b: (W.T.astype(np.float32) @ X.astype(np.float32) + b))

    def loop_over_features(X, W, b):   # a loop over the n_x features is allowed
        Z = b + 0 * X[:1]
        for j in range(X.shape[0]):
            Z = Z + W[j, 0] * X[j:j + 1]
        return Z
    assert_accepted("2.1", loop_over_features)


def loop_over_examples(X, W, b):
    Z = np.zeros((1, X.shape[1]))
    for i in range(X.shape[1]):
        Z[0, i] = W[:, 0] @ X[:, i] + b[0, 0]
    return Z


@pytest.mark.parametrize("wrong, phrase", [
    (lambda X, W, b: X.T @ W + b, "did you transpose W?"),
    (lambda X, W, b: W.T @ X, "bias b is missing"),
    (lambda X, W, b: W * X + b, "element by element"),
    (lambda X, W, b: W @ X + b, "do not fit"),
    (loop_over_examples, "a loop over the examples where a vectorised expression was asked"),
    (lambda X, W, b: np.array([W[:, 0] @ X[:, i] for i in range(X.shape[1])]).reshape(1, -1) + b,
     "a loop over the examples"),
    (lambda X, W, b: (W.T @ X + b)[0], "keeps its first axis"),
])
def test_2_1_rejects(wrong, phrase):
    assert_rejected("2.1", wrong, phrase)


# -- 2.2 ------------------------------------------------------------------------------------------------

def test_2_2_accepts_equivalent_forms():
    assert_accepted("2.2", gradients)
    assert_accepted("2.2", lambda X, Y, Y_hat: (
        2 * np.mean(X * (Y_hat - Y), axis=1, keepdims=True),
        2 * np.mean(Y_hat - Y, axis=1, keepdims=True)))
    assert_accepted("2.2", lambda X, Y, Y_hat: tuple(g.astype(np.float32) for g in gradients(X, Y, Y_hat)))


def loop_gradients(X, Y, Y_hat):
    m = X.shape[1]
    dW, db = np.zeros((X.shape[0], 1)), np.zeros((1, 1))
    for i in range(m):
        dW[:, 0] += -2 / m * X[:, i] * (Y[0, i] - Y_hat[0, i])
        db += -2 / m * (Y[0, i] - Y_hat[0, i])
    return dW, db


def scaled(fW=1.0, fb=1.0):
    def wrong(X, Y, Y_hat):
        dW, db = gradients(X, Y, Y_hat)
        return dW * fW, db * fb
    return wrong


@pytest.mark.parametrize("wrong, phrases", [
    (loop_gradients, ["a loop over the examples where a vectorised expression was asked"]),
    (lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0].T, gradients(X, Y, Y_hat)[1]),
     ["dW ✗", "axes are swapped", "db ✓"]),
    (lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0], gradients(X, Y, Y_hat)[1].ravel()),
     ["dW ✓", "db ✗", "(1,) where (1, 1)"]),
    (lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0], gradients(X, Y, Y_hat)[1].item()),
     ["db ✗", "keep the shape (1, 1)"]),
    (lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0], -2 / X.shape[1] * (Y - Y_hat)),
     ["db ✗", "sum over the examples (axis=1) missing"]),
    (scaled(fb=-1.0), ["dW ✓", "db ✗", "sign"]),
    (lambda X, Y, Y_hat: (-2 * X @ (Y - Y_hat).T, -2 * np.sum(Y - Y_hat, axis=1, keepdims=True)),
     ["dW ✗", "1/m missing", "db ✗"]),
    (scaled(fW=0.5), ["dW ✗", "factor 2", "db ✓"]),
    (lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0] / X.shape[1], gradients(X, Y, Y_hat)[1]),
     ["dW ✗", "extra 1/m", "relative error"]),
    (lambda X, Y, Y_hat: gradients(X, Y, Y_hat)[0], ["should return 2 values"]),
])
def test_2_2_rejects_with_a_per_parameter_report(wrong, phrases):
    assert_rejected("2.2", wrong, *phrases)


# -- 2.3 ------------------------------------------------------------------------------------------------

def test_2_3_accepts_equivalent_forms():
    assert_accepted("2.3", standardize)

    def by_hand(X):
        m = X.shape[1]
        mean = X.sum(axis=1, keepdims=True) / m
        std = np.sqrt(((X - mean) ** 2).sum(axis=1, keepdims=True) / m)
        return (X - mean) / std, mean, std
    assert_accepted("2.3", by_hand)

    def loop_over_features(X):
        out, means, stds = np.empty_like(X), [], []
        for j, row in enumerate(X):
            means.append(row.mean())
            stds.append(row.std())
            out[j] = (row - means[-1]) / stds[-1]
        return out, np.array(means).reshape(-1, 1), np.array(stds).reshape(-1, 1)
    assert_accepted("2.3", loop_over_features)


def _std_variant(axis=1, ddof=0, keepdims=True, var=False, center=True, divide=True):
    def wrong(X):
        mean = X.mean(axis=axis, keepdims=keepdims)
        std = X.var(axis=axis, keepdims=keepdims) if var else X.std(axis=axis, ddof=ddof, keepdims=keepdims)
        m_, s_ = (mean, std) if keepdims else (mean.reshape(-1, 1), std.reshape(-1, 1))
        scaled = X - m_ if center else X
        if divide:
            scaled = scaled / s_
        return scaled, mean, std
    return wrong


@pytest.mark.parametrize("wrong, phrase", [
    (_std_variant(axis=0), "axis=1"),
    (_std_variant(keepdims=False), "a column vector keeps its second axis"),
    (_std_variant(ddof=1), "ddof=1"),
    (_std_variant(var=True), "variance"),
    (_std_variant(center=False), "the mean is not subtracted"),
    (_std_variant(divide=False), "did not divide by the standard deviation"),
    (lambda X: standardize(X)[0], "should return 3 values"),
])
def test_2_3_rejects(wrong, phrase):
    assert_rejected("2.3", wrong, phrase)


# -- 2.4 ------------------------------------------------------------------------------------------------

def test_2_4():
    assert_accepted("2.4", lambda X, mean, std: (X - mean) / std)
    assert_accepted("2.4", lambda X, mean, std: X / std - mean / std)
    assert_rejected("2.4", lambda X, mean, std: standardize(X)[0], "its own mean")
    assert_rejected("2.4", lambda X, mean, std: (X - std) / mean, "swapped")
    assert_rejected("2.4", lambda X, mean, std: X - mean, "wrong values")


# -- 2.5 ------------------------------------------------------------------------------------------------

def test_2_5():
    assert_accepted("2.5", make_train())
    assert_rejected("2.5", make_train(record_after=True), "before the i-th update")
    assert_rejected("2.5", make_train(flip=True), "costs")

    def b_as_number(X, Y, lr, epochs):
        W, b, costs = make_train()(X, Y, lr, epochs)
        return W, b.item(), costs
    assert_rejected("2.5", b_as_number, "keep the shape (1, 1)")
