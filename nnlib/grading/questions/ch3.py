"""Exercise 3: logistic regression (exercises/solutions/03_logistic_regression.ipynb).

Convention of this exercise: the slides'. dZ = A − Y (per example, no 1/m), and the 1/m of the
averaged cost appears in dW = (1/m) X dZᵀ and db = (1/m) Σ dZ. (nnlib's core carries the 1/m
inside dZ instead; dW and db are the same numbers either way, which is why the checks can use
finite differences of J as the reference.)

Shapes: X (n_x, m), w (n_x, 1), b (1, 1), A = σ(wᵀX + b) (1, m), Y (1, m).
"""

from __future__ import annotations


import numpy as np

from ... import activations, datasets, losses
from ..diagnose import (Mistake, call_recording_warnings, compare, compare_scalar,
                        gradient_report, numerical_gradient, require_vectorised)
from ..registry import question

# -- references -----------------------------------------------------------------------------------


def ref_sigmoid(Z):
    return activations.sigmoid(np.asarray(Z, dtype=np.float64))


def ref_cost(A, Y):
    """−(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)], ŷ clipped away from 0 and 1 (nnlib's)."""
    return losses.binary_cross_entropy(np.asarray(A, np.float64), np.asarray(Y, np.float64))


def ref_backward(X, A, Y):
    """The slides' convention: dZ = A − Y, dW = (1/m) X dZᵀ, db = (1/m) Σ dZ."""
    m = X.shape[1]
    dZ = A - Y
    return X @ dZ.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def ref_train(X, Y, learning_rate, epochs):
    """Gradient descent from w = 0, b = 0; costs[i] is J before update i."""
    w, b = np.zeros((X.shape[0], 1)), np.zeros((1, 1))
    costs = []
    for _ in range(epochs):
        A = ref_sigmoid(w.T @ X + b)
        costs.append(ref_cost(A, Y))
        dW, db = ref_backward(X, A, Y)
        w = w - learning_rate * dW
        b = b - learning_rate * db
    return w, b, costs


def challenger_reference():
    """P(O-ring failure at 31 °F) of the maximum-likelihood logistic regression on the 23
    flights (Newton's method on standardised temperatures, converged to machine precision)."""
    X, Y = datasets.challenger()
    Xs, mean, std = datasets.standardize(X)
    F = np.vstack([Xs, np.ones_like(Xs)])  # (2, m): w and b together
    theta = np.zeros((2, 1))
    for _ in range(50):
        A = ref_sigmoid(theta.T @ F)
        H = (F * (A * (1 - A))) @ F.T
        theta -= np.linalg.solve(H, F @ (A - Y).T)
    z31 = theta[0, 0] * (31 - mean[0, 0]) / std[0, 0] + theta[1, 0]
    return float(ref_sigmoid(z31))


# -- seeded inputs --------------------------------------------------------------------------------


def _Z(seed=0, shape=(3, 7)):
    return np.random.default_rng(seed).normal(0, 3, size=shape)


def _AY(seed=1, m=8):
    rng = np.random.default_rng(seed)
    A = rng.uniform(0.05, 0.95, size=(1, m))
    Y = (rng.uniform(size=(1, m)) < 0.5).astype(float)
    Y[0, :2] = [0.0, 1.0]  # both classes present
    return A, Y


