"""Tolerances that follow from the arithmetic, shared by the numerical tests.

A test that compares two computed numbers must allow for rounding (and, for a finite
difference, for truncation), and for nothing else: its tolerance is a *bound* on what rounding
can do, worked out from the dtype, the number of operations and the size of the numbers
involved. The bounds hold for any order of summation, with or without fused multiply-add, so
they hold whichever BLAS kernel computes the matrix products (``OPENBLAS_CORETYPE``).

Notation
--------
u     the machine epsilon of the dtype, ``np.finfo(dtype).eps``: 2.2e-16 for float64, 1.2e-7
      for float32. (IEEE arithmetic rounds to within u/2; taking u leaves a factor 2 spare.)
γ_n   n u / (1 − n u). A value that goes through n rounded operations in a row is off by a
      factor (1 + θ) with |θ| ≤ γ_n (Higham, *Accuracy and Stability of Numerical
      Algorithms*, 2nd ed., lemma 3.1).

Sums and products, in any order (Higham §3.1, §4.2)
    |fl(Σ t_i) − Σ t_i|  ≤ γ_(n−1) Σ |t_i|
    |fl(A B) − A B|      ≤ γ_k |A| |B|        entry by entry, k = the inner dimension
Two implementations of the same sum are each within that bound of the exact value, hence within
twice the bound of each other.

Centred differences (Taylor: D(ε) = (f(x + ε) − f(x − ε)) / 2ε = f'(x) + ε² f'''(ξ)/6)
    truncation  ≤ ε² M₃ / 6              M₃ = max |f'''| on [x − ε, x + ε]; 0 for a quadratic
    rounding    ≤ δf / ε                 δf bounds the rounding error of each f(x ± ε)
                + |f'| u (|x| + ε) / ε   x ± ε is itself rounded, so the step is not quite 2ε
                + 2 u |f'|               the subtraction and the division
For f the average of m terms, each computed in k operations, δf = γ_(m+k) F, with F the
average of the terms' absolute values (F = f for a cost made of non-negative terms). The two
error terms balance at ε* = (3 δf / M₃)^(1/3) (``best_step``); for a quadratic (MSE in ŷ, in w
or in b) the truncation is 0 and the larger ε, the smaller the error.

Whole networks (``DenseErrorAnalysis``)
    The same bounds, carried through a forward and a backward pass to first order in u: each
    Z = Wᵀ A_prev + b is off by γ_(n+1) (|W|ᵀ |A_prev| + |b|) plus |W|ᵀ times A_prev's error, each
    activation adds a few u of its own and passes on its input's error times |g'|, and so on
    down to dW, db and the cost J. Where a ReLU's z lies within its own error bound of the
    kink, g' may be computed on either side, and the bound allows for both.
"""

from __future__ import annotations

import math

import numpy as np

import nnlib
from nnlib import activations as _activations
from nnlib.gradcheck import float64_copy

__all__ = [
    "machine_epsilon", "gamma", "sum_error_bound", "matmul_error_bound",
    "centred_difference_tolerance", "best_step", "relative_error_tolerance",
    "lstsq_error_bound", "lstsq_cost_bound", "contraction_error_bound", "logistic_distance_bound",
    "fit_batches", "assert_steps_match", "least_squares_gd_bound", "record_iterates",
    "DenseErrorAnalysis", "difference_gradient_tolerance", "gradient_check_tolerance",
    "assert_gradient_check_passes", "THIRD_DERIVATIVE_BOUND", "activation_step",
    "activation_difference_tolerance", "activation_rounding",
]

#: A relative error this large means a wrong formula (a missing 1/m, a sign, a factor outside a
#: sum each give 1e-2 or more); a tolerance must stay well below it, or the test has no power.
POWERLESS = 1e-3


def machine_epsilon(dtype=np.float64):
    """u = np.finfo(dtype).eps (2.2e-16 for float64, 1.2e-7 for float32)."""
    return float(np.finfo(dtype).eps)


def gamma(n, dtype=np.float64):
    """γ_n = n u / (1 − n u): the relative error of n rounded operations in a row."""
    nu = n * machine_epsilon(dtype)
    if nu >= 0.5:
        raise ValueError(f"γ_{n} is meaningless in {np.dtype(dtype)}: n u = {nu:.2g} is not small")
    return nu / (1 - nu)


def sum_error_bound(terms, dtype=None, axis=None):
    """Bound on |fl(Σ t) − Σ t| for any order of summation: γ_(n−1) Σ |t_i|.

    ``terms`` are the numbers being added (their own rounding errors are not included);
    ``dtype`` defaults to theirs. With ``axis``, one bound per sum along that axis."""
    terms = np.asarray(terms)
    dtype = np.dtype(dtype or (terms.dtype if terms.dtype.kind == "f" else np.float64))
    n = terms.size if axis is None else terms.shape[axis]
    return gamma(max(n - 1, 0), dtype) * np.sum(np.abs(terms.astype(np.float64)), axis=axis)


