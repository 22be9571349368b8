"""Exercise 2: many features, Z = Wᵀ X + b, vectorised (exercises/solutions/02_*).

X has shape (n_x, m), one example per column; W is (n_x, 1), b is (1, 1); Ŷ = Z, shape (1, m);
J = (1/m) Σ (y − ŷ)².
"""

from __future__ import annotations

import numpy as np

from ... import datasets, losses
from ..diagnose import Mistake, compare, describe_type, gradient_report, numerical_gradient, \
    require_vectorised
from ..registry import question


def _data(n_x, m, seed, dtype=np.float64):
    """Seeded X (n_x, m), W (n_x, 1), b (1, 1) and Y (1, m) near a plane."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(n_x, m)) * rng.uniform(0.5, 3.0, size=(n_x, 1))
    W = rng.normal(0.0, 1.0, size=(n_x, 1))
    b = rng.normal(0.0, 1.0, size=(1, 1))
    Y = rng.normal(0.0, 1.0, size=(n_x, 1)).T @ X + 0.5 + 0.3 * rng.normal(size=(1, m))
    return X.astype(dtype), W.astype(dtype), b.astype(dtype), Y.astype(dtype)


def _pair(result, names, function):
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        listed = ", ".join(names)
        raise Mistake(f"{function} should return {len(names)} values, `return {listed}`; it "
                      f"returned {describe_type(result)}.")
    return result


TRANSPOSE_Z = ("Did you transpose W? Z = Wᵀ X + b: Wᵀ (1, n_x) times X (n_x, m) gives one "
               "value per example, (1, m).")


# -- 2.1 ------------------------------------------------------------------------------------------

@question("2.1", name="forward", points=2, title="the vectorised forward pass Z = Wᵀ X + b")
def check_forward(answer):
    for seed, (n_x, m, dtype) in enumerate(((3, 5, np.float64), (4, 9, np.float64),
                                             (2, 6, np.float32))):
        X, W, b, _ = _data(n_x, m, 40 + seed, dtype)
        X64, W64, b64 = (a.astype(np.float64) for a in (X, W, b))
        compare(answer(X, W, b), W64.T @ X64 + b64, "Z", transpose_hint=TRANSPOSE_Z, mistakes={
            "the bias b is missing: Z = Wᵀ X + b.": W64.T @ X64,
            "you multiplied element by element (W * X); Wᵀ X is a matrix product (W.T @ X), "
            "a sum over the features.": W64 * X64 + b64,
        })
    require_vectorised(answer, lambda m: _data(3, m, 7)[:3])
    return ["Z has shape (1, m)", "values on 3 seeded inputs (one in float32)",
            "no loop over the examples"]


# -- 2.2 ------------------------------------------------------------------------------------------

@question("2.2", name="gradients", points=3, title="dW and db without a loop over examples")
def check_gradients(answer):
    passed = []
    for seed, (n_x, m) in enumerate(((3, 7), (5, 12))):
        X, W, b, Y = _data(n_x, m, 50 + seed)
        W_, b_ = W.copy(), b.copy()

        def cost():
            return losses.mse(W_.T @ X + b_, Y)

        expected = {"dW": numerical_gradient(cost, W_), "db": numerical_gradient(cost, b_)}
        Y_hat = W.T @ X + b
        dW, db = _pair(answer(X, Y, Y_hat), ("dW", "db"), "gradients")
        passed = gradient_report({"dW": dW, "db": db}, expected, m=m, hints={
            "db": {"it is summed over the features, not the examples: db = −(2/m) Σ_i (y_i − ŷ_i) "
                   "sums over the m columns (axis=1).": -2 / m * np.sum(Y - Y_hat, axis=0,
                                                                       keepdims=True)[:, :1]},
        })
    require_vectorised(answer, lambda m: (lambda X, W, b, Y: (X, Y, W.T @ X + b))(*_data(3, m, 8)))
    return [f"{', '.join(passed)} against a gradient check (centred differences of J) on 2 "
            "seeded inputs", "dW has W's shape (n_x, 1) and db has b's shape (1, 1)",
            "no loop over the examples"]


# -- 2.3 ------------------------------------------------------------------------------------------

@question("2.3", name="standardize", points=2, title="feature scaling: mean 0, standard deviation 1")
def check_standardize(answer):
    for seed, (n_x, m) in enumerate(((3, 8), (2, 11))):
        X, _, _, _ = _data(n_x, m, 60 + seed)
        X = X + np.arange(1, n_x + 1).reshape(-1, 1) * 10.0  # features far from 0
        X_scaled, mean, std = _pair(answer(X), ("X_scaled", "mean", "std"), "standardize")
        ref_scaled, ref_mean, ref_std = datasets.standardize(X)
        compare(mean, ref_mean, "mean", transpose_hint="mean has one entry per feature: (n_x, 1).",
                mistakes={"it is the mean of each example (axis=0); each feature (row) has its "
                          "own mean over the m examples: axis=1.": X.mean(axis=0, keepdims=True)})
        compare(std, ref_std, "std", transpose_hint="std has one entry per feature: (n_x, 1).",
                mistakes={
                    "it is the standard deviation of each example (axis=0); each feature (row) "
                    "has its own, over the m examples: axis=1.": X.std(axis=0, keepdims=True),
                    "you used the sample standard deviation (ddof=1); here std divides by m, "
                    "NumPy's default np.std(X, axis=1, keepdims=True).":
                        X.std(axis=1, ddof=1, keepdims=True),
                    "that is the variance; the standard deviation is its square root.":
                        X.var(axis=1, keepdims=True),
                })
        compare(X_scaled, ref_scaled, "X_scaled", mistakes={
            "the mean is not subtracted: X_scaled = (X − mean) / std.": X / ref_std,
            "you did not divide by the standard deviation: X_scaled = (X − mean) / std.":
                X - ref_mean,
        })
    return ["mean and std have shape (n_x, 1)", "values on 2 seeded inputs"]


# -- 2.4 ------------------------------------------------------------------------------------------

@question("2.4", name="apply_scaling", points=1, title="scale new data with the training statistics")
def check_apply_scaling(answer):
    X, _, _, _ = _data(3, 10, 70)
    X_new, _, _, _ = _data(3, 4, 71)
    X_new = X_new * 2 + 1
    _, mean, std = datasets.standardize(X)
    own, _, _ = datasets.standardize(X_new)
    compare(answer(X_new, mean, std), (X_new - mean) / std, "X_new_scaled", mistakes={
        "you scaled the new data with its own mean and standard deviation; use the training "
        "set's mean and std, so that the model sees new data exactly as it saw the training data.":
            own,
        "mean and std are swapped: (X − mean) / std.": (X_new - std) / mean,
    })
    return ["values on a seeded input"]


# -- 2.5 ------------------------------------------------------------------------------------------

def reference_train(X, Y, learning_rate, epochs):
    """Question 2.5: W, b start at zeros; costs[i] is J before the i-th update."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    n_x, m = X.shape
    W, b = np.zeros((n_x, 1)), np.zeros((1, 1))
    costs = []
    for _ in range(epochs):
        Y_hat = W.T @ X + b
        costs.append(losses.mse(Y_hat, Y))
        dW = -2 / m * X @ (Y - Y_hat).T
        db = -2 / m * np.sum(Y - Y_hat, axis=1, keepdims=True)
        W, b = W - learning_rate * dW, b - learning_rate * db
    return W, b, costs


