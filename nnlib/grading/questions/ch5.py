"""Exercise 5: activation functions (exercises/solutions/05_activation_functions.ipynb).

Each g and g' acts entry by entry on Z of shape (n, m) and returns an array of the same shape.
Conventions (nnlib's): ReLU'(0) = 0; Leaky ReLU'(z) = α for z ≤ 0 (α also at exactly 0).
"""

from __future__ import annotations

import functools

import numpy as np

from ... import activations as _g
from ... import datasets
from ...layers import Dense
from ...network import Network
from ..diagnose import Mistake, as_array, compare, compare_scalar, entries_close, \
    require_vectorised
from ..registry import question


def _Z(seed=50, shape=(3, 7)):
    """Seeded Z with a few entries exactly 0 (where ReLU has its kink)."""
    Z = np.random.default_rng(seed).normal(0, 2, size=shape)
    Z[0, 0] = 0.0
    Z[-1, -1] = 0.0
    return Z


#: Large |z|, where a formula with e^z or e^(−z) overflows (e^710 is already inf). Below
#: z = −709.78, σ(z) ≈ e^z is a subnormal float (σ(−712) ≈ 6.1e-310): a sigmoid that overflows
#: gives 0 there instead, whatever np.errstate says; only the returned values are looked at.
EDGE_Z = np.array([[-1e4, -1000.0, -720.0, -712.0, -30.0, 0.0, 30.0, 712.0, 1000.0, 1e4]])


def _no_bool(got, name, hint):
    if isinstance(got, np.ndarray) and got.dtype == bool:
        raise Mistake(f"{name} returns True/False values: return numbers (floats).", hint or None)


def _precision(got):
    """float32 if the learner's array is float32 (rounded to what float32 holds), else float64."""
    return np.float32 if isinstance(got, np.ndarray) and got.dtype == np.float32 else np.float64


def _default_close(got, Z, reference, dtype):
    """g and g' are O(1) or exactly 0 at large |z|, and each correct formula is within a few
    ulps of 1 of the reference: 8 ulps (1.8e-15 in float64, 9.5e-7 in float32) at least, and
    1e-9 relative + 1e-12 absolute, far below any wrong formula."""
    eps = float(np.finfo(dtype).eps)
    ref = reference(Z).astype(dtype).astype(np.float64)
    return entries_close(got, [ref], max(1e-9, 8 * eps), max(1e-12, 8 * eps))


def _at_large_z(raw, name, reference, hint, close=None):
    """Mistake if ``raw`` = g(EDGE_Z) is not right. nan or inf, and a σ(z) ≈ e^z turned into 0
    below z = −709.78, are named as overflows."""
    dtype = _precision(raw)
    got = as_array(raw, f"{name} for |z| up to 10⁴", EDGE_Z.shape)
    if got.shape != EDGE_Z.shape:
        compare(got, reference(EDGE_Z), f"{name} for |z| up to 10⁴")
    ok = (close or _default_close)(got, EDGE_Z, reference, dtype)
    if ok.all():
        return
    z = EDGE_Z[~ok]
    listed = ", ".join(f"{value:g}" for value in z[:4])
    if not np.all(np.isfinite(got[~ok])):
        raise Mistake(f"{name} gives nan or inf for z = {listed}: an exponential in your formula "
                      "overflows there (e^1000 is inf, and inf / inf is nan). Look at which "
                      "exponent can become large.", hint)
    ref = reference(EDGE_Z)
    lost = ~ok & (EDGE_Z < -709.78) & (got == 0) & (ref > 0)
    if np.any(lost):
        raise Mistake(f"{name} gives 0 for z = {', '.join(f'{w:g}' for w in EDGE_Z[lost])}, "
                      "where the right value is a tiny float (about 6.1e-310 at z = −712): a "
                      "sigmoid inside overflows, e^(−z) is inf for z < −709.78 and 1 / (1 + inf) "
                      "= 0 (np.errstate hides the warning, not the lost value).", hint)
    raise Mistake(f"{name} is wrong for large |z| (z = {listed}).", hint)


