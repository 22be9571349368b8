"""Results nobody here computed: gradient descent reaches what other methods give."""

import numpy as np
import pytest

from nnlib import Dense, Network, datasets


def test_linear_regression_reaches_least_squares_on_windsor():
    X, Y = datasets.house_prices(["lotsize", "bedrooms", "bathrms", "stories", "garagepl"])
    Xs, mean, std = datasets.standardize(X)
    scale = 1e5  # price in hundreds of thousands of CAD keeps J near 1
    net = Network([Dense(5, 1, seed=0)], loss="mse")
    net.fit(Xs, Y / scale, epochs=2000, learning_rate=0.1)
    design = np.vstack([Xs, np.ones((1, Xs.shape[1]))]).T
    solution, *_ = np.linalg.lstsq(design, (Y / scale).ravel(), rcond=None)
    np.testing.assert_allclose(net.layers[0].W.ravel(), solution[:-1], rtol=1e-6, atol=1e-9)
    assert net.layers[0].b[0, 0] == pytest.approx(solution[-1], rel=1e-6)


def newton_logistic(X, y, iterations=50):
    """Maximum likelihood by Newton's method, written independently of nnlib."""
    design = np.vstack([X, np.ones((1, X.shape[1]))]).T  # (m, n_x + 1)
    theta = np.zeros(design.shape[1])
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-design @ theta))
        gradient = design.T @ (p - y)
        hessian = design.T @ (design * (p * (1 - p))[:, None])
        theta -= np.linalg.solve(hessian, gradient)
    return theta


def test_logistic_regression_reaches_maximum_likelihood_on_challenger():
    X, Y = datasets.challenger()
    Xs, mean, std = datasets.standardize(X)
    net = Network([Dense(1, 1, "sigmoid", seed=0)], loss="binary_cross_entropy")
    net.fit(Xs, Y, epochs=5000, learning_rate=1.0)
    theta = newton_logistic(Xs, Y.ravel())
    assert net.layers[0].W[0, 0] == pytest.approx(theta[0], rel=1e-4)
    assert net.layers[0].b[0, 0] == pytest.approx(theta[1], rel=1e-4)
    # and the fitted probability of failure at 31 F is the same number
    x31 = (np.array([[31.0]]) - mean) / std
    p_newton = 1 / (1 + np.exp(-(theta[0] * x31 + theta[1])))
    assert net.forward(x31)[0, 0] == pytest.approx(p_newton[0, 0], rel=1e-4)