def matmul_error_bound(A, B, dtype=None):
    """Entry-wise bound on |fl(A @ B) − A @ B| for any BLAS kernel: γ_k |A| |B|, k = A.shape[1].

    (|A| |B| is computed in float64; its own rounding is a relative γ_k of float64, second order
    next to γ_k of the dtype.)"""
    A, B = np.asarray(A), np.asarray(B)
    dtype = np.dtype(dtype or np.result_type(A, B, np.float32))
    return gamma(A.shape[-1], dtype) * (np.abs(A.astype(np.float64)) @ np.abs(B.astype(np.float64)))


# -- centred differences ---------------------------------------------------------------------

def centred_difference_tolerance(J, eps, *, dtype=np.float64, m=1, ops=4,
                                 third_derivative_bound=0.0, x=0.0, slope=0.0, function_error=None):
    """Bound on |D(ε) − f'(x)| for the centred difference D(ε) = (f(x + ε) − f(x − ε)) / 2ε.

    J     the size of the values subtracted: max |f(x ± ε)|, or for an average of terms of both
          signs the average of their absolute values
    m     how many terms f sums (1 for a plain function); ``ops`` the rounded operations in each
          term, so each f(x ± ε) is off by at most δf = γ_(m+ops) J
    third_derivative_bound   M₃ ≥ |f'''| on [x − ε, x + ε] (0 when f is quadratic in x)
    x, slope                 |x| and |f'(x)|, for the rounding of x ± ε itself
    function_error           δf itself, when it is known better than γ_(m+ops) J (for instance
                             a network's cost: DenseErrorAnalysis.e_J); J is then not used

    Returns ε² M₃/6 + δf/ε + |f'| u (|x| + ε)/ε + 2 u |f'| (see the module's docstring)."""
    u = machine_epsilon(dtype)
    truncation = eps**2 * np.asarray(third_derivative_bound) / 6
    if function_error is None:
        function_error = gamma(m + ops, dtype) * np.abs(J)
    rounding = function_error / eps
    step = np.abs(slope) * u * (np.abs(x) + eps) / eps + 2 * u * np.abs(slope)
    return truncation + rounding + step


def best_step(J, third_derivative_bound, *, dtype=np.float64, m=1, ops=4, function_error=None):
    """The ε that minimises ε² M₃/6 + δf/ε, δf = γ_(m+ops) J (or ``function_error``):
    ε* = (3 δf / M₃)^(1/3)."""
    if function_error is None:
        function_error = gamma(m + ops, dtype) * abs(J)
    return (3 * function_error / third_derivative_bound) ** (1 / 3)


def relative_error_tolerance(difference_bound, reference):
    """Bound on ‖a − b‖ / (‖a‖ + ‖b‖) (nnlib's relative error) for a and b each within its own
    entry-wise error bound of a true value g, the two bounds adding up to ``difference_bound``
    (E its norm), and ``reference`` ≈ g (G its norm, within E of ‖g‖). The numerator is at most
    E; ‖a‖ + ‖b‖ ≥ 2‖g‖ − √2 E (two non-negative bounds whose sum has norm E have norms adding
    up to at most √2 E) ≥ 2G − 4E: the ratio is at most E / (2 (G − 2E)). Infinite when
    2E ≥ G (rounding could then hide the whole gradient)."""
    E = float(np.linalg.norm(np.asarray(difference_bound, dtype=np.float64)))
    G = float(np.linalg.norm(np.asarray(reference, dtype=np.float64)))
    if E == 0.0:
        return 0.0
    return E / (2 * (G - 2 * E)) if 2 * E < G else math.inf


# -- activations --------------------------------------------------------------------------------

# Rounding of g(Z) for an exact Z, relative, in units of u. NumPy's exp, log, log1p and tanh are
# within 4 ulp, i.e. 4u relatively (the most its own accuracy tests allow them, in float32 or
# float64: numpy/_core/tests/data/umath-validation-set-*.csv); 1/(1 + e), e/(1 + e) add 3.
_FORWARD_ULPS = {"identity": 0, "relu": 0, "leaky_relu": 1, "sigmoid": 7, "tanh": 4}


# Rounding of g'(Z) = A(1 − A) or 1 − A², absolute (g' ≤ 1), in units of u: A's own error times
# |1 − 2A| or 2|A| (≤ 7 and 8 u) plus the two operations.
_DERIVATIVE_ULPS = {"identity": 0, "relu": 0, "leaky_relu": 0, "sigmoid": 9, "tanh": 10}


# max |g'''|, for the truncation of a centred difference of g: σ''' = σ'(1 − 6σ'), at most 1/8 in
# size (at z = 0); tanh''' = −2 (1 − t²)(1 − 3t²), at most 2; the piecewise linear ones have none
# away from their kink.
THIRD_DERIVATIVE_BOUND = {"identity": 0.0, "relu": 0.0, "leaky_relu": 0.0, "sigmoid": 1 / 8,
                          "tanh": 2.0}


