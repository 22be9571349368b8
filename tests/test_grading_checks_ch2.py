"""Exercise 2's checks: vectorised forward pass and gradients, feature scaling."""

import numpy as np
import pytest

from nnlib import losses
from nnlib.grading.testing import catalogue_tests, mistake, variant


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


def loop_over_examples(X, W, b):
    Z = np.zeros((1, X.shape[1]))
    for i in range(X.shape[1]):
        Z[0, i] = W[:, 0] @ X[:, i] + b[0, 0]
    return Z


def forward_loop_over_features(X, W, b):   # a loop over the n_x features is allowed
    Z = b + 0 * X[:1]
    for j in range(X.shape[0]):
        Z = Z + W[j, 0] * X[j:j + 1]
    return Z


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


def standardize_by_hand(X):
    m = X.shape[1]
    mean = X.sum(axis=1, keepdims=True) / m
    std = np.sqrt(((X - mean) ** 2).sum(axis=1, keepdims=True) / m)
    return (X - mean) / std, mean, std


def standardize_loop_over_features(X):
    out, means, stds = np.empty_like(X), [], []
    for j, row in enumerate(X):
        means.append(row.mean())
        stds.append(row.std())
        out[j] = (row - means[-1]) / stds[-1]
    return [out, np.array(means).reshape(-1, 1), np.array(stds).reshape(-1, 1)]


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


def train_b_as_number(X, Y, lr, epochs):
    W, b, costs = make_train()(X, Y, lr, epochs)
    return W, b.item(), costs


def train_fixed_rate(X, Y, lr, epochs):
    return make_train()(X, Y, 0.05, epochs)


def train_swapped(X, Y, lr, epochs):
    W, b, costs = make_train()(X, Y, lr, epochs)
    return b, W, costs


def train_in_place_array_costs(X, Y, lr, epochs):
    m = X.shape[1]
    W, b = np.zeros((X.shape[0], 1)), np.zeros((1, 1))
    costs = np.empty(epochs)
    for epoch in range(epochs):
        E = W.T @ X + b - Y
        costs[epoch] = (E @ E.T).item() / m
        W -= lr * 2 / m * X @ E.T
        b -= lr * 2 / m * E.sum(keepdims=True)
    return [W, b, costs]


def train_with_means(X, Y, learning_rate, epochs):
    W, b, costs = np.zeros((X.shape[0], 1)), np.zeros((1, 1)), []
    for _ in range(epochs):
        E = forward(X, W, b) - Y
        costs.append(float(np.mean(E ** 2)))
        W = W - learning_rate * 2 * np.mean(X * E, axis=1, keepdims=True)
        b = b - learning_rate * 2 * np.mean(E, keepdims=True)
    return W, b, tuple(costs)


