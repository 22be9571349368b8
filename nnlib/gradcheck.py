"""Gradient checking: compare backpropagation with centred finite differences.

For each parameter θ (every entry of every W^[l] and b^[l]):

    dθ_numerical = (J(θ + ε) − J(θ − ε)) / (2ε)

and for each parameter array the relative error

    ‖dθ_numerical − dθ_backprop‖ / (‖dθ_numerical‖ + ‖dθ_backprop‖)

Rule of thumb (CS231n, Ng): below 1e-7 the gradient is right; above 1e-4 it is a bug. Avoid
ReLU's kink: an input at z ≈ 0 can make a correct gradient look wrong.
"""

from __future__ import annotations

import copy

import numpy as np

__all__ = ["gradient_check", "numerical_gradient", "relative_error", "GOOD", "BAD"]

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


def _verdict(error):
    if error < GOOD:
        return "correct"
    if error < BAD:
        return "suspicious"
    return "WRONG"


def gradient_check(network, X, Y, epsilon=1e-6, verbose=False):
    """Relative error between backprop and finite differences for every dW^[l] and db^[l].

    Works on a float64 copy of ``network`` (the network itself is not changed). X is (n_x, m),
    Y is (n_y, m); keep m small (the check costs two forward passes per parameter).

    Returns {"dW[1]": error, "db[1]": error, ...}. With ``verbose=True`` also prints one line
    per parameter with its verdict (correct < 1e-7, suspicious, WRONG > 1e-4).
    """
    net = copy.deepcopy(network)
    for layer in net.layers:
        layer.dtype = np.dtype(np.float64)
        layer.W = layer.W.astype(np.float64)
        layer.b = layer.b.astype(np.float64)
    net.dtype = np.dtype(np.float64)

    X = net._as_X(X)
    Y = net._as_Y(Y, X.shape[1])
    net.forward(X)
    net._backward(Y)
    backprop = net.gradients()

    def cost():
        net.forward(X)
        return net._cost(Y)

    errors = {}
    for l, layer in enumerate(net.layers, start=1):
        for name, param in (("W", layer.W), ("b", layer.b)):
            key = f"d{name}[{l}]"
            numeric = numerical_gradient(cost, param, epsilon)
            errors[key] = relative_error(numeric, backprop[key])
    if verbose:
        print("gradient check (relative error; < 1e-7 correct, > 1e-4 a bug)")
        for key, error in errors.items():
            print(f"  {key:<8} {error:.2e}  {_verdict(error)}")
    return errors
