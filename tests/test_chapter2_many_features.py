"""Chapter 2 (many features): every derivative the chapter states, checked on the Windsor data.

The book's indices: x_j^(i) is feature j of example (house) i, X[j, i].

- dJ/dw_j = -(2/m) sum_i x_j^(i) (y^(i) - y_hat^(i)) for each w_j, and dJ/db, against centred
  finite differences of the MSE;
- the vectorised dW = -(2/m) X (Y - Y_hat)^T equals the loop over the examples and the finite
  differences, and nnlib's backward gives the same;
- the slides' form, with x outside the sum, fails the same check;
- the slides' "Y = W^T X + b" is the prediction Y_hat: no W, b make it equal the labels Y;
- gradient descent on standardised features reaches the least-squares solution of np.linalg.lstsq.
"""

import numpy as np
import pytest

import nnlib
from nnlib import datasets

FEATURES = ["lotsize", "bathrms", "bedrooms", "stories", "garagepl"]


@pytest.fixture(scope="module")
def data():
    X, Y = datasets.house_prices(FEATURES)
    return X, Y / 1000  # price in thousand CAD, as in the chapter


@pytest.fixture(scope="module")
def start():
    rng = np.random.default_rng(0)
    return 0.01 * rng.standard_normal((len(FEATURES), 1)), np.zeros((1, 1))


def cost(W, b, X, Y):
    return float(np.mean((Y - (W.T @ X + b)) ** 2))


def finite_differences(W, b, X, Y, eps=1e-6):
    """Centred differences of J for every w_j and for b: returns (dW (n_x, 1), db)."""
    dW = np.zeros_like(W)
    for j in range(W.shape[0]):
        Wp, Wm = W.copy(), W.copy()
        Wp[j] += eps
        Wm[j] -= eps
        dW[j] = (cost(Wp, b, X, Y) - cost(Wm, b, X, Y)) / (2 * eps)
    db = (cost(W, b + eps, X, Y) - cost(W, b - eps, X, Y)) / (2 * eps)
    return dW, db


def book_dw_j(W, b, X, Y, j):
    """-(2/m) sum_i x_j^(i) (y^(i) - y_hat^(i)): x_j^(i) inside the sum."""
    m = X.shape[1]
    E = Y - (W.T @ X + b)
    return -2 / m * sum(X[j, i] * E[0, i] for i in range(m))


def slide_dw_j(W, b, X, Y, j):
    """The slides' form, d(MSE)/dw_i = -(2/m) x_i sum_k (y_k - y_hat_k) in their letters: the
    feature taken outside the sum over the examples (as its mean, the most favourable reading)."""
    m = X.shape[1]
    E = Y - (W.T @ X + b)
    return -2 / m * X[j].mean() * E.sum()


def test_each_dw_i_and_db_match_finite_differences(data, start):
    X, Y = data
    W, b = start
    fd_W, fd_b = finite_differences(W, b, X, Y)
    for j in range(len(FEATURES)):
        assert book_dw_j(W, b, X, Y, j) == pytest.approx(fd_W[j, 0], rel=1e-6), FEATURES[j]
    m = X.shape[1]
    db = -2 / m * np.sum(Y - (W.T @ X + b))
    assert db == pytest.approx(fd_b, rel=1e-6)


def test_vectorised_dW_matches_loop_and_finite_differences(data, start):
    X, Y = data
    W, b = start
    m = X.shape[1]
    dW = -2 / m * X @ (Y - (W.T @ X + b)).T
    assert dW.shape == W.shape == (5, 1)
    loop = np.array([[book_dw_j(W, b, X, Y, j)] for j in range(len(FEATURES))])
    np.testing.assert_allclose(dW, loop, rtol=1e-12)
    fd_W, _ = finite_differences(W, b, X, Y)
    np.testing.assert_allclose(dW, fd_W, rtol=1e-6)


