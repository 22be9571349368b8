"""A fully connected layer l, written as the lecture writes it.

Shapes, with n^[l-1] inputs, n^[l] units and m examples:

    A_prev = A^[l-1]   (n^[l-1], m)       W = W^[l]   (n^[l-1], n^[l])       b = b^[l]   (n^[l], 1)
    Z = Wᵀ A_prev + b  (n^[l], m)         A = g(Z)    (n^[l], m)

Backward, given dA = dJ/dA^[l] (n^[l], m), by the chain rule:

    dZ = dA * g'(Z)            (n^[l], m)
    dW = A_prev dZᵀ            (n^[l-1], n^[l])     the sum over the m examples is in the product
    db = Σ_examples dZ         (n^[l], 1)
    dA_prev = W dZ             (n^[l-1], m)         passed on to layer l-1

Here dM means ∂J/∂M of the averaged cost J (the book's definition: the lecture's slides
never define dZ). The 1/m of the averaged cost is therefore already inside dA (see
nnlib.losses) and so inside dZ, and dW and db need no extra 1/m here. (Some texts define
dZ = A − Y without the 1/m and write dW = (1/m) A_prev dZᵀ instead; the numbers of dW and db
are the same.)

Initial weights: W = scale · N(0, 1), with the scale named after who proposed it:

    "lecun"   √(1 / n^[l-1])               LeCun, Bottou, Orr and Müller (1998), "Efficient BackProp"
    "glorot"  √(2 / (n^[l-1] + n^[l]))     Glorot and Bengio (2010), also called "Xavier"
    "he"      √(2 / n^[l-1])               He, Zhang, Ren and Sun (2015), for ReLU-like units
"""

from __future__ import annotations

import warnings

import numpy as np

from . import activations as _activations
from .validation import (DIVERGENCE, NumericalWarning, ShapeError, all_finite, as_matrix,
                         check_examples, check_parameters)

__all__ = ["Dense", "set_seed", "default_rng"]

_RNG = np.random.default_rng(0)


def set_seed(seed):
    """Reset the generator that initialises new layers, so a notebook is reproducible."""
    global _RNG
    _RNG = np.random.default_rng(seed)


def default_rng():
    """The generator new layers draw their initial W from when given no ``seed``."""
    return _RNG


def _init_scale(init, n_in, activation, n_out=None):
    """Standard deviation of the initial weights.

    "auto" picks He initialisation √(2 / n^[l-1]) for ReLU-like units and LeCun initialisation
    √(1 / n^[l-1]) otherwise: both keep the spread of Z about the same from layer to layer.
    "glorot" is Glorot and Bengio's √(2 / (n^[l-1] + n^[l])) (they draw uniformly from
    ±√(6 / (n^[l-1] + n^[l])), which has that standard deviation; nnlib draws from a normal
    distribution). "small" is 0.01: small random values (the slides ask only for "random
    values"). "xavier" is the old, wrong name of "lecun" (deprecated: a FutureWarning).
    """
    if isinstance(init, (int, float)) and not isinstance(init, bool):
        return float(init)
    if init == "xavier":
        warnings.warn(
            "init='xavier' is deprecated: it has always given √(1/n^[l-1]), which is LeCun's "
            "initialisation (LeCun et al. 1998), not Glorot and Bengio's (2010) 'Xavier' "
            "initialisation √(2/(n^[l-1] + n^[l])). Write init='lecun' for the same weights as "
            "before, or init='glorot' for Glorot and Bengio's.", FutureWarning, stacklevel=3)
        init = "lecun"
    if init == "auto":
        init = "he" if activation.name in ("relu", "leaky_relu") else "lecun"
    n_out = n_in if n_out is None else n_out
    scales = {"he": np.sqrt(2.0 / n_in), "lecun": np.sqrt(1.0 / n_in),
              "glorot": np.sqrt(2.0 / (n_in + n_out)), "small": 0.01, "zeros": 0.0}
    if init not in scales:
        raise ValueError(
            f"Unknown init {init!r}. Use 'auto', 'lecun', 'glorot', 'he', 'small', 'zeros' or a "
            "number (the standard deviation of the random weights)."
        )
    return scales[init]


