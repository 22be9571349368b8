"""Exercise 0: the five steps on five houses (exercises/solutions/00_introduction.ipynb).

Chapter 0's notation. ``layer_sizes = [n^[0], n^[1], ..., n^[L]]``; W^[l] has shape
(n^[l-1], n^[l]) and b^[l] shape (n^[l], 1). One neuron on one example: x and w are columns
(n_x, 1), b is a number, z = Σ_j w_j x_j + b and a = g(z). The cost J = (1/m) Σ_i (ŷ^(i) − y^(i))²
of ŷ and y of shape (1, m). Derivatives by centred differences,
∂J/∂w_j ≈ (J(w + ε e_j, b) − J(w − ε e_j, b)) / (2ε), and the same for b. Training repeats
steps 2 to 4 (forward pass and cost, derivatives, update) for a number of epochs.

The data of the notebook: the first five houses of the Windsor data, lot size in 1000 square feet
(and bedrooms), price in 1000 CAD.
"""

from __future__ import annotations

import numpy as np

from ... import activations, datasets, losses
from ..diagnose import (Mistake, compare, compare_scalar, describe_type, ignores_learning_rate,
                        number, per_epoch, unpack)
from ..registry import question
from .ch1 import mse_mistakes


def five_houses(features=("lotsize",)):
    """The first five houses of the Windsor data: X (n_x, 5), the lot size in 1000 square feet
    (other features as they are), and y (1, 5), the price in 1000 CAD."""
    X, Y = datasets.house_prices(list(features))
    X = X[:, :5].copy()
    for row, name in enumerate(features):
        if name == "lotsize":
            X[row] /= 1000.0
    return X, Y[:, :5] / 1000.0


# -- 0.1 the shapes of the parameters ------------------------------------------------------------

#: Chapter 0's 3-4-1 network, the digits' 64-32-10 (chapter 6), the one neuron of the houses,
#: and a deeper one.
LAYER_CASES = ([3, 4, 1], [64, 32, 10], [1, 1], [2, 5, 3, 1])

SHAPES_RULE = ("Layer l turns the n^[l-1] numbers it receives into n^[l]: W^[l] is "
               "(n^[l-1], n^[l]), so that W^[l]ᵀ A^[l-1], (n^[l], n^[l-1]) times (n^[l-1], m), "
               "is (n^[l], m); b^[l] is (n^[l], 1), one bias per unit. The layers are l = 1, ..., "
               "L with L = len(layer_sizes) − 1, and layer_sizes[l] is n^[l].")


def ref_shapes(sizes):
    """[(shape of W^[l], shape of b^[l]) for l = 1, ..., L]."""
    return [((sizes[l - 1], sizes[l]), (sizes[l], 1)) for l in range(1, len(sizes))]