def activation_step(activation, Z, dtype=np.float64):
    """The ε for a centred difference of g at the entries of Z. Smooth g: ε* = (3 δg / M₃)^(1/3)
    with δg the forward's rounding at |g| ≤ 1 (best_step). Piecewise linear g: no truncation, so
    as large as possible without reaching the kink: half the smallest |z| (1 for the identity)."""
    act = _activations.get(activation)
    M3 = THIRD_DERIVATIVE_BOUND[act.name]
    if M3:
        return best_step(None, M3, function_error=_FORWARD_ULPS[act.name] * machine_epsilon(dtype))
    return 1.0 if act.name == "identity" else float(np.min(np.abs(Z))) / 2


def activation_difference_tolerance(activation, Z, eps, numeric, dtype=np.float64):
    """Entry-wise bound on |(g(z + ε) − g(z − ε)) / 2ε − g'(z)|, g'(z) as nnlib (or the lecture)
    computes it: the centred difference's truncation (THIRD_DERIVATIVE_BOUND) and rounding (g's
    own, _FORWARD_ULPS, and that of z ± ε), plus g''s rounding (_DERIVATIVE_ULPS, absolute as
    |g'| ≤ 1). ``numeric`` is the difference (for the slope term). For ReLU and leaky ReLU every
    [z − ε, z + ε] must miss the kink at 0."""
    act = _activations.get(activation)
    Z = np.asarray(Z, np.float64)
    if act.name in ("relu", "leaky_relu"):
        assert np.all(np.abs(Z) > eps), "a difference across the kink is not a derivative"
    u = machine_epsilon(dtype)
    size = np.maximum(np.abs(act.forward(Z + eps)), np.abs(act.forward(Z - eps)))
    return (centred_difference_tolerance(None, eps, dtype=dtype,
                                         third_derivative_bound=THIRD_DERIVATIVE_BOUND[act.name],
                                         x=Z, slope=numeric,
                                         function_error=_FORWARD_ULPS[act.name] * u * size)
            + _DERIVATIVE_ULPS[act.name] * u)


def activation_rounding(activation, Z, dtype=np.float64):
    """Entry-wise bounds on the rounding of g(Z) and of g'(Z) as nnlib computes them (or any
    implementation with the same operations): (_FORWARD_ULPS u |g(Z)|, _DERIVATIVE_ULPS u)."""
    act = _activations.get(activation)
    u = machine_epsilon(dtype)
    return (_FORWARD_ULPS[act.name] * u * np.abs(act.forward(np.asarray(Z, np.float64))),
            _DERIVATIVE_ULPS[act.name] * u)


# -- whole dense networks ---------------------------------------------------------------------

def _log_loss_rounding(u, L):
    """Rounding of each −[y log a + (1 − y) log(1 − a)] term for an exact a: 2u + 4u |term|."""
    return u * (2 + 4 * np.abs(L))


def _second_derivative(name, A):
    """|g''| from A = g(Z): σ'' = σ(1 − σ)(1 − 2σ), tanh'' = −2 tanh (1 − tanh²); else 0."""
    if name == "sigmoid":
        return np.abs(A * (1 - A) * (1 - 2 * A))
    if name == "tanh":
        return np.abs(2 * A * (1 - A * A))
    return np.zeros_like(A)


