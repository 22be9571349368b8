"""Data sets in the lecture's layout: X of shape (n_x, m), Y of shape (n_y, m).

Real data (shipped in ``nnlib/data/`` with its citations in ``nnlib/data/SOURCES.md``):

- ``house_prices``: 546 houses sold in Windsor, Canada, 1987 (Anglin and Gencay, 1996).
- ``challenger``: O-ring failures on the 23 shuttle flights before Challenger whose boosters
  were recovered (Dalal, Fowlkes and Hoadley, 1989).

Synthetic data (seeded, so every call with the same arguments gives the same arrays):
``noisy_line``, ``xor``, ``two_moons``, ``circles``. And ``one_hot`` for multi-class labels.

``digits``: 1797 handwritten digits, 8x8 pixels, ten classes (Alpaydin and Kaynak, 1998), also
shipped in ``nnlib/data/`` (no download, no other package needed).
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import numpy as np

__all__ = [
    "DATA_DIR",
    "HOUSE_FEATURES",
    "house_prices",
    "challenger",
    "noisy_line",
    "xor",
    "two_moons",
    "circles",
    "digits",
    "one_hot",
    "train_validation_split",
    "standardize",
]

DATA_DIR = Path(__file__).parent / "data"

#: Columns of the Windsor data that can be used as features (yes/no columns become 1/0).
HOUSE_FEATURES = ("lotsize", "bedrooms", "bathrms", "stories", "driveway", "recroom",
                  "fullbase", "gashw", "airco", "garagepl", "prefarea")


def _read_csv(name):
    with open(DATA_DIR / name, newline="") as handle:
        return list(csv.DictReader(handle))


def _number(text):
    return {"yes": 1.0, "no": 0.0}[text] if text in ("yes", "no") else float(text)


def house_prices(features=("lotsize",)):
    """Windsor house prices: X (n_x, 546) of the chosen ``features``, Y (1, 546) price in CAD.

    ``features`` are column names from HOUSE_FEATURES; "lotsize" is the lot's size in square
    feet, "bathrms" the number of bathrooms, "stories" the storeys, "garagepl" garage places;
    yes/no columns become 1.0/0.0. Rows of X follow the order of ``features``.

    >>> X, Y = house_prices(["lotsize", "bedrooms"])
    >>> X.shape, Y.shape
    ((2, 546), (1, 546))
    """
    if isinstance(features, str):
        features = (features,)
    unknown = [f for f in features if f not in HOUSE_FEATURES]
    if unknown:
        raise ValueError(f"Unknown house feature(s) {unknown}; choose from {HOUSE_FEATURES}.")
    rows = _read_csv("windsor_housing.csv")
    X = np.array([[_number(row[f]) for row in rows] for f in features], dtype=np.float64)
    Y = np.array([[float(row["price"]) for row in rows]], dtype=np.float64)
    return X, Y


def challenger():
    """Challenger O-rings: X (1, 23) launch temperature in °F, Y (1, 23) 1 if an O-ring failed.

    The data list 24 flights. Flight 4 has no O-ring record (its boosters were lost at sea), so
    nnlib leaves it out: m = 23. Challenger itself launched at 31 °F, far below every flight here
    (the coldest was 53 °F), so any prediction for it is an extrapolation.
    """
    rows = [row for row in _read_csv("challenger_orings.csv") if row["o_ring_failure"] != "NA"]
    X = np.array([[float(row["temperature_f"]) for row in rows]])
    Y = np.array([[_number(row["o_ring_failure"]) for row in rows]])
    return X, Y


def noisy_line(m=100, w=2.0, b=1.0, noise=0.5, x_range=(0.0, 5.0), seed=0):
    """Points near the line y = w x + b: X (1, m) uniform in ``x_range``, Y (1, m) with
    Gaussian noise of standard deviation ``noise``."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(*x_range, size=(1, m))
    Y = w * X + b + noise * rng.standard_normal((1, m))
    return X, Y


