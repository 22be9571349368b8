"""Costs J(Ŷ, Y), averaged over the m examples, and their gradients dJ/dŶ.

Ŷ and Y have shape (n_y, m). Every cost is a sum over the outputs and a mean over the examples:

    MSE                         J = (1/m) Σ (y − ŷ)²
    binary cross-entropy        J = −(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)]
    categorical cross-entropy   J = −(1/m) Σ_i Σ_k y_ki log ŷ_ki      (Y one-hot)

Because of the 1/m, each gradient dJ/dŶ carries a 1/m too, and so does every dZ, dW and db
computed from it: they are the exact derivatives of the averaged cost.

For a sigmoid output with binary cross-entropy (and softmax with categorical cross-entropy) the
chain rule collapses to dJ/dZ = (A − Y)/m. ``Loss.output_gradient`` offers that fused form, and
``Loss.value_from_logits`` computes the cost from Z itself, which stays finite for |z| up to 10^4.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from .validation import DIVERGENCE, NumericalWarning

__all__ = [
    "Loss",
    "MSE",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "get",
    "mse",
    "mse_gradient",
    "binary_cross_entropy",
    "binary_cross_entropy_gradient",
    "binary_cross_entropy_from_logits",
    "categorical_cross_entropy",
    "categorical_cross_entropy_from_logits",
]

# ŷ is kept this far from 0 and 1 before taking a log, so that log(0) never happens.
_EPS = {np.dtype(np.float64): 1e-15, np.dtype(np.float32): 1e-7}


def _eps(array):
    return _EPS.get(np.asarray(array).dtype, 1e-15)


def _public(function):
    """The form of a cost (or its gradient) that a learner calls: NumPy's RuntimeWarnings
    ("overflow encountered in multiply") never escape; a result that is inf or nan gives one
    NumericalWarning in the lecture's words instead. ``function.raw`` is the plain computation,
    for nnlib's own training loop (which checks the cost itself, once per epoch)."""
    @functools.wraps(function)
    def public(Y_hat, Y):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = function(Y_hat, Y)
        if not np.all(np.isfinite(out)):
            with np.errstate(invalid="ignore"):
                largest = float(np.nanmax(np.abs(np.asarray(Y_hat, dtype=np.float64))))
            warnings.warn(
                f"{function.__name__} overflowed: its result holds inf or nan (the largest "
                f"|ŷ| is {largest:.3g}). Values that large come from training that diverged. "
                f"{DIVERGENCE}: train again with a smaller learning rate, or scale the data.",
                NumericalWarning, stacklevel=2)
        return out

    public.raw = function
    return public


@_public
def mse(Y_hat, Y):
    """J = (1/m) Σ (y − ŷ)², summed over outputs, averaged over the m columns. Returns a float."""
    m = Y.shape[1]
    diff = Y - Y_hat
    return float(np.sum(diff * diff) / m)


@_public
def mse_gradient(Y_hat, Y):
    """dJ/dŶ = −(2/m)(Y − Ŷ), shape (n_y, m)."""
    m = Y.shape[1]
    return (2 / m) * (Y_hat - Y)


@_public
def binary_cross_entropy(Y_hat, Y):
    """J = −(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)]. ŷ is clipped away from 0 and 1 first."""
    m = Y.shape[1]
    eps = _eps(Y_hat)
    P = np.clip(Y_hat, eps, 1 - eps)
    return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / m)


@_public
def binary_cross_entropy_gradient(Y_hat, Y):
    """dJ/dŶ = −(1/m) [Y/Ŷ − (1 − Y)/(1 − Ŷ)], shape (n_y, m) (ŷ clipped away from 0 and 1)."""
    m = Y.shape[1]
    eps = _eps(Y_hat)
    P = np.clip(Y_hat, eps, 1 - eps)
    return -(Y / P - (1 - Y) / (1 - P)) / m


@_public
def binary_cross_entropy_from_logits(Z, Y):
    """The same J computed from Z, where Ŷ = sigmoid(Z), without ever forming log(0).

    Uses  −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z y + log(1 + e^(−|z|)).
    """
    m = Y.shape[1]
    per_entry = np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))
    return float(np.sum(per_entry) / m)


