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
from ..diagnose import (Mistake, compare, gradient_report, number, numerical_gradient,
                        require_vectorised, shape_hint, unpack)
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


def _same_draws_in_every_layer(parameters, L):
    """Mistake if two layers' W start with the same random numbers (up to their scale): the
    generator was created again, with the same seed, for each layer."""
    def streams(W):
        W = np.asarray(W, dtype=np.float64)
        return W.ravel(), W.T.ravel()   # drawn as (n_prev, n), or as (n, n_prev) then transposed

    for l in range(2, L + 1):
        for earlier in range(1, l):
            for a in streams(parameters[f"W[{earlier}]"]):
                for b in streams(parameters[f"W[{l}]"]):
                    k = min(a.size, b.size)
                    if k < 2:
                        continue
                    u, v = a[:k], b[:k]
                    norms = np.linalg.norm(u) * np.linalg.norm(v)
                    # equal draws differ only by their scale: |cos| = 1 up to rounding (1e-15);
                    # independent draws of k ≥ 2 numbers essentially never come within 1e-9
                    if norms > 0 and abs(u @ v) >= (1 - 1e-9) * norms:
                        raise Mistake(
                            f"W[{l}] starts with the same random numbers as W[{earlier}] (scaled): "
                            "the generator was created again, with the same seed, for each layer, "
                            "so every layer draws the same sequence. Create it once, before the "
                            "loop over the layers.",
                            "rng = np.random.default_rng(seed) once, then in the loop "
                            "rng.standard_normal((n_prev, n)) * np.sqrt(1 / n_prev).")


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
            raise Mistake(f"b[{l}] should start at 0: the random W already breaks the symmetry.",
                          f"b[{l}] = np.zeros((n^[{l}], 1))")
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
        raise Mistake("two calls with the same seed gave different W: the random numbers do "
                      "not come from the seed, so a run cannot be repeated.",
                      "rng = np.random.default_rng(seed), once, and draw every W from rng.")
    if np.array_equal(other["W[1]"], parameters["W[1]"]):
        raise Mistake("seed=1 gave the same W as seed=0: the seed argument is not used.",
                      "rng = np.random.default_rng(seed), once, and draw every W from rng.")
    passed.append("the same seed gives the same W, another seed another W")
    _same_draws_in_every_layer(parameters, 3)

    big = answer([300, 100, 7, 1], 0)
    _check_keys(big, 3)
    W = np.asarray(big["W[1]"], dtype=np.float64)
    if W.shape != (300, 100):
        raise Mistake(f"W[1] should have shape (300, 100) for layer sizes [300, 100, 7, 1], got "
                      f"{W.shape}.")
    if W.min() >= 0:
        raise Mistake("every weight is positive: uniform draws from [0, 1) are not centred on "
                      "0, so every unit starts pushed the same way.",
                      "rng.standard_normal((n_prev, n)) * np.sqrt(1 / n_prev): a normal "
                      "distribution centred on 0, then scaled.")
    std = float(W.std())
    scales = {"√(1/n^[l-1])": np.sqrt(1 / 300), "√(2/n^[l-1])": np.sqrt(2 / 300),
              "√(2/(n^[l-1] + n^[l]))": np.sqrt(2 / (300 + 100)), "0.01": 0.01}
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
            f"W[1] has a standard deviation of {std:.3g} for n^[0] = 300 inputs: the scale is "
            "none of √(1/n^[l-1]) (LeCun), √(2/n^[l-1]) (He), √(2/(n^[l-1] + n^[l])) (Glorot, "
            "also called Xavier) or 0.01.",
            "rng.standard_normal((n_prev, n)) * np.sqrt(1 / n_prev)")
    passed.append("W scaled by √(1/n^[l-1]) (or √(2/n^[l-1]), √(2/(n^[l-1] + n^[l])), or 0.01)")
    return passed


# -- 4.2 forward ----------------------------------------------------------------------------------


FORWARD = ("for l, name in enumerate(activations, start=1): Z = parameters[f'W[{l}]'].T @ A + "
           "parameters[f'b[{l}]']; caches.append((A, Z)); A = ACTIVATIONS[name][0](Z)")
BACKWARD = ("dZ = (AL − Y)/m at layer L, dZ = dA * g'(Z) below it (g' = ACTIVATIONS[name][1], "
            "applied to the cached Z); dW = A_prev @ dZ.T; db = np.sum(dZ, axis=1, keepdims=True); "
            "dA = W @ dZ for the layer below.")