def _elementwise(answer, name, reference, mistakes, *, extra=(), hint=None, close=None,
                 hint_bool=""):
    """The common part of every question: values on seeded Z (float64 and float32), values for
    |z| up to 10⁴, and no loop over the examples."""
    Z = _Z()
    got = answer(Z, *extra)
    _no_bool(got, name, hint_bool)
    compare(got, reference(Z), name, mistakes=mistakes(Z), transpose_hint="g acts on each "
            "entry: return an array of Z's shape.")
    passed = ["values on a seeded (3, 7) Z with entries exactly 0"]
    Z32 = _Z(51, (2, 5)).astype(np.float32)
    got = answer(Z32, *extra)
    _no_bool(got, name, hint_bool)
    compare(got, reference(Z32.astype(np.float64)), f"{name} for a float32 Z", rtol=1e-5)
    passed.append("a float32 Z")
    got = answer(EDGE_Z.copy(), *extra)
    _no_bool(got, name, hint_bool)
    _at_large_z(got, name, reference, hint, close)
    passed.append("right values for |z| up to 10⁴ (no overflow)")
    require_vectorised(answer, lambda m: (_Z(52, (2, m)),) + tuple(extra))
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 5.1 σ' ---------------------------------------------------------------------------------------


def _sigmoid_derivative_close(got, Z, reference, dtype):
    """Right where z ≤ 0 to full relative precision (σ'(z) ≈ e^z is tiny: 6.1e-310 at z = −712,
    which an overflowing σ turns into 0), and where z > 0 to 4.5 ulps of 1 (1e-15 in float64):
    there A(1 − A) with a stable σ rounds A near 1 (1 ulp, twice through the product), while
    σ(z)σ(−z) is exact; both are right. In float32 the tiny values are what float32 holds."""
    eps = float(np.finfo(dtype).eps)
    tiny = 200 * float(np.finfo(dtype).smallest_subnormal)
    A = _g.sigmoid(Z)
    forms = [(A * (1 - A)).astype(dtype), (_g.sigmoid(Z) * _g.sigmoid(-Z)).astype(dtype)]
    negative = entries_close(got, forms, max(1e-12, 8 * eps), tiny)
    positive = entries_close(got, forms, 0.0, 4.5 * eps)
    return np.where(Z <= 0, negative, positive)


@question("5.1", name="sigmoid_derivative", points=1, title="σ'(z) = σ(z)(1 − σ(z))")
def check_sigmoid_derivative(answer):
    formula = "A = sigmoid(Z) (the stable one defined above), then return A * (1 - A)."

    def mistakes(Z):
        A = _g.sigmoid(Z)
        return {
            ("σ' computed from Z where A was meant: Z(1 − Z) instead of A(1 − A).", formula):
                Z * (1 - Z),
            ("it returns σ(z) itself.", formula): A,
            ("it is 1 − σ(z): the factor σ(z) is missing.", formula): 1 - A,
            ("it is σ(z)²: the factor should be (1 − σ(z)).", formula): A * A,
            ("it is σ(z)(1 + σ(z)): the sign inside the brackets is flipped.", formula):
                A * (1 + A),
        }

    passed = _elementwise(answer, "sigmoid_derivative(Z)", _g.sigmoid_derivative, mistakes,
                          hint=formula, close=_sigmoid_derivative_close)
    return passed


# -- 5.2 tanh -------------------------------------------------------------------------------------


@question("5.2", name="tanh", points=1, title="tanh(z), which must not overflow")
def check_tanh(answer):
    stable = "np.tanh(Z), or 2 * sigmoid(2 * Z) - 1 with the stable sigmoid defined above."

    def mistakes(Z):
        return {
            ("it is (e^z − e^(−z)) / 2 = sinh z: the denominator is missing.", stable):
                np.sinh(Z),
            ("it is the sigmoid σ(z), with values in (0, 1); tanh has values in (−1, 1).",
             stable): _g.sigmoid(Z),
            ("it is σ(2z) − 1: the factor 2 in front of σ is missing (tanh z = 2σ(2z) − 1).",
             stable): _g.sigmoid(2 * Z) - 1,
            ("it is 2σ(z) − 1 = tanh(z/2): σ takes 2z.", stable): 2 * _g.sigmoid(Z) - 1,
        }

    return _elementwise(answer, "tanh(Z)", _g.tanh, mistakes, hint=stable)


