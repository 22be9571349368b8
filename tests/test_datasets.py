"""nnlib.datasets: the lecture's layout, the real data as published, seeded synthetic sets."""

import csv

import numpy as np
import pytest
from numerics import gamma

from nnlib import datasets


def test_house_prices_layout_and_values():
    X, Y = datasets.house_prices(["lotsize", "bedrooms", "driveway"])
    assert X.shape == (3, 546) and Y.shape == (1, 546)
    with open(datasets.DATA_DIR / "windsor_housing.csv") as handle:
        first = next(csv.DictReader(handle))
    assert X[:, 0].tolist() == [float(first["lotsize"]), float(first["bedrooms"]),
                                1.0 if first["driveway"] == "yes" else 0.0]
    assert Y[0, 0] == float(first["price"])
    with pytest.raises(ValueError, match="Unknown house feature"):
        datasets.house_prices(["size"])


def test_challenger_leaves_out_flight_4_and_says_so():
    X, Y = datasets.challenger()
    assert X.shape == Y.shape == (1, 23)
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert X.min() == 53.0
    assert "Flight 4" in datasets.challenger.__doc__
    with open(datasets.DATA_DIR / "challenger_orings.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 24 and sum(r["o_ring_failure"] == "NA" for r in rows) == 1


@pytest.mark.parametrize("make, n_x", [(datasets.xor, 2), (datasets.two_moons, 2),
                                       (datasets.circles, 2), (datasets.noisy_line, 1)])
def test_synthetic_sets_are_seeded_and_in_the_lectures_layout(make, n_x):
    X, Y = make(m=60, seed=4)
    X2, Y2 = make(m=60, seed=4)
    assert X.shape == (n_x, 60) and Y.shape == (1, 60)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(X, make(m=60, seed=5)[0])


def test_xor_labels_are_xor_of_the_signs():
    X, Y = datasets.xor(m=200, noise=0.05)
    assert np.array_equal(Y[0], (np.sign(X[0]) != np.sign(X[1])).astype(float))


def test_one_hot_split_and_standardize():
    Y = datasets.one_hot([2, 0, 1, 2])
    assert Y.shape == (3, 4) and Y[:, 0].tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match="class indices"):
        datasets.one_hot([0.5, 1])
    X = np.arange(20.0).reshape(2, 10)
    (Xt, Yt), (Xv, Yv) = datasets.train_validation_split(X, X[:1], 0.3, seed=1)
    assert Xt.shape == (2, 7) and Xv.shape == (2, 3)
    assert sorted(np.hstack([Xt, Xv])[0].tolist()) == X[0].tolist()
    Xs, mean, std = datasets.standardize(X)
    # as in test_dtype's standardize test: mean within γ_m mean|x| / std + γ_(m+2) mean|Xs|, std
    # within 2γ_(m+3) + γ_2 (were atol 1e-12, and rtol 1e-7)
    m = X.shape[1]
    assert np.all(np.abs(Xs.mean(axis=1)) <= gamma(m) * np.abs(X).mean(axis=1) / std.ravel()
                  + gamma(m + 2) * np.abs(Xs).mean(axis=1))
    assert np.all(np.abs(Xs.std(axis=1) - 1) <= 2 * gamma(m + 3) + gamma(2))
    assert mean.shape == std.shape == (2, 1)



def test_citations_are_shipped():
    sources = (datasets.DATA_DIR / "SOURCES.md").read_text()
    assert "Anglin" in sources and "Dalal" in sources
