"""Activation functions g and their derivatives g', in the lecture's notation.

Each activation is applied element-wise to Z of shape (n, m) and returns A of the same shape:

    A = g(Z)

Each class keeps its forward ``g`` and its derivative ``derivative`` side by side, so that the
backward pass of a layer reads like the chain rule:  dZ = dA * g'(Z).

The plain functions (``sigmoid``, ``sigmoid_derivative``, ...) are the same maths for use in the
book and the exercises.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Activation",
    "Identity",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Softmax",
    "get",
    "NAMES",
    "identity",
    "identity_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "softmax",
]


# ---------------------------------------------------------------------------------------------
# The functions, each next to its derivative
# ---------------------------------------------------------------------------------------------

def identity(Z):
    """g(Z) = Z (linear regression's output: no activation). Shape in = shape out."""
    return Z


def identity_derivative(Z):
    """g'(Z) = 1 everywhere. Shape in = shape out."""
    return np.ones_like(Z)


def sigmoid(Z):
    """g(Z) = 1 / (1 + e^(-Z)), squashes any number into (0, 1). Shape in = shape out.

    Written so that it never overflows: for z >= 0 it uses 1 / (1 + e^(-z)), for z < 0 the
    equal form e^z / (1 + e^z). Either way the exponent is never positive, so |z| = 10**4
    gives exactly 0.0 or 1.0 and no warning.
    """
    Z = np.asarray(Z)
    E = np.exp(-np.abs(Z))  # in (0, 1], never overflows
    return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))


def sigmoid_derivative(Z):
    """g'(Z) = g(Z) (1 - g(Z)) = A (1 - A). Shape in = shape out."""
    A = sigmoid(Z)
    return A * (1 - A)


def tanh(Z):
    """g(Z) = (e^Z - e^(-Z)) / (e^Z + e^(-Z)), values in (-1, 1), centred on 0."""
    return np.tanh(Z)


def tanh_derivative(Z):
    """g'(Z) = 1 - tanh(Z)^2 = 1 - A^2."""
    A = np.tanh(Z)
    return 1 - A * A


def relu(Z):
    """g(Z) = max(0, Z)."""
    return np.maximum(Z, 0)


def relu_derivative(Z):
    """g'(Z) = 1 where z > 0, else 0. At exactly z = 0 nnlib takes 0 (a convention; the kink has
    no derivative)."""
    return (np.asarray(Z) > 0).astype(np.result_type(Z, np.float32))


def leaky_relu(Z, alpha=0.01):
    """g(Z) = Z for z > 0, alpha * Z otherwise (alpha is a small slope, default 0.01)."""
    Z = np.asarray(Z)
    return np.where(Z > 0, Z, alpha * Z)


def leaky_relu_derivative(Z, alpha=0.01):
    """g'(Z) = 1 for z > 0, alpha otherwise (alpha also at exactly z = 0)."""
    Z = np.asarray(Z)
    return np.where(Z > 0, 1.0, alpha).astype(np.result_type(Z, np.float32))


def softmax(Z):
    """Column-wise softmax: A[k, i] = e^Z[k, i] / sum_j e^Z[j, i]; each column of A sums to 1.

    Z has shape (n_y, m): one column of scores per example. The column maximum is subtracted
    first, which changes nothing mathematically and keeps every exponent <= 0 (no overflow).
    """
    Z = np.asarray(Z)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


# ---------------------------------------------------------------------------------------------
# The same functions as objects, which a layer holds
# ---------------------------------------------------------------------------------------------

class Activation:
    """An activation g: ``forward(Z)`` gives A = g(Z), ``derivative(Z, A)`` gives g'(Z).

    ``derivative`` receives A as well as Z so that sigmoid and tanh can reuse the forward result
    (A (1 - A) and 1 - A^2) instead of computing g(Z) again.
    """

    name = "activation"

    def forward(self, Z):
        raise NotImplementedError

    def derivative(self, Z, A=None):
        raise NotImplementedError

    def __call__(self, Z):
        return self.forward(Z)

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    """g(z) = z, g'(z) = 1. The output of a regression network."""

    name = "identity"

    def forward(self, Z):
        return Z

    def derivative(self, Z, A=None):
        return np.ones_like(Z)


class Sigmoid(Activation):
    """g(z) = 1 / (1 + e^-z), g'(z) = g(z) (1 - g(z)). The output of a binary classifier."""

    name = "sigmoid"

    def forward(self, Z):
        return sigmoid(Z)

    def derivative(self, Z, A=None):
        A = sigmoid(Z) if A is None else A
        return A * (1 - A)


class Tanh(Activation):
    """g(z) = tanh z, g'(z) = 1 - tanh(z)^2."""

    name = "tanh"

    def forward(self, Z):
        return np.tanh(Z)

    def derivative(self, Z, A=None):
        A = np.tanh(Z) if A is None else A
        return 1 - A * A


class ReLU(Activation):
    """g(z) = max(0, z), g'(z) = 1 if z > 0 else 0 (0 at z = 0)."""

    name = "relu"

    def forward(self, Z):
        return np.maximum(Z, 0)

    def derivative(self, Z, A=None):
        return relu_derivative(Z)


class LeakyReLU(Activation):
    """g(z) = z if z > 0 else alpha z, g'(z) = 1 if z > 0 else alpha. alpha defaults to 0.01."""

    name = "leaky_relu"

    def __init__(self, alpha=0.01):
        alpha = float(alpha)
        if not 0 <= alpha < 1:
            raise ValueError(
                f"LeakyReLU's slope alpha for z < 0 should be a small number in [0, 1), "
                f"got {alpha}. Typical values are 0.01 to 0.3."
            )
        self.alpha = alpha

    def forward(self, Z):
        return leaky_relu(Z, self.alpha).astype(np.result_type(Z, np.float32), copy=False)

    def derivative(self, Z, A=None):
        return leaky_relu_derivative(Z, self.alpha)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class Softmax(Activation):
    """Column-wise softmax for a multi-class output (each column of A sums to 1).

    Its derivative is a matrix per example, not an element-wise g'(Z); nnlib only uses softmax
    together with categorical cross-entropy, where the chain rule collapses to dZ = (A - Y) / m.
    """

    name = "softmax"

    def forward(self, Z):
        return softmax(Z)

    def derivative(self, Z, A=None):
        raise NotImplementedError(
            "softmax has no element-wise derivative g'(Z). Use it as the output layer with "
            "loss='categorical_cross_entropy'; the network then uses dZ = (A - Y) / m directly."
        )


_BY_NAME = {
    "identity": Identity,
    "linear": Identity,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "softmax": Softmax,
}

NAMES = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax")


def get(activation):
    """Turn a name ("relu") or an Activation object into an Activation object."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and activation.lower() in _BY_NAME:
        return _BY_NAME[activation.lower()]()
    raise ValueError(
        f"Unknown activation {activation!r}. Use one of {', '.join(repr(n) for n in NAMES)}, "
        f"or an object such as nnlib.activations.LeakyReLU(alpha=0.1)."
    )
