"""Gradient checking: compare backpropagation with centred finite differences.

For each parameter θ (every entry of every W^[l] and b^[l]):

    dθ_numerical = (J(θ + ε) − J(θ − ε)) / (2ε)

and for each parameter array the relative error

    ‖dθ_numerical − dθ_backprop‖ / (‖dθ_numerical‖ + ‖dθ_backprop‖)

Rule of thumb (CS231n, Ng): below 1e-7 the gradient is right; above 1e-4 it is a bug. Avoid
ReLU's kink: a unit with |z| below the step ε has z + ε and z − ε on both sides of the kink,
where the derivative jumps, and a correct backward pass can look wrong. ``gradient_check`` sees
when a nudge moves some ReLU (or leaky ReLU) unit's z across 0 and says so (a KinkWarning and, in
the verbose report, "on a kink") instead of only "WRONG".
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

__all__ = ["gradient_check", "numerical_gradient", "relative_error", "KinkWarning", "GOOD",
           "BAD"]

#: Activations with a kink at z = 0, where the derivative jumps.
KINKED = ("relu", "leaky_relu")


class KinkWarning(UserWarning):
    """A gradient check straddled a kink: some ReLU unit's z crossed 0 under a nudge of ±ε."""

GOOD = 1e-7
BAD = 1e-4


def relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖), with 0 when both are 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)


def numerical_gradient(f, x, epsilon=1e-6):
    """Centred differences of the scalar function f at the array x (changed and restored in
    place). Returns an array of x's shape."""
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + epsilon
        plus = f()
        x[index] = saved - epsilon
        minus = f()
        x[index] = saved
        grad[index] = (plus - minus) / (2 * epsilon)
    return grad


def _verdict(error, kink=None):
    if error < GOOD:
        return "correct"
    if kink is not None:
        return "on a kink (see below), not necessarily wrong"
    if error < BAD:
        return "suspicious"
    return "WRONG"


def float64_copy(network):
    """A copy of ``network`` computing in float64 (its own parameters untouched): differences
    of the cost in float32 would drown in rounding."""
    net = copy.deepcopy(network)
    for layer in net.layers:
        layer.dtype = np.dtype(np.float64)
        layer.W = layer.W.astype(np.float64)
        layer.b = layer.b.astype(np.float64)
    net.dtype = np.dtype(np.float64)
    return net


def gradient_check(network, X, Y, epsilon=1e-6, verbose=False):
    """Relative error between backprop and finite differences for every dW^[l] and db^[l].

    Works on a float64 copy of ``network`` (the network itself is not changed). X is (n_x, m),
    Y is (n_y, m); keep m small (the check costs two forward passes per parameter).

    Returns {"dW[1]": error, "db[1]": error, ...}. With ``verbose=True`` also prints one line
    per parameter with its verdict (correct < 1e-7, suspicious, WRONG > 1e-4, or "on a kink").
    When a nudge moved a ReLU unit's z across 0 and that parameter's error is not small, the
    report (or, without ``verbose``, a KinkWarning) names the unit, its z and the step ε: the point sits on the kink, so a large
    error there does not prove the backward pass wrong.
    """
    net = float64_copy(network)

    X = net._as_X(X)
    Y = net._as_Y(Y, X.shape[1])
    net.forward(X)
    net._backward(Y)
    backprop = net.gradients()

    # Each layer with a kink, and the sign of its Z at the point checked: a nudge that changes
    # a sign moved a unit's z across the kink at 0 (|z| was below the step).
    kinked = [(l, layer, np.sign(layer._cache[1]).copy())
              for l, layer in enumerate(net.layers, start=1) if layer.activation.name in KINKED]
    Z0 = {l: layer._cache[1].copy() for l, layer, _ in kinked}
    crossing = []  # the first crossing seen for the parameter being checked

    def cost():
        net.forward(X)
        if kinked and not crossing:
            for l, layer, signs in kinked:
                changed = np.sign(layer._cache[1]) != signs
                if changed.any():
                    unit, example = (int(i[0]) for i in np.nonzero(changed))
                    z = float(np.asarray(Z0[l][unit, example]))
                    crossing.append((l, layer.activation.name, unit, example, z))
                    break
        return net._cost(Y)

    errors, kinks = {}, {}
    for l, layer in enumerate(net.layers, start=1):
        for name, param in (("W", layer.W), ("b", layer.b)):
            key = f"d{name}[{l}]"
            crossing.clear()
            numeric = numerical_gradient(cost, param, epsilon)
            errors[key] = relative_error(numeric, backprop[key])
            if crossing and errors[key] >= GOOD:
                kinks[key] = crossing[0]
    if verbose:
        print("gradient check (relative error; < 1e-7 correct, > 1e-4 a bug)")
        for key, error in errors.items():
            print(f"  {key:<8} {error:.2e}  {_verdict(error, kinks.get(key))}")
    by_point = {}
    for key, point in kinks.items():
        by_point.setdefault(point, []).append(key)
    for (l, name, unit, example, z), keys in by_point.items():
        message = (f"{', '.join(keys)}: unit {unit + 1} of layer {l} ({name}) has z = {z:.2g} on "
                   f"example {example + 1}, closer to its kink at 0 than the step ε = {epsilon:g}: "
                   "the nudges θ ± ε put z on both sides of the kink, where the derivative jumps, "
                   "so the finite difference is not a derivative there. A correct backward pass "
                   "can show a large error at such a point: check at another one (other X, or "
                   "another seed) before calling it wrong.")
        if verbose:
            print("  " + message)
        else:
            warnings.warn(message, KinkWarning, stacklevel=2)
    return errors
