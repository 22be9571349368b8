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
from ..diagnose import (Mistake, as_array, compare, compare_scalar, entries_close,
                        gradient_report, ignores_learning_rate, number, numerical_gradient,
                        per_epoch, require_vectorised, unpack)
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


# -- 3.1 the sigmoid ------------------------------------------------------------------------------

#: z where σ needs care. Below z = −709.78, e^(−z) is larger than any float: the overflowing
#: formula 1 / (1 + e^(−z)) then gives 1 / (1 + inf) = 0, although σ(z) ≈ e^z is still a float
#: (a subnormal one, down to 4.9e-324 near z = −745). That 0 is what shows the overflow, whatever
#: np.errstate says (no warning is observed: only the values the function returns).
EDGE_Z = np.array([[-1e4, -1000.0, -740.0, -720.0, -712.0, -700.0, -100.0, -40.0, -20.0, 0.0,
                    20.0, 40.0, 100.0, 712.0, 1000.0, 1e4]])
#: Each correct formula is exact to a few ulps: np.exp is within 1 ulp, and the one or two
#: additions and divisions after it add half an ulp each; the logaddexp forms multiply the
#: rounding of their exponent (|z| u ≤ 745 × 1.1e-16 = 8e-14) where σ is not 0 or 1. 1e-12 is
#: far above both and far below any formula error (the cancellation of 1 + tanh(z/2) is 3e-8
#: already at z = −20). Subnormal results have a fixed spacing of 4.9e-324: atol = 1e-321, about
#: 200 of those, tolerates their rounding and is far below σ(−720) = 2e-313.
SIGMOID_RTOL = 1e-12
SIGMOID_ATOL = 1e-321

STABLE_SIGMOID = ("Never exponentiate a positive number: E = np.exp(-np.abs(Z)) is at most 1, "
                  "and σ(z) = 1 / (1 + E) for z ≥ 0, E / (1 + E) for z < 0: "
                  "np.where(Z >= 0, 1 / (1 + E), E / (1 + E)).")


def _sigmoid_at_the_edges(got):
    """Mistake naming what goes wrong at large |z|, from the values alone."""
    got = as_array(got, "sigmoid(Z)", EDGE_Z.shape)
    if got.shape != EDGE_Z.shape:
        compare(got, ref_sigmoid(EDGE_Z), "sigmoid(Z) for |z| up to 10⁴")
    ref = ref_sigmoid(EDGE_Z)[0]
    good = entries_close(got[0], [ref], SIGMOID_RTOL, SIGMOID_ATOL)
    if good.all():
        return
    z, v = EDGE_Z[0], got[0]
    bad = ~good
    listed = ", ".join(f"{value:g}" for value in z[bad][:4])
    if np.any(np.isnan(v[bad])):
        where = z[bad & np.isnan(v)]
        sign = "positive" if np.all(where > 0) else "negative" if np.all(where < 0) else "large"
        raise Mistake(
            f"sigmoid(Z) gives nan for z = {', '.join(f'{w:g}' for w in where[:3])}: for {sign} z "
            "beyond about 709.78, an exponential in your formula is larger than any float (inf), "
            "and inf / inf = nan. Look at which exponent can become large.", STABLE_SIGMOID)
    tiny = (z < -709.78) & (ref > SIGMOID_ATOL)       # σ is a (subnormal) float, e^(-z) is inf
    moderate = (z >= -709.78) & (z < 0) & (ref > 0)
    if np.all(v[tiny & bad] == 0) and np.any(tiny & bad) and np.all(good[moderate]):
        raise Mistake(
            f"sigmoid(Z) overflows: for z = {', '.join(f'{w:g}' for w in z[tiny & bad])} it gives "
            "0, yet σ(z) ≈ e^z is still a float there (σ(−712) ≈ 6.1e-310). e^(−z) is larger "
            "than any float for z < −709.78, so np.exp gives inf and 1 / (1 + inf) = 0: the "
            "overflow happened (np.errstate can silence the warning, not the lost value). Look "
            "at which exponent can become large.", STABLE_SIGMOID)
    lost = moderate & bad & (v == 0)
    if np.any(lost):
        raise Mistake(
            f"sigmoid(Z) gives 0 already for z = {', '.join(f'{w:g}' for w in z[lost][:3])}, "
            f"where σ(z) is a small but ordinary float (σ(−40) ≈ 4.2e-18): your formula subtracts "
            "two numbers close to 1 (1 + tanh(z/2), or 1 − σ(−z)), and every digit cancels. Compute "
            "the small values directly, as e^z / (1 + e^z) for z < 0.", STABLE_SIGMOID)
    if np.all(good[np.abs(z) <= 100]):
        raise Mistake(
            f"sigmoid(Z) is wrong for z = {listed}: right for moderate z but not at large |z| "
            "(σ(−1000) is 0 in floating point and σ(−712) ≈ 6.1e-310). Clipping z changes σ "
            "there; compute it without clipping.", STABLE_SIGMOID)
    raise Mistake(f"sigmoid(Z) is wrong for z = {listed}.", STABLE_SIGMOID)