class Dense:
    """One layer of ``n_out`` units, each connected to all ``n_in`` inputs.

    Parameters
    ----------
    n_in, n_out : int
        n^[l-1] and n^[l]. W has shape (n_in, n_out) and b has shape (n_out, 1).
    activation : str or Activation
        "identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax", or an object such as
        ``nnlib.activations.LeakyReLU(alpha=0.1)``.
    init : str or float
        How W is drawn: W = scale * N(0, 1) with scale from "auto" (default: He √(2/n_in) for
        ReLU-like units, LeCun √(1/n_in) otherwise), "lecun", "glorot" (√(2/(n_in + n_out)),
        Glorot and Bengio's, also called Xavier), "he", "small" (0.01), "zeros", or a number.
        ("xavier", the old name of "lecun", still works, with a FutureWarning.) b starts at 0. W must be random, not all zeros: units that start equal get equal gradients and
        stay equal forever (the symmetry problem); "zeros" is there to show exactly that.
    seed : int, numpy Generator or None
        Where the random W comes from. None draws from nnlib's generator, seeded with 0 at
        import (reset it with ``nnlib.set_seed``), so a fresh kernel always gives the same W.
    dtype : numpy dtype
        float64 (default, for teaching and gradient checks) or float32 (faster).

    After ``backward``, ``dW`` and ``db`` hold dJ/dW and dJ/db, with the shapes of W and b.
    """

    def __init__(self, n_in, n_out, activation="identity", init="auto", seed=None,
                 dtype=np.float64):
        for name, value in (("n_in", n_in), ("n_out", n_out)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} should be a positive whole number of units, got {value!r}.")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.activation = _activations.get(activation)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise ValueError(f"dtype should be float64 or float32, got {self.dtype}.")
        rng = seed if isinstance(seed, np.random.Generator) else (
            default_rng() if seed is None else np.random.default_rng(seed))
        scale = _init_scale(init, self.n_in, self.activation, self.n_out)
        self.W = (scale * rng.standard_normal((self.n_in, self.n_out))).astype(self.dtype)
        self.b = np.zeros((self.n_out, 1), dtype=self.dtype)
        self.dW = None
        self.db = None
        self._cache = None  # (A_prev, Z, A) of the last forward pass

    # -- forward -------------------------------------------------------------------------------
    def forward(self, A_prev):
        """Z = Wᵀ A_prev + b, A = g(Z). A_prev: (n_in, m) -> A: (n_out, m).

        A W or b replaced by an array of the wrong shape is refused (ShapeError naming the shape
        expected) before any product; an overflow gives a NumericalWarning, not NumPy's."""
        self.check_parameters()
        A_prev = check_examples(as_matrix(A_prev, "A_prev", self.dtype), self.n_in, "A_prev")
        with np.errstate(over="ignore", invalid="ignore"):
            A = self._forward(A_prev)
        if not all_finite(A):
            warn_overflow("this layer's Z = Wᵀ A_prev + b", self)
        return A

    def check_parameters(self, where=None):
        """ShapeError (or TypeError) if W or b is not what this layer needs: W (n_in, n_out)
        and b (n_out, 1), float arrays. ``where``: how to name the layer ("layer 2")."""
        check_parameters(self.W, self.b, self.n_in, self.n_out,
                         where or f"this Dense({self.n_in}, {self.n_out}) layer")

    def _forward(self, A_prev):
        Z = self._linear(A_prev)
        A = self.activation.forward(Z)
        self._cache = (A_prev, Z, A)
        return A

    def _linear(self, A_prev):
        """Z = Wᵀ A_prev + b, without keeping anything for backward."""
        Z = self.W.T @ A_prev
        Z += self.b  # + b in place: no second (n^[l], m) array (about 3 % of a digits epoch)
        return Z

    # -- backward ------------------------------------------------------------------------------
    def backward(self, dA):
        """Given dA = dJ/dA (n_out, m), fill dW, db and return dA_prev = dJ/dA_prev (n_in, m)."""
        A_prev, Z, A = self._require_cache()
        dA = as_matrix(dA, "dA", self.dtype)
        if dA.shape != A.shape:
            raise ShapeError(
                f"dA should have the shape of this layer's A, {A.shape}, got {dA.shape}.")
        self.check_parameters()
        with np.errstate(over="ignore", invalid="ignore"):
            dZ = dA * self.activation.derivative(Z, A)
            return self.backward_from_dZ(dZ)

    def backward_from_dZ(self, dZ, need_dA_prev=True):
        """The part of the backward pass after dZ is known (also used with the fused output
        gradient dZ = (A − Y)/m). Returns dA_prev, or None when ``need_dA_prev`` is False (the
        first layer: nobody needs dJ/dX)."""
        A_prev, _, _ = self._require_cache()
        self.dW = A_prev @ dZ.T
        self.db = dZ.sum(axis=1, keepdims=True)
        return self.W @ dZ if need_dA_prev else None

    def _require_cache(self):
        if self._cache is None:
            raise RuntimeError("backward() needs a forward() pass on the same batch first.")
        return self._cache

    # -- update --------------------------------------------------------------------------------
    def step(self, learning_rate):
        """Gradient descent: W <- W − α dW, b <- b − α db (in place). An update that overflows
        gives a NumericalWarning (the learning rate is too large), not NumPy's."""
        if self.dW is None:
            raise RuntimeError("step() needs gradients: call backward() first.")
        self.check_parameters()
        with np.errstate(over="ignore", invalid="ignore"):
            self._step(learning_rate)
        if not (all_finite(self.W) and all_finite(self.b)):
            warn_overflow("the update W ← W − α dW", self, learning_rate)

    def _step(self, learning_rate):
        self.W -= learning_rate * self.dW
        self.b -= learning_rate * self.db

    @property
    def parameters(self):
        """{"W": W, "b": b}: the arrays themselves (changing them changes the layer)."""
        return {"W": self.W, "b": self.b}

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, activation={self.activation!r})"


def warn_overflow(what, layer=None, learning_rate=None, where="this layer", stacklevel=3):
    """One NumericalWarning, in the lecture's words, for a computation that overflowed."""
    size = ""
    if layer is not None:
        with np.errstate(invalid="ignore"):
            largest = np.nanmax(np.abs(layer.W)) if layer.W.size else 0.0
        size = f" The largest |W| of {where} is {largest:.3g}."
    rate = f" (α = {learning_rate:g})" if learning_rate is not None else ""
    warnings.warn(
        f"{what} overflowed: some values are inf or nan.{size} Weights that large come from "
        f"training that diverged. {DIVERGENCE}: train again with a smaller learning "
        f"rate{rate}, or scale the features.", NumericalWarning, stacklevel=stacklevel)
