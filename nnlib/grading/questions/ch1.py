"""Exercise 1: linear regression with one feature, ŷ = w x + b (exercises/solutions/01_*).

x and y have shape (1, m), one example per column; w and b are numbers; the cost is the mean
squared error J = (1/m) Σ (y_i − ŷ_i)².
"""

from __future__ import annotations

import numpy as np

from ... import datasets, losses
from ..diagnose import Mistake, compare, compare_scalar, describe_type, gradient_report, \
    numerical_gradient
from ..registry import question

#: Epochs of question 1.6 and how close to the minimum the cost must get.
EPOCHS = 50
TOLERANCE = 0.01


def _line(m, seed, dtype=np.float64):
    """Seeded x (1, m) and y (1, m) near a line."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.5, size=(1, m))
    y = 2.5 * x - 1.0 + rng.normal(0.0, 0.7, size=(1, m))
    return x.astype(dtype), y.astype(dtype)


def _number(value, name):
    """A learner's w, b, dw or db as a float: accepts numbers and size-1 arrays."""
    if isinstance(value, np.ndarray) and value.size == 1:
        return float(value.reshape(()))
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    raise Mistake(f"{name} should be one number, got {describe_type(value)}.")


def _pair(result, names, function):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise Mistake(f"{function} should return two values, `return {names[0]}, {names[1]}`; "
                      f"it returned {describe_type(result)}.")
    return result


# -- 1.1 ------------------------------------------------------------------------------------------

@question("1.1", name="predict", points=2, title="the forward pass ŷ = w x + b")
def check_predict(answer):
    cases = [(5, 1.5, -0.5, np.float64), (8, -2.0, 3.0, np.float64), (6, 0.7, 0.2, np.float32)]
    for seed, (m, w, b, dtype) in enumerate(cases):
        x, _ = _line(m, seed, dtype)
        expected = w * x.astype(np.float64) + b
        compare(answer(x, w, b), expected, "ŷ", m=m, transpose_hint=(
            "ŷ has one prediction per example, in a row (1, m) like x."), mistakes={
            "the bias b is missing: ŷ = w x + b.": w * x,
            "w and b are swapped: ŷ = w x + b, with w multiplying x.": b * x + w,
        })
    return ["ŷ has the shape (1, m) of x", "values on 3 seeded inputs (one in float32)"]


# -- 1.2 ------------------------------------------------------------------------------------------

@question("1.2", name="compute_cost", points=2, title="the cost J = (1/m) Σ (y − ŷ)²")
def check_cost(answer):
    for seed, m in enumerate((6, 9)):
        x, y = _line(m, 10 + seed)
        y_hat = 2.0 * x - 0.5
        diff = y - y_hat
        compare_scalar(answer(y_hat, y), losses.mse(y_hat, y), "J", m=m, mistakes={
            "you divided by 2m; the lecture's cost is J = (1/m) Σ (y − ŷ)², with no 1/2.":
                np.sum(diff ** 2) / (2 * m),
            "the differences are not squared, so positive and negative errors cancel: "
            "J = (1/m) Σ (y − ŷ)².": np.mean(diff),
            "that is the mean absolute error (1/m) Σ |y − ŷ|; square the differences instead.":
                np.mean(np.abs(diff)),
            "you took the square root (that is the RMSE); J is the mean of the squares.":
                np.sqrt(np.mean(diff ** 2)),
        })
    return ["J is one number", "values on 2 seeded inputs"]


# -- 1.3 ------------------------------------------------------------------------------------------

@question("1.3", name="compute_gradients", points=3, title="the gradients dJ/dw and dJ/db")
def check_gradients(answer):
    passed = []
    for seed, (m, w, b) in enumerate(((7, 0.5, 0.3), (11, -1.2, 2.0))):
        x, y = _line(m, 20 + seed)
        theta = np.array([w, b])

        def cost():
            return losses.mse(theta[0] * x + theta[1], y)

        numeric = numerical_gradient(cost, theta)  # the gradient check: centred differences
        y_hat = w * x + b
        dw, db = _pair(answer(x, y, y_hat), ("dw", "db"), "compute_gradients")
        got = {"dw": np.asarray(_number(dw, "dw")), "db": np.asarray(_number(db, "db"))}
        expected = {"dw": numeric[0], "db": numeric[1]}
        outside = ("x is outside the sum (as on the lecture's slides, here with x = {}): each "
                   "example's x_i multiplies its own error, dJ/dw = −(2/m) Σ x_i (y_i − ŷ_i).")
        residual_sum = np.sum(y - y_hat)
        passed = gradient_report(got, expected, m=m, hints={
            "dw": {"it is dJ/db: dJ/dw = −(2/m) Σ x_i (y_i − ŷ_i) has the x_i in the sum "
                   "(or did you return db, dw in the wrong order?).": numeric[1],
                   outside.format("the mean of x"): -(2 / m) * np.mean(x) * residual_sum,
                   outside.format("Σ x_i"): -(2 / m) * np.sum(x) * residual_sum},
            "db": {"it is dJ/dw: dJ/db = −(2/m) Σ (y_i − ŷ_i) has no x_i (or did you return "
                   "db, dw in the wrong order?).": numeric[0]},
        })
    return [f"{', '.join(passed)} against a gradient check (centred differences of J) on 2 "
            "seeded inputs"]