class DenseErrorAnalysis:
    """One forward and one backward pass of a dense network, in float64, with first-order bounds
    on the rounding error of the same pass computed in ``dtype`` by any implementation of the
    lecture's formulas (any order of summation, any BLAS kernel).

    Ws, bs       W^[l] (n^[l-1], n^[l]) and b^[l] (n^[l], 1), any float dtype
    activations  names or nnlib Activation objects, one per layer
    loss         "mse", "binary_cross_entropy" (sigmoid output, from Z^[L]) or
                 "categorical_cross_entropy" (softmax output, from Z^[L]), as nnlib computes them;
                 "binary_cross_entropy_of_A": from A^[L] = σ(Z^[L]), as the lecture writes it;
                 "weighted_sum": J = Σ Y ⊙ A^[L], not averaged (a test's probe of dJ/dA = Y)
    X, Y         (n_x, m), (n_y, m); ``rounds_X``: X is rounded into ``dtype`` first (by default
                 when its dtype differs; Y likewise, always)

    After construction: ``J``, ``dW``, ``db`` (float64 values), and their error bounds ``e_J``,
    ``e_dW``, ``e_db`` (entry by entry) for the pass done in ``dtype``; with ``need_dX``, also
    ``dX`` = dJ/dA^[0] and ``e_dX``; ``A``, ``Z`` and ``eA``, ``eZ`` for the forward pass.
    """

    def __init__(self, Ws, bs, activations, loss, X, Y, dtype=np.float64, rounds_X=None,
                 need_dX=False):
        self.dtype = np.dtype(dtype)
        u = self.u = machine_epsilon(dtype)
        g = lambda n: gamma(n, dtype)  # noqa: E731
        self.Ws = [np.asarray(W, np.float64) for W in Ws]
        self.bs = [np.asarray(b, np.float64) for b in bs]
        self.acts = [_activations.get(a) for a in activations]
        self.loss = loss
        X = np.asarray(X)
        if rounds_X is None:
            rounds_X = X.dtype != self.dtype
        X = X.astype(self.dtype).astype(np.float64)
        Y = np.asarray(Y)
        eY = u * np.abs(Y.astype(np.float64)) if Y.dtype != self.dtype else 0.0  # Y rounded too
        Y = Y.astype(self.dtype).astype(np.float64)
        m = X.shape[1]
        L = len(self.Ws)

        # forward: values, and bounds on the error of A^[l] and Z^[l]
        A, eA = X, (u * np.abs(X) if rounds_X else np.zeros_like(X))
        self.A, self.Z, self.eA, self.eZ = [A], [], [eA], []
        for l, (W, b, act) in enumerate(zip(self.Ws, self.bs, self.acts)):
            Z = W.T @ A + b
            # γ_(n+1) (|W|ᵀ|A| + |b|) + |W|ᵀ eA, with one product instead of two
            eZ = np.abs(W).T @ (g(W.shape[0] + 1) * np.abs(A) + eA) + g(W.shape[0] + 1) * np.abs(b)
            if act.name == "softmax":
                E = np.exp(Z - Z.max(axis=0, keepdims=True))
                A = E / E.sum(axis=0, keepdims=True)
                # δa_k ≤ a_k (|δz_k| + Σ_j a_j |δz_j|) ≤ 2 a_k max_j δz_j, plus exp, the sum
                # over K and the division, on an exponent off by u |z − max z|
                K = Z.shape[0]
                eA = A * (2 * eZ.max(axis=0, keepdims=True)
                          + (K + 6) * u + u * np.abs(Z - Z.max(axis=0, keepdims=True)))
            else:
                A = act.forward(Z)
                eA = self._slope_bound(act, Z, eZ) * eZ + _FORWARD_ULPS[act.name] * u * np.abs(A)
            self.Z.append(Z)
            self.eZ.append(eZ)
            self.A.append(A)
            self.eA.append(eA)

        # the cost and its error: the loss's own rounding plus its input's error times |dJ/dinput|
        Z_L, A_L, eZ_L, eA_L = self.Z[-1], self.A[-1], self.eZ[-1], self.eA[-1]
        N = Y.size
        if loss == "weighted_sum":
            # J = Σ Y ⊙ A^[L] (not averaged), dJ/dA^[L] = Y: a product and a sum of N terms
            self.J = float(np.sum(Y * A_L))
            self.e_J = g(N) * float(np.sum(np.abs(Y * A_L))) + float(np.sum(np.abs(Y) * eA_L))
        elif loss == "mse":
            D = A_L - Y
            self.J = float(np.sum(D * D) / m)
            self.e_J = g(N + 3) * self.J + float(np.sum(2 * np.abs(D) / m * (eA_L + eY)))
        elif loss == "binary_cross_entropy_of_A":
            # −(1/m) Σ [y log a + (1 − y) log(1 − a)] from A itself (no clipping): log a is off
            # by u + 4u |log a|, 1 − a by u (1 − a), so log(1 − a) by 2u + 4u |log(1 − a)|
            terms = -(Y * np.log(A_L) + (1 - Y) * np.log(1 - A_L))
            self.J = float(np.sum(terms) / m)
            self.e_J = (g(N + 2) * self.J + float(np.sum(_log_loss_rounding(u, terms)) / m)
                        + float(np.sum(np.abs(Y / A_L - (1 - Y) / (1 - A_L)) / m * eA_L)))
        elif loss == "binary_cross_entropy":
            self.J = float(np.sum(np.maximum(Z_L, 0) - Z_L * Y + np.log1p(np.exp(-np.abs(Z_L)))) / m)
            self.e_J = (g(N + 10) * float(np.sum(np.abs(Z_L) + 1) / m)
                        + float(np.sum(np.abs(A_L - Y) / m * eZ_L)))
        elif loss == "categorical_cross_entropy":
            Zs = Z_L - Z_L.max(axis=0, keepdims=True)
            log_S = np.log(np.exp(Zs).sum(axis=0, keepdims=True))
            self.J = float(-np.sum(Y * (Zs - log_S)) / m)
            K = Z_L.shape[0]
            size = np.sum(Y * (np.abs(Zs) + log_S + 1))
            self.e_J = g(N + K + 10) * float(size / m) + float(np.sum(np.abs(A_L - Y) / m * eZ_L))
        else:
            raise ValueError(f"unknown loss {loss!r}")

        # backward: values, and bounds on the error of dZ^[l], dA^[l-1], dW^[l], db^[l]
        if loss == "binary_cross_entropy_of_A":
            if self.acts[-1].name != "sigmoid":
                raise ValueError("binary_cross_entropy_of_A needs a sigmoid output")
        if loss == "weighted_sum":
            dZ, e_dZ = self._through_derivative(self.acts[-1], Z_L, A_L, eZ_L, Y, np.zeros_like(Y))
        elif loss == "mse":
            dA = 2 * (A_L - Y) / m
            e_dA = 2 * (eA_L + eY + 2 * u * np.abs(A_L - Y)) / m
            dZ, e_dZ = self._through_derivative(self.acts[-1], Z_L, A_L, eZ_L, dA, e_dA)
        else:  # fused: dZ^[L] = (A − Y)/m
            dZ = (A_L - Y) / m
            e_dZ = (eA_L + eY + 2 * u * np.abs(A_L - Y)) / m
        self.dW, self.db, self.e_dW, self.e_db = [None] * L, [None] * L, [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            A_prev, eA_prev = self.A[l], self.eA[l]
            self.dW[l] = A_prev @ dZ.T
            self.db[l] = dZ.sum(axis=1, keepdims=True)
            # γ_m |A_prev| |dZ|ᵀ + eA_prev |dZ|ᵀ + |A_prev| e_dZᵀ, with two products
            self.e_dW[l] = ((g(m) * np.abs(A_prev) + eA_prev) @ np.abs(dZ).T
                            + np.abs(A_prev) @ e_dZ.T)
            self.e_db[l] = (g(m) * np.abs(dZ).sum(axis=1, keepdims=True)
                            + e_dZ.sum(axis=1, keepdims=True))
            if l == 0 and not need_dX:
                break
            W = self.Ws[l]
            dA = W @ dZ
            e_dA = np.abs(W) @ (g(W.shape[1]) * np.abs(dZ) + e_dZ)
            if l > 0:
                dZ, e_dZ = self._through_derivative(self.acts[l - 1], self.Z[l - 1], self.A[l],
                                                    self.eZ[l - 1], dA, e_dA)
        if need_dX:
            self.dX, self.e_dX = dA, e_dA    # dJ/dA^[0], for checks of a layer's dA_prev

    @staticmethod
    def _slope_bound(act, Z, eZ):
        """max |g'| within eZ of Z: |g'(Z)| (sigmoid and tanh change by |g''| eZ, second order),
        and for ReLU-like units the steeper slope (1) where the kink is within reach."""
        if act.name in ("relu", "leaky_relu"):
            return np.where(np.abs(Z) <= eZ, 1.0, act.derivative(Z))
        return np.abs(act.derivative(Z))

    def _through_derivative(self, act, Z, A, eZ, dA, e_dA):
        """dZ = dA * g'(Z) and its error: dA's error times |g'|, plus |dA| times g''s error."""
        gp = act.derivative(Z, A)
        if act.name in ("relu", "leaky_relu"):   # a kink within reach: g' may be either slope
            alpha = getattr(act, "alpha", 0.0)
            e_gp = np.where(np.abs(Z) <= eZ, 1.0 - alpha, 0.0)
        else:
            e_gp = _second_derivative(act.name, A) * eZ + _DERIVATIVE_ULPS[act.name] * self.u
        dZ = dA * gp
        return dZ, np.abs(gp) * e_dA + np.abs(dA) * e_gp + self.u * np.abs(dZ)

    @classmethod
    def of(cls, network, X, Y, dtype=None):
        """The analysis of an nnlib Network on (X, Y), in the network's dtype by default."""
        return cls([layer.W for layer in network.layers], [layer.b for layer in network.layers],
                   [layer.activation for layer in network.layers], network.loss_function.name,
                   X, Y, dtype=dtype or network.dtype)

    def step_bounds(self, learning_rate):
        """Bounds on the error of W − α dW and b − α db computed in ``dtype``: α times the
        gradient's error, plus α rounded into the dtype, α dW rounded, and the subtraction."""
        u, alpha = self.u, learning_rate
        bounds = []
        for W, b, dW, db, e_dW, e_db in zip(self.Ws, self.bs, self.dW, self.db, self.e_dW, self.e_db):
            bounds.append((alpha * e_dW + u * (2 * alpha * np.abs(dW) + np.abs(W - alpha * dW)),
                           alpha * e_db + u * (2 * alpha * np.abs(db) + np.abs(b - alpha * db))))
        return bounds

    def step(self, learning_rate):
        """The updated parameters [(W − α dW, b − α db)] in float64."""
        return [(W - learning_rate * dW, b - learning_rate * db)
                for W, b, dW, db in zip(self.Ws, self.bs, self.dW, self.db)]


# -- gradient checks ----------------------------------------------------------------------------

def _third_differences(f, x, h):
    """|f'''| at each entry of x by the five-point difference
    (f(x+2h) − 2f(x+h) + 2f(x−h) − f(x−2h)) / 2h³ (x is changed and restored in place)."""
    out = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        saved = x[index]
        values = []
        for k in (2, 1, -1, -2):
            x[index] = saved + k * h
            values.append(f())
        x[index] = saved
        out[index] = abs(values[0] - 2 * values[1] + 2 * values[2] - values[3]) / (2 * h**3)
    return out


def difference_gradient_tolerance(cost, param, grad, e_grad, e_J, epsilon, h=1e-3):
    """Entry-wise bound on |centred difference − computed gradient| for the scalar function
    ``cost()`` of the array ``param`` (changed and restored in place), ``grad`` its gradient as
    computed (off by at most ``e_grad``), ``e_J`` a bound on the rounding of each cost():

        ε² M₃/6 + δJ/ε + |g| u (|θ| + ε)/ε + 2u|g| + e_grad          (module docstring)

    M₃ is 10 times the largest five-point third difference of cost at step h over the entries
    of ``param``: an estimate, not a bound, for a function without a closed-form f'''. At
    ε = 1e-6 the truncation term is 2e-14 M₃, far below δJ/ε unless M₃ is above 1e3."""
    u = machine_epsilon(np.float64)
    M3 = 10 * _third_differences(cost, param, h).max()
    return (epsilon**2 * M3 / 6 + e_J / epsilon
            + np.abs(grad) * u * (np.abs(param) + epsilon) / epsilon
            + 2 * u * np.abs(grad) + e_grad)


def gradient_check_tolerance(network, X, Y, epsilon=1e-6, h=1e-3):
    """For each key of nnlib.gradient_check(network, X, Y, epsilon), a bound on the relative
    error that rounding and truncation alone can produce.

    Per entry θ of a parameter array, the centred difference is off by at most
        ε² M₃/6 + δJ/ε + |g| u (|θ| + ε)/ε + 2u|g|        (module docstring)
    with δJ the float64 cost's rounding bound (DenseErrorAnalysis) and M₃ the largest
    five-point third difference of J over that array at step h, times 10 (an estimate, not a
    bound: at ε = 1e-6 the truncation term is 2e-14 M₃, far below δJ/ε unless M₃ > 1e3). The
    backward pass is off by e_dW, e_db. The norm of the sum, E, becomes a bound on the relative
    error through relative_error_tolerance.
    """
    net = float64_copy(network)
    X = net._as_X(X)
    Y = net._as_Y(Y, X.shape[1])
    analysis = DenseErrorAnalysis.of(net, X, Y)

    def cost():
        net.forward(X)
        return net._cost(Y)

    tolerances = {}
    for l, layer in enumerate(net.layers):
        for name, param, grad, e_grad in (("W", layer.W, analysis.dW[l], analysis.e_dW[l]),
                                          ("b", layer.b, analysis.db[l], analysis.e_db[l])):
            per_entry = difference_gradient_tolerance(cost, param, grad, e_grad, analysis.e_J,
                                                      epsilon, h)
            tolerances[f"d{name}[{l + 1}]"] = relative_error_tolerance(per_entry, grad)
    return tolerances


def assert_gradient_check_passes(network, X, Y, epsilon=1e-6):
    """nnlib.gradient_check's relative errors are within what rounding and truncation allow
    (gradient_check_tolerance), and that allowance is far below the 1e-2 a wrong formula gives.
    Returns (errors, tolerances)."""
    errors = nnlib.gradient_check(network, X, Y, epsilon=epsilon)
    tolerances = gradient_check_tolerance(network, X, Y, epsilon=epsilon)
    assert set(errors) == set(tolerances)
    for key, error in errors.items():
        if math.isinf(tolerances[key]):
            # the gradient is no larger than rounding could make it: a relative error would say
            # nothing, except in the one case with no rounding at all, a parameter J does not
            # depend on near here (a ReLU unit off for every example), where both are exactly 0
            assert error == 0.0, (key, error, "a gradient too small to check")
            continue
        assert tolerances[key] < POWERLESS, (key, tolerances[key], "the check would have no power")
        assert error <= tolerances[key], (key, error, tolerances[key])
    return errors, tolerances


# -- training, step by step --------------------------------------------------------------------

def record_iterates(network):
    """Make ``network`` note its parameters before each gradient-descent update (in fit, or
    step): returns the list [([W^[l]], [b^[l]], the batch X of that step)] it fills."""
    iterates = []
    update = network._update

    def _update(learning_rate):
        iterates.append(([l.W.copy() for l in network.layers], [l.b.copy() for l in network.layers],
                         network.layers[0]._cache[0].copy()))
        update(learning_rate)

    network._update = _update
    return iterates


def fit_batches(X, Y, epochs, batch_size=None, seed=0):
    """The batches [(X_b, Y_b)] Network.fit(X, Y, epochs, batch_size=..., seed=...) steps on,
    in order: the whole set each epoch, or a permutation per epoch from default_rng(seed), cut
    into consecutive slices."""
    m = X.shape[1]
    if batch_size is None or batch_size >= m:
        return [(X, Y)] * epochs
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(epochs):
        order = rng.permutation(m)
        Xs, Ys = X[:, order], Y[:, order]
        batches += [(Xs[:, s:s + batch_size], Ys[:, s:s + batch_size])
                    for s in range(0, m, batch_size)]
    return batches


def assert_steps_match(iterates, final, activations, loss, learning_rate, batches, dtype,
                       reference_step=None):
    """Every gradient-descent step a network took (``iterates`` from record_iterates, ``final``
    its [(W, b)] after the last step) is the lecture's step from the same parameters on the same
    batch, to rounding.

    The batch it saw must be ``batches[t]``'s X in its dtype, exactly. Its parameters after the
    step must be within DenseErrorAnalysis(dtype).step_bounds of the exact step, and the
    reference (``reference_step(Ws, bs, X_b, Y_b)`` → (Ws, bs), computed in float64; by default
    DenseErrorAnalysis's own) within the float64 bounds, which are at most the dtype's: so the
    two within twice the dtype's bounds. Comparing step by step (rather than after many steps)
    keeps the bound free of the growth of earlier differences, which no simple bound covers for
    a network."""
    assert len(iterates) == len(batches)
    afters = [list(zip(Ws, bs)) for Ws, bs, _ in iterates[1:]] + [list(final)]
    for t, ((Ws, bs, X_seen), (X_b, Y_b), after) in enumerate(zip(iterates, batches, afters)):
        np.testing.assert_array_equal(X_seen, np.asarray(X_b).astype(dtype), err_msg=f"step {t}")
        ours = DenseErrorAnalysis(Ws, bs, activations, loss, X_b, Y_b, dtype=dtype)
        if reference_step is None:
            expected = ours.step(learning_rate)
        else:
            expected = list(zip(*reference_step([W.astype(np.float64) for W in Ws],
                                                [b.astype(np.float64) for b in bs], X_b, Y_b)))
        # The reference's float64 bound is at most the dtype's: every term grows with u, and the
        # set of z within reach of a kink grows with the bounds. Hence twice the dtype's bound.
        bounds = ours.step_bounds(learning_rate)
        for l, ((W, b), (W_ref, b_ref), (e_W, e_b)) in enumerate(zip(after, expected, bounds)):
            assert np.all(np.abs(W - W_ref) <= 2 * e_W), f"step {t}, W^[{l + 1}]"
            assert np.all(np.abs(b - b_ref) <= 2 * e_b), f"step {t}, b^[{l + 1}]"


# -- least squares and logistic regression: distances to the optimum ---------------------------

def lstsq_error_bound(A, x, residual, eps=None):
    """Bound on ‖x̂ − x‖ for the least-squares solution x̂ of min ‖A x − y‖ computed by a backward
    stable solver (np.linalg.lstsq: LAPACK's SVD, or Householder QR), residual r = y − A x.

    Backward stability: x̂ solves a problem with ‖ΔA‖ ≤ ε ‖A‖, ‖Δy‖ ≤ ε ‖y‖, ε = γ_(mn) √n (the
    Frobenius-norm bound of Higham thm 20.3, taken to the 2-norm). Perturbation (Higham thm 20.1,
    κ = cond(A)): ‖x̂ − x‖ ≤ ‖x‖ κε / (1 − κε) · (2 + (κ + 1) ‖r‖ / (‖A‖ ‖x‖)).
    With ``eps`` given, the same bound for any perturbation of relative size eps (for data that
    were themselves computed, e.g. standardised)."""
    A = np.asarray(A, np.float64)
    m, n = A.shape
    if eps is None:
        eps = gamma(m * n) * math.sqrt(n)
    kappa = np.linalg.cond(A)
    norm_A, norm_x = np.linalg.norm(A, 2), np.linalg.norm(x)
    if kappa * eps >= 0.5:
        return math.inf
    return norm_x * kappa * eps / (1 - kappa * eps) * (
        2 + (kappa + 1) * np.linalg.norm(residual) / (norm_A * norm_x))


def lstsq_cost_bound(A, x, y):
    """Bound on ‖y − A x̂‖² − ‖y − A x‖² ≥ 0, the excess of the squared residual of lstsq's x̂
    over the least one: x̂ is exact for some A + ΔA, y + Δy (lstsq_error_bound), whose best
    residual is at most ‖r‖ + δ, δ = ε (‖y‖ + ‖A‖ ‖x‖); going back adds δ again, so the excess is
    at most (‖r‖ + 2δ)² − ‖r‖². First order in ε, unlike λ_max ‖x̂ − x‖², which is second order
    in a far larger error when A is ill-conditioned."""
    A = np.asarray(A, np.float64)
    m, n = A.shape
    eps = gamma(m * n) * math.sqrt(n)
    r = np.linalg.norm(np.ravel(y) - A @ np.ravel(x))
    delta = eps * (np.linalg.norm(y) + np.linalg.norm(A, 2) * np.linalg.norm(x))
    return (r + 2 * delta) ** 2 - r**2


def contraction_error_bound(rho, initial, per_step):
    """‖e_T‖ for e_(t+1) = M e_t + r_t with ‖M‖ ≤ rho and ‖r_t‖ ≤ per_step[t]:
    rho^T ‖e_0‖ + Σ_t rho^(T−1−t) per_step[t]. Gradient descent on a quadratic cost J is such an
    iteration: M = I − α H, rho = max |1 − α λ| over the eigenvalues λ of the Hessian H."""
    T = len(per_step)
    return rho**T * initial + sum(rho ** (T - 1 - t) * r for t, r in enumerate(per_step))


def least_squares_gd_bound(X, Y, learning_rate, iterates, theta):
    """Bound on ‖θ_T − θ‖ after gradient descent on J = (1/m) Σ (y − wᵀx − b)², from the
    iterates [(W_t, b_t)] it went through (t = 0 .. T, as recorded), θ = (w, b) the exact
    least-squares solution (for a computed one add lstsq_error_bound).

    J is quadratic, so an exact step maps the error e = θ_t − θ to (I − α H) e, H = (2/m) Ã Ãᵀ
    with Ã = [X; 1]: ‖I − α H‖ = rho = max |1 − α λ| over H's eigenvalues (each computed to within
    γ_(m+n) of ‖|Ã| |Ã|ᵀ‖, which rho allows for). Each computed step adds at most r_t, its rounding
    (DenseErrorAnalysis.step_bounds at θ_t), so ‖θ_T − θ‖ ≤ rho^T ‖θ_0 − θ‖ + Σ rho^(T−1−t) r_t.
    Returns an object with .bound, .rho, .lam_max (H's largest eigenvalue, plus the slack) and
    .per_step (the r_t)."""
    X = np.asarray(X, np.float64)
    n, m = X.shape
    A = np.vstack([X, np.ones((1, m))])
    H = 2 / m * A @ A.T
    lam = np.linalg.eigvalsh(H)
    slack = gamma(m + n + 1) * np.linalg.norm(2 / m * np.abs(A) @ np.abs(A).T, 2)
    rho = max(abs(1 - learning_rate * lam[0]), abs(1 - learning_rate * lam[-1])) + learning_rate * slack
    per_step = []
    for W, b in iterates[:-1]:
        analysis = DenseErrorAnalysis([np.reshape(W, (n, 1))], [np.reshape(b, (1, 1))],
                                      ["identity"], "mse", X, Y)
        (e_W, e_b), = analysis.step_bounds(learning_rate)
        per_step.append(math.hypot(np.linalg.norm(e_W), np.linalg.norm(e_b)))
    W0, b0 = iterates[0]
    initial = np.linalg.norm(np.append(np.ravel(W0), b0) - np.ravel(theta))
    return _GradientDescentBound(contraction_error_bound(rho, initial, per_step), rho,
                                 lam[-1] + slack, per_step)


class _GradientDescentBound:
    def __init__(self, bound, rho, lam_max, per_step):
        self.bound, self.rho, self.lam_max, self.per_step = bound, rho, lam_max, per_step


def logistic_distance_bound(w, b, X, Y):
    """Bound on ‖(w, b) − (w*, b*)‖, (w*, b*) the exact maximum-likelihood fit of the one-neuron
    logistic regression P(y = 1) = σ(w x + b) on X (1, m), Y (1, m), from the gradient at (w, b).

    J is strongly convex: its Hessian H = (1/m) Σ σ'(z_i) x̃_i x̃_iᵀ (x̃ = (x, 1)) is at least μ I
    between the two points, so ‖θ − θ*‖ ≤ ‖∇J(θ)‖ / μ. ∇J(θ) is computed to within e_dW, e_db
    (DenseErrorAnalysis), and H's smallest eigenvalue λ to within γ_(m+2) ‖|H|‖. Between θ and
    θ*, σ' changes by at most max |σ''| = √3/18 times |Δz| ≤ ‖x̃‖ d, so H by at most
    √3/18 max ‖x̃‖³ d: if that is ≤ λ/2 for d = 2 ‖∇J‖ / λ, then μ ≥ λ/2 and d is the bound."""
    analysis = DenseErrorAnalysis([[[w]]], [[[b]]], ["sigmoid"], "binary_cross_entropy", X, Y)
    gradient = math.hypot(analysis.dW[0][0, 0], analysis.db[0][0, 0])
    gradient += math.hypot(analysis.e_dW[0][0, 0], analysis.e_db[0][0, 0])
    X = np.asarray(X, np.float64)
    m = X.shape[1]
    A = np.vstack([X, np.ones((1, m))])
    s = analysis.A[-1] * (1 - analysis.A[-1])
    H = (A * s) @ A.T / m
    lam = np.linalg.eigvalsh(H)[0] - gamma(m + 2) * np.linalg.norm(np.abs(A * s) @ np.abs(A).T / m, 2)
    d = 2 * gradient / lam
    change = math.sqrt(3) / 18 * np.max(np.linalg.norm(A, axis=0)) ** 3 * d
    assert lam > 0 and change <= lam / 2, "too far from the optimum for this bound"
    return d