@question("3.1", name="sigmoid", points=2, title="A numerically stable sigmoid")
def check_sigmoid(answer):
    passed = []
    Z = _Z()
    compare(answer(Z), ref_sigmoid(Z), "sigmoid(Z)", transpose_hint="g acts on each entry of Z: "
            "return an array of Z's shape.", mistakes={
                ("the sign of the exponent is flipped: it gives 1 / (1 + e^z), which is "
                 "1 − σ(z) (σ(0) = 0.5 still, but σ(z) → 0 for large z).",
                 "σ(z) = 1 / (1 + e^(−z)), so σ(z) → 1 for large z."): 1 / (1 + np.exp(Z)),
                ("it gives e^(−z) / (1 + e^(−z)), which is 1 − σ(z).",
                 "σ(z) = 1 / (1 + e^(−z)) = e^z / (1 + e^z)."): np.exp(-Z) / (1 + np.exp(-Z)),
            })
    passed.append("σ(Z) on a seeded (3, 7) array")

    _sigmoid_at_the_edges(answer(EDGE_Z))
    passed.append("right to full precision for |z| up to 10⁴, tiny values included (no "
                  "overflow)")

    Z32 = _Z(3).astype(np.float32)
    compare(answer(Z32), ref_sigmoid(Z32), "sigmoid(Z) for a float32 Z", rtol=1e-5)
    passed.append("a float32 Z")

    require_vectorised(answer, lambda m: (_Z(4, (2, m)),))
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 3.2 the cost ---------------------------------------------------------------------------------

COST = ("J = -(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)]: "
        "-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m, after A = np.clip(A, eps, 1 - eps).")

#: The largest clipping ε the task allows (the notebook says "at most 1e-6"). Any ε from 1e-16
#: (so that 1 − ε is still below 1 in float64) to this one is a right answer.
EPS_MAX = 1e-6


