"""Exercise 1: linear regression with one feature, ŷ = w x + b (exercises/solutions/01_*).

x and y have shape (1, m), one example per column; w and b are numbers; the cost is the mean
squared error J = (1/m) Σ (y_i − ŷ_i)².
"""

from __future__ import annotations

import numpy as np

from ... import datasets, losses
from ..diagnose import Mistake, compare, compare_scalar, describe_type, gradient_report, \
    ignores_learning_rate, number, numerical_gradient, per_epoch, unpack
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
    return number(value, name)


# -- 1.1 ------------------------------------------------------------------------------------------

@question("1.1", name="predict", points=2, title="the forward pass ŷ = w x + b")
def check_predict(answer):
    cases = [(5, 1.5, -0.5, np.float64), (8, -2.0, 3.0, np.float64), (6, 0.7, 0.2, np.float32)]
    formula = "ŷ = w x + b: w multiplies x, then b is added (predict(x, w, b) returns w * x + b)."
    for seed, (m, w, b, dtype) in enumerate(cases):
        x, _ = _line(m, seed, dtype)
        x64 = x.astype(np.float64)
        compare(answer(x, w, b), w * x64 + b, "ŷ", m=m, transpose_hint=(
            "ŷ has one prediction per example, in a row (1, m) like x."), mistakes={
            ("the bias b is missing: nothing is added after w x.", formula): w * x64,
            ("w and b are swapped: b multiplies x, and w is added.", formula): b * x64 + w,
            ("b is inside the product: you computed w (x + b) = w x + w b.", formula):
                w * (x64 + b),
            ("w is missing: x is not multiplied by anything.", formula): x64 + b,
        })
    return ["ŷ has the shape (1, m) of x", "values on 3 seeded inputs (one in float32)"]


# -- 1.2 ------------------------------------------------------------------------------------------

def mse_mistakes(y_hat, y, formula):
    """{(feedback, hint): the J that mistake gives} for the usual slips in the mean squared
    error of ``y_hat`` and ``y`` (1, m); ``formula`` is the hint. (Exercise 0 uses them too.)"""
    m = y.shape[1]
    diff = y - y_hat
    return {
        ("you divided by 2m; the lecture's cost has no 1/2 in front.", formula):
            np.sum(diff ** 2) / (2 * m),
        ("the differences are not squared, so positive and negative errors cancel.",
         formula): np.mean(diff),
        ("that is the mean absolute error (1/m) Σ |y − ŷ|: the differences should be "
         "squared, not made positive.", formula): np.mean(np.abs(diff)),
        ("you took the square root (that is the RMSE); J is the mean of the squares "
         "itself.", formula): np.sqrt(np.mean(diff ** 2)),
        ("J is divided by m − 1; the cost is the mean over the m examples.", formula):
            np.sum(diff ** 2) / (m - 1),
    }


@question("1.2", name="compute_cost", points=2, title="the cost J = (1/m) Σ (y − ŷ)²")
def check_cost(answer):
    formula = "J = (1/m) Σ (y − ŷ)², e.g. np.mean((y - y_hat) ** 2)."
    for seed, m in enumerate((6, 9)):
        x, y = _line(m, 10 + seed)
        y_hat = 2.0 * x - 0.5
        compare_scalar(answer(y_hat, y), losses.mse(y_hat, y), "J", m=m,
                       mistakes=mse_mistakes(y_hat, y, formula))
    return ["J is one number", "values on 2 seeded inputs"]


# -- 1.3 ------------------------------------------------------------------------------------------

@question("1.3", name="compute_gradients", points=3, title="the gradients dJ/dw and dJ/db")
def check_gradients(answer):
    passed = []
    dw_formula = "dJ/dw = −(2/m) Σ x_i (y_i − ŷ_i): -2 / m * np.sum(x * (y - y_hat))"
    db_formula = "dJ/db = −(2/m) Σ (y_i − ŷ_i): -2 / m * np.sum(y - y_hat)"
    for seed, (m, w, b) in enumerate(((7, 0.5, 0.3), (11, -1.2, 2.0))):
        x, y = _line(m, 20 + seed)
        theta = np.array([w, b])

        def cost():
            return losses.mse(theta[0] * x + theta[1], y)

        numeric = numerical_gradient(cost, theta)  # the gradient check: centred differences
        y_hat = w * x + b
        dw, db = unpack(answer(x, y, y_hat), ("dw", "db"), "compute_gradients",
                        expected=(numeric[0], numeric[1]), rtol=1e-5)
        got = {"dw": np.asarray(_number(dw, "dw")), "db": np.asarray(_number(db, "db"))}
        expected = {"dw": numeric[0], "db": numeric[1]}
        outside = ("x is outside the sum (as on the lecture's slides, here with x = {}): each "
                   "example's x_i must multiply its own error, inside the sum.")
        residual_sum = np.sum(y - y_hat)
        passed = gradient_report(got, expected, m=m, hints={
            "dw": {("it is dJ/db: the x_i is missing from the sum.", dw_formula): numeric[1],
                   (outside.format("the mean of x"), dw_formula):
                       -(2 / m) * np.mean(x) * residual_sum,
                   (outside.format("Σ x_i"), dw_formula): -(2 / m) * np.sum(x) * residual_sum},
            "db": {("it is dJ/dw: db has no x_i in its sum.", db_formula): numeric[0]},
        })
    return [f"{', '.join(passed)} against a gradient check (centred differences of J) on 2 "
            "seeded inputs"]