# -- 5.3 tanh' ------------------------------------------------------------------------------------


@question("5.3", name="tanh_derivative", points=1, title="tanh'(z) = 1 − tanh(z)²")
def check_tanh_derivative(answer):
    formula = "A = np.tanh(Z), then return 1 - A ** 2."

    def mistakes(Z):
        A = np.tanh(Z)
        return {
            ("tanh' computed from Z where A was meant: 1 − Z² instead of 1 − A².", formula):
                1 - Z * Z,
            ("it is 1 − tanh(z): the square is missing.", formula): 1 - A,
            ("it is σ(z)(1 − σ(z)), the sigmoid's derivative.", formula):
                _g.sigmoid_derivative(Z),
            ("it is tanh(z)²: tanh' is one minus that.", formula): A * A,
            ("it is 1 − 2 tanh(z): the square of tanh became a factor 2.", formula): 1 - 2 * A,
        }

    return _elementwise(answer, "tanh_derivative(Z)", _g.tanh_derivative, mistakes,
                        hint=formula)


# -- 5.4 ReLU -------------------------------------------------------------------------------------


@question("5.4", name="relu", points=1, title="ReLU(z) = max(0, z)")
def check_relu(answer):
    one_liner = "np.maximum(Z, 0): the entry-by-entry maximum of Z and 0."
    Z = _Z()
    got = answer(Z)
    if isinstance(got, np.ndarray) and got.shape in ((Z.shape[1],), (Z.shape[0],), ()):
        raise Mistake(f"relu(Z) has shape {got.shape} where {Z.shape} was expected: np.max "
                      "takes the largest entry along an axis, not the maximum of each entry and "
                      "0.", one_liner)

    def mistakes(Z):
        return {
            ("it returns 1 where z > 0 and 0 elsewhere: that is ReLU's derivative, but ReLU(z) "
             "is z itself for z > 0.", one_liner): (Z > 0).astype(float),
            ("it returns |z|; ReLU is 0 for negative z.", one_liner): np.abs(Z),
            ("it returns min(0, z): the comparison keeps the wrong side.", one_liner):
                np.minimum(Z, 0),
            ("it returns z for z < 0 and 0 elsewhere: the comparison is the wrong way round.",
             one_liner): np.where(Z < 0, Z, 0.0),
        }

    return _elementwise(answer, "relu(Z)", _g.relu, mistakes, hint=one_liner,
                        hint_bool=one_liner)


# -- 5.5 ReLU' ------------------------------------------------------------------------------------


@question("5.5", name="relu_derivative", points=1,
          title="ReLU'(z), 0 at z = 0")
def check_relu_derivative(answer):
    one_liner = "(Z > 0).astype(float): 1.0 where z > 0, 0.0 elsewhere (0 at z = 0)."

    def mistakes(Z):
        return {
            ("it is wrong at z = 0: it gives 1 there. ReLU has a kink at 0 with no derivative; "
             "this course (and nnlib) takes ReLU'(0) = 0.", one_liner): (Z >= 0).astype(float),
            ("it returns ReLU(z) itself; ReLU'(z) is 1 or 0.", one_liner): _g.relu(Z),
            ("it returns 1 for z < 0 and 0 for z > 0: the comparison is the wrong way round.",
             one_liner): (Z < 0).astype(float),
            ("it is 1 for z ≤ 0 and 0 for z > 0: the comparison is the wrong way round.",
             one_liner): (Z <= 0).astype(float),
        }

    return _elementwise(answer, "relu_derivative(Z)", _g.relu_derivative, mistakes,
                        hint=one_liner, hint_bool=one_liner)


# -- 5.6 Leaky ReLU -------------------------------------------------------------------------------


def _leaky_mistakes(alpha, formula):
    def mistakes(Z):
        return {
            (f"the slope α is ignored: with alpha={alpha} the negative side should be α z, not "
             "0.01 z.", formula): _g.leaky_relu(Z, 0.01),
            ("the slopes are swapped: α z is for z ≤ 0, z itself for z > 0.", formula):
                np.where(Z > 0, alpha * Z, Z),
            ("it is ReLU, 0 for negative z; Leaky ReLU keeps a small slope α there.", formula):
                _g.relu(Z),
            ("for z ≤ 0 it gives α, the slope, instead of α z.", formula):
                np.where(Z > 0, Z, alpha),
        }
    return mistakes