@_public
def categorical_cross_entropy(Y_hat, Y):
    """J = −(1/m) Σ_i Σ_k y_ki log ŷ_ki for one-hot Y of shape (n_y, m)."""
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(np.clip(Y_hat, _eps(Y_hat), 1))) / m)


@_public
def categorical_cross_entropy_from_logits(Z, Y):
    """The same J computed from Z, where Ŷ = softmax(Z): log ŷ = z − logsumexp(z), finite."""
    m = Y.shape[1]
    Zs = Z - Z.max(axis=0, keepdims=True)
    log_A = Zs - np.log(np.exp(Zs).sum(axis=0, keepdims=True))
    return float(-np.sum(Y * log_A) / m)


class Loss:
    """A cost J(Ŷ, Y) with ``value`` and ``gradient`` = dJ/dŶ.

    ``fused_activation`` names the output activation with which the chain rule simplifies to
    dJ/dZ = (A − Y)/m; ``output_gradient`` uses that shortcut when it applies.
    """

    name = "loss"
    fused_activation = None

    def value(self, Y_hat, Y):
        raise NotImplementedError

    def gradient(self, Y_hat, Y):
        raise NotImplementedError

    def value_from_logits(self, Z, Y):
        raise NotImplementedError

    def check_targets(self, Y):
        """Raise a clear error if Y holds values this cost cannot take."""

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(Loss):
    """Mean squared error, for regression (identity output)."""

    name = "mse"

    def value(self, Y_hat, Y):
        return mse.raw(Y_hat, Y)

    def gradient(self, Y_hat, Y):
        return mse_gradient.raw(Y_hat, Y)


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy, for a sigmoid output and labels y in {0, 1}."""

    name = "binary_cross_entropy"
    fused_activation = "sigmoid"

    def value(self, Y_hat, Y):
        return binary_cross_entropy.raw(Y_hat, Y)

    def gradient(self, Y_hat, Y):
        return binary_cross_entropy_gradient.raw(Y_hat, Y)

    def value_from_logits(self, Z, Y):
        return binary_cross_entropy_from_logits.raw(Z, Y)

    def check_targets(self, Y):
        if not np.isin(Y, (0, 1)).all():
            bad = np.unique(Y[~np.isin(Y, (0, 1))])[:5]
            raise ValueError(
                "Binary cross-entropy needs labels y in {0, 1} (1 = the event happened); Y "
                f"contains {bad.tolist()}. Encode the classes as 0 and 1, for example "
                "Y = (labels == 'yes').astype(float)."
            )


class CategoricalCrossEntropy(Loss):
    """Categorical cross-entropy, for a softmax output and one-hot Y of shape (n_y, m)."""

    name = "categorical_cross_entropy"
    fused_activation = "softmax"

    def value(self, Y_hat, Y):
        return categorical_cross_entropy.raw(Y_hat, Y)

    def gradient(self, Y_hat, Y):
        m = Y.shape[1]
        return -Y / np.clip(Y_hat, _eps(Y_hat), 1) / m

    def value_from_logits(self, Z, Y):
        return categorical_cross_entropy_from_logits.raw(Z, Y)

    def check_targets(self, Y):
        one_hot = np.isin(Y, (0, 1)).all() and np.all(Y.sum(axis=0) == 1)
        if not one_hot:
            raise ValueError(
                "Categorical cross-entropy needs one-hot Y of shape (n_y, m): in each column a "
                "single 1 in the row of the true class and 0 elsewhere. Use "
                "nnlib.datasets.one_hot(labels, n_classes) to build it."
            )


_BY_NAME = {
    "mse": MSE,
    "binary_cross_entropy": BinaryCrossEntropy,
    "cross_entropy": BinaryCrossEntropy,
    "categorical_cross_entropy": CategoricalCrossEntropy,
}


def get(loss):
    """Turn a name ("mse", "binary_cross_entropy", "categorical_cross_entropy") into a Loss."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str) and loss.lower() in _BY_NAME:
        return _BY_NAME[loss.lower()]()
    raise ValueError(
        f"Unknown loss {loss!r}. Use 'mse' (regression), 'binary_cross_entropy' (a sigmoid "
        "output, labels 0/1) or 'categorical_cross_entropy' (a softmax output, one-hot labels)."
    )