# -- 1.4 ------------------------------------------------------------------------------------------

@question("1.4", name="update", points=2, title="one step of gradient descent")
def check_update(answer):
    for w, b, dw, db, lr in ((0.5, -0.2, 1.3, -0.4, 0.1), (-1.0, 2.0, -0.6, 0.9, 0.05)):
        right_w, right_b = w - lr * dw, b - lr * db
        new_w, new_b = unpack(answer(w, b, dw, db, lr), ("w", "b"), "update",
                              expected=(right_w, right_b))
        rule_w, rule_b = "w ← w − α dJ/dw: w - learning_rate * dw", \
            "b ← b − α dJ/db: b - learning_rate * db"
        flipped = "the sign is flipped: that step goes uphill; gradient descent steps against " \
                  "the gradient."
        compare_scalar(_number(new_w, "the new w"), right_w, "the new w", mistakes={
            (flipped, rule_w): w + lr * dw,
            ("the learning rate α is missing from the step.", rule_w): w - dw,
            ("you used dJ/db to update w.", rule_w): w - lr * db,
            ("it divides by the learning rate instead of multiplying.", rule_w): w - dw / lr,
        })
        compare_scalar(_number(new_b, "the new b"), right_b, "the new b", mistakes={
            (flipped, rule_b): b + lr * db,
            ("the learning rate α is missing from the step.", rule_b): b - db,
            ("you used dJ/dw to update b.", rule_b): b - lr * dw,
            ("it divides by the learning rate instead of multiplying.", rule_b): b - db / lr,
        })
    return ["w and b after one step, on 2 examples"]


# -- 1.5 ------------------------------------------------------------------------------------------

