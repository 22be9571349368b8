"""Exercise 2: many features, Z = Wᵀ X + b, vectorised (exercises/solutions/02_*).

X has shape (n_x, m), one example per column; W is (n_x, 1), b is (1, 1); Ŷ = Z, shape (1, m);
J = (1/m) Σ (y − ŷ)².
"""

from __future__ import annotations

import numpy as np

from ... import datasets, losses
from ..diagnose import compare, gradient_report, ignores_learning_rate, numerical_gradient, \
    per_epoch, require_vectorised, unpack
from ..registry import question


def _data(n_x, m, seed, dtype=np.float64):
    """Seeded X (n_x, m), W (n_x, 1), b (1, 1) and Y (1, m) near a plane."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(n_x, m)) * rng.uniform(0.5, 3.0, size=(n_x, 1))
    W = rng.normal(0.0, 1.0, size=(n_x, 1))
    b = rng.normal(0.0, 1.0, size=(1, 1))
    Y = rng.normal(0.0, 1.0, size=(n_x, 1)).T @ X + 0.5 + 0.3 * rng.normal(size=(1, m))
    return X.astype(dtype), W.astype(dtype), b.astype(dtype), Y.astype(dtype)


TRANSPOSE_Z = ("Did you transpose W? Wᵀ (1, n_x) times X (n_x, m) gives one value per "
               "example, (1, m).")


# -- 2.1 ------------------------------------------------------------------------------------------

@question("2.1", name="forward", points=2, title="the vectorised forward pass Z = Wᵀ X + b")
def check_forward(answer):
    formula = "Z = Wᵀ X + b: W.T @ X + b"
    for seed, (n_x, m, dtype) in enumerate(((3, 5, np.float64), (4, 9, np.float64),
                                             (2, 6, np.float32))):
        X, W, b, _ = _data(n_x, m, 40 + seed, dtype)
        X64, W64, b64 = (a.astype(np.float64) for a in (X, W, b))
        compare(answer(X, W, b), W64.T @ X64 + b64, "Z", transpose_hint=TRANSPOSE_Z, mistakes={
            ("the bias b is missing.", formula): W64.T @ X64,
            ("you multiplied element by element (W * X); Wᵀ X is a matrix product, a sum "
             "over the features.", formula): W64 * X64 + b64,
            ("b is added to X before the product: Wᵀ (X + b) adds b once per feature.",
             formula): W64.T @ (X64 + b64),
        })
    require_vectorised(answer, lambda m: _data(3, m, 7)[:3])
    return ["Z has shape (1, m)", "values on 3 seeded inputs (one in float32)",
            "no loop over the examples"]


# -- 2.2 ------------------------------------------------------------------------------------------

@question("2.2", name="gradients", points=3, title="dW and db without a loop over examples")
def check_gradients(answer):
    passed = []
    dW_formula = "dW = −(2/m) X (Y − Ŷ)ᵀ: -2 / m * X @ (Y - Y_hat).T"
    db_formula = "db = −(2/m) Σ (y − ŷ): -2 / m * np.sum(Y - Y_hat, axis=1, keepdims=True)"
    for seed, (n_x, m) in enumerate(((3, 7), (5, 12))):
        X, W, b, Y = _data(n_x, m, 50 + seed)
        W_, b_ = W.copy(), b.copy()

        def cost():
            return losses.mse(W_.T @ X + b_, Y)

        expected = {"dW": numerical_gradient(cost, W_), "db": numerical_gradient(cost, b_)}
        Y_hat = W.T @ X + b
        dW, db = unpack(answer(X, Y, Y_hat), ("dW", "db"), "gradients",
                        expected=(expected["dW"], expected["db"]), rtol=1e-5)
        residual = Y - Y_hat
        passed = gradient_report({"dW": dW, "db": db}, expected, m=m, hints={
            "dW": {("it uses the residuals without X: each feature's gradient multiplies the "
                    "errors by that feature's values.", dW_formula):
                       np.full((n_x, 1), -2 / m * np.sum(residual))},
            "db": {("it is summed over the features, not the examples: the m examples are the "
                    "columns (axis=1).", db_formula):
                       -2 / m * np.sum(residual, axis=0, keepdims=True)[:, :1]},
        })
    require_vectorised(answer, lambda m: (lambda X, W, b, Y: (X, Y, W.T @ X + b))(*_data(3, m, 8)))
    return [f"{', '.join(passed)} against a gradient check (centred differences of J) on 2 "
            "seeded inputs", "dW has W's shape (n_x, 1) and db has b's shape (1, 1)",
            "no loop over the examples"]


# -- 2.3 ------------------------------------------------------------------------------------------

@question("2.3", name="standardize", points=2, title="feature scaling: mean 0, standard deviation 1")
def check_standardize(answer):
    rule = ("mean = X.mean(axis=1, keepdims=True), std = X.std(axis=1, keepdims=True), "
            "X_scaled = (X - mean) / std")
    for seed, (n_x, m) in enumerate(((3, 8), (2, 11))):
        X, _, _, _ = _data(n_x, m, 60 + seed)
        X = X + np.arange(1, n_x + 1).reshape(-1, 1) * 10.0  # features far from 0
        ref_scaled, ref_mean, ref_std = datasets.standardize(X)
        X_scaled, mean, std = unpack(answer(X), ("X_scaled", "mean", "std"), "standardize",
                                     expected=(ref_scaled, ref_mean, ref_std))
        compare(mean, ref_mean, "mean", transpose_hint="mean has one entry per feature: (n_x, 1).",
                mistakes={("it is the mean of each example (axis=0); each feature (row) has its "
                           "own mean over the m examples.", rule): X.mean(axis=0, keepdims=True)})
        compare(std, ref_std, "std", transpose_hint="std has one entry per feature: (n_x, 1).",
                mistakes={
                    ("it is the standard deviation of each example (axis=0); each feature (row) "
                     "has its own, over the m examples.", rule): X.std(axis=0, keepdims=True),
                    ("you used the sample standard deviation (ddof=1, dividing by m − 1); here "
                     "σ divides by m.", rule): X.std(axis=1, ddof=1, keepdims=True),
                    ("that is the variance; the standard deviation is its square root.", rule):
                        X.var(axis=1, keepdims=True),
                })
        compare(X_scaled, ref_scaled, "X_scaled", mistakes={
            ("the mean is not subtracted.", rule): X / ref_std,
            ("it is not divided by the standard deviation.", rule): X - ref_mean,
            ("missing brackets: X − mean / std divides only the mean.", rule):
                X - ref_mean / ref_std,
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
    rule = "(X − mean) / std with the mean and std passed in: (X - mean) / std"
    compare(answer(X_new, mean, std), (X_new - mean) / std, "X_new_scaled", mistakes={
        ("you scaled the new data with its own mean and standard deviation; the model must "
         "see new data exactly as it saw the training data, so use the training set's.", rule):
            own,
        ("mean and std are swapped.", rule): (X_new - std) / mean,
        ("missing brackets: X − mean / std divides only the mean.", rule): X_new - mean / std,
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


#: (n_x, m, seed, learning_rate, epochs) of the runs of train in the check of question 2.5.
TRAIN_RUNS = ((3, 20, 80, 0.05, 12), (2, 15, 81, 0.02, 7))


@question("2.5", name="train", points=2, title="gradient descent with many features",
          requires=("2.1", "2.2"))
def check_train(answer):
    loop = ("for each epoch: Y_hat = forward(X, W, b); costs.append(nnlib.losses.mse(Y_hat, "
            "Y)); dW, db = gradients(X, Y, Y_hat); W = W - learning_rate * dW; "
            "b = b - learning_rate * db")
    for n_x, m, seed, lr, epochs in TRAIN_RUNS:
        X, _, _, Y = _data(n_x, m, seed)
        ref_W, ref_b, ref_costs = reference_train(X, Y, lr, epochs)
        W, b, costs = unpack(answer(X, Y, lr, epochs), ("W", "b", "costs"), "train",
                             expected=(ref_W, ref_b, ref_costs))
        costs = per_epoch(costs, epochs, loop)
        ignores_learning_rate(costs, lr, lambda a: reference_train(X, Y, a, epochs)[2], loop)
        _, _, later = reference_train(X, Y, lr, epochs + 1)
        compare(costs, ref_costs, "costs", show_values=False, mistakes={
            ("costs[i] should be the cost before the i-th update (costs[0] with W and b at "
             "zero); yours are the costs after each update.", loop): later[1:]})
        compare(W, ref_W, f"W after {epochs} epochs", transpose_hint="W has shape (n_x, 1).",
                show_values=False)
        compare(b, ref_b, f"b after {epochs} epochs", show_values=False)
    return [f"W, b and the costs of {len(TRAIN_RUNS)} runs (other data, α and epochs each time)"]