def _cost_mistakes(A, Y):
    """{(feedback, hint): the value that mistake gives} for the cross-entropy's usual slips."""
    m = Y.shape[1]
    L1, L0 = np.log(A), np.log(1 - A)
    return {
        ("J has the wrong sign: each log of a probability is negative, so without the minus in "
         "front J is negative and gradient descent would make it worse.", COST):
            np.sum(Y * L1 + (1 - Y) * L0) / m,
        ("the (1 − y) log(1 − ŷ) term is missing: the examples with y = 0 then add nothing to J, "
         "and predicting 1 for them is never penalised.", COST): -np.sum(Y * L1) / m,
        ("J is m times too large: is the 1/m missing (a sum where the mean over the m examples "
         "was meant)?", COST): -np.sum(Y * L1 + (1 - Y) * L0),
        ("missing brackets: the minus sign covers only the first term; it must apply to the "
         "whole sum.", COST): -np.sum(Y * L1) / m + np.sum((1 - Y) * L0) / m,
        ("missing brackets: the minus sign and the 1/m apply only to the first term, not to the "
         "whole sum.", COST): -np.sum(Y * L1) / m + np.sum((1 - Y) * L0),
        ("missing brackets: the 1/m applies to one term only, not to the whole sum.", COST):
            -np.sum(Y * L1) - np.sum((1 - Y) * L0) / m,
        ("missing brackets around (1 − y): 1 - Y * log(1 − ŷ) is not (1 − y) log(1 − ŷ).", COST):
            -np.sum(Y * L1 + 1 - Y * L0) / m,
        ("the second term uses log ŷ where log(1 − ŷ) belongs.", COST):
            -np.sum(Y * L1 + (1 - Y) * L1) / m,
        ("the second term uses y where (1 − y) belongs.", COST): -np.sum(Y * L1 + Y * L0) / m,
        ("J is divided by m − 1: the cost is the mean over the m examples.", COST):
            -np.sum(Y * L1 + (1 - Y) * L0) / (m - 1),
        ("y and ŷ are swapped inside the logs.", COST): -np.sum(A * np.log(np.clip(Y, 1e-15, 1))
                                                       + (1 - A) * np.log(np.clip(1 - Y, 1e-15, 1))) / m,
    }


def _clip_epsilon(excess, m, count, kind):
    """The ε that a learner's clipping must have used to give J ``excess`` above the unclipped
    value: ``count`` entries each contribute −log(1 − ε)/m (ŷ at 0 or 1, y agrees, kind
    "right") or −log(ε)/m (y disagrees, kind "wrong")."""
    per_entry = excess * m / count
    if kind == "right":
        return -np.expm1(-per_entry)
    return float(np.exp(-per_entry))