@question("5.6", name="leaky_relu", points=1, title="Leaky ReLU(z)")
def check_leaky_relu(answer):
    formula = "np.where(Z > 0, Z, alpha * Z), with def leaky_relu(Z, alpha=0.01)."
    passed = _elementwise(answer, "leaky_relu(Z, alpha=0.2)",
                          lambda Z: _g.leaky_relu(Z, 0.2), _leaky_mistakes(0.2, formula),
                          extra=(0.2,), hint=formula)
    Z = _Z(53)
    compare(answer(Z), _g.leaky_relu(Z), "leaky_relu(Z) with the default alpha",
            mistakes={("the default slope is not 0.01.", formula): _g.leaky_relu(Z, 0.2)})
    return passed + ["the default α = 0.01"]


# -- 5.7 Leaky ReLU' ------------------------------------------------------------------------------


def _leaky_derivative_mistakes(alpha, formula):
    def mistakes(Z):
        return {
            (f"the slope α is missing for z < 0 (that is ReLU's derivative): Leaky ReLU'(z) is "
             f"α = {alpha} there.", formula): _g.relu_derivative(Z),
            ("it is wrong at z = 0: like nnlib, this course takes the slope α at exactly z = 0.",
             formula): np.where(Z >= 0, 1.0, alpha),
            ("for z ≤ 0 it returns α z (Leaky ReLU itself) instead of the slope α.", formula):
                np.where(Z > 0, 1.0, alpha * Z),
            (f"the slope α is ignored: with alpha={alpha} the derivative for z ≤ 0 is α, not "
             "0.01.", formula): _g.leaky_relu_derivative(Z, 0.01),
        }
    return mistakes


@question("5.7", name="leaky_relu_derivative", points=1,
          title="Leaky ReLU'(z), α at z ≤ 0")
def check_leaky_relu_derivative(answer):
    formula = "np.where(Z > 0, 1.0, alpha), with def leaky_relu_derivative(Z, alpha=0.01)."
    passed = _elementwise(answer, "leaky_relu_derivative(Z, alpha=0.2)",
                          lambda Z: _g.leaky_relu_derivative(Z, 0.2),
                          _leaky_derivative_mistakes(0.2, formula), extra=(0.2,), hint=formula)
    Z = _Z(54)
    compare(answer(Z), _g.leaky_relu_derivative(Z), "leaky_relu_derivative(Z) with the default "
            "alpha", mistakes={("the default slope is not 0.01.", formula):
                               _g.leaky_relu_derivative(Z, 0.2)})
    return passed + ["the default α = 0.01"]


# -- 5.8, 5.9 the experiment ----------------------------------------------------------------------

EXPERIMENT_ACTIVATIONS = ("sigmoid", "tanh", "relu")


@functools.lru_cache(maxsize=None)
def recipe_cost(activation, learning_rate=0.5, epochs=300, seeds=(1, 2), batch_size=None,
                index=-1, loss="binary_cross_entropy"):
    """The final training cost of the notebook's recipe, or of the recipe with one change (to
    recognise what a learner who changed it gets on the real data)."""
    X, Y = datasets.circles(m=200, seed=0)
    net = Network([Dense(2, 8, activation, seed=seeds[0]), Dense(8, 1, "sigmoid", seed=seeds[1])],
                  loss=loss)
    return net.fit(X, Y, epochs=epochs, learning_rate=learning_rate,
                   batch_size=batch_size).cost[index]


def reference_final_cost(activation):
    """The recipe stated in the notebook: circles(m=200, seed=0); a 2-8-1 network (hidden layer
    ``activation`` with seed=1, sigmoid output with seed=2), binary cross-entropy, 300 epochs of
    full-batch gradient descent with α = 0.5; the training cost after the last epoch."""
    return recipe_cost(activation)