def reference_train(x, y, w, b, learning_rate, epochs, path=None):
    """The training loop of question 1.5: costs[i] is J before the i-th update. ``path``: a
    list to which (w, b) before each update is appended."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    m = x.shape[1]
    costs = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            y_hat = w * x + b
            costs.append(losses.mse.raw(y_hat, y))  # may overflow: 1.6 tries any α
            if path is not None:
                path.append((w, b))
            dw = float(-2 / m * np.sum(x * (y - y_hat)))
            db = float(-2 / m * np.sum(y - y_hat))
            w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b, costs


#: (m, seed, w, b, learning_rate, epochs) of the runs of train in the check of question 1.5:
#: every argument changes from one run to the next, so a train that ignores one is caught.
TRAIN_RUNS = ((12, 30, 0.8, -1.5, 0.1, 15), (9, 31, -2.0, 3.0, 0.05, 8))


@question("1.5", name="train", points=3, title="the training loop",
          requires=("1.1", "1.2", "1.3", "1.4"))
def check_train(answer):
    loop = ("for each epoch: y_hat = predict(x, w, b); costs.append(compute_cost(y_hat, y)); "
            "dw, db = compute_gradients(x, y, y_hat); w, b = update(w, b, dw, db, "
            "learning_rate).")
    for m, seed, w0, b0, lr, epochs in TRAIN_RUNS:
        x, y = _line(m, seed)
        ref_w, ref_b, ref_costs = reference_train(x, y, w0, b0, lr, epochs)
        w, b, costs = unpack(answer(x, y, w0, b0, lr, epochs), ("w", "b", "costs"), "train",
                             expected=(ref_w, ref_b, ref_costs))
        costs = per_epoch(costs, epochs, loop)
        _, _, from_zero = reference_train(x, y, 0.0, 0.0, lr, epochs)
        if np.allclose(costs, from_zero, rtol=1e-6):
            raise Mistake(f"train ignores the w and b it is given: called with w = {w0:g} and "
                          f"b = {b0:g}, it starts from 0 (costs[0] is the cost of w = 0, b = 0).",
                          "Start the loop from the arguments w and b; do not set them to 0 "
                          "inside train.")
        ignores_learning_rate(costs, lr, lambda a: reference_train(x, y, w0, b0, a, epochs)[2],
                              "Pass the argument learning_rate to update.")
        _, _, later = reference_train(x, y, w0, b0, lr, epochs + 1)
        compare(costs, ref_costs, "costs", show_values=False, mistakes={
            ("costs[i] should be the cost before the i-th update (costs[0] with the w and b "
             "passed in); yours are the costs after each update.", loop): later[1:],
        })
        compare_scalar(_number(w, "w"), ref_w, f"w after {epochs} epochs")
        compare_scalar(_number(b, "b"), ref_b, f"b after {epochs} epochs")
    return [f"w, b and the costs of {len(TRAIN_RUNS)} runs (other data, start, α and epochs "
            "each time)"]


# -- 1.6 ------------------------------------------------------------------------------------------

def house_data():
    """The data of exercise 1: x = standardised lot size (1, 546), y = price in 1000 CAD."""
    X, Y = datasets.house_prices(["lotsize"])
    x, _, _ = datasets.standardize(X)
    return x, Y / 1000.0


def _overshoots(path, best):
    """True if w jumps from one side of its best value to the other at (nearly) every step."""
    offsets = np.array([w for w, _ in path]) - best
    offsets = offsets[np.abs(offsets) > 1e-12 * max(1.0, abs(best))]
    if offsets.size < 3:
        return False
    return bool(np.mean(np.sign(offsets[1:]) != np.sign(offsets[:-1])) > 0.5)


@question("1.6", name="learning_rate", points=2, kind="value",
          title="a learning rate that converges")
def check_learning_rate(answer):
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        raise Mistake(f"learning_rate should be one positive number, got {describe_type(answer)}.")
    alpha = float(answer)
    if not np.isfinite(alpha) or alpha <= 0:
        raise Mistake(f"learning_rate should be a positive number, got {alpha:g}: with α ≤ 0 "
                      "the update w ← w − α dJ/dw does not step downhill.")
    # What the learner's own train gives on the notebook's data, from w = 0, b = 0.
    x, y = house_data()
    path = []
    w, b, costs = reference_train(x, y, 0.0, 0.0, alpha, EPOCHS, path=path)
    with np.errstate(over="ignore", invalid="ignore"):
        final = losses.mse.raw(w * x + b, y)
    costs = np.asarray(costs + [final])
    slope, intercept = np.polyfit(x.ravel(), y.ravel(), 1)
    best = losses.mse(slope * x + intercept, y)
    start = costs[0]
    # A cost that moves by less than 1e-9 of itself over 50 epochs does not move: rounding
    # (about 1e-16 per operation, a few hundred operations per epoch) stays far below that.
    if np.all(np.isfinite(costs)) and abs(final - start) <= 1e-9 * start:
        raise Mistake(
            f"with α = {alpha:g} the cost does not fall: it stays at {start:.4g} (1000 CAD)² for "
            f"all {EPOCHS} epochs. Each step jumps from one side of the minimum to the other, "
            "landing exactly as far from it as it started: α is too large, right on the edge "
            "between falling and growing. Try a smaller one.",
            "Halve α and run your train again: the cost should then fall at every epoch.")
    if not np.isfinite(final) or final > start:
        grown = (f"to {final:.3g} in {EPOCHS} epochs" if np.isfinite(final) else
                 f"until it overflows to inf within {EPOCHS} epochs")
        raise Mistake(
            f"with α = {alpha:g} the cost grows instead of falling, from {start:.4g} (1000 CAD)² "
            f"{grown}: α is too large, so each step overshoots the minimum "
            "and lands further up the other side. Try a smaller one.",
            "Divide α by 10, then adjust: the cost must fall at every epoch.")
    if np.any(np.diff(costs) > 1e-9 * costs[:-1]):
        raise Mistake(f"with α = {alpha:g} the cost rises at some epochs: α is too large. Try a "
                      "smaller one.")
    excess = (final - best) / best
    if excess > TOLERANCE:
        if _overshoots(path, slope):
            raise Mistake(
                f"with α = {alpha:g} the cost falls, but slowly: after {EPOCHS} epochs it is still "
                f"{100 * excess:.0f}% above its minimum, because every step overshoots, w jumps "
                "from one side of its best value to the other and only slowly closes in. α is "
                "too large: try a smaller one.",
                "Plot w after each epoch: it zig-zags. A smaller α zig-zags less.")
        raise Mistake(
            f"with α = {alpha:g} the cost falls, but after {EPOCHS} epochs it is still "
            f"{100 * excess:.0f}% above its minimum: α is too small, the steps are tiny. Try a "
            "larger one.", "Multiply α by 10, then adjust.")
    return ["the cost falls at every epoch",
            f"after {EPOCHS} epochs J is within {100 * TOLERANCE:g}% of its minimum"]