@question("3.2", name="cost", points=2, title="The cross-entropy cost J")
def check_cost(answer):
    passed = []
    A, Y = _AY()
    compare_scalar(answer(A, Y), ref_cost(A, Y), "cost(A, Y)", m=Y.shape[1],
                   mistakes=_cost_mistakes(A, Y))
    passed.append("J on a seeded (1, 8) example")

    clip = ("Clip ŷ into [ε, 1 − ε] before the logs, with a small ε (at most 1e-6): "
            "A = np.clip(A, 1e-15, 1 - 1e-15).")
    # A saturated sigmoid gives ŷ exactly 0 or 1. Where y agrees, the exact cost of that example
    # is 0 (0 · log 0 counts as 0); clipping with ε adds −log(1 − ε) ≈ ε each. So any ε ≤ EPS_MAX
    # gives J between J_exact and J_exact + count · (−log(1 − EPS_MAX)) / m; rounding (a few
    # 1e-16 of J) is far below that band.
    A0 = np.array([[1.0, 0.0, 0.8, 0.3]])
    Y0 = np.array([[1.0, 0.0, 1.0, 0.0]])
    m0, count = Y0.shape[1], 2
    exact = -(np.log(0.8) + np.log(0.7)) / m0
    band = count * -np.log1p(-EPS_MAX) / m0
    got = answer(A0, Y0)
    value = got
    try:
        value = number(got, "cost(A, Y)")
    except Mistake:
        compare_scalar(got, exact, "cost(A, Y) when some ŷ are exactly 0 or 1")
    if not np.isfinite(value):
        raise Mistake(
            f"cost(A, Y) is {value} when some ŷ are exactly 0 or 1, which a saturated sigmoid "
            "gives (σ(40) is 1.0 in floating point): log(0) = −inf, and 0 · log(0) is nan in "
            "NumPy. Keep ŷ away from exactly 0 and 1 before taking logs.", clip)
    if not (exact - 1e-12 <= value <= exact + band + 1e-12):
        if value > exact + band:
            eps = _clip_epsilon(value - exact, m0, count, "right")
            raise Mistake(
                f"cost(A, Y) is too large when some ŷ are exactly 0 or 1 and y agrees (their "
                f"exact cost is 0): as if ŷ were clipped with ε ≈ {eps:.1g}. A clipping ε larger "
                "than 1e-6 changes J; the task asks for a small one, at most 1e-6.", clip)
        compare_scalar(value, exact, "cost(A, Y) when some ŷ are exactly 0 or 1",
                       mistakes=_cost_mistakes(np.clip(A0, 1e-15, 1 - 1e-15), Y0))
        raise Mistake("cost(A, Y) is wrong when some ŷ are exactly 0 or 1 (where y agrees, that "
                      "example costs nothing).", clip)
    passed.append("J is right when ŷ is exactly 0 or 1 (any clipping ε up to 1e-6)")

    # A confidently wrong prediction: ŷ = 0 where y = 1. Its exact cost is +inf; clipped with
    # ε ≤ EPS_MAX it is −log(ε) ≥ −log(EPS_MAX) = 13.8 per example: finite, and at least that.
    A1 = np.array([[0.0, 1.0, 0.7]])
    Y1 = np.array([[1.0, 0.0, 1.0]])
    value = number(answer(A1, Y1), "cost(A, Y)")
    least = (2 * -np.log(EPS_MAX) - np.log(0.7)) / 3
    if not np.isfinite(value):
        raise Mistake(
            f"cost(A, Y) is {value} when a prediction is confidently wrong (ŷ exactly 0 where "
            "y = 1): log(0) = −inf. J must stay finite so that training can go on: keep ŷ away "
            "from exactly 0 and 1 before taking logs.", clip)
    if value < least * (1 - 1e-9):
        raise Mistake(
            "cost(A, Y) is too small when a prediction is confidently wrong (ŷ exactly 0 where "
            f"y = 1): as if ŷ were clipped with ε ≈ "
            f"{_clip_epsilon(value + np.log(0.7) / 3, 3, 2, 'wrong'):.1g}. The task asks for a "
            "small ε, at most 1e-6, so that a confident mistake costs a lot.", clip)
    passed.append("J is finite (and large) when a prediction is confidently wrong")

    compare_scalar(answer(A.astype(np.float32), Y.astype(np.float32)), ref_cost(A, Y),
                   "cost(A, Y) for float32 arrays", rtol=1e-4)
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


BACKWARD = ("dZ = A − Y; dW = (1/m) X dZᵀ: X @ dZ.T / m; "
            "db = (1/m) Σ dZ: np.sum(dZ, axis=1, keepdims=True) / m")