def test_nnlib_backward_gives_the_book_gradient(data, start):
    X, Y = data
    W, b = start
    layer = nnlib.Dense(5, 1)
    layer.W[...] = W
    net = nnlib.Network([layer], loss="mse")
    net.forward(X)
    net.backward(Y)
    m = X.shape[1]
    E = Y - (W.T @ X + b)
    np.testing.assert_allclose(layer.dW, -2 / m * X @ E.T, rtol=1e-12)
    np.testing.assert_allclose(layer.db, -2 / m * E.sum(keepdims=True), rtol=1e-12)


def test_slide_form_with_x_outside_the_sum_fails(data, start):
    X, Y = data
    W, b = start
    fd_W, _ = finite_differences(W, b, X, Y)
    for j in range(len(FEATURES)):
        slide = slide_dw_j(W, b, X, Y, j)
        assert abs(slide - fd_W[j, 0]) / abs(fd_W[j, 0]) > 1e-2, FEATURES[j]
    # and not only with the mean: x of any single house outside the sum fails too
    E_sum = np.sum(Y - (W.T @ X + b))
    for i in (0, 100, 545):
        slide = -2 / X.shape[1] * X[0, i] * E_sum
        assert abs(slide - fd_W[0, 0]) / abs(fd_W[0, 0]) > 1e-2


def test_gradient_descent_on_standardised_features_reaches_lstsq(data):
    X, Y = data
    n_x, m = X.shape
    A = np.hstack([X.T, np.ones((m, 1))])
    solution, *_ = np.linalg.lstsq(A, Y.ravel(), rcond=None)
    W_ls, b_ls = solution[:n_x].reshape(n_x, 1), solution[n_x]

    X_scaled, mu, sigma = datasets.standardize(X)
    nnlib.set_seed(0)
    net = nnlib.Network([nnlib.Dense(n_x, 1)], loss="mse")
    history = net.fit(X_scaled, Y, epochs=200, learning_rate=0.3)
    W_t, b_t = net.layers[0].W, net.layers[0].b
    W_gd = W_t / sigma
    b_gd = (b_t - np.sum(W_t * mu / sigma)).item()
    np.testing.assert_allclose(W_gd, W_ls, rtol=1e-6)
    assert b_gd == pytest.approx(b_ls, rel=1e-6)
    assert history.cost[-1] == pytest.approx(cost(W_ls, b_ls, X, Y), rel=1e-9)


def test_raw_features_stall_far_from_the_minimum(data):
    """The chapter's claim: without scaling, 10 000 epochs at the largest stable rate stall."""
    X, Y = data
    m = X.shape[1]
    A = np.vstack([X, np.ones((1, m))])
    curvatures = np.linalg.eigvalsh(2 / m * A @ A.T)
    assert curvatures.max() / curvatures.min() > 1e8
    assert 3e-8 < 2 / curvatures.max()          # 3e-8 is stable ...
    assert 1e-7 > 2 / curvatures.max()          # ... and 1e-7 diverges
    solution, *_ = np.linalg.lstsq(A.T, Y.ravel(), rcond=None)
    best = cost(solution[:-1].reshape(-1, 1), solution[-1], X, Y)
    nnlib.set_seed(0)
    net = nnlib.Network([nnlib.Dense(5, 1)], loss="mse")
    history = net.fit(X, Y, epochs=10_000, learning_rate=3e-8)
    assert not history.diverged
    assert history.cost[-1] > 2 * best