#: What learners change in the recipe, and what it gives on the real data.
RECIPE_SLIPS = (
    ("it is the cost after the first epoch, history.cost[0]; the recipe returns the last one",
     {"index": 0}),
    ("it is what learning_rate=0.1 gives; the recipe trains with 0.5", {"learning_rate": 0.1}),
    ("it is what learning_rate=1.0 gives; the recipe trains with 0.5", {"learning_rate": 1.0}),
    ("it is what 100 epochs give; the recipe trains for 300", {"epochs": 100}),
    ("it is what 1000 epochs give; the recipe trains for 300", {"epochs": 1000}),
    ("the two layers' seeds are swapped: the hidden layer has seed=1, the output seed=2",
     {"seeds": (2, 1)}),
    ("it is what mini-batches of 32 give; the recipe trains in one full batch (no batch_size)",
     {"batch_size": 32}),
    ("it is what the mean squared error gives; the recipe uses loss='binary_cross_entropy'",
     {"loss": "mse"}),
)

RECIPE = ("X, Y = nnlib.datasets.circles(m=200, seed=0); layers nnlib.Dense(2, 8, activation, "
          "seed=1) and nnlib.Dense(8, 1, 'sigmoid', seed=2); loss='binary_cross_entropy'; "
          "history = net.fit(X, Y, epochs=300, learning_rate=0.5); return history.cost[-1].")


@question("5.8", name="final_cost", points=2,
          title="Experiment: three hidden activations")
def check_final_cost(answer):
    got = {}
    for number, activation in enumerate(EXPERIMENT_ACTIVATIONS):
        got[activation] = answer(activation)
        if number == 0:
            again = answer(activation)
            try:
                same = float(np.asarray(got[activation], dtype=np.float64).reshape(())) == \
                    float(np.asarray(again, dtype=np.float64).reshape(()))
            except (TypeError, ValueError):
                same = True  # compare_scalar below names the problem
            if not same:
                raise Mistake(f"final_cost({activation!r}) gives a different number each time: "
                              "the layers are not drawn with the recipe's seeds.", RECIPE)
    for activation in EXPERIMENT_ACTIVATIONS:
        name = f"final_cost({activation!r})"
        try:
            compare_scalar(got[activation], reference_final_cost(activation), name, rtol=1e-6)
        except Mistake as mistake:
            try:
                value = float(np.asarray(got[activation], dtype=np.float64).reshape(()))
            except (TypeError, ValueError):
                raise Mistake(f"{mistake} Return history.cost[-1], one number.", RECIPE) from None
            numbers = [float(np.asarray(got[a], dtype=np.float64).reshape(()))
                       for a in EXPERIMENT_ACTIVATIONS if np.size(got[a]) == 1]
            if len(numbers) == 3 and max(numbers) - min(numbers) <= 1e-12 * abs(max(numbers)):
                raise Mistake("final_cost gives the same number for every activation: the "
                              "argument activation does not reach the hidden layer.",
                              RECIPE) from None
            for feedback, change in RECIPE_SLIPS:
                if abs(value - recipe_cost(activation, **change)) <= 1e-6 * abs(value):
                    raise Mistake(f"{name} does not follow the recipe: {feedback}.",
                                  RECIPE) from None
            raise Mistake(f"{mistake} Follow the recipe exactly (data, seeds, loss, epochs, "
                          "learning rate, full batch).", RECIPE) from None
    return [f"the final training cost for {', '.join(EXPERIMENT_ACTIVATIONS)} with the recipe"]


@question("5.9", name="best_activation", points=1, kind="value",
          title="Which hidden activation trained best?")
def check_best_activation(answer):
    if not isinstance(answer, str):
        raise Mistake("best_activation should be the name of an activation, a string such as "
                      "'tanh'.")
    name = answer.strip().lower()
    if name not in EXPERIMENT_ACTIVATIONS:
        raise Mistake(f"best_activation should be one of {', '.join(map(repr, EXPERIMENT_ACTIVATIONS))}"
                      f" (the three the experiment compares), got {answer!r}.")
    costs = {a: reference_final_cost(a) for a in EXPERIMENT_ACTIVATIONS}
    if name == max(costs, key=costs.get):
        raise Mistake("that activation ended with the highest cost: a lower cost J means a better "
                      "fit of the training data.")
    if name != min(costs, key=costs.get):
        raise Mistake("that is not the activation with the lowest final cost in your experiment: "
                      "compare the three numbers of final_cost.")
    return ["the activation with the lowest final training cost"]
