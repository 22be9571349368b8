"""Exercise 4: general networks (exercises/solutions/04_general_networks.ipynb).

Convention of this exercise: nnlib's (and chapter 4's). dZ = ∂J/∂Z of the averaged cost, so the
1/m sits in the output layer's dZ^[L] = (A^[L] − Y)/m (sigmoid output with cross-entropy), and
then dW^[l] = A^[l-1] dZ^[l]ᵀ, db^[l] = Σ_examples dZ^[l], dA^[l-1] = W^[l] dZ^[l], with no
further 1/m. (The slides put the 1/m in dW and db instead; the numbers are the same.)

Layout: parameters = {"W[1]": (n^[0], n^[1]), "b[1]": (n^[1], 1), ...}; activations = list of
names, one per layer ("relu", "tanh", "sigmoid", "identity"), the last one "sigmoid";
caches[l-1] = (A^[l-1], Z^[l]) for layer l; grads = {"dW[1]": ..., "db[1]": ..., ...}.
"""

from __future__ import annotations

import numpy as np

from ... import activations as _activations
from ... import losses
from ..diagnose import (Mistake, compare, gradient_report, numerical_gradient,
                        require_vectorised, shape_hint)
from ..registry import question
from ..runner import LearnerRaised

G = {  # name: (g, g'(Z)) from nnlib's core
    "identity": (_activations.identity, _activations.identity_derivative),
    "sigmoid": (_activations.sigmoid, _activations.sigmoid_derivative),
    "tanh": (_activations.tanh, _activations.tanh_derivative),
    "relu": (_activations.relu, _activations.relu_derivative),
}

_TRANSPOSE_W = ("Z^[l] = W^[l]ᵀ A^[l-1] + b^[l]: W^[l] has shape (n^[l-1], n^[l]), so it "
                "needs the transpose (W.T @ A_prev); did you transpose W?")
_TRANSPOSE_BACK = ("In the backward pass dW^[l] = A^[l-1] dZ^[l]ᵀ (shape of W^[l]) and "
                   "dA^[l-1] = W^[l] dZ^[l] (shape of A^[l-1]): check which factor needs the "
                   "transpose.")


# -- references -----------------------------------------------------------------------------------


def ref_forward(X, parameters, activations):
    A = X
    caches = []
    for l, name in enumerate(activations, start=1):
        W, b = parameters[f"W[{l}]"], parameters[f"b[{l}]"]
        Z = W.T @ A + b
        caches.append((A, Z))
        A = G[name][0](Z)
    return A, caches


def ref_cost(AL, Y):
    return losses.binary_cross_entropy(AL, Y)


def ref_backward(AL, Y, caches, parameters, activations, variant=None):
    """nnlib's convention. ``variant`` names a known mistake, to recognise it."""
    m = Y.shape[1]
    L = len(activations)
    grads = {}
    dZ = (AL - Y) / m
    if variant == "no_1/m":
        dZ = AL - Y
    dA = None  # dJ/dA^[l], set by layer l + 1 for every layer below the output
    for l in range(L, 0, -1):
        A_prev, Z = caches[l - 1]
        if l < L:
            name = activations[l - 1]
            if variant == "derivative_from_Z" and name == "sigmoid":
                gprime = Z * (1 - Z)
            elif variant == "derivative_from_Z" and name == "tanh":
                gprime = 1 - Z * Z
            elif variant == "no_derivative":
                gprime = np.ones_like(Z)
            else:
                gprime = G[name][1](Z)
            dZ = dA * gprime
        grads[f"dW[{l}]"] = A_prev @ dZ.T
        grads[f"db[{l}]"] = np.sum(dZ, axis=1, keepdims=True)
        if variant == "db_mean":
            grads[f"db[{l}]"] = np.mean(dZ, axis=1, keepdims=True)
        dA = parameters[f"W[{l}]"] @ dZ
    return grads