def _forward_mistakes(X, parameters, activations):
    """{feedback: A^[L] that mistake gives}."""
    L = len(activations)
    out = {}
    AL, caches = ref_forward(X, parameters, activations)
    out[("A^[L] is Z^[L]: the output activation σ was not applied to the last layer.",
         FORWARD)] = caches[-1][1]
    every = [activations[-1]] * L
    out[("every layer used the output's activation: each layer l has its own g^[l], "
         "activations[l-1].", FORWARD)] = ref_forward(X, parameters, every)[0]
    linear_hidden = ["identity"] * (L - 1) + [activations[-1]]
    out[("the hidden layers have no activation: A^[l] is g^[l](Z^[l]), not Z^[l].", FORWARD)] = \
        ref_forward(X, parameters, linear_hidden)[0]
    first = [activations[0]] * L
    if first != activations:
        out[("every layer used the first layer's activation: each layer l has its own g^[l], "
             "activations[l-1].", FORWARD)] = ref_forward(X, parameters, first)[0]
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
        AL, caches = unpack(out, ("A", "caches"), "forward")
        if isinstance(AL, (list, tuple)) and isinstance(caches, np.ndarray):
            raise Mistake("forward returns the caches first and A^[L] second: it should be "
                          "A, caches, in that order.", "End forward with `return A, caches`.")
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
                              f"A^[{l - 1}] dZ^[{l}]ᵀ needs.",
                              "Append (A, Z) to caches before A is overwritten by g(Z).")
            compare(A_prev, ref_A_prev, f"caches[{l - 1}][0] (A^[{l - 1}])", mistakes={
                (f"it holds A^[{l}], this layer's output; the cache of layer {l} keeps its "
                 f"input A^[{l - 1}] (dW^[{l}] = A^[{l - 1}] dZ^[{l}]ᵀ needs it).", FORWARD):
                    G[activations[l - 1]][0](ref_Z)} if ref_Z.shape == ref_A_prev.shape else None)
            compare(Z, ref_Z, f"caches[{l - 1}][1] (Z^[{l}])", transpose_hint=_TRANSPOSE_W,
                    mistakes={(f"it holds A^[{l}] = g(Z^[{l}]); the cache keeps Z^[{l}] itself "
                               "(g'(Z) needs it).", FORWARD): G[activations[l - 1]][0](ref_Z)})
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
        "derivative_from_Z": ("g' was computed from Z where A was meant (Z(1 − Z) or 1 − Z² "
                              "instead of A(1 − A) or 1 − A², with A = g(Z))", BACKWARD),
        "no_derivative": ("the factor g'(Z^[l]) is missing in the hidden layers", BACKWARD),
        "db_mean": ("a mean where a sum was meant: dZ already carries the 1/m (this exercise's "
                    "convention)", BACKWARD),
        "no_1/m": ("the 1/m is missing: in this exercise's convention it sits in the output "
                   "layer's dZ^[L] = (A^[L] − Y)/m", BACKWARD),
    }
    for variant, text in variants.items():
        wrong = ref_backward(AL, Y, caches, parameters, activations, variant=variant)
        for key in right:
            if not np.allclose(wrong[key], right[key]):
                hints[key][text] = wrong[key]
    for l in range(1, len(activations) + 1):
        dZ_l = _dZ(AL, Y, caches, parameters, activations, l)
        if dZ_l.shape[1] != 1:
            hints[f"db[{l}]"][("the sum over the examples (the columns) is missing",
                               BACKWARD)] = dZ_l
        wrong_axis = ("the sum over the wrong axis: axis=0 adds up the units of each example, "
                      "and the examples are the columns", BACKWARD)
        hints[f"db[{l}]"][wrong_axis] = np.sum(dZ_l, axis=0, keepdims=True)
        hints[f"db[{l}]"][(wrong_axis[0] + " (and the result lost its second axis)",
                           BACKWARD)] = np.sum(dZ_l, axis=0)
        hints[f"db[{l}]"][("db of shape (n,) instead of (n, 1): the sum lost its second axis",
                           BACKWARD)] = np.sum(dZ_l, axis=1)
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
        rule = (f"{key} ← {key} − α d{key}: {{key: value - learning_rate * grads['d' + key] "
                "for key, value in parameters.items()}")
        wrong = {
            ("the sign is flipped in the update: gradient descent steps against the gradient.",
             rule): parameters[key] + learning_rate * grads["d" + key],
            (f"{key} did not change: is its update missing?", rule): parameters[key],
            ("the learning rate is missing from the step.", rule):
                parameters[key] - grads["d" + key],
            ("it divides by the learning rate instead of multiplying.", rule):
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


#: The ε the check passes to the learner's gradient check. With ε = 0.01 centred differences
#: are off by ε² J⁽³⁾/6, relative errors of 4e-7 to 1.5e-5 on this network, which the check
#: computes itself and expects to the digit; one-sided differences are off by ε J''/2 (about
#: 1e-3), so every slip shows. Only the values returned are looked at.
GC_EPSILON = 1e-2
#: |learner's error − reference error| allowed. Both evaluate the same forward pass at the same
#: θ ± ε; θ put back by arithmetic (θ + ε − 2ε + ε) is off by an ulp, |ΔJ| ≤ |∂J/∂θ| ulp(θ)
#: ≈ 1e-16, so each dθ_approx differs by ≤ 2e-16 / (2ε) = 1e-14 and each relative error by
#: ≤ √n 1e-14 / (‖a‖ + ‖b‖) ≤ 4e-11 here (n ≤ 12 entries, gradients of norm ≥ 0.04). 1e-9 is 25
#: times that, and 400 times below the smallest slip (a factor 2 in the error: 8e-7).
GC_ATOL = 1e-9
GC_RTOL = 1e-6

GRADIENT_CHECK = ("for each entry: saved = theta[index]; theta[index] = saved + epsilon; "
                  "J_plus = J(); theta[index] = saved - epsilon; J_minus = J(); theta[index] = "
                  "saved; approx[index] = (J_plus - J_minus) / (2 * epsilon); then per parameter "
                  "np.linalg.norm(approx - exact) / (np.linalg.norm(approx) + "
                  "np.linalg.norm(exact)).")


def ref_gradient_check(forward, backward, parameters, X, Y, activations, epsilon, slip=None):
    """The relative error per parameter that a gradient check gives, right or with a slip:
    "forward" / "backward" (one-sided differences), "not_restored" (θ left at θ − ε),
    "over_epsilon" ((J+ − J−)/ε), "all_at_once" (the whole array nudged), "copy" (a copy
    nudged: J never changes), "over_backprop" / "over_approx" (one norm in the denominator)."""
    parameters = {key: np.array(value, dtype=np.float64) for key, value in parameters.items()}

    def J():
        return losses.binary_cross_entropy(forward(X, parameters, activations)[0], Y)

    AL, caches = forward(X, parameters, activations)
    grads = backward(AL, Y, caches, parameters, activations)
    errors = {}
    for key, theta in parameters.items():
        approx = np.zeros_like(theta)
        if slip == "all_at_once":
            theta += epsilon
            plus = J()
            theta -= 2 * epsilon
            minus = J()
            theta += epsilon
            approx[...] = (plus - minus) / (2 * epsilon)
        elif slip != "copy":
            for index in np.ndindex(theta.shape):
                saved = theta[index]
                here = J() if slip in ("forward", "backward") else None
                theta[index] = saved + epsilon
                plus = J()
                theta[index] = saved - epsilon
                minus = J()
                if slip != "not_restored":
                    theta[index] = saved
                if slip == "forward":
                    approx[index] = (plus - here) / epsilon
                elif slip == "backward":
                    approx[index] = (here - minus) / epsilon
                elif slip == "over_epsilon":
                    approx[index] = (plus - minus) / epsilon
                else:
                    approx[index] = (plus - minus) / (2 * epsilon)
        exact = grads["d" + key]
        difference = np.linalg.norm(approx - exact)
        norm_a, norm_b = np.linalg.norm(approx), np.linalg.norm(exact)
        if slip == "over_backprop":
            errors["d" + key] = difference / norm_b
        elif slip == "over_approx":
            errors["d" + key] = difference / norm_a if norm_a else np.inf
        else:
            errors["d" + key] = difference / (norm_a + norm_b)
    return errors


GC_SLIPS = {
    "forward": "it uses one-sided differences, (J(θ + ε) − J(θ)) / ε: their error is of order ε, "
               "a thousand times that of centred differences here",
    "backward": "it uses one-sided differences, (J(θ) − J(θ − ε)) / ε: their error is of order "
                "ε, a thousand times that of centred differences here",
    "not_restored": "θ is not put back after each nudge: it stays at θ − ε, so every later "
                    "entry is differentiated at a shifted point",
    "over_epsilon": "the difference is divided by ε instead of 2ε: the two evaluations are 2ε "
                    "apart",
    "all_at_once": "it nudges every entry of a parameter at once: each entry must be nudged on "
                   "its own, the others left as they are",
    "copy": "J never changes when θ is nudged: is a copy of the parameter nudged, instead of the "
            "array that parameters (and so J) uses?",
    "over_backprop": "the relative error divides by ‖dθ‖ only: both norms belong in the "
                     "denominator, ‖dθ_approx‖ + ‖dθ‖",
    "over_approx": "the relative error divides by ‖dθ_approx‖ only: both norms belong in the "
                   "denominator, ‖dθ_approx‖ + ‖dθ‖",
}


def _errors_of(got, keys, L):
    if not isinstance(got, dict) or any(key not in got for key in keys):
        found = sorted(map(str, got)) if isinstance(got, dict) else None
        raise Mistake("gradient_check should return a dict with one relative error per "
                      f"parameter, keys 'dW[1]', 'db[1]', ..., 'db[{L}]'"
                      + (f"; its keys are {found}." if found is not None else
                         f"; it returned {type(got).__name__}."), GRADIENT_CHECK)
    return {key: number(got[key], f"gradient_check's {key}") for key in keys}


def _matches(errors, expected):
    return all(abs(errors[key] - expected[key]) <= GC_ATOL + GC_RTOL * abs(expected[key])
               for key in expected)


@question("4.5", name="gradient_check", points=2,
          title="A gradient check of a backward pass")
def check_gradient_check(answer):
    X, Y, parameters, activations = CASES[0]
    L = len(activations)
    keys = [f"d{p}[{l}]" for l in range(1, L + 1) for p in "Wb"]
    runs = {"right": ref_backward, "broken": _broken_backward}
    got, expected = {}, {}
    for name, backward in runs.items():
        got[name] = _errors_of(answer(ref_forward, backward, parameters, X, Y, activations,
                                      GC_EPSILON), keys, L)
        expected[name] = ref_gradient_check(ref_forward, backward, parameters, X, Y,
                                            activations, GC_EPSILON)
    if all(_matches(got[name], expected[name]) for name in runs):
        return ["with ε = 0.01, the relative errors of centred differences for a right backward "
                "pass", "and for a backward pass with dW[1] and db[2] broken on purpose (only "
                "those two reported wrong)"]
    for slip, feedback in GC_SLIPS.items():
        if all(_matches(got[name], ref_gradient_check(ref_forward, backward, parameters, X, Y,
                                                       activations, GC_EPSILON, slip))
               for name, backward in runs.items()):
            raise Mistake(f"your gradient check's errors are those of a slip: {feedback}.",
                          GRADIENT_CHECK)
    right, broken = got["right"], got["broken"]
    # A check that uses its own, much smaller ε: rounding-level (but not zero) errors for the
    # right backward pass, and still about 1 and 1/3 for the two broken gradients.
    if (all(0 < right[key] < 1e-3 * expected["right"][key] for key in keys)
            and all(abs(broken[key] - expected["broken"][key]) < 1e-3 for key in ("dW[1]", "db[2]"))):
        raise Mistake("called with epsilon=0.01, your gradient check reports the errors of a much "
                      "smaller step: it ignores its epsilon argument.",
                      "Nudge θ by the epsilon passed in: theta[index] = saved + epsilon, ...")
    off = {name: [key for key in keys
                  if abs(got[name][key] - expected[name][key])
                  > GC_ATOL + GC_RTOL * abs(expected[name][key])] for name in runs}
    where = "; ".join(f"with a {'right' if name == 'right' else 'deliberately broken'} backward "
                      f"pass: {', '.join(keys_off)}" for name, keys_off in off.items() if keys_off)
    raise Mistake("your gradient check's relative errors are not those of centred differences "
                  f"with the ε it is given ({where}). Look at how each θ_i is nudged and put "
                  "back, at the difference quotient, and at the relative error "
                  "‖a − b‖ / (‖a‖ + ‖b‖) of each parameter on its own.", GRADIENT_CHECK)
