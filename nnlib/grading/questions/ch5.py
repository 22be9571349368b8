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
from ..diagnose import (Mistake, call_recording_warnings, compare, compare_scalar,
                        require_vectorised)
from ..registry import question


def _Z(seed=50, shape=(3, 7)):
    """Seeded Z with a few entries exactly 0 (where ReLU has its kink)."""
    Z = np.random.default_rng(seed).normal(0, 2, size=shape)
    Z[0, 0] = 0.0
    Z[-1, -1] = 0.0
    return Z



def _no_bool(got, name, hint):
    if isinstance(got, np.ndarray) and got.dtype == bool:
        raise Mistake(f"{name} returns True/False values: return numbers, e.g. {hint}.")


def _elementwise(answer, name, reference, mistakes, *, extra=(), big=None, hint_bool=""):
    """The common part of every question: values on seeded Z (float64 and float32), optionally
    no warning for large |z|, and no loop over the examples."""
    Z = _Z()
    got, _ = call_recording_warnings(answer, Z, *extra)
    _no_bool(got, name, hint_bool)
    compare(got, reference(Z), name, mistakes=mistakes(Z), transpose_hint="g acts on each "
            "entry: return an array of Z's shape.")
    passed = ["values on a seeded (3, 7) Z with entries exactly 0"]
    Z32 = _Z(51, (2, 5)).astype(np.float32)
    got, _ = call_recording_warnings(answer, Z32, *extra)
    _no_bool(got, name, hint_bool)
    compare(got, reference(Z32.astype(np.float64)), f"{name} for a float32 Z", rtol=1e-5)
    passed.append("a float32 Z")
    if big is not None:
        Zb = np.array([[-1e4, -1000.0, -30.0, 0.0, 30.0, 1000.0, 1e4]])
        got, warned = call_recording_warnings(answer, Zb, *extra)
        if warned:
            raise Mistake(f"{name} gives a warning for |z| up to 10⁴ ({warned[0].message}): "
                          f"{big}")
        compare(got, reference(Zb), f"{name} for |z| up to 10⁴", show_values=False)
        passed.append("no overflow or warning for |z| up to 10⁴")
    require_vectorised(answer, lambda m: (_Z(52, (2, m)),) + tuple(extra))
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 5.1 σ' ---------------------------------------------------------------------------------------


@question("5.1", name="sigmoid_derivative", points=1, title="σ'(z) = σ(z)(1 − σ(z))")
def check_sigmoid_derivative(answer):
    def mistakes(Z):
        A = _g.sigmoid(Z)
        return {
            "σ' computed from Z where A was meant: Z(1 − Z) instead of A(1 − A), with A = σ(Z)."
            " Compute A = sigmoid(Z) first.": Z * (1 - Z),
            "it returns σ(z) itself; σ'(z) = σ(z)(1 − σ(z)).": A,
            "it is 1 − σ(z); the factor σ(z) is missing: σ'(z) = σ(z)(1 − σ(z)).": 1 - A,
            "it is σ(z)²; σ'(z) = σ(z)(1 − σ(z)).": A * A,
        }

    return _elementwise(answer, "sigmoid_derivative(Z)", _g.sigmoid_derivative, mistakes,
                        big="σ must not overflow: use nnlib.activations.sigmoid (or your stable "
                            "sigmoid of exercise 3) for A, then A(1 − A).")


# -- 5.2 tanh -------------------------------------------------------------------------------------


@question("5.2", name="tanh", points=1, title="tanh(z), which must not overflow")
def check_tanh(answer):
    def mistakes(Z):
        return {
            "it is (e^z − e^(−z)) / 2 = sinh z; tanh z = (e^z − e^(−z)) / (e^z + e^(−z)).":
                np.sinh(Z),
            "it is the sigmoid σ(z), with values in (0, 1); tanh has values in (−1, 1) and "
            "tanh z = 2σ(2z) − 1.": _g.sigmoid(Z),
        }

    return _elementwise(
        answer, "tanh(Z)", _g.tanh, mistakes,
        big="(e^z − e^(−z)) / (e^z + e^(−z)) overflows to inf / inf = nan for |z| near 1000. "
            "Use np.tanh, or 2σ(2z) − 1 with a stable σ.")