def _is_whole(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _shape(value, what):
    """A learner's shape as a tuple of ints, or Mistake."""
    if isinstance(value, np.ndarray) and value.ndim == 1 and np.issubdtype(value.dtype, np.integer):
        value = value.tolist()
    if isinstance(value, (tuple, list)) and all(_is_whole(v) for v in value):
        return tuple(int(v) for v in value)
    raise Mistake(f"{what} should be a shape, a tuple of whole numbers such as (3, 4); it is "
                  f"{describe_type(value)}.", SHAPES_RULE)


def _fmt(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


@question("0.1", name="parameter_shapes", points=2,
          title="the shapes of W^[l] and b^[l], layer by layer")
def check_parameter_shapes(answer):
    for sizes in LAYER_CASES:
        got = answer(list(sizes))
        L = len(sizes) - 1
        call = f"parameter_shapes({list(sizes)})"
        if not isinstance(got, (list, tuple)):
            raise Mistake(f"{call} should return a list with one pair (shape of W^[l], shape of "
                          f"b^[l]) per layer; it returned {describe_type(got)}.", SHAPES_RULE)
        if len(got) != L:
            extra = ""
            if len(got) == L + 1:
                extra = (" That is one per entry of layer_sizes: the input layer (layer 0) "
                         "computes nothing and has no parameters, so a network has "
                         "L = len(layer_sizes) − 1 layers.")
            raise Mistake(f"{call} returned {len(got)} pairs for a network of L = {L} "
                          f"layer{'s' if L > 1 else ''}.{extra}", SHAPES_RULE)
        for l, (pair, (W_shape, b_shape)) in enumerate(zip(got, ref_shapes(sizes)), start=1):
            if isinstance(pair, (list, tuple)) and pair and all(_is_whole(v) for v in pair):
                raise Mistake(f"{call}[{l - 1}] is one shape, {_fmt(tuple(pair))}: each entry "
                              f"should be a pair of shapes, (shape of W^[{l}], shape of b^[{l}]).",
                              SHAPES_RULE)
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise Mistake(f"{call}[{l - 1}] should be a pair of shapes, (shape of W^[{l}], "
                              f"shape of b^[{l}]); it is {describe_type(pair)}.", SHAPES_RULE)
            W_got = _shape(pair[0], f"the shape of W^[{l}]")
            b_got = _shape(pair[1], f"the shape of b^[{l}]")
            n_prev, n = sizes[l - 1], sizes[l]
            if W_got != W_shape:
                if W_got == W_shape[::-1]:
                    raise Mistake(
                        f"{call}: W^[{l}] has shape {_fmt(W_got)}, which is "
                        f"(n^[{l}], n^[{l - 1}]): "
                        f"the axes are the other way round in the lecture's notation. W^[{l}] "
                        f"has one row per input of layer {l} and one column per unit, so that "
                        f"Z^[{l}] = W^[{l}]ᵀ A^[{l - 1}] + b^[{l}].", SHAPES_RULE)
                raise Mistake(f"{call}: W^[{l}] has shape {_fmt(W_got)}: it should have one row "
                              f"per input of layer {l} (the n^[{l - 1}] units of the layer "
                              f"before) and one column per unit of layer {l} (n^[{l}]).",
                              SHAPES_RULE)
            if b_got != b_shape:
                if b_got == (1, n) and n > 1:
                    why = ("a row; b^[l] is a column, one bias per unit of layer l, added to each "
                           "column of Wᵀ A")
                elif b_got == (n,):
                    why = ("one axis only; b^[l] is a column (n^[l], 1), so that NumPy adds it to "
                           "every column (example) of Wᵀ A")
                elif b_got == (n_prev, 1) and n_prev != n:
                    why = ("one bias per input of the layer; there is one bias per unit of "
                           f"layer {l}")
                else:
                    why = f"there is one bias per unit of layer {l}, in a column"
                raise Mistake(f"{call}: b^[{l}] has shape {_fmt(b_got)}: {why}.", SHAPES_RULE)
    return [f"the shapes for layer_sizes {', '.join(str(s) for s in LAYER_CASES)}"]


# -- 0.2 one neuron -------------------------------------------------------------------------------

NEURON = ("First the weighted sum, one number: z = Σ_j w_j x_j + b (w.T @ x is a (1, 1) "
          "array: take its entry [0, 0], or write np.sum(w * x)); then a = g(z), g applied once, "
          "to z.")


def _activation(function):
    """g for the learner's neuron to call: a number for a number, an array for an array."""
    def g(z):
        array = np.asarray(z, dtype=np.float64)
        out = function(array)
        return float(out) if array.ndim == 0 else out
    return g


def identity(z):
    return z


def _neuron_cases():
    """(x, w, b, name of g, g): the first house with two features (lot size, bedrooms) through
    a linear neuron, chapter 0's sigmoid neuron, and seeded tanh neurons (one in float32)."""
    X2, _ = five_houses(("lotsize", "bedrooms"))
    rng = np.random.default_rng(7)
    x4, w4 = rng.normal(size=(4, 1)), rng.normal(size=(4, 1))
    return [
        (X2[:, [0]], np.array([[5.0], [2.0]]), 3.0, "identity", activations.identity),
        (np.array([[1.5], [-0.5], [2.0]]), np.array([[0.2], [-0.4], [0.1]]), 0.3, "sigmoid",
         activations.sigmoid),
        (x4, w4, -0.4, "tanh", activations.tanh),
        (x4.astype(np.float32), w4.astype(np.float32), 0.25, "tanh", activations.tanh),
    ]


@question("0.2", name="neuron", points=2, title="one neuron: a = g(Σ_j w_j x_j + b)")
def check_neuron(answer):
    for x, w, b, name, g in _neuron_cases():
        x64, w64 = x.astype(np.float64), w.astype(np.float64)
        n_x = x.shape[0]
        z = (w64.T @ x64).item() + b
        call = f"neuron(x, w, b, g) with g = {name} and n_x = {n_x}"
        got = answer(x, w, b, _activation(g))
        if isinstance(got, np.ndarray) and got.size == n_x and n_x > 1:
            raise Mistake(f"{call} returned {n_x} numbers, one per input x_j: a neuron adds its "
                          "weighted inputs up into one number z before g.", NEURON)
        wrong = {
            ("it returns z, the weighted sum: the activation g is not applied.", NEURON): z,
            ("b is added after g: the bias belongs inside, z = Σ_j w_j x_j + b, and g acts "
             "on z.", NEURON): float(g(np.array(z - b))) + b,
            ("g is applied to each product w_j x_j before they are added: the neuron adds "
             "first (z = Σ_j w_j x_j + b) and applies g once, to z.", NEURON):
                float(np.sum(g(w64 * x64))) + b,
            ("b is added once per input (Σ_j (w_j x_j + b)): the neuron has one bias, added "
             "once to the sum.", NEURON): float(g(np.array(z + (n_x - 1) * b))),
            ("the bias b is missing from z.", NEURON): float(g(np.array(z - b))),
        }
        compare_scalar(got, float(g(np.array(z))), call, mistakes=wrong)
    return ["a = g(z) on the first house (identity) and on chapter 0's sigmoid neuron",
            "seeded tanh neurons with 4 inputs (one in float32)"]


# -- 0.3 the cost ---------------------------------------------------------------------------------

COST = ("J = (1/m) Σ_i (ŷ^(i) − y^(i))²: square each difference, then average over the m "
        "examples (np.mean does the sum and the 1/m).")


@question("0.3", name="cost", points=1, title="the cost J = (1/m) Σ (ŷ − y)²")
def check_cost(answer):
    x, y = five_houses()
    rng = np.random.default_rng(3)
    cases = [(8.0 * x, y), (rng.normal(size=(1, 9)), rng.normal(size=(1, 9)))]
    for y_hat, target in cases:
        m = target.shape[1]
        wrong = mse_mistakes(y_hat, target, COST)
        wrong.update({
            ("the differences ŷ − y are not squared, so positive and negative errors cancel.",
             COST): np.mean(y_hat - target),
            ("the mean is taken before the square: (mean of ŷ − y)², where J is the mean of the "
             "squares, so errors of opposite sign cancel first.", COST):
                np.mean(y_hat - target) ** 2,
        })
        compare_scalar(answer(y_hat, target), losses.mse(y_hat, target), "J", m=m,
                       mistakes=wrong)
    return ["J on the five houses with ŷ = 8 x", "J on a seeded (1, 9) example"]


# -- 0.4 centred differences ----------------------------------------------------------------------

CENTRED = ("Nudge one parameter at a time, on a copy: w_plus = w.copy(), then w_plus[j] += "
           "epsilon, and w_minus likewise with − epsilon; ∂J/∂w_j ≈ (J(w_plus, b) − J(w_minus, "
           "b)) / (2ε), because the two points are 2ε apart. For b: J(w, b + ε) and "
           "J(w, b − ε).")


def _houses_J():
    """J(w, b) of a linear neuron on the five houses with two features (lot size, bedrooms)."""
    X, y = five_houses(("lotsize", "bedrooms"))

    def J(w, b):
        w = np.asarray(w, dtype=np.float64).reshape(-1, 1)
        return float(np.mean((w.T @ X + np.asarray(b, dtype=np.float64) - y) ** 2))
    return J


def _sigmoid_J():
    """Chapter 0's example: J(w, b) = (σ(wᵀx + b) − y)² for one example, x (3, 1), y = 1."""
    x = np.array([[1.5], [-0.5], [2.0]])

    def J(w, b):
        w = np.asarray(w, dtype=np.float64).reshape(-1, 1)
        z = (w.T @ x).item() + np.asarray(b, dtype=np.float64).item()
        return float((activations.sigmoid(np.array(z)) - 1.0) ** 2)
    return J


#: (J, w, b, ε) of the check. The houses' J is quadratic in w and b, so that centred differences
#: are exact there whatever ε (a test of the difference quotient itself); the sigmoid neuron's is
#: not, so that with ε = 0.01 they differ from the derivative by ε² J'''/6 (a relative 1e-5 here),
#: which shows whether the ε passed in is the one used.
def _difference_cases():
    return [(_houses_J(), np.array([[4.0], [3.0]]), 5.0, 1e-3),
            (_sigmoid_J(), np.array([[0.2], [-0.4], [0.1]]), 0.3, 1e-2)]


def ref_centred(J, w, b, epsilon, slip=None):
    """dw (w's shape) and db by centred differences, or as a usual slip computes them:
    "forward" / "backward" (one-sided), "over_epsilon" ((J+ − J−)/ε), "not_restored" (w_j left at
    w_j − ε), "all_at_once" (every w_j nudged together), "aliased" (w_minus = w_plus = w: the
    second evaluation happens at w itself), "aliased_zero" (both at w: nothing changes),
    "small_epsilon" (1e-6 instead of the ε passed in), "negated" (J− − J+)."""
    w = np.array(w, dtype=np.float64)
    if slip == "small_epsilon":
        epsilon = 1e-6
    dw = np.zeros_like(w)
    here = J(w, b)
    for j in np.ndindex(w.shape):
        plus, minus = w.copy(), w.copy()
        if slip == "all_at_once":
            plus, minus = w + epsilon, w - epsilon
        else:
            plus[j] += epsilon
            minus[j] -= epsilon
        if slip in ("aliased", "aliased_zero"):
            minus = w if slip == "aliased" else w.copy()
            if slip == "aliased_zero":
                plus = w
        J_plus, J_minus = J(plus, b), J(minus, b)
        if slip == "forward":
            dw[j] = (J_plus - here) / epsilon
        elif slip == "backward":
            dw[j] = (here - J_minus) / epsilon
        elif slip == "over_epsilon":
            dw[j] = (J_plus - J_minus) / epsilon
        elif slip == "negated":
            dw[j] = (J_minus - J_plus) / (2 * epsilon)
        else:
            dw[j] = (J_plus - J_minus) / (2 * epsilon)
        if slip == "not_restored":
            w = minus
    if slip == "forward":
        db = (J(w, b + epsilon) - here) / epsilon
    elif slip == "backward":
        db = (here - J(w, b - epsilon)) / epsilon
    elif slip == "over_epsilon":
        db = (J(w, b + epsilon) - J(w, b - epsilon)) / epsilon
    elif slip == "negated":
        db = (J(w, b - epsilon) - J(w, b + epsilon)) / (2 * epsilon)
    else:  # b is a number: b + ε is a new one, whatever happened to w
        db = (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)
    return dw, float(db)


DIFFERENCE_SLIPS = {
    "forward": "they are one-sided differences, (J(w_j + ε) − J(w_j)) / ε: their error is of "
               "order ε, where centred differences, (J(w_j + ε) − J(w_j − ε)) / (2ε), are off by "
               "only about ε²",
    "backward": "they are one-sided differences, (J(w_j) − J(w_j − ε)) / ε: their error is of "
                "order ε, where centred differences, (J(w_j + ε) − J(w_j − ε)) / (2ε), are off "
                "by only about ε²",
    "over_epsilon": "they are twice the centred differences: the two evaluations are 2ε apart, "
                    "so the difference of J is divided by 2ε, not ε",
    "not_restored": "w_j is not put back after it is nudged: it stays at w_j − ε, so every later "
                    "derivative is taken at a shifted point",
    "all_at_once": "every entry of dw is the same number: all the w_j were nudged at once, where "
                   "each must be nudged on its own with the others left as they are",
    "aliased": "the evaluation at w − ε happened at w itself, as if w_minus and w_plus were the "
               "same array as w (w_plus = w does not copy it: use w.copy())",
    "aliased_zero": "dw is all zeros: J was evaluated twice at the same point, as if w_plus and "
                    "w_minus were the same array as w (w_plus = w does not copy it: use "
                    "w.copy())",
    "negated": "they have the opposite sign: the difference is J(θ − ε) − J(θ + ε), where the "
               "derivative is (J(θ + ε) − J(θ − ε)) / (2ε), the change of J as θ grows",
    "small_epsilon": "they are centred differences with a step other than the epsilon passed "
                     "in: nudge by the argument epsilon",
}

#: |learner's − reference| allowed, relative to the size of the gradient. The learner evaluates
#: our J at the same points as ref_centred, up to an ulp of w_j or b when they are restored by
#: arithmetic (w_j + ε − 2ε + ε) or nudged as w + ε e_j: |ΔJ| ≤ |∂J/∂θ| ulp(θ), at most
#: 600 × 8.9e-16 = 5e-13 per evaluation here, so each derivative may differ by 2 × 5e-13 / (2ε)
#: = 5e-10 at ε = 1e-3 against gradients of norm 10 or more: 5e-11 relative. 1e-8 is 200 times
#: that, and far below the smallest slip (ε passed in ignored: 1e-5 relative on the sigmoid).
#: A dw stored in float32 is rounded to 2^-24 = 6e-8 of each entry: 4 float32 ulps more are
#: allowed then, still 20 times below the smallest slip.
DIFF_RTOL = 1e-8
DIFF_ATOL = 1e-12
DIFF_RTOL_FLOAT32 = DIFF_RTOL + 4 * float(np.finfo(np.float32).eps)


def _same_derivatives(got, expected, rtol=DIFF_RTOL):
    got_dw, got_db = got
    ref_dw, ref_db = expected
    if not isinstance(got_dw, np.ndarray) or got_dw.shape != ref_dw.shape:
        return False
    a = np.append(np.asarray(got_dw, dtype=np.float64).ravel(), got_db)
    e = np.append(ref_dw.ravel(), ref_db)
    if not np.all(np.isfinite(a)):
        return False
    return bool(np.linalg.norm(a - e) <= rtol * np.linalg.norm(e) + DIFF_ATOL)


@question("0.4", name="centred_difference", points=3,
          title="derivatives without calculus: centred differences")
def check_centred_difference(answer):
    for J, w, b, epsilon in _difference_cases():
        expected = ref_centred(J, w, b, epsilon)
        got = unpack(answer(J, w.copy(), b, epsilon), ("dw", "db"), "centred_difference",
                     expected=expected, rtol=1e-6)
        dw = got[0]
        if isinstance(dw, np.ndarray) and dw.shape != w.shape:
            compare(dw, expected[0], "dw", transpose_hint="dw has the shape of w, a column "
                    "(n_x, 1).")
        if not isinstance(dw, np.ndarray):
            raise Mistake(f"dw should be a NumPy array of w's shape {w.shape}, one derivative "
                          f"per weight w_j; it is {describe_type(dw)}.", CENTRED)
        db = number(got[1], "db")
        rtol = (DIFF_RTOL_FLOAT32 if np.float32 in (dw.dtype, np.asarray(got[1]).dtype)
                else DIFF_RTOL)
        if _same_derivatives((dw, db), expected, rtol):
            continue
        for slip, feedback in DIFFERENCE_SLIPS.items():
            if _same_derivatives((dw, db), ref_centred(J, w, b, epsilon, slip), rtol):
                raise Mistake(f"with ε = {epsilon:g}, your derivatives are not the centred "
                              f"differences: {feedback}.", CENTRED)
        dw_ok = _same_derivatives((dw, expected[1]), expected, rtol)
        db_ok = _same_derivatives((expected[0], db), expected, rtol)
        which = ("db is right but dw is not" if db_ok else "dw is right but db is not"
                 if dw_ok else "dw and db are both off")
        raise Mistake(f"with ε = {epsilon:g}, {which}: they are not the centred differences "
                      "(J(θ + ε) − J(θ − ε)) / (2ε) of the J passed in, each θ nudged on its own. "
                      "Look at which point J is evaluated at, and at the quotient.", CENTRED)
    return ["the centred differences of J on the five houses (two features) with ε = 0.001",
            "and of chapter 0's sigmoid neuron with ε = 0.01, w_j nudged one at a time"]


# -- 0.5 the training loop ------------------------------------------------------------------------

def ref_train(X, y, w, b, learning_rate, epochs, update_b=True):
    """Steps 2 to 4, ``epochs`` times, for a linear neuron ŷ = wᵀX + b with the exact
    derivatives (which centred differences give to rounding: J is quadratic in w and b).
    costs[i] is J before update i."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.array(w, dtype=np.float64)
    m = X.shape[1]
    costs = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            y_hat = w.T @ X + b
            costs.append(losses.mse.raw(y_hat, y))
            dw = 2 / m * X @ (y_hat - y).T
            db = float(2 / m * np.sum(y_hat - y))
            w = w - learning_rate * dw
            if update_b:
                b = b - learning_rate * db
    return w, b, costs


def _two_features(seed=11, m=8):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(2, m))
    y = np.array([[1.5, -2.0]]) @ X + 0.5 + 0.2 * rng.normal(size=(1, m))
    return X, y


#: The runs of train in the check: the five houses (lot size in 1000 square feet) from w = 2,
#: b = 10, and seeded data with two features; every argument changes from one run to the next.
def _train_runs():
    x, y = five_houses()
    X2, y2 = _two_features()
    return [(x, y, np.array([[2.0]]), 10.0, 0.01, 12),
            (X2, y2, np.array([[0.5], [-1.0]]), 0.0, 0.05, 8)]


LOOP = ("Inside train, define J(w, b) as cost(predict(X, w, b), y). Each epoch: record J(w, b) "
        "first (step 2), then dw, db = centred_difference(J, w, b) (step 3), then step against "
        "them, w − α dw and b − α db (step 4).")


@question("0.5", name="train", points=2, title="the five steps: a loop that makes the cost fall",
          requires=("0.2", "0.3", "0.4"))
def check_train(answer):
    for X, y, w0, b0, lr, epochs in _train_runs():
        where = (f"(train on the five houses from w = {w0[0, 0]:g}, b = {b0:g} with α = {lr:g}, "
                 f"{epochs} epochs)" if X.shape[0] == 1 else
                 f"(train on seeded data with two features, α = {lr:g}, {epochs} epochs)")
        ref_w, ref_b, ref_costs = ref_train(X, y, w0, b0, lr, epochs)
        w, b, costs = unpack(answer(X, y, w0.copy(), b0, lr, epochs), ("w", "b", "costs"),
                             "train", expected=(ref_w, ref_b, ref_costs))
        costs = per_epoch(costs, epochs, LOOP)
        _, _, from_zero = ref_train(X, y, np.zeros_like(w0), 0.0, lr, epochs)
        if np.allclose(costs, from_zero, rtol=1e-6) and not np.allclose(ref_costs, from_zero):
            raise Mistake(f"train ignores the w and b it is given: its first cost is that of "
                          f"w = 0, b = 0 {where}.", "Start the loop from the arguments w and b.")
        if np.all(costs == costs[0]) and not np.allclose(ref_costs, ref_costs[0]):
            raise Mistake(f"costs holds the same number, {costs[0]:.4g}, for every epoch {where}: "
                          "record J(w, b) of the current w and b at each epoch, before the "
                          "update.", LOOP)
        # The first 4 costs only: with another α the run may diverge, and then centred
        # differences of a huge J (rounding u J / ε) drift from the exact run later on.
        ignores_learning_rate(costs[:4], lr, lambda a: ref_train(X, y, w0, b0, a, 4)[2], LOOP)
        _, _, uphill = ref_train(X, y, w0, b0, -lr, epochs)
        goes_uphill = np.allclose(costs, uphill, rtol=1e-6)
        if goes_uphill or (costs[-1] > costs[0] and ref_costs[-1] < ref_costs[0]):
            which = ("the updates go uphill" if goes_uphill else
                     "the updates do not step against the derivatives")
            raise Mistake(f"the cost grows from {costs[0]:.4g} to {costs[-1]:.4g} {where}: "
                          f"{which}. The derivative points to where J grows; the update steps "
                          "the other way.", LOOP)
        _, _, later = ref_train(X, y, w0, b0, lr, epochs + 1)
        compare(costs, ref_costs, "costs", show_values=False, mistakes={
            (f"costs[i] should be J before the i-th update (costs[0] is the cost of the w and b "
             f"passed in); yours are the costs after each update {where}.", LOOP): later[1:],
            (f"b never changes: its update is missing {where}.", LOOP):
                ref_train(X, y, w0, b0, lr, epochs, update_b=False)[2],
        })
        returned_start = (f"train returns the w and b it was given, although its costs fall "
                          f"{where}: return the updated ones.", LOOP)
        compare(np.asarray(w, dtype=np.float64) if isinstance(w, (list, tuple)) else w, ref_w,
                f"w after {epochs} epochs", show_values=False, mistakes={returned_start: w0})
        compare_scalar(number(b, "b"), ref_b, f"b after {epochs} epochs",
                       mistakes={returned_start: b0})
    return ["w, b and the costs of 2 runs (the five houses from w = 2, b = 10; seeded data with "
            "two features)"]
