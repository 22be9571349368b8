"""Results nobody here computed: gradient descent reaches what other methods give."""

import math

import numpy as np
from numerics import (gamma, least_squares_gd_bound, logistic_distance_bound, lstsq_error_bound,
                      machine_epsilon, record_iterates)

from nnlib import Dense, Network, datasets


def test_linear_regression_reaches_least_squares_on_windsor():
    """Tolerance (was rtol 1e-6, atol 1e-9 for W and rel 1e-6 for b): the MSE is quadratic, so
    gradient descent ends within least_squares_gd_bound (the start's distance times rho^T, plus
    each step's rounding) of the exact least-squares solution, and lstsq within
    lstsq_error_bound of it."""
    X, Y = datasets.house_prices(["lotsize", "bedrooms", "bathrms", "stories", "garagepl"])
    Xs, mean, std = datasets.standardize(X)
    scale = 1e5  # price in hundreds of thousands of CAD keeps J near 1
    net = Network([Dense(5, 1, seed=0)], loss="mse")
    iterates = record_iterates(net)
    net.fit(Xs, Y / scale, epochs=2000, learning_rate=0.1)
    design = np.vstack([Xs, np.ones((1, Xs.shape[1]))]).T
    solution, *_ = np.linalg.lstsq(design, (Y / scale).ravel(), rcond=None)
    W, b = net.layers[0].W, net.layers[0].b
    path = [(Ws[0], bs[0]) for Ws, bs, _ in iterates] + [(W, b)]
    apart = (least_squares_gd_bound(Xs, Y / scale, 0.1, path, solution).bound
             + 2 * lstsq_error_bound(design, solution, (Y / scale).ravel() - design @ solution))
    assert np.linalg.norm(np.append(W.ravel(), b) - solution) <= apart
    assert apart < 1e-6 * np.abs(solution).min()    # the claim: the same numbers to 6 digits


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
    """Tolerances (were rel 1e-4): each fit is within logistic_distance_bound (its gradient
    over the strong convexity of J) of the exact maximum, so the two within the sum; p(31 °F)
    moves by at most σ' ≤ 1/4 times ‖(x, 1)‖ times that, plus each one's rounding (σ within 7u;
    w x + b within γ_2 of its sizes)."""
    X, Y = datasets.challenger()
    Xs, mean, std = datasets.standardize(X)
    net = Network([Dense(1, 1, "sigmoid", seed=0)], loss="binary_cross_entropy")
    net.fit(Xs, Y, epochs=5000, learning_rate=1.0)
    theta = newton_logistic(Xs, Y.ravel())
    w, b = net.layers[0].W[0, 0], net.layers[0].b[0, 0]
    apart = logistic_distance_bound(w, b, Xs, Y) + logistic_distance_bound(*theta, Xs, Y)
    assert math.hypot(w - theta[0], b - theta[1]) <= apart
    assert apart < 1e-4 * abs(theta[0])             # the claim: the same fit to 4 digits
    # and the fitted probability of failure at 31 F is the same number
    x31 = (np.array([[31.0]]) - mean) / std
    p_newton = 1 / (1 + np.exp(-(theta[0] * x31 + theta[1])))
    u = machine_epsilon(np.float64)
    rounding = sum(7 * u + gamma(2) * (abs(v * x31.item()) + abs(c)) / 4
                   for v, c in ((w, b), theta))
    allowed = apart * math.hypot(x31.item(), 1) / 4 + rounding
    assert abs(net.forward(x31)[0, 0] - p_newton[0, 0]) <= allowed