MISTAKES = [
    # 2.1
    mistake("2.1", lambda X, W, b: X.T @ W + b, "did you transpose W?", id="X.T@W"),
    mistake("2.1", lambda X, W, b: W.T @ X, "bias b is missing", id="no-b"),
    mistake("2.1", lambda X, W, b: W * X + b, "element by element", id="W*X"),
    mistake("2.1", lambda X, W, b: W.T @ (X + b), "b is added to X before the product", id="W(X+b)"),
    mistake("2.1", lambda X, W, b: W @ X + b, "do not fit", id="W@X"),
    mistake("2.1", loop_over_examples, "a loop over the examples where a vectorised expression was asked",
            id="loop"),
    mistake("2.1", lambda X, W, b: np.array([W[:, 0] @ X[:, i] for i in range(X.shape[1])]
                                            ).reshape(1, -1) + b, "a loop over the examples",
            id="comprehension"),
    mistake("2.1", lambda X, W, b: (W.T @ X + b)[0], "keeps its first axis", id="1-D"),
    # 2.2
    mistake("2.2", loop_gradients, "a loop over the examples where a vectorised expression was asked",
            id="loop"),
    mistake("2.2", lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0].T, gradients(X, Y, Y_hat)[1]),
            "dW ✗", "axes are swapped", "db ✓", id="dW-transposed"),
    mistake("2.2", lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0], gradients(X, Y, Y_hat)[1].ravel()),
            "dW ✓", "db ✗", "(1,) where (1, 1)", id="db-1-D"),
    mistake("2.2", lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0], gradients(X, Y, Y_hat)[1].item()),
            "db ✗", "keep the shape (1, 1)", id="db-float"),
    mistake("2.2", lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0], -2 / X.shape[1] * (Y - Y_hat)),
            "db ✗", "sum over the examples (axis=1) missing", id="db-no-sum"),
    mistake("2.2", scaled(fb=-1.0), "dW ✓", "db ✗", "sign", id="db-sign"),
    mistake("2.2", lambda X, Y, Y_hat: (-2 * X @ (Y - Y_hat).T, -2 * np.sum(Y - Y_hat, axis=1, keepdims=True)),
            "dW ✗", "1/m missing", "db ✗", id="no-1/m"),
    mistake("2.2", scaled(fW=0.5), "dW ✗", "factor 2", "db ✓", id="dW-half"),
    mistake("2.2", lambda X, Y, Y_hat: (gradients(X, Y, Y_hat)[0] / X.shape[1], gradients(X, Y, Y_hat)[1]),
            "dW ✗", "extra 1/m", "relative error", id="dW-extra-1/m"),
    mistake("2.2", lambda X, Y, Y_hat: gradients(X, Y, Y_hat)[::-1], "wrong order: db, dW", id="swapped"),
    mistake("2.2", lambda X, Y, Y_hat: gradients(X, Y, Y_hat)[0], "should return two values", id="one-value"),
    # 2.3
    mistake("2.3", _std_variant(axis=0), "axis=0", id="axis-0"),
    mistake("2.3", _std_variant(keepdims=False), "a column vector keeps its second axis", id="no-keepdims"),
    mistake("2.3", _std_variant(ddof=1), "ddof=1", id="ddof-1"),
    mistake("2.3", _std_variant(var=True), "variance", id="variance"),
    mistake("2.3", _std_variant(center=False), "the mean is not subtracted", id="not-centred"),
    mistake("2.3", _std_variant(divide=False), "not divided by the standard deviation", id="not-divided"),
    mistake("2.3", lambda X: (X - X.mean(axis=1, keepdims=True) / X.std(axis=1, keepdims=True),
                              X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)),
            "missing brackets", id="brackets"),
    mistake("2.3", lambda X: (standardize(X)[0], standardize(X)[2], standardize(X)[1]),
            "wrong order: X_scaled, std, mean", id="swapped"),
    mistake("2.3", lambda X: standardize(X)[0], "should return three values", id="one-value"),
    # 2.4
    mistake("2.4", lambda X, mean, std: standardize(X)[0], "its own mean", id="own-statistics"),
    mistake("2.4", lambda X, mean, std: (X - std) / mean, "swapped", id="swapped"),
    mistake("2.4", lambda X, mean, std: X - mean / std, "missing brackets", id="brackets"),
    mistake("2.4", lambda X, mean, std: X - mean, "wrong values", id="not-divided"),
    # 2.5
    mistake("2.5", make_train(record_after=True), "before the i-th update", id="costs-after"),
    mistake("2.5", make_train(flip=True), "costs", id="uphill"),
    mistake("2.5", train_b_as_number, "keep the shape (1, 1)", id="b-float"),
    mistake("2.5", train_fixed_rate, "ignores its learning_rate", id="ignores-alpha"),
    mistake("2.5", train_swapped, "wrong order: b, W, costs", id="swapped"),
    mistake("2.5", lambda X, Y, lr, epochs: (*make_train()(X, Y, lr, epochs)[:2], [0.0] * epochs),
            "costs", id="zero-costs"),
]

VARIANTS = [
    variant("2.1", forward, id="reference"),
    variant("2.1", lambda X, W, b: np.dot(W.T, X) + b, id="np.dot"),
    variant("2.1", lambda X, W, b: np.sum(W * X, axis=0, keepdims=True) + b, id="sum-of-products"),
    variant("2.1", lambda X, W, b: (X.T @ W).T + b.item(), id="(XᵀW)ᵀ"),
    variant("2.1", lambda X, W, b: (W.T.astype(np.float32) @ X.astype(np.float32) + b), id="float32"),
    variant("2.1", forward_loop_over_features, id="loop-over-features"),
    variant("2.2", gradients, id="reference"),
    variant("2.2", lambda X, Y, Y_hat: (2 * np.mean(X * (Y_hat - Y), axis=1, keepdims=True),
                                        2 * np.mean(Y_hat - Y, axis=1, keepdims=True)), id="means"),
    variant("2.2", lambda X, Y, Y_hat: [g.astype(np.float32) for g in gradients(X, Y, Y_hat)],
            id="float32-list"),
    variant("2.3", standardize, id="reference"),
    variant("2.3", standardize_by_hand, id="by-hand"),
    variant("2.3", standardize_loop_over_features, id="loop-over-features-list"),
    variant("2.4", lambda X, mean, std: (X - mean) / std, id="reference"),
    variant("2.4", lambda X, mean, std: X / std - mean / std, id="split"),
    variant("2.4", lambda X, mean, std: np.divide(np.subtract(X, mean), std), id="np.divide"),
    variant("2.5", make_train(), id="reference"),
    variant("2.5", train_in_place_array_costs, id="in-place-array-costs"),
    variant("2.5", train_with_means, id="means-tuple-costs"),
]


(test_usual_mistakes_are_rejected_with_their_diagnosis,
 test_correct_answers_written_differently_are_accepted,
 test_every_question_has_a_catalogue) = catalogue_tests(2, MISTAKES, VARIANTS)