# -- 1.4 ------------------------------------------------------------------------------------------

@question("1.4", name="update", points=2, title="one step of gradient descent")
def check_update(answer):
    for w, b, dw, db, lr in ((0.5, -0.2, 1.3, -0.4, 0.1), (-1.0, 2.0, -0.6, 0.9, 0.05)):
        new_w, new_b = _pair(answer(w, b, dw, db, lr), ("w", "b"), "update")
        flipped = "the sign is flipped: gradient descent steps downhill, w ← w − α dJ/dw."
        compare_scalar(_number(new_w, "the new w"), w - lr * dw, "the new w", mistakes={
            flipped: w + lr * dw,
            "the learning rate α is missing: w ← w − α dJ/dw.": w - dw,
            "you used dJ/db to update w: w ← w − α dJ/dw.": w - lr * db,
        })
        compare_scalar(_number(new_b, "the new b"), b - lr * db, "the new b", mistakes={
            flipped.replace("w ← w − α dJ/dw", "b ← b − α dJ/db"): b + lr * db,
            "the learning rate α is missing: b ← b − α dJ/db.": b - db,
            "you used dJ/dw to update b: b ← b − α dJ/db.": b - lr * dw,
        })
    return ["w and b after one step, on 2 examples"]


# -- 1.5 ------------------------------------------------------------------------------------------

def reference_train(x, y, w, b, learning_rate, epochs):
    """The training loop of question 1.5: costs[i] is J before the i-th update."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    m = x.shape[1]
    costs = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            y_hat = w * x + b
            costs.append(losses.mse(y_hat, y))
            dw = float(-2 / m * np.sum(x * (y - y_hat)))
            db = float(-2 / m * np.sum(y - y_hat))
            w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b, costs


@question("1.5", name="train", points=3, title="the training loop",
          requires=("1.1", "1.2", "1.3", "1.4"))
def check_train(answer):
    x, y = _line(12, 30)
    w0, b0, lr, epochs = 0.0, 0.0, 0.1, 15
    result = answer(x, y, w0, b0, lr, epochs)
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Mistake("train should return three values, `return w, b, costs`; it returned "
                      f"{describe_type(result)}.")
    w, b, costs = result
    ref_w, ref_b, ref_costs = reference_train(x, y, w0, b0, lr, epochs)
    if not isinstance(costs, (list, tuple, np.ndarray)):
        raise Mistake(f"costs should be a list with one cost per epoch, got {describe_type(costs)}.")
    costs = np.asarray([_number(c, "each cost") for c in np.ravel(np.asarray(costs, dtype=object))])
    if costs.size != epochs:
        raise Mistake(f"costs should have one entry per epoch: {epochs} for epochs={epochs}, got "
                      f"{costs.size}. Append J once in each pass of the loop.")
    _, _, later = reference_train(x, y, w0, b0, lr, epochs + 1)
    compare(costs, ref_costs, "costs", mistakes={
        "costs[i] should be the cost before the i-th update (costs[0] with the initial w and b); "
        "yours are the costs after each update.": later[1:],
    }, show_values=False)
    compare_scalar(_number(w, "w"), ref_w, f"w after {epochs} epochs")
    compare_scalar(_number(b, "b"), ref_b, f"b after {epochs} epochs")
    return [f"w, b and the {epochs} costs of {epochs} epochs on seeded data"]


# -- 1.6 ------------------------------------------------------------------------------------------

def house_data():
    """The data of exercise 1: x = standardised lot size (1, 546), y = price in 1000 CAD."""
    X, Y = datasets.house_prices(["lotsize"])
    x, _, _ = datasets.standardize(X)
    return x, Y / 1000.0


@question("1.6", name="learning_rate", points=2, kind="value",
          title="a learning rate that converges")
def check_learning_rate(answer):
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        raise Mistake(f"learning_rate should be one positive number, got {describe_type(answer)}.")
    alpha = float(answer)
    if not np.isfinite(alpha) or alpha <= 0:
        raise Mistake(f"learning_rate should be a positive number, got {alpha:g}: with α ≤ 0 "
                      "the update w ← w − α dJ/dw does not step downhill.")
    x, y = house_data()
    _, _, costs = reference_train(x, y, 0.0, 0.0, alpha, EPOCHS)
    costs = np.asarray(costs)
    slope, intercept = np.polyfit(x.ravel(), y.ravel(), 1)
    best = losses.mse(slope * x + intercept, y)
    if not np.all(np.isfinite(costs)) or np.any(np.diff(costs) > 1e-9 * costs[:-1]):
        raise Mistake(f"with α = {alpha:g} the cost grows instead of falling: α is too large, "
                      "each step overshoots the minimum. Try a smaller one (10 times smaller, "
                      "for a start).")
    excess = (costs[-1] - best) / best
    if excess > TOLERANCE:
        raise Mistake(f"with α = {alpha:g} the cost still falls, but after {EPOCHS} epochs it is "
                      f"{100 * excess:.0f}% above its minimum: α is too small, the steps are "
                      "tiny. Try a larger one (10 times larger, for a start).")
    return ["the cost falls at every epoch",
            f"after {EPOCHS} epochs J is within {100 * TOLERANCE:g}% of its minimum"]