def xor(m=200, noise=0.15, seed=0):
    """The XOR problem: X (2, m) around the four corners (±1, ±1), Y (1, m) = 1 where the two
    coordinates have opposite signs. No straight line separates the classes."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(2, m)) * 2 - 1
    X = corners + noise * rng.standard_normal((2, m))
    Y = (corners[0] != corners[1]).astype(np.float64).reshape(1, m)
    return X.astype(np.float64), Y


def two_moons(m=200, noise=0.1, seed=0):
    """Two interleaved half circles: X (2, m), Y (1, m) in {0, 1} (class 0 the upper moon)."""
    rng = np.random.default_rng(seed)
    m0 = m // 2
    t0 = rng.uniform(0, np.pi, m0)
    t1 = rng.uniform(0, np.pi, m - m0)
    upper = np.vstack([np.cos(t0), np.sin(t0)])
    lower = np.vstack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.hstack([upper, lower]) + noise * rng.standard_normal((2, m))
    Y = np.hstack([np.zeros(m0), np.ones(m - m0)]).reshape(1, m)
    order = rng.permutation(m)
    return X[:, order], Y[:, order]


def circles(m=200, noise=0.05, factor=0.5, seed=0):
    """A small circle inside a large one: X (2, m), Y (1, m) = 1 for the inner circle."""
    rng = np.random.default_rng(seed)
    m0 = m // 2
    t = rng.uniform(0, 2 * np.pi, m)
    radius = np.where(np.arange(m) < m0, 1.0, factor)
    X = np.vstack([radius * np.cos(t), radius * np.sin(t)]) + noise * rng.standard_normal((2, m))
    Y = (np.arange(m) >= m0).astype(np.float64).reshape(1, m)
    order = rng.permutation(m)
    return X[:, order], Y[:, order]


def digits(dtype=np.float64):
    """Handwritten digits 0-9: X (64, 1797), Y one-hot (10, 1797) and labels (1797,).

    Each column of X is one 8x8 image, read row by row, with pixel values scaled from 0..16 to
    [0, 1]; ``X[:, i].reshape(8, 8)`` shows example i. Y[k, i] = 1 when example i is digit k.
    X and Y are of ``dtype`` (float64 by default, float32 for speed); labels are integers.

    The data (UCI "Optical Recognition of Handwritten Digits", Alpaydin and Kaynak, 1998,
    CC BY 4.0; the same copy as scikit-learn's ``load_digits``) are in nnlib/data/digits.csv.gz:
    one image per line, 64 pixel values then the digit.
    """
    with gzip.open(DATA_DIR / "digits.csv.gz", "rt") as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)  # (1797, 65)
    labels = table[:, -1]
    X = np.ascontiguousarray(table[:, :-1].T / 16.0, dtype=dtype)  # one column per image
    Y = one_hot(labels, 10).astype(dtype)
    return X, Y, labels


def one_hot(labels, n_classes=None):
    """Class indices (m,) or (1, m) -> one-hot Y of shape (n_classes, m)."""
    labels = np.asarray(labels).reshape(-1)
    if labels.size and (labels.min() < 0 or not np.all(labels == labels.astype(int))):
        raise ValueError("one_hot needs class indices 0, 1, 2, ... as whole numbers.")
    labels = labels.astype(int)
    n_classes = int(labels.max()) + 1 if n_classes is None else int(n_classes)
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def train_validation_split(X, Y, validation_fraction=0.2, seed=0):
    """Shuffle the m columns and split them: (X_train, Y_train), (X_val, Y_val)."""
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)
    n_val = int(round(validation_fraction * m))
    val, train = order[:n_val], order[n_val:]
    return (X[:, train], Y[:, train]), (X[:, val], Y[:, val])


def standardize(X, mean=None, std=None):
    """Scale each feature (row) to mean 0 and standard deviation 1.

    Returns (X_scaled, mean, std), mean and std of shape (n_x, 1). Pass the training set's
    mean and std to scale validation or new data the same way.
    """
    X = np.asarray(X)
    if X.dtype != np.float32:  # float32 data stay float32; integers and the rest become float64
        X = X.astype(np.float64)
    mean = X.mean(axis=1, keepdims=True) if mean is None else mean
    std = X.std(axis=1, keepdims=True) if std is None else std
    std = np.where(std == 0, 1.0, std)
    return (X - mean) / std, mean, std