@question("3.3", name="backward", points=3, title="Backpropagation: dZ = A − Y, dW and db")
def check_backward(answer):
    X, w, b, A, Y = _XAY()
    m = X.shape[1]

    # the reference: finite differences of J(w, b) at the point that produced A
    w_, b_ = w.copy(), b.copy()

    def J():
        return ref_cost(ref_sigmoid(w_.T @ X + b_), Y)

    numeric = {"dW": numerical_gradient(J, w_), "db": numerical_gradient(J, b_)}
    dW, db = unpack(answer(X, A, Y), ("dW", "db"), "backward",
                    expected=(numeric["dW"], numeric["db"]), rtol=1e-5)
    dZ = A - Y
    hints = {
        "dW": {("it is (1/m) X dZᵀ with dZ = Y − A: the sign is flipped.", BACKWARD):
               X @ (Y - A).T / m,
               ("it has the shape of Wᵀ, (1, n_x): dZ Xᵀ is the transpose of the product "
                "asked for, which has the shape of w, (n_x, 1).", BACKWARD): (X @ dZ.T / m).T,
               ("the 1/m is missing.", BACKWARD): X @ dZ.T},
        "db": {("the 1/m is missing.", BACKWARD): np.sum(dZ, axis=1, keepdims=True),
               ("it has one entry per example: the sum over the examples (the columns) is "
                "missing.", BACKWARD): dZ / m,
               ("the sum ran over the wrong axis: the examples are the columns, axis=1.",
                BACKWARD): np.sum(dZ, axis=0) / m},
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


def _train_data(seed=7, n=2, m=20):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    Y = (X[0:1] - 0.5 * X[1:2] + 0.3 * rng.normal(size=(1, m)) > 0).astype(float)
    return X, Y


#: (seed, n_x, m, learning_rate, epochs) of the runs of train in the check of question 3.4.
TRAIN_RUNS = ((7, 2, 20, 0.5, 30), (8, 3, 16, 0.2, 12))

TRAIN_LOOP = ("for each epoch: A = sigmoid(w.T @ X + b); costs.append(cost(A, Y)); "
              "dW, db = backward(X, A, Y); w = w - learning_rate * dW; "
              "b = b - learning_rate * db")


@question("3.4", name="train", points=2, title="Training by gradient descent",
          requires=("3.1", "3.2", "3.3"))
def check_train(answer):
    for seed, n_x, m, learning_rate, epochs in TRAIN_RUNS:
        X, Y = _train_data(seed, n_x, m)
        ref_w, ref_b, ref_costs = ref_train(X, Y, learning_rate, epochs)
        w, b, costs = unpack(answer(X, Y, learning_rate, epochs), ("w", "b", "costs"), "train",
                             expected=(ref_w, ref_b, ref_costs))
        costs = per_epoch(costs, epochs, TRAIN_LOOP)
        if costs[-1] > costs[0]:
            raise Mistake("the cost goes up during training: is the sign of the update "
                          "flipped? Gradient descent steps against the gradient.", TRAIN_LOOP)
        ignores_learning_rate(costs, learning_rate,
                              lambda a: ref_train(X, Y, a, epochs)[2], TRAIN_LOOP)
        no_b = ref_train_without_b(X, Y, learning_rate, epochs)
        try:
            compare(w, ref_w, "w", transpose_hint="w is a column (n_x, 1), like X's rows.",
                    show_values=False, mistakes={
                        ("b never changes, so w compensates: the update of b is missing.",
                         TRAIN_LOOP): no_b})
            compare(_as_column_db(b), ref_b, "b", show_values=False, mistakes={
                ("b is still 0: the update of b is missing.", TRAIN_LOOP): np.zeros((1, 1))})
        except Mistake as mistake:
            raise Mistake(f"{mistake} (After {epochs} epochs from w = 0, b = 0 with α = "
                          f"{learning_rate}. If questions 3.1 to 3.3 pass, check the order of the "
                          "steps in each epoch: forward, cost, backward, update.)",
                          mistake.hint or TRAIN_LOOP) from None
        after = ref_costs[1:] + [ref_cost(ref_sigmoid(ref_w.T @ X + ref_b), Y)]
        compare(costs, ref_costs, "costs", show_values=False, mistakes={
            ("costs[i] should be the cost before the i-th update (costs[0] is the cost of "
             "w = 0, b = 0); yours are the costs after each update.", TRAIN_LOOP): after})
    return [f"w, b and the costs of {len(TRAIN_RUNS)} runs from w = 0, b = 0 (other data, α and "
            "epochs each time)"]


def ref_train_without_b(X, Y, learning_rate, epochs):
    w = np.zeros((X.shape[0], 1))
    for _ in range(epochs):
        A = ref_sigmoid(w.T @ X)
        w = w - learning_rate * ref_backward(X, A, Y)[0]
    return w


# -- 3.5 Challenger -------------------------------------------------------------------------------

#: The notebook's recipe: standardised temperatures, w = 0, b = 0, 1000 epochs with α = 0.5.
RECIPE = {"learning_rate": 0.5, "epochs": 1000}
#: How far (in log-odds z = log(p / (1 − p))) the learner's p may be from the model's: 0.05 is
#: 5 % in the odds. The recipe's model and the fully converged one agree to 1e-8 in z; a
#: learner who copies the printed p to 4 decimals (0.9996) is 0.02 away.
LOGIT_TOLERANCE = 0.05


def _logit(p):
    with np.errstate(divide="ignore"):
        return float(np.log(p) - np.log1p(-p))


def challenger_slips():
    """{feedback: the p_failure_31 that slip gives} for the notebook's trained model, from the
    learner's own pipeline on the real 23 flights: what each usual mistake really gives."""
    X, Y = datasets.challenger()
    x, mean, std = datasets.standardize(X)
    w, b, _ = ref_train(x, Y, **RECIPE)
    w, b, mean, std = float(w[0, 0]), float(b[0, 0]), float(mean[0, 0]), float(std[0, 0])
    z = w * (31 - mean) / std + b
    with np.errstate(over="ignore"):
        sigma = lambda t: float(ref_sigmoid(np.array(t)))  # noqa: E731
        return {
            "it is what the model gives for 31 itself, not 31 °F scaled like the training "
            "data: the model was trained on standardised temperatures, so 31 must be "
            "standardised with the same mean and standard deviation first.": sigma(w * 31 + b),
            "it is z = wᵀx + b, the log-odds, not the probability: ŷ = σ(z).": z,
            "it is z for the unscaled 31 (both slips at once): scale 31 °F like the training "
            "data, then take σ(z).": w * 31 + b,
            "it is the probability of no failure, 1 − ŷ: y = 1 means an O-ring failed, and "
            "ŷ = σ(z) is P(y = 1 | x).": 1 - sigma(z),
            "it looks like a percentage: give the probability as a number between 0 and 1.":
                100 * sigma(z),
            "31 °F was scaled the wrong way round, (mean − 31) / std: it becomes a warm day.":
                sigma(w * (mean - 31) / std + b),
            "31 °F was divided by the standard deviation but the mean was not subtracted.":
                sigma(w * 31 / std + b),
            "the bias b is missing from z = wᵀx + b.": sigma(w * (31 - mean) / std),
            "31 °F was converted to °C; the model was trained on °F.":
                sigma(w * ((31 - 32) * 5 / 9 - mean) / std + b),
        }


def _same_p(p, q):
    """p and q agree: in log-odds for probabilities, relatively for other numbers."""
    if 0 < p < 1 and 0 < q < 1:
        return abs(_logit(p) - _logit(q)) <= LOGIT_TOLERANCE
    return abs(p - q) <= 1e-3 * max(abs(q), 1e-300)


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
    scale = ("x_31 = (31 − t_mean) / t_std with the training set's mean and standard deviation, "
             "then p = σ(wᵀ x_31 + b).")
    if not np.isfinite(p):
        raise Mistake(f"p_failure_31 is {p}: not a probability.", scale)
    reference = challenger_reference()
    if 0 < p < 1 and _same_p(p, reference):
        return ["a probability between 0 and 1", "agrees with the fitted model (5 % in the odds)"]
    if p == 1.0:
        raise Mistake("p_failure_31 is exactly 1, which σ(z) only gives for z > 37: is it a "
                      "rounded value, or was 31 °F not divided by the standard deviation? Give "
                      "the value the model computes.", scale)
    for feedback, value in challenger_slips().items():
        if _same_p(p, value):
            raise Mistake(f"p_failure_31 = {p:.3g}: {feedback}", scale)
    if not 0 <= p <= 1:
        raise Mistake(f"p_failure_31 = {p:g} is not a probability: σ(z) is between 0 and 1.",
                      scale)
    if p < 0.5:
        raise Mistake(
            "p_failure_31 is below 0.5, yet in the data the failures happened on the colder "
            "launches: look at how 31 °F goes into the model (scaled like the training data?) "
            "and whether the model was trained until the cost stopped falling.", scale)
    raise Mistake(
        "p_failure_31 is not yet what the fitted model gives: train until the cost stops falling "
        "(the notebook's 1000 epochs with α = 0.5 on standardised temperatures), then pass "
        "31 °F, scaled like the training data, through the model.", scale)
