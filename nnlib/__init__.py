"""nnlib: the lecture "Neural Networks from Scratch", as a small NumPy library.

Notation (the book's and the code's): X has shape (n_x, m), one example per column. Layer l has
W^[l] of shape (n^[l-1], n^[l]) and b^[l] of shape (n^[l], 1), and computes

    Z^[l] = W^[l]ᵀ A^[l-1] + b^[l],   A^[l] = g^[l](Z^[l]),   A^[0] = X.

    >>> import nnlib
    >>> net = nnlib.Network([nnlib.Dense(1, 1)], loss="mse")          # 1. random initialisation
    >>> X, Y = nnlib.datasets.noisy_line(m=50)
    >>> history = net.fit(X, Y, epochs=200, learning_rate=0.05)       # 2.-5. forward, backward,
    >>> round(history.cost[-1], 2) < 0.5                               #       update, repeat
    True

This package is the core. The course machinery (checks, grader, student notebooks) lives in
``nnlib.grading`` and builds on it; nothing here imports it.
"""

from . import activations, datasets, losses, plotting
from .gradcheck import gradient_check
from .layers import Dense, set_seed
from .network import History, Network, TrainingDiverged
from .validation import ShapeError

__all__ = [
    "Dense",
    "Network",
    "History",
    "TrainingDiverged",
    "ShapeError",
    "gradient_check",
    "set_seed",
    "activations",
    "losses",
    "datasets",
    "plotting",
]

__version__ = "0.1.0"