def ref_update(parameters, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


# -- seeded cases ---------------------------------------------------------------------------------


def make_case(sizes=(3, 4, 2, 1), activations=("relu", "tanh", "sigmoid"), m=5, seed=0):
    """(X, Y, parameters, activations): X (n^[0], m), Y (1, m) with both classes."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(sizes)):
        parameters[f"W[{l}]"] = rng.normal(0, 1, (sizes[l - 1], sizes[l])) / np.sqrt(sizes[l - 1])
        parameters[f"b[{l}]"] = rng.normal(0, 0.5, (sizes[l], 1))
    X = rng.normal(0, 1, (sizes[0], m))
    Y = np.tile([0.0, 1.0, 1.0], m // 3 + 1)[:m].reshape(1, m)
    return X, Y, parameters, list(activations)


CASES = [
    make_case(),
    make_case((2, 3, 3, 1), ("sigmoid", "sigmoid", "sigmoid"), m=4, seed=1),
]


def _call(answer, *args, hint):
    """answer(*args), with a shape hint added to a NumPy shape error of the learner's code."""
    try:
        return answer(*args)
    except LearnerRaised as error:
        text = str(error)
        if any(word in text for word in ("matmul", "not aligned", "broadcast", "shapes")):
            raise LearnerRaised(f"{text}. {hint}") from None
        raise


# -- 4.1 initialisation ---------------------------------------------------------------------------


def _check_keys(parameters, L, what="initialize_parameters"):
    if not isinstance(parameters, dict):
        raise Mistake(f"{what} should return a dict {{'W[1]': ..., 'b[1]': ..., ...}}, got "
                      f"{type(parameters).__name__ if parameters is not None else 'None'}"
                      + (": did the function forget to `return` it?" if parameters is None
                         else "."))
    expected = [f"{p}[{l}]" for l in range(1, L + 1) for p in "Wb"]
    missing = [key for key in expected if key not in parameters]
    if missing:
        extra = sorted(set(map(str, parameters)) - set(expected))
        hint = ""
        if "W1" in parameters or "W[0]" in parameters:
            hint = (" Name them as the book does, with the layer number in brackets and layers "
                    "counted from 1: 'W[1]', 'b[1]', ..., 'W[L]', 'b[L]'.")
        raise Mistake(f"the parameters {missing} are missing (found {extra or 'none'}); for "
                      f"{L} layers the keys are 'W[1]', 'b[1]', ..., 'W[{L}]', 'b[{L}]'.{hint}")


@question("4.1", name="initialize_parameters", points=2,
          title="Initialisation of W^[l] and b^[l]")
def check_initialize(answer):
    sizes = [3, 5, 4, 1]
    parameters = answer(sizes, 0)
    _check_keys(parameters, 3)
    for l in range(1, 4):
        W = parameters[f"W[{l}]"]
        b = parameters[f"b[{l}]"]
        for name, value, shape in ((f"W[{l}]", W, (sizes[l - 1], sizes[l])),
                                   (f"b[{l}]", b, (sizes[l], 1))):
            if not isinstance(value, np.ndarray):
                raise Mistake(f"{name} should be a NumPy array of shape {shape}, got "
                              f"{type(value).__name__}.")
            hint = shape_hint(value.shape, shape, name, transpose_hint=(
                f"Did you transpose W? W^[{l}] has shape (n^[{l - 1}], n^[{l}]) = {shape}: one "
                "row per input, one column per unit, so that Z = Wᵀ A_prev + b."))
            if hint:
                if name.startswith("b") and value.shape == (sizes[l],):
                    hint += (f" b of shape (n,) instead of (n, 1): use np.zeros(({sizes[l]}, 1)); "
                             "a (n,) b would broadcast along the wrong axis of Z.")
                raise Mistake(hint)
        if np.any(b != 0):
            raise Mistake(f"b[{l}] should start at 0 (np.zeros((n^[l], 1))): the random W "
                          "already breaks the symmetry.")
        if np.all(W == 0):
            raise Mistake(f"W[{l}] is all zeros. Then every unit of a layer computes the same "
                          "thing, gets the same gradient and stays equal to the others forever "
                          "(the symmetry problem): draw W at random.")
        if W.shape[1] > 1 and np.all(W == W[:, :1]):
            raise Mistake(f"the columns of W[{l}] are all equal, so the units of layer {l} "
                          "start identical and stay identical (the symmetry problem): draw "
                          "every entry at random.")
    passed = ["keys 'W[1]' ... 'b[3]' for layer sizes [3, 5, 4, 1]",
              "W^[l] has shape (n^[l-1], n^[l]), b^[l] (n^[l], 1) and starts at 0",
              "W is random (no symmetry)"]

    again = answer(sizes, 0)
    other = answer(sizes, 1)
    _check_keys(again, 3)
    _check_keys(other, 3)
    if not all(np.array_equal(again[k], parameters[k]) for k in parameters):
        raise Mistake("two calls with the same seed gave different W: draw from "
                      "rng = np.random.default_rng(seed), so that a run can be repeated.")
    if np.array_equal(other["W[1]"], parameters["W[1]"]):
        raise Mistake("seed=1 gave the same W as seed=0: use the seed argument, "
                      "rng = np.random.default_rng(seed).")
    passed.append("the same seed gives the same W, another seed another W")

    big = answer([300, 100, 7, 1], 0)
    _check_keys(big, 3)
    W = np.asarray(big["W[1]"], dtype=np.float64)
    if W.shape != (300, 100):
        raise Mistake(f"W[1] should have shape (300, 100) for layer sizes [300, 100, 7, 1], got "
                      f"{W.shape}.")
    if W.min() >= 0:
        raise Mistake("every weight is positive: rng.random draws from [0, 1). Draw from a "
                      "normal distribution centred on 0, rng.standard_normal(...), then scale it.")
    std = float(W.std())
    scales = {"√(1/n^[l-1])": np.sqrt(1 / 300), "√(2/n^[l-1])": np.sqrt(2 / 300), "0.01": 0.01}
    if not any(abs(std / s - 1) < 0.1 for s in scales.values()):
        if abs(std - 1) < 0.1:
            raise Mistake(
                "W[1] is unscaled standard normal (standard deviation 1): with n^[0] = 300 "
                "inputs z has a spread of about √300 ≈ 17 and sigmoid and tanh saturate, so "
                "learning stalls. Multiply by √(1/n^[l-1]).")
        if any(abs(std / s - 1) < 0.1 for s in (np.sqrt(1 / 100), np.sqrt(2 / 100))):
            raise Mistake(
                "W[1] is scaled with n^[l] (this layer's units) instead of n^[l-1] (its inputs): "
                "the spread of z = Wᵀ a depends on how many inputs are added up, so the scale "
                "is √(1/n^[l-1]).")
        raise Mistake(
            f"W[1] has a standard deviation of {std:.3g} for n^[0] = 300 inputs; draw "
            "rng.standard_normal((n^[l-1], n^[l])) * √(1/n^[l-1]) (Xavier), or √(2/n^[l-1]) "
            "(He), or the slides' 0.01.")
    passed.append("W scaled by √(1/n^[l-1]) (or √(2/n^[l-1]), or 0.01)")
    return passed


# -- 4.2 forward ----------------------------------------------------------------------------------


def _forward_mistakes(X, parameters, activations):
    """{feedback: A^[L] that mistake gives}."""
    L = len(activations)
    out = {}
    AL, caches = ref_forward(X, parameters, activations)
    out["A^[L] is Z^[L]: the output activation σ was not applied to the last layer."] = \
        caches[-1][1]
    every = [activations[-1]] * L
    out["every layer used the output's activation: layer l uses activations[l-1], its own "
        "g^[l]."] = ref_forward(X, parameters, every)[0]
    linear_hidden = ["identity"] * (L - 1) + [activations[-1]]
    out["the hidden layers have no activation: A^[l] = g^[l](Z^[l]), not Z^[l]."] = \
        ref_forward(X, parameters, linear_hidden)[0]
    # every layer fed with X (only possible when the sizes allow it) is a shape error instead
    return out


def _as_caches(caches, L):
    if not isinstance(caches, (list, tuple)) or len(caches) != L:
        length = len(caches) if isinstance(caches, (list, tuple)) else None
        raise Mistake(f"caches should be a list with one entry per layer ({L} for this network), "
                      f"got {'a list of ' + str(length) if length is not None else type(caches).__name__}"
                      ". Append (A_prev, Z) once per layer.")
    for l, entry in enumerate(caches, start=1):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            raise Mistake(f"caches[{l - 1}] should be the pair (A^[{l - 1}], Z^[{l}]) for layer "
                          f"{l}, got {type(entry).__name__}"
                          + (f" of length {len(entry)}" if isinstance(entry, (list, tuple)) else "")
                          + ".")
    return caches


@question("4.2", name="forward", points=3,
          title="Forward propagation through L layers")
def check_forward(answer):
    passed = []
    for case_no, (X, Y, parameters, activations) in enumerate(CASES, start=1):
        L = len(activations)
        out = _call(answer, X, parameters, activations, hint=_TRANSPOSE_W)
        if not isinstance(out, tuple) or len(out) != 2:
            raise Mistake("forward(X, parameters, activations) should return two things, A^[L] "
                          "and the caches (end with `return A, caches`).")
        AL, caches = out
        ref_AL, ref_caches = ref_forward(X, parameters, activations)
        compare(AL, ref_AL, "A^[L]", transpose_hint=_TRANSPOSE_W,
                mistakes=_forward_mistakes(X, parameters, activations))
        caches = _as_caches(caches, L)
        for l in range(1, L + 1):
            A_prev, Z = caches[l - 1]
            ref_A_prev, ref_Z = ref_caches[l - 1]
            A_l = G[activations[l - 1]][0](ref_Z)
            if (isinstance(A_prev, np.ndarray) and A_prev.shape == A_l.shape
                    and np.allclose(A_prev, A_l, rtol=1e-4, atol=1e-8)
                    and not (A_l.shape == ref_A_prev.shape and np.allclose(A_l, ref_A_prev))):
                raise Mistake(f"caches[{l - 1}][0] holds A^[{l}], layer {l}'s output; the cache "
                              f"of layer {l} keeps its input A^[{l - 1}], which dW^[{l}] = "
                              f"A^[{l - 1}] dZ^[{l}]ᵀ needs. Append (A_prev, Z) before A is "
                              "overwritten.")
            compare(A_prev, ref_A_prev, f"caches[{l - 1}][0] (A^[{l - 1}])", mistakes={
                f"it holds A^[{l}], this layer's output; the cache of layer {l} keeps its "
                f"input A^[{l - 1}] (dW^[{l}] = A^[{l - 1}] dZ^[{l}]ᵀ needs it).":
                    G[activations[l - 1]][0](ref_Z)} if ref_Z.shape == ref_A_prev.shape else None)
            compare(Z, ref_Z, f"caches[{l - 1}][1] (Z^[{l}])", transpose_hint=_TRANSPOSE_W,
                    mistakes={f"it holds A^[{l}] = g(Z^[{l}]); the cache keeps Z^[{l}] itself "
                              "(g'(Z) needs it).": G[activations[l - 1]][0](ref_Z)})
        sizes = [X.shape[0]] + [parameters[f"b[{l}]"].shape[0] for l in range(1, L + 1)]
        passed.append(f"A^[L] and the caches for layer sizes {sizes} "
                      f"({', '.join(activations)})")

    def args(m):
        X, _, parameters, activations = make_case(m=m)
        return X, parameters, activations

    require_vectorised(answer, args)
    passed.append("vectorised over the examples (a loop over the layers is fine)")
    return passed


# -- 4.3 backward ---------------------------------------------------------------------------------


def _numerical_grads(X, Y, parameters, activations):
    params = {k: v.copy() for k, v in parameters.items()}

    def J():
        return ref_cost(ref_forward(X, params, activations)[0], Y)

    out = {}
    for l in range(1, len(activations) + 1):
        out[f"dW[{l}]"] = numerical_gradient(J, params[f"W[{l}]"])
        out[f"db[{l}]"] = numerical_gradient(J, params[f"b[{l}]"])
    return out


def _backward_hints(AL, Y, caches, parameters, activations):
    right = ref_backward(AL, Y, caches, parameters, activations)
    hints = {key: {} for key in right}
    variants = {
        "derivative_from_Z": "g' was computed from Z where A was meant: σ'(z) = A(1 − A) and "
                             "tanh'(z) = 1 − A² with A = g(Z), not Z(1 − Z) or 1 − Z²",
        "no_derivative": "the factor g'(Z^[l]) is missing: dZ^[l] = dA^[l] * g'(Z^[l])",
        "db_mean": "a mean where a sum was meant: dZ already carries the 1/m (this exercise's "
                   "convention), so db^[l] = Σ dZ^[l] = np.sum(dZ, axis=1, keepdims=True)",
    }
    for variant, text in variants.items():
        wrong = ref_backward(AL, Y, caches, parameters, activations, variant=variant)
        for key in right:
            if not np.allclose(wrong[key], right[key]):
                hints[key][text] = wrong[key]
    for l in range(1, len(activations) + 1):
        dZ_l = _dZ(AL, Y, caches, parameters, activations, l)
        if dZ_l.shape[1] != 1:
            hints[f"db[{l}]"]["the sum over the examples is missing: db = Σ dZ over the columns "
                              "(np.sum(dZ, axis=1, keepdims=True))"] = dZ_l
        hints[f"db[{l}]"]["the sum over the wrong axis (axis=0 adds up the units of each example; "
                          "the examples are the columns, axis=1)"] = np.sum(dZ_l, axis=0,
                                                                            keepdims=True)
        hints[f"db[{l}]"]["the sum over the wrong axis (axis=0 adds up the units of each example; "
                          "the examples are the columns: np.sum(dZ, axis=1, keepdims=True))"] = \
            np.sum(dZ_l, axis=0)
        hints[f"db[{l}]"]["b of shape (n,) instead of (n, 1): keep the column with "
                          "keepdims=True"] = np.sum(dZ_l, axis=1)
    return hints


def _dZ(AL, Y, caches, parameters, activations, layer):
    m = Y.shape[1]
    dZ = (AL - Y) / m
    for l in range(len(activations), layer, -1):
        dA = parameters[f"W[{l}]"] @ dZ
        dZ = dA * G[activations[l - 2]][1](caches[l - 2][1])
    return dZ


@question("4.3", name="backward", points=3,
          title="Backpropagation through L layers")
def check_backward(answer):
    passed = []
    for X, Y, parameters, activations in CASES:
        AL, caches = ref_forward(X, parameters, activations)
        got = _call(answer, AL, Y, caches, parameters, activations, hint=_TRANSPOSE_BACK)
        numeric = _numerical_grads(X, Y, parameters, activations)
        hints = _backward_hints(AL, Y, caches, parameters, activations)
        if isinstance(got, dict) and "dW1" in got:
            raise Mistake("name the gradients as the book does: 'dW[1]', 'db[1]', ..., "
                          "'dW[L]', 'db[L]'.")
        report = gradient_report(got, numeric, m=Y.shape[1], hints=hints)
        passed.append(f"gradient check ({', '.join(activations)}): " + ", ".join(report))

    def args(m):
        X, Y, parameters, activations = make_case(m=m)
        AL, caches = ref_forward(X, parameters, activations)
        return AL, Y, caches, parameters, activations

    require_vectorised(answer, args)
    passed.append("vectorised over the examples")
    return passed


# -- 4.4 update -----------------------------------------------------------------------------------


@question("4.4", name="update_parameters", points=1,
          title="One update W ← W − α dW")
def check_update(answer):
    X, Y, parameters, activations = CASES[0]
    AL, caches = ref_forward(X, parameters, activations)
    grads = ref_backward(AL, Y, caches, parameters, activations)
    learning_rate = 0.3
    got = answer(parameters, grads, learning_rate)
    _check_keys(got, len(activations), what="update_parameters")
    right = ref_update(parameters, grads, learning_rate)
    for key in right:
        wrong = {
            "the sign is flipped in the update: gradient descent steps against the gradient, "
            f"{key[0]} ← {key[0]} − α d{key[0]}.": parameters[key] + learning_rate * grads["d" + key],
            f"{key} did not change: is its update missing?": parameters[key],
            "the learning rate is missing: W ← W − α dW.": parameters[key] - grads["d" + key],
            "it divides by the learning rate: W ← W − α dW multiplies.":
                parameters[key] - grads["d" + key] / learning_rate,
        }
        compare(got[key], right[key], key, mistakes=wrong, transpose_hint="W keeps its shape.")
    return ["every W^[l] and b^[l] after one step with α = 0.3"]


# -- 4.5 the learner's gradient check -------------------------------------------------------------


def _broken_backward(AL, Y, caches, parameters, activations):
    grads = ref_backward(AL, Y, caches, parameters, activations)
    grads["db[2]"] = 2 * grads["db[2]"]
    grads["dW[1]"] = -grads["dW[1]"]
    return grads


@question("4.5", name="gradient_check", points=2,
          title="A gradient check of a backward pass")
def check_gradient_check(answer):
    X, Y, parameters, activations = CASES[0]
    L = len(activations)
    keys = [f"d{p}[{l}]" for l in range(1, L + 1) for p in "Wb"]
    seen = []  # for each forward call: the entries that differ from the original parameters
    original = parameters

    def forward(X, parameters, activations):
        nudged = []
        for key, value in original.items():
            given = np.asarray(parameters.get(key, value), dtype=np.float64)
            if given.shape == value.shape:
                nudged += [(key, float(d)) for d in (given - value)[given != value].ravel()]
        seen.append(nudged)
        return ref_forward(X, parameters, activations)

    got = answer(forward, ref_backward, parameters, X, Y, activations)
    if any(len(nudged) > 1 for nudged in seen):
        many = max(len(nudged) for nudged in seen)
        raise Mistake(
            f"your gradient check called the forward pass with {many} parameters changed at "
            "once. Nudge one entry θ_i at a time, and put it back to its original value before "
            "the next one (θ_i + ε, then θ_i − ε, then θ_i).")
    if seen and not any(d < 0 for nudged in seen for _, d in nudged):
        raise Mistake("your gradient check only ever evaluates J(θ + ε): use centred "
                      "differences (J(θ + ε) − J(θ − ε)) / (2ε), which are far more accurate "
                      "than (J(θ + ε) − J(θ)) / ε.")
    if not isinstance(got, dict) or any(key not in got for key in keys):
        raise Mistake("gradient_check should return a dict with one relative error per "
                      f"parameter: {{'dW[1]': ..., 'db[1]': ..., ..., 'db[{L}]': ...}}.")
    errors = {}
    for key in keys:
        try:
            errors[key] = float(np.asarray(got[key], dtype=np.float64).reshape(()))
        except (TypeError, ValueError):
            raise Mistake(f"gradient_check's {key} should be one number, the relative error "
                          "‖dθ_approx − dθ‖ / (‖dθ_approx‖ + ‖dθ‖) for that parameter.") from None
    bad = {k: v for k, v in errors.items() if not (0 <= v < 1e-5)}
    if bad:
        key = max(bad, key=lambda k: abs(bad[k]) if np.isfinite(bad[k]) else np.inf)
        raise Mistake(
            f"with a correct backward pass your gradient check reports {key}: {errors[key]:.2g} "
            "(it should be below 1e-7). Is each θ put back after nudging it (θ + ε, then θ − ε, "
            "then the original value)? Are the differences centred, (J(θ + ε) − J(θ − ε)) / (2ε)?"
            " Is J the averaged cost of the forward pass?")
    passed = ["a correct backward pass gives relative errors below 1e-5"]

    got = answer(ref_forward, _broken_backward, parameters, X, Y, activations)
    errors = {key: float(np.asarray(got[key], dtype=np.float64).reshape(())) for key in keys}
    expected = {"dW[1]": 1.0, "db[2]": 1 / 3}
    for key, value in expected.items():
        if not np.isclose(errors[key], value, atol=1e-3):
            if np.isclose(errors[key], 2 * value, atol=1e-3) or np.isclose(errors[key], 0.5 if key == "db[2]" else 2.0, atol=1e-3):
                raise Mistake(
                    "the relative error is ‖a − b‖ / (‖a‖ + ‖b‖): both norms in the denominator "
                    f"(for a gradient with its sign flipped it is exactly 1; you report "
                    f"{errors['dW[1]']:.3g}).")
            raise Mistake(
                f"a backward pass whose {key} is wrong (the check broke it on purpose) gets the "
                f"relative error {errors[key]:.3g} from your gradient check; it should be "
                f"‖a − b‖ / (‖a‖ + ‖b‖) between backpropagation's {key} and the finite "
                "differences. Is each parameter's error computed from that parameter alone?")
    rest = {k: v for k, v in errors.items() if k not in expected}
    if any(not (0 <= v < 1e-5) for v in rest.values()):
        raise Mistake("a backward pass with only dW[1] and db[2] wrong made your gradient check "
                      "report errors for other parameters too: compare each parameter's "
                      "gradient only with its own finite differences.")
    passed.append("a backward pass with dW[1] and db[2] broken on purpose is caught, with "
                  "the right relative errors, and the others are not")
    return passed