# -- 5.3 tanh' ------------------------------------------------------------------------------------


@question("5.3", name="tanh_derivative", points=1, title="tanh'(z) = 1 − tanh(z)²")
def check_tanh_derivative(answer):
    def mistakes(Z):
        A = np.tanh(Z)
        return {
            "tanh' computed from Z where A was meant: 1 − Z² instead of 1 − A², with "
            "A = tanh(Z).": 1 - Z * Z,
            "it is 1 − tanh(z); the square is missing: tanh'(z) = 1 − tanh(z)².": 1 - A,
            "it is σ(z)(1 − σ(z)), the sigmoid's derivative; tanh'(z) = 1 − tanh(z)².":
                _g.sigmoid_derivative(Z),
            "it is tanh(z)²; tanh'(z) = 1 − tanh(z)².": A * A,
        }

    return _elementwise(answer, "tanh_derivative(Z)", _g.tanh_derivative, mistakes)


# -- 5.4 ReLU -------------------------------------------------------------------------------------


@question("5.4", name="relu", points=1, title="ReLU(z) = max(0, z)")
def check_relu(answer):
    Z = _Z()
    got, _ = call_recording_warnings(answer, Z)
    if isinstance(got, np.ndarray) and got.shape in ((Z.shape[1],), (Z.shape[0],), ()):
        raise Mistake(f"relu(Z) has shape {got.shape} where {Z.shape} was expected: np.max(Z, 0) "
                      "takes the largest entry along axis 0. The entry-by-entry maximum of Z and "
                      "0 is np.maximum(Z, 0).")

    def mistakes(Z):
        return {
            "it returns 1 where z > 0 and 0 elsewhere: that is ReLU's derivative. ReLU(z) = z for "
            "z > 0.": (Z > 0).astype(float),
            "it returns |z|; ReLU(z) = max(0, z) is 0 for negative z.": np.abs(Z),
            "it returns min(0, z); ReLU(z) = max(0, z).": np.minimum(Z, 0),
        }

    return _elementwise(answer, "relu(Z)", _g.relu, mistakes,
                        hint_bool="np.maximum(Z, 0)")


# -- 5.5 ReLU' ------------------------------------------------------------------------------------


@question("5.5", name="relu_derivative", points=1,
          title="ReLU'(z), 0 at z = 0")
def check_relu_derivative(answer):
    def mistakes(Z):
        return {
            "ReLU's derivative is wrong at z = 0: it gives 1 there. ReLU has a kink at 0 with no "
            "derivative; this course (and nnlib) takes ReLU'(0) = 0, so write Z > 0, not Z >= 0.":
                (Z >= 0).astype(float),
            "it returns ReLU(z) itself; ReLU'(z) is 1 for z > 0 and 0 otherwise.": _g.relu(Z),
            "it returns 1 for z < 0 and 0 for z > 0: the comparison is the wrong way round.":
                (Z < 0).astype(float),
            "it is 1 for z < 0 and 0 for z > 0, with 1 at 0: the comparison is the wrong way "
            "round.": (Z <= 0).astype(float),
        }

    return _elementwise(answer, "relu_derivative(Z)", _g.relu_derivative, mistakes,
                        hint_bool="(Z > 0).astype(float)")


# -- 5.6 Leaky ReLU -------------------------------------------------------------------------------


def _leaky_mistakes(alpha):
    def mistakes(Z):
        return {
            f"the slope α is ignored: with alpha={alpha} the negative side should be α z. Use "
            "the argument alpha, not a fixed 0.01.": _g.leaky_relu(Z, 0.01),
            "the slopes are swapped: Leaky ReLU is z for z > 0 and α z for z ≤ 0.":
                np.where(Z > 0, alpha * Z, Z),
            "it is ReLU, 0 for negative z; Leaky ReLU keeps a small slope α there: α z.":
                _g.relu(Z),
        }
    return mistakes