@question("2.5", name="train", points=2, title="gradient descent with many features",
          requires=("2.1", "2.2"))
def check_train(answer):
    X, _, _, Y = _data(3, 20, 80)
    lr, epochs = 0.05, 12
    W, b, costs = _pair(answer(X, Y, lr, epochs), ("W", "b", "costs"), "train")
    ref_W, ref_b, ref_costs = reference_train(X, Y, lr, epochs)
    if not isinstance(costs, (list, tuple, np.ndarray)):
        raise Mistake(f"costs should be a list with one cost per epoch, got {describe_type(costs)}.")
    try:
        costs = np.asarray(costs, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise Mistake("costs should hold one number per epoch.") from None
    if costs.size != epochs:
        raise Mistake(f"costs should have one entry per epoch: {epochs} for epochs={epochs}, got "
                      f"{costs.size}. Append J once in each pass of the loop.")
    _, _, later = reference_train(X, Y, lr, epochs + 1)
    compare(costs, ref_costs, "costs", show_values=False, mistakes={
        "costs[i] should be the cost before the i-th update (costs[0] with W and b at zero); "
        "yours are the costs after each update.": later[1:]})
    compare(W, ref_W, f"W after {epochs} epochs", transpose_hint="W has shape (n_x, 1).")
    compare(b, ref_b, f"b after {epochs} epochs")
    return [f"W, b and the {epochs} costs of {epochs} epochs on seeded data"]
