"""A network of L layers and the lecture's five steps.

    1. random initialisation      Network([Dense(...), ...])         (each Dense draws its W)
    2. forward propagation        Ŷ = network.forward(X)             A^[0] = X, A^[l] = g(W^[l]ᵀ A^[l-1] + b^[l])
    3. backpropagation            network.backward(Y)                fills every layer's dW, db
    4. update                     network.step(learning_rate)        W <- W − α dW, b <- b − α db
    5. repeat for some epochs     history = network.fit(X, Y, epochs, learning_rate)

X has shape (n_x, m) and Y has shape (n_y, m): one example per column.
"""

from __future__ import annotations

import warnings

import numpy as np

from . import losses as _losses
from .layers import Dense, warn_overflow
from .validation import (DIVERGENCE, ShapeError, all_finite, as_matrix, check_examples,
                         check_positive, check_targets)

__all__ = ["Network", "History", "TrainingDiverged"]


class TrainingDiverged(UserWarning):
    """The cost grew by a large factor, or became infinite or NaN, during training: the learning
    rate is too large."""


#: fit warns that training diverges when the cost has grown to more than this many times its
#: lowest value so far (and above its first value): gradient descent with a right learning rate
#: never lets the full-batch cost grow at all, and mini-batch noise moves it by a few times at
#: most, while a diverging run grows by a constant factor per epoch (10^50 in 200 epochs on the
#: house prices in dollars with α = 1e-7).
GROWTH = 1e3


class History:
    """What ``Network.fit`` records, one entry per epoch.

    Attributes
    ----------
    cost : list of float        the training cost J after each epoch (on the whole training set)
    val_cost : list of float    the cost on ``validation_data`` after each epoch (empty if none)
    diverged : bool             True if J grew by a large factor (more than GROWTH times its
                                lowest value), or became inf or NaN (training then stops)
    learning_rate : float       the α used
    """

    def __init__(self, learning_rate):
        self.cost = []
        self.val_cost = []
        self.diverged = False
        self.learning_rate = learning_rate

    @property
    def epochs(self):
        """How many epochs ran (fewer than asked if training diverged)."""
        return len(self.cost)

    def __getitem__(self, key):  # history["cost"] reads like Keras' history.history["loss"]
        return getattr(self, key)

    def __repr__(self):
        last = f", final cost {self.cost[-1]:.6g}" if self.cost else ""
        flag = ", diverged" if self.diverged else ""
        return f"History({self.epochs} epochs, learning_rate={self.learning_rate}{last}{flag})"