def _XAY(seed=2, n=3, m=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    w = rng.normal(size=(n, 1))
    b = rng.normal(size=(1, 1))
    A = ref_sigmoid(w.T @ X + b)
    Y = np.tile([0.0, 1.0, 1.0], m // 3 + 1)[:m].reshape(1, m)
    return X, w, b, A, Y


def _float_array(value, name):
    """A float array from the learner's answer (compare's own type checks first)."""
    from ..diagnose import as_array
    return as_array(value, name)


# -- 3.1 the sigmoid ------------------------------------------------------------------------------


@question("3.1", name="sigmoid", points=2, title="A numerically stable sigmoid")
def check_sigmoid(answer):
    passed = []
    Z = _Z()
    got, _ = call_recording_warnings(answer, Z)
    compare(got, ref_sigmoid(Z), "sigmoid(Z)", transpose_hint="g acts on each entry of Z: "
            "return an array of Z's shape.", mistakes={
                "it gives 1 / (1 + e^z): the sign of the exponent is flipped. σ(z) = "
                "1 / (1 + e^(−z)), so σ(0) = 0.5 and σ(z) → 1 for large z.": 1 / (1 + np.exp(Z)),
            })
    passed.append("σ(Z) on a seeded (3, 7) array")

    big = np.array([[-1e4, -1000.0, -50.0, 0.0, 50.0, 1000.0, 1e4]])
    got, warned = call_recording_warnings(answer, big)
    got = _float_array(got, "sigmoid(Z)")
    right = got.shape == big.shape and np.allclose(got, ref_sigmoid(big), atol=1e-12)
    overflow = any("overflow" in str(w.message) for w in warned)
    if overflow:
        outcome = ("the values still come out right here (1 / (1 + inf) = 0), but the equal "
                   "form e^z / (1 + e^z) would give inf / inf = nan"
                   if right else "and e^z / (1 + e^z) then gives inf / inf = nan")
        raise Mistake(
            "sigmoid(Z) overflows for |z| up to 10⁴ (the naive sigmoid): e^10000 is larger than "
            "any float, so np.exp gives inf with a RuntimeWarning (overflow encountered in exp); "
            f"{outcome}. Never exponentiate a positive number: use 1 / (1 + e^(−z)) for z ≥ 0 "
            "and e^z / (1 + e^z) for z < 0, both with E = np.exp(-np.abs(Z)). Note that "
            "np.where(condition, x, y) computes x and y for every entry before choosing, so both "
            "branches must be safe.")
    if got.shape == big.shape and not np.all(np.isfinite(got)):
        raise Mistake("sigmoid(Z) gives nan or inf for |z| up to 10⁴; σ(−10⁴) is 0 and σ(10⁴) "
                      "is 1.")
    if warned:
        raise Mistake(f"sigmoid(Z) gives a warning for |z| up to 10⁴: "
                      f"{warned[0].category.__name__}: {warned[0].message}.")
    compare(got, ref_sigmoid(big), "sigmoid(Z) for |z| up to 10⁴", rtol=1e-9)
    passed.append("no overflow and no warning for |z| up to 10⁴")

    Z32 = _Z(3).astype(np.float32)
    got, warned = call_recording_warnings(answer, Z32)
    if warned:
        raise Mistake(f"sigmoid(Z) warns for a float32 Z: {warned[0].message}.")
    compare(got, ref_sigmoid(Z32), "sigmoid(Z) for a float32 Z", rtol=1e-5)
    passed.append("a float32 Z")

    require_vectorised(answer, lambda m: (_Z(4, (2, m)),))
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 3.2 the cost ---------------------------------------------------------------------------------


def _cost_mistakes(A, Y):
    """{feedback: the value that mistake gives} for the cross-entropy's usual slips."""
    m = Y.shape[1]
    L1, L0 = np.log(A), np.log(1 - A)
    return {
        "J has the wrong sign. The cost is −(1/m) Σ [...]: each log of a probability is "
        "negative, so without the minus J is negative and gradient descent would make it worse.":
            np.sum(Y * L1 + (1 - Y) * L0) / m,
        "the (1 − y) log(1 − ŷ) term is missing (forgetting the (1 − y) term): the examples with "
        "y = 0 then add nothing to J, and predicting 1 for them is never penalised.":
            -np.sum(Y * L1) / m,
        "J is m times too large: is the 1/m missing (a sum where the mean over the m examples "
        "was meant)?": -np.sum(Y * L1 + (1 - Y) * L0),
        "missing brackets: the minus sign covers only the first term. Write "
        "−(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)], the whole sum inside the brackets.":
            -np.sum(Y * L1) / m + np.sum((1 - Y) * L0) / m,
        "missing brackets: the minus sign and the 1/m must apply to the whole sum "
        "Σ [y log ŷ + (1 − y) log(1 − ŷ)], not only to its first term.":
            -np.sum(Y * L1) / m + np.sum((1 - Y) * L0),
        "missing brackets: the 1/m must apply to the whole sum, both terms.":
            -np.sum(Y * L1) - np.sum((1 - Y) * L0) / m,
        "missing brackets around (1 − y): write (1 - Y) * np.log(1 - A), not "
        "1 - Y * np.log(1 - A).": -np.sum(Y * L1 + 1 - Y * L0) / m,
        "the second term should be (1 − y) log(1 − ŷ); it uses log ŷ instead of log(1 − ŷ).":
            -np.sum(Y * L1 + (1 - Y) * L1) / m,
        "the second term should be (1 − y) log(1 − ŷ); it uses y log(1 − ŷ).":
            -np.sum(Y * L1 + Y * L0) / m,
        "J is divided by m − 1: the cost is the mean over the m examples, divide by m.":
            -np.sum(Y * L1 + (1 - Y) * L0) / (m - 1),
    }


@question("3.2", name="cost", points=2, title="The cross-entropy cost J")
def check_cost(answer):
    passed = []
    A, Y = _AY()
    got, _ = call_recording_warnings(answer, A, Y)
    compare_scalar(got, ref_cost(A, Y), "cost(A, Y)", m=Y.shape[1], mistakes=_cost_mistakes(A, Y))
    passed.append("J on a seeded (1, 8) example")

    # A saturated sigmoid gives ŷ exactly 0 or 1: a confident right answer costs ~nothing.
    A0 = np.array([[1.0, 0.0, 0.8, 0.3]])
    Y0 = np.array([[1.0, 0.0, 1.0, 0.0]])
    got, warned = call_recording_warnings(answer, A0, Y0)
    value = got
    try:
        value = float(np.asarray(got, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        pass
    if warned or (isinstance(value, float) and not np.isfinite(value)):
        raise Mistake(
            "cost(A, Y) takes log(0) when ŷ is exactly 0 or 1, which a saturated sigmoid gives "
            "(σ(40) is 1.0 in floating point): log(0) = −inf, and 0 · log(0) is nan in NumPy. "
            "Clip ŷ away from 0 and 1 first, e.g. A = np.clip(A, 1e-15, 1 - 1e-15).")
    compare_scalar(got, ref_cost(A0, Y0), "cost(A, Y) when some ŷ are exactly 0 or 1",
                   rtol=1e-6)
    passed.append("J is finite when ŷ is exactly 0 or 1")

    got, _ = call_recording_warnings(answer, A.astype(np.float32), Y.astype(np.float32))
    compare_scalar(got, ref_cost(A, Y), "cost(A, Y) for float32 arrays", rtol=1e-4)
    passed.append("float32 arrays")

    require_vectorised(answer, lambda m: (np.full((1, m), 0.3), np.tile([[0.0, 1.0]], m // 2)))
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 3.3 backpropagation --------------------------------------------------------------------------


def _as_column_db(db):
    """db may be a float or any single-entry array for one neuron; (1, 1) for the report."""
    if isinstance(db, (int, float, np.number)) and not isinstance(db, (bool, np.bool_)):
        return np.full((1, 1), float(db))
    if isinstance(db, np.ndarray) and db.size == 1 and db.ndim <= 2:
        return db.reshape(1, 1)
    return db


@question("3.3", name="backward", points=3, title="Backpropagation: dZ = A − Y, dW and db")
def check_backward(answer):
    X, w, b, A, Y = _XAY()
    m = X.shape[1]
    out = answer(X, A, Y)
    if not isinstance(out, tuple) or len(out) != 2:
        raise Mistake("backward(X, A, Y) should return two things, dW and db "
                      "(end with `return dW, db`).")
    dW, db = out

    # the reference: finite differences of J(w, b) at the point that produced A
    w_, b_ = w.copy(), b.copy()

    def J():
        return ref_cost(ref_sigmoid(w_.T @ X + b_), Y)

    numeric = {"dW": numerical_gradient(J, w_), "db": numerical_gradient(J, b_)}
    dZ = A - Y
    hints = {
        "dW": {"it is (1/m) X dZᵀ with dZ = Y − A: is the sign flipped (dZ = A − Y)":
               X @ (Y - A).T / m,
               "it has the shape of Wᵀ, (1, n_x): did you transpose (dZ Xᵀ)? dW = (1/m) X dZᵀ "
               "has the shape of w, (n_x, 1)": (X @ dZ.T / m).T},
        "db": {"it is Σ dZ without the 1/m: is the 1/m missing (db = (1/m) Σ dZ)":
               np.sum(dZ, axis=1, keepdims=True),
               "it has one entry per example: the sum over the wrong axis (the examples are the "
               "columns: np.sum(dZ, axis=1, keepdims=True) / m)": np.sum(dZ, axis=0) / m,
               "it has one entry per example: the sum over the wrong axis (the examples are the "
               "columns: np.sum(dZ, axis=1, keepdims=True) / m).": np.sum(dZ, axis=0,
                                                                             keepdims=True) / m},
    }
    report = gradient_report({"dW": dW, "db": _as_column_db(db)}, numeric, m=m, hints=hints)
    passed = ["gradient check against finite differences of J: " + ", ".join(report)]

    def args(mm):
        Xm, _, _, Am, Ym = _XAY(5, 3, mm)
        return Xm, Am, Ym

    require_vectorised(answer, args)
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 3.4 training ---------------------------------------------------------------------------------


def _train_data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(2, 20))
    Y = (X[0:1] - 0.5 * X[1:2] + 0.3 * rng.normal(size=(1, 20)) > 0).astype(float)
    return X, Y


@question("3.4", name="train", points=2, title="Training by gradient descent")
def check_train(answer):
    X, Y = _train_data()
    learning_rate, epochs = 0.5, 30
    out = answer(X, Y, learning_rate, epochs)
    if not isinstance(out, tuple) or len(out) != 3:
        raise Mistake("train(X, Y, learning_rate, epochs) should return three things: w, b and "
                      "the list of costs (end with `return w, b, costs`).")
    w, b, costs = out
    try:
        costs = np.asarray(costs, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise Mistake("costs should be a list of numbers, one cost J per epoch.") from None
    ref_w, ref_b, ref_costs = ref_train(X, Y, learning_rate, epochs)
    if len(costs) not in (epochs, epochs + 1):
        raise Mistake(f"costs should hold one cost per epoch ({epochs} values for "
                      f"epochs={epochs}), got {len(costs)}.")
    if len(costs) > 1 and costs[-1] > costs[0]:
        raise Mistake("the cost goes up during training: is the sign of the update flipped? "
                      "Gradient descent steps against the gradient: w ← w − α dW, b ← b − α db.")
    no_b = ref_train_without_b(X, Y, learning_rate, epochs)
    try:
        compare(w, ref_w, "w", transpose_hint="w is a column (n_x, 1), like X's rows.",
                mistakes={"b never changes: the update b ← b − α db is missing, so w "
                          "compensates.": no_b})
        compare(_as_column_db(b), ref_b, "b", mistakes={
            "b is still 0: the update b ← b − α db is missing.": np.zeros((1, 1))})
    except Mistake as mistake:
        raise Mistake(f"{mistake} (After {epochs} epochs from w = 0, b = 0 with α = "
                      f"{learning_rate}. If questions 3.1 to 3.3 pass, check the order of the "
                      "steps in each epoch: forward, cost, backward, update.)") from None
    if len(costs) == epochs:
        # the notebook records J before each update (costs[0] = J(w = 0, b = 0)); nnlib's
        # History records it after each epoch: either bookkeeping is accepted
        after = ref_costs[1:] + [ref_cost(ref_sigmoid(ref_w.T @ X + ref_b), Y)]
        got_costs = costs.reshape(1, -1)
        if not np.allclose(got_costs, np.reshape(after, (1, -1)), rtol=1e-4):
            compare(got_costs, np.reshape(ref_costs, (1, -1)), "costs", show_values=False)
    return [f"w, b and the costs after {epochs} epochs from w = 0, b = 0 on a seeded (2, 20) "
            "data set"]


def ref_train_without_b(X, Y, learning_rate, epochs):
    w = np.zeros((X.shape[0], 1))
    for _ in range(epochs):
        A = ref_sigmoid(w.T @ X)
        w = w - learning_rate * ref_backward(X, A, Y)[0]
    return w


# -- 3.5 Challenger -------------------------------------------------------------------------------


@question("3.5", name="p_failure_31", points=1, kind="value",
          title="Challenger: P(O-ring failure) at 31 °F")
def check_challenger(answer):
    if isinstance(answer, (bool, np.bool_, str, bytes)):
        raise Mistake("p_failure_31 should be one number: the probability of an O-ring failure "
                      "at 31 °F.")
    try:
        p = float(np.asarray(answer, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        raise Mistake("p_failure_31 should be one number: the probability of an O-ring failure "
                      "at 31 °F (a float, or an array with a single entry).") from None
    if 1 < p <= 100:
        raise Mistake("p_failure_31 looks like a percentage: give the probability as a number "
                      "between 0 and 1 (the sigmoid's output).")
    if not 0 <= p <= 1:
        raise Mistake(f"p_failure_31 = {p:g} is not a probability: σ(z) is between 0 and 1. "
                      "Did you give z = wᵀx + b instead of ŷ = σ(z)?")
    reference = challenger_reference()
    if abs(p - reference) <= 0.005:
        return ["a probability between 0 and 1", "agrees with the converged model (within 0.005)"]
    if abs((1 - p) - reference) <= 0.005:
        raise Mistake("p_failure_31 looks like the probability of no failure: y = 1 means an "
                      "O-ring failed, and ŷ = σ(z) is P(y = 1 | x).")
    if p < 0.5:
        raise Mistake(
            "p_failure_31 is below 0.5, yet in the data the failures happened on the colder "
            "launches. If you trained on standardised temperatures, standardise 31 °F with the "
            "same mean and standard deviation before the forward pass; and train until the cost "
            "stops falling.")
    raise Mistake(
        "p_failure_31 is not yet what the fitted model gives: train until the cost stops falling "
        "(standardised temperatures let gradient descent converge in a few hundred epochs) and "
        "pass 31 °F, scaled like the training data, through the model.")