@question("5.6", name="leaky_relu", points=1, title="Leaky ReLU(z)")
def check_leaky_relu(answer):
    passed = _elementwise(answer, "leaky_relu(Z, alpha=0.2)",
                          lambda Z: _g.leaky_relu(Z, 0.2), _leaky_mistakes(0.2), extra=(0.2,))
    Z = _Z(53)
    compare(answer(Z), _g.leaky_relu(Z), "leaky_relu(Z) with the default alpha",
            mistakes={"the default slope should be alpha=0.01 (def leaky_relu(Z, alpha=0.01)).":
                      _g.leaky_relu(Z, 0.2)})
    return passed + ["the default α = 0.01"]


# -- 5.7 Leaky ReLU' ------------------------------------------------------------------------------


def _leaky_derivative_mistakes(alpha):
    def mistakes(Z):
        return {
            f"the slope α is missing for z < 0 (that is ReLU's derivative): Leaky ReLU'(z) = α = "
            f"{alpha} there.": _g.relu_derivative(Z),
            "it is wrong at z = 0: like nnlib, this course takes the slope α at exactly z = 0 "
            "(z > 0 gives 1, z ≤ 0 gives α).": np.where(Z >= 0, 1.0, alpha),
            "it returns α z for z ≤ 0 (Leaky ReLU itself) instead of the slope α.":
                np.where(Z > 0, 1.0, alpha * Z),
            f"the slope α is ignored: with alpha={alpha} the derivative for z ≤ 0 is α, not 0.01.":
                _g.leaky_relu_derivative(Z, 0.01),
        }
    return mistakes


@question("5.7", name="leaky_relu_derivative", points=1,
          title="Leaky ReLU'(z), α at z ≤ 0")
def check_leaky_relu_derivative(answer):
    passed = _elementwise(answer, "leaky_relu_derivative(Z, alpha=0.2)",
                          lambda Z: _g.leaky_relu_derivative(Z, 0.2),
                          _leaky_derivative_mistakes(0.2), extra=(0.2,))
    Z = _Z(54)
    compare(answer(Z), _g.leaky_relu_derivative(Z), "leaky_relu_derivative(Z) with the default "
            "alpha", mistakes={"the default slope should be alpha=0.01.":
                               _g.leaky_relu_derivative(Z, 0.2)})
    return passed + ["the default α = 0.01"]


# -- 5.8, 5.9 the experiment ----------------------------------------------------------------------

EXPERIMENT_ACTIVATIONS = ("sigmoid", "tanh", "relu")


@functools.lru_cache(maxsize=None)

def reference_final_cost(activation):
    """The recipe stated in the notebook: circles(m=200, seed=0); a 2-8-1 network (hidden layer
    ``activation`` with seed=1, sigmoid output with seed=2), binary cross-entropy, 300 epochs of
    full-batch gradient descent with α = 0.5; the training cost after the last epoch."""
    X, Y = datasets.circles(m=200, seed=0)
    net = Network([Dense(2, 8, activation, seed=1), Dense(8, 1, "sigmoid", seed=2)],
                  loss="binary_cross_entropy")
    return net.fit(X, Y, epochs=300, learning_rate=0.5).cost[-1]


@question("5.8", name="final_cost", points=2,
          title="Experiment: three hidden activations")
def check_final_cost(answer):
    for number, activation in enumerate(EXPERIMENT_ACTIVATIONS):
        got = answer(activation)
        again = answer(activation) if number == 0 else got
        try:
            same = float(np.asarray(got, dtype=np.float64).reshape(())) == \
                float(np.asarray(again, dtype=np.float64).reshape(()))
        except (TypeError, ValueError):
            same = True  # compare_scalar below names the problem
        if not same:
            raise Mistake(f"final_cost({activation!r}) gives a different number each time: "
                          "build the layers with the recipe's seeds, Dense(2, 8, activation, "
                          "seed=1) and Dense(8, 1, 'sigmoid', seed=2).")
        try:
            compare_scalar(got, reference_final_cost(activation), f"final_cost({activation!r})",
                           rtol=1e-6)
        except Mistake as mistake:
            raise Mistake(f"{mistake} Follow the recipe exactly: X, Y = "
                          "nnlib.datasets.circles(m=200, seed=0); layers Dense(2, 8, activation, "
                          "seed=1) and Dense(8, 1, 'sigmoid', seed=2); "
                          "loss='binary_cross_entropy'; fit(X, Y, epochs=300, learning_rate=0.5) "
                          "in one full batch; return history.cost[-1], one number.") from None
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