class Network:
    """Layers applied one after the other, with a cost at the end.

    Parameters
    ----------
    layers : list of Dense
        Layer l's n_in must equal layer l-1's n_out.
    loss : str or Loss
        "mse" (regression, identity output), "binary_cross_entropy" (sigmoid output, labels 0/1)
        or "categorical_cross_entropy" (softmax output, one-hot Y).
    """

    def __init__(self, layers, loss="mse"):
        layers = list(layers)
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            raise TypeError("Network needs a non-empty list of nnlib.Dense layers.")
        for l in range(1, len(layers)):
            if layers[l].n_in != layers[l - 1].n_out:
                raise ShapeError(
                    f"Layer {l + 1} expects n^[{l}] = {layers[l].n_in} inputs, but layer {l} "
                    f"has {layers[l - 1].n_out} units. Each layer takes the whole A of the "
                    "layer before it."
                )
        dtypes = {layer.dtype for layer in layers}
        if len(dtypes) > 1:
            raise TypeError(f"All layers should share one dtype, got {sorted(map(str, dtypes))}.")
        self.layers = layers
        self.loss_function = _losses.get(loss)
        self.dtype = layers[0].dtype
        output = self.layers[-1].activation.name
        self._fused = self.loss_function.fused_activation == output
        if self.loss_function.fused_activation and not self._fused:
            raise ValueError(
                f"loss={self.loss_function.name!r} needs a {self.loss_function.fused_activation} "
                f"output layer, but the last layer uses {output!r}."
            )
        if output == "softmax" and not self._fused:
            raise ValueError("A softmax output needs loss='categorical_cross_entropy'.")
        self._Y_hat = None

    # -- sizes --------------------------------------------------------------------------------
    @property
    def n_x(self):
        """Number of input features, n^[0]."""
        return self.layers[0].n_in

    @property
    def n_y(self):
        """Number of outputs, n^[L]."""
        return self.layers[-1].n_out

    # -- checks -------------------------------------------------------------------------------
    def _check_parameters(self):
        """A replaced W or b of the wrong shape, named by layer, before any product (O(L))."""
        for l, layer in enumerate(self.layers, start=1):
            layer.check_parameters(f"layer {l}")

    def _as_X(self, X):
        return check_examples(as_matrix(X, "X", self.dtype), self.n_x, "X")

    def _as_Y(self, Y, m):
        Y = check_targets(as_matrix(Y, "Y", self.dtype), self.n_y, m, "Y")
        self.loss_function.check_targets(Y)
        return Y

    # -- step 2: forward propagation -----------------------------------------------------------
    def forward(self, X):
        """Ŷ = A^[L] for X of shape (n_x, m); returns (n_y, m). Keeps what backward needs.

        A W or b of the wrong shape is refused, naming the layer; an overflow gives a
        NumericalWarning in the lecture's words, not NumPy's RuntimeWarning."""
        Y_hat = self._checked_forward(X)
        if not all_finite(Y_hat):
            self._warn_overflow("the forward pass Ŷ = A^[L]")
        return Y_hat

    def _checked_forward(self, X):
        X = self._as_X(X)
        self._check_parameters()
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward_pass(X)

    def _warn_overflow(self, what, learning_rate=None):
        largest = max(range(len(self.layers)), key=lambda l: np.nanmax(np.abs(self.layers[l].W)))
        warn_overflow(what, self.layers[largest], learning_rate, where=f"layer {largest + 1}",
                      stacklevel=4)

    def _forward_pass(self, X):
        A = X  # A^[0] = X
        for layer in self.layers:
            A = layer._forward(A)
        self._Y_hat = A
        return A

    def _cost(self, Y):
        """J of the last forward pass."""
        return self._cost_from(self.layers[-1]._cache[1], Y, A=self._Y_hat)

    def _cost_from(self, Z, Y, A=None):
        """J from the output layer's Z^[L]: through the from-logits form when the output is fused
        (finite for any z, and A^[L] is not needed), else from A^[L] = g(Z^[L])."""
        with np.errstate(over="ignore", invalid="ignore"):
            if self._fused:
                return self.loss_function.value_from_logits(Z, Y)
            if A is None:
                A = self.layers[-1].activation.forward(Z)
            return self.loss_function.value(A, Y)

    def loss(self, X, Y):
        """The cost J (a float) of the network on X (n_x, m) with targets Y (n_y, m)."""
        Y_hat = self._checked_forward(X)
        Y = self._as_Y(Y, Y_hat.shape[1])
        cost = self._cost(Y)
        if not np.isfinite(cost):
            self._warn_overflow(f"the cost J (= {cost})")
        return cost

    # -- step 3: backpropagation ---------------------------------------------------------------
    def backward(self, Y):
        """Fill every layer's dW, db with dJ/dW, dJ/db for the batch of the last forward pass."""
        if self._Y_hat is None:
            raise RuntimeError("backward(Y) needs a forward(X) pass on the same batch first.")
        Y = self._as_Y(Y, self._Y_hat.shape[1])
        self._check_parameters()
        self._backward(Y)

    def _backward(self, Y, need_dX=False):
        with np.errstate(over="ignore", invalid="ignore"):
            return self._backprop(Y, need_dX)

    def _backprop(self, Y, need_dX=False):
        """Backpropagation from the output layer L down to layer 1 (no dJ/dX unless asked)."""
        output = self.layers[-1]
        if self._fused:  # sigmoid + BCE or softmax + CCE: dJ/dZ^[L] = (A − Y)/m
            dA = output.backward_from_dZ((self._Y_hat - Y) / Y.shape[1],
                                         need_dA_prev=len(self.layers) > 1 or need_dX)
        else:
            dA_out = self.loss_function.gradient(self._Y_hat, Y)
            dZ = dA_out * output.activation.derivative(output._cache[1], output._cache[2])
            dA = output.backward_from_dZ(dZ, need_dA_prev=len(self.layers) > 1 or need_dX)
        for l in range(len(self.layers) - 2, -1, -1):
            layer = self.layers[l]
            _, Z, A = layer._cache
            dZ = dA * layer.activation.derivative(Z, A)
            dA = layer.backward_from_dZ(dZ, need_dA_prev=l > 0 or need_dX)
        return dA

    # -- step 4: update --------------------------------------------------------------------------
    def step(self, learning_rate):
        """W^[l] <- W^[l] − α dW^[l], b^[l] <- b^[l] − α db^[l] for every layer."""
        learning_rate = check_positive(learning_rate, "learning_rate")
        self._check_parameters()
        if any(layer.dW is None for layer in self.layers):
            raise RuntimeError("step() needs gradients: call backward(Y) first.")
        with np.errstate(over="ignore", invalid="ignore"):
            self._update(learning_rate)
        if not self._parameters_finite():
            self._warn_overflow("the update W ← W − α dW", learning_rate)

    def _update(self, learning_rate):
        for layer in self.layers:
            layer._step(learning_rate)

    # -- step 5: repeat ----------------------------------------------------------------------------
    def fit(self, X, Y, epochs, learning_rate, batch_size=None, validation_data=None,
            shuffle=True, seed=0, verbose=False):
        """Train by gradient descent and return a History.

        Each epoch goes once through the m examples: in one full batch (``batch_size=None``,
        the lecture's gradient descent) or in mini-batches of ``batch_size`` columns, shuffled
        once per epoch with ``seed``. After each epoch the cost on the whole training set (and on
        ``validation_data = (X_val, Y_val)``) is recorded.

        If J grows to more than GROWTH (1000) times its lowest value so far, even while finite,
        or becomes inf or NaN, the learning rate is too large: ``history.diverged`` is set and one
        TrainingDiverged warning says what to try; training stops once J is inf or NaN.
        """
        self._check_parameters()
        X = self._as_X(X)
        Y = self._as_Y(Y, X.shape[1])
        learning_rate = check_positive(learning_rate, "learning_rate")
        if not isinstance(epochs, (int, np.integer)) or isinstance(epochs, bool) or epochs < 0:
            raise ValueError(f"epochs should be a whole number >= 0, got {epochs!r}.")
        if validation_data is not None:
            X_val, Y_val = validation_data
            X_val = self._as_X(X_val)
            Y_val = self._as_Y(Y_val, X_val.shape[1])
        m = X.shape[1]
        if batch_size is not None:
            if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
                raise ValueError(f"batch_size should be a whole number >= 1 or None, got {batch_size!r}.")
            batch_size = min(int(batch_size), m)
        rng = np.random.default_rng(seed)
        history = History(learning_rate)
        if shuffle and batch_size is not None and batch_size < m:
            # the shuffled copies of X and Y, refilled every epoch instead of allocated anew
            Xs, Ys = np.empty(X.shape, X.dtype), np.empty(Y.shape, Y.dtype)
        # Overflow shows up as an inf or NaN cost, checked after each epoch. NumPy's error state
        # is set once here rather than at every step: that saves microseconds per mini-batch.
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(epochs):
                if batch_size is None or batch_size == m:  # the lecture's gradient descent
                    if epoch == 0:
                        self._forward_pass(X)
                    self._backprop(Y)
                    self._update(learning_rate)
                    # The forward pass after the update gives this epoch's cost J and is also
                    # the next epoch's forward pass: one pass per epoch instead of two.
                    self._forward_pass(X)
                    cost = self._cost(Y)
                else:
                    if shuffle:  # one permutation per epoch, then contiguous slices
                        order = rng.permutation(m)
                        # the columns in that order: np.take is ~4x faster than X[:, order]; into
                        # out= with mode="clip" (order never leaves 0..m-1) NumPy skips a buffer
                        # copy: 87 -> 58 ms per epoch at 784 x 60 000
                        np.take(X, order, axis=1, out=Xs, mode="clip")
                        np.take(Y, order, axis=1, out=Ys, mode="clip")
                    else:
                        Xs, Ys = X, Y
                    for start in range(0, m, batch_size):
                        self._train_step(Xs[:, start:start + batch_size],
                                         Ys[:, start:start + batch_size], learning_rate)
                    cost = self._evaluate(X, Y)
                history.cost.append(cost)
                if validation_data is not None:
                    history.val_cost.append(self._evaluate(X_val, Y_val))
                if verbose and (epoch % max(1, epochs // 10) == 0 or epoch == epochs - 1):
                    val = (f", validation cost {history.val_cost[-1]:.6g}"
                           if history.val_cost else "")
                    print(f"epoch {epoch + 1:>5}/{epochs}: cost {cost:.6g}{val}")
                if not np.isfinite(cost) or not self._parameters_finite():
                    if not history.diverged:
                        history.diverged = True
                        warnings.warn(
                            f"Training diverged at epoch {epoch + 1}: the cost became {cost}. "
                            f"{DIVERGENCE}: the learning rate {learning_rate:g} is too large for "
                            f"this data; try one about 10 times smaller "
                            f"({learning_rate / 10:g}), or scale the features.",
                            TrainingDiverged,
                            stacklevel=2,
                        )
                    break
                # O(1) per epoch: the lowest cost so far, and the first one
                if epoch == 0:
                    first = lowest = cost
                lowest = min(lowest, cost)
                if not history.diverged and cost > GROWTH * lowest and cost > first:
                    history.diverged = True
                    warnings.warn(
                        f"Training is diverging: by epoch {epoch + 1} the cost J has grown to "
                        f"{cost:.3g}, more than {GROWTH:g} times its lowest value so far "
                        f"({lowest:.3g}), although it is still a finite number. {DIVERGENCE}: "
                        f"the learning rate {learning_rate:g} is too large for this data; try one "
                        f"about 10 times smaller ({learning_rate / 10:g}), or scale the "
                        "features. (history.diverged is set; training goes on, and stops if J "
                        "overflows.)",
                        TrainingDiverged,
                        stacklevel=2,
                    )
        return history

    def _train_step(self, X, Y, learning_rate):
        """One gradient-descent step on the batch (X, Y): forward, backward, update."""
        self._forward_pass(X)
        self._backprop(Y)
        self._update(learning_rate)

    def _evaluate(self, X, Y, block=None):
        """The cost J on (X, Y) with the current parameters: one forward pass, nothing kept.

        The pass goes over blocks of ``block`` columns, and J is the average of the blocks'
        costs weighted by their sizes (the same number up to rounding). By default a block's
        widest array is about 256 KB: it stays in the CPU's cache, and its memory is reused
        from block to block instead of fresh pages from the operating system (with 2048-column
        blocks, page faults took 7–10 % of a digits epoch here). With a fused output (sigmoid
        or softmax) J comes from Z^[L] alone, so A^[L] is not computed.
        """
        if block is None:
            widest = max(layer.n_out for layer in self.layers) * self.dtype.itemsize
            block = max(128, 2**18 // widest)
        output = self.layers[-1]
        costs, sizes = [], []
        for start in range(0, X.shape[1], block):
            A = X[:, start:start + block]
            for layer in self.layers[:-1]:
                A = layer.activation.forward(layer._linear(A))
            costs.append(self._cost_from(output._linear(A), Y[:, start:start + block]))
            sizes.append(A.shape[1])
        return costs[0] if len(costs) == 1 else float(np.average(costs, weights=sizes))

    def _parameters_finite(self):
        return all(np.isfinite(layer.W).all() and np.isfinite(layer.b).all() for layer in self.layers)

    # -- using the trained network --------------------------------------------------------------
    def predict(self, X):
        """Predictions for X (n_x, m), shape (n_y, m) for regression, (1, m) for classifiers.

        mse: Ŷ itself. binary_cross_entropy: the class, 1 where ŷ >= 0.5 else 0.
        categorical_cross_entropy: the index of the most probable class in each column.
        """
        Y_hat = self.forward(X)
        name = self.loss_function.name
        if name == "binary_cross_entropy":
            return (Y_hat >= 0.5).astype(int)
        if name == "categorical_cross_entropy":
            return Y_hat.argmax(axis=0).reshape(1, -1)
        return Y_hat

    def parameters(self):
        """{"W[1]": W^[1], "b[1]": b^[1], ...} in the lecture's notation (the arrays themselves)."""
        out = {}
        for l, layer in enumerate(self.layers, start=1):
            out[f"W[{l}]"] = layer.W
            out[f"b[{l}]"] = layer.b
        return out

    def gradients(self):
        """{"dW[1]": dW^[1], "db[1]": db^[1], ...} from the last backward pass."""
        out = {}
        for l, layer in enumerate(self.layers, start=1):
            out[f"dW[{l}]"] = layer.dW
            out[f"db[{l}]"] = layer.db
        return out

    def __repr__(self):
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Network([\n    {inner}\n], loss={self.loss_function.name!r})"