def test_local_derivative_dJ_dyhat(data, start):
    """dJ/dy_hat^(i) = -(2/m) (y^(i) - y_hat^(i)), the first factor of the chain rule."""
    X, Y = data
    W, b = start
    m = X.shape[1]
    Y_hat = W.T @ X + b
    eps = 1e-6
    # Each mean of m squares is off by at most about u (log2 m + 2) J (pairwise summation, u =
    # 1.1e-16); the two of them divided by 2 eps give the bound below (1e-5 here, for a
    # derivative of about 0.2: a wrong formula is off by that much, not by 1e-5).
    J = np.mean((Y - Y_hat) ** 2)
    tolerance = 2 * np.finfo(float).eps * (np.log2(m) + 2) * J / (2 * eps)
    for i in (0, 7, 300):
        up, down = Y_hat.copy(), Y_hat.copy()
        up[0, i] += eps
        down[0, i] -= eps
        numeric = (np.mean((Y - up) ** 2) - np.mean((Y - down) ** 2)) / (2 * eps)
        assert -2 / m * (Y[0, i] - Y_hat[0, i]) == pytest.approx(numeric, abs=tolerance)


def test_curvature_along_each_weight(data, start):
    """d2J/dw_j^2 = (2/m) sum_i (x_j^(i))^2, which the chapter uses to explain scaling."""
    X, Y = data
    W, b = start
    m = X.shape[1]
    for j in range(len(FEATURES)):
        h = 1e-3 if j == 0 else 0.1
        Wp, Wm = W.copy(), W.copy()
        Wp[j] += h
        Wm[j] -= h
        numeric = (cost(Wp, b, X, Y) - 2 * cost(W, b, X, Y) + cost(Wm, b, X, Y)) / h ** 2
        assert 2 / m * np.sum(X[j] ** 2) == pytest.approx(numeric, rel=1e-5), FEATURES[j]
    # the numbers the chapter quotes: about 6e7 for the lot size, about 3.8 for bathrooms
    assert 2 / m * np.sum(X[0] ** 2) == pytest.approx(6e7, rel=0.05)
    assert 2 / m * np.sum(X[1] ** 2) == pytest.approx(3.8, rel=0.02)


def test_two_feature_bowl_proportions(data):
    """The slider's claim: with lot size and bathrooms only centred, the bowl is over 4 000 times
    longer than wide (the square root of the ratio of its curvatures); standardised, about 1."""
    X, _ = data
    Xc = X[:2] - X[:2].mean(axis=1, keepdims=True)
    curv = np.linalg.eigvalsh(2 / Xc.shape[1] * Xc @ Xc.T)
    assert np.sqrt(curv[1] / curv[0]) > 4000
    Xs = Xc / Xc.std(axis=1, keepdims=True)
    curv = np.linalg.eigvalsh(2 / Xs.shape[1] * Xs @ Xs.T)
    assert np.sqrt(curv[1] / curv[0]) < 2


def test_slide_Y_equals_WtX_plus_b_is_the_prediction_not_the_labels(data):
    """The slides' "Y = W^T X + b" (many features): the left side is the prediction Y_hat. Y_hat
    = W^T X + b has Y's shape (1, m), but no W, b make it equal the labels Y: even the
    least-squares W, b (the best there are) miss the prices by about 18 kCAD typically."""
    X, Y = data
    n_x, m = X.shape
    A = np.hstack([X.T, np.ones((m, 1))])
    solution, residual, rank, _ = np.linalg.lstsq(A, Y.ravel(), rcond=None)
    assert rank == n_x + 1 < m                      # 546 equations, 6 unknowns
    W, b = solution[:n_x].reshape(n_x, 1), solution[n_x]
    Y_hat = W.T @ X + b
    assert Y_hat.shape == Y.shape == (1, m)
    # the smallest possible sum of squared errors is far from 0: Y = W^T X + b has no solution
    assert residual[0] == pytest.approx(np.sum((Y - Y_hat) ** 2), rel=1e-9)
    assert np.sqrt(residual[0] / m) > 15            # kCAD: the typical error of the best fit
    # and any other W, b does worse (the least-squares point is the minimum)
    rng = np.random.default_rng(1)
    for _ in range(5):
        W_other = W + 1e-3 * np.abs(W) * rng.standard_normal(W.shape)
        assert np.sum((Y - (W_other.T @ X + b)) ** 2) > residual[0]
