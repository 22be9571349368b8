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
from numerics import (DenseErrorAnalysis, centred_difference_tolerance, gamma,
                      least_squares_gd_bound, lstsq_cost_bound, lstsq_error_bound,
                      record_iterates)

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


def rounding(W, b, X, Y):
    """J, dJ/dW, dJ/db and bounds on their rounding errors (numerics.DenseErrorAnalysis)."""
    return DenseErrorAnalysis([W], [np.reshape(b, (1, 1))], ["identity"], "mse", X, Y)


def steps(X):
    """ε for each w_j and for b: ε_j = 1 / rms(x_j), which moves ŷ by about one thousand CAD
    (and 1 for b). J is quadratic in each w_j and in b, so the centred difference has no
    truncation error (f''' = 0) and ε need not be small: the larger ε, the smaller δJ/ε."""
    return 1 / np.sqrt(np.mean(X**2, axis=1)), 1.0


def finite_differences(W, b, X, Y):
    """Centred differences of J for every w_j and for b, and bounds on their errors.

    Returns (dW (n_x, 1), db, tol_W (n_x, 1), tol_b). With f''' = 0 (see ``steps``) the error is
    rounding alone: each J(θ ± ε) is off by at most δJ (DenseErrorAnalysis.e_J, about
    γ_(m+n+4) times the sizes of the numbers J adds up), hence D by δJ/ε, plus the rounding of
    θ ± ε itself (numerics.centred_difference_tolerance)."""
    eps_W, eps_b = steps(X)
    dW, tol_W = np.zeros_like(W), np.zeros_like(W)

    def difference(plus, minus, eps, x):
        (Wp, bp), (Wm, bm) = plus, minus
        value = (cost(Wp, bp, X, Y) - cost(Wm, bm, X, Y)) / (2 * eps)
        e_J = max(rounding(Wp, bp, X, Y).e_J, rounding(Wm, bm, X, Y).e_J)
        return value, centred_difference_tolerance(None, eps, x=x, slope=value, function_error=e_J)

    for j in range(W.shape[0]):
        Wp, Wm = W.copy(), W.copy()
        Wp[j] += eps_W[j]
        Wm[j] -= eps_W[j]
        dW[j], tol_W[j] = difference((Wp, b), (Wm, b), eps_W[j], W[j, 0])
    db, tol_b = difference((W, b + eps_b), (W, b - eps_b), eps_b, np.ravel(b)[0])
    return dW, db, tol_W, tol_b


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


def test_each_dw_j_and_db_match_finite_differences(data, start):
    """Tolerance: the finite difference's bound (``finite_differences``) plus the formula's own
    rounding e_dW, e_db (DenseErrorAnalysis: a sum of m products, in any order). Was rel 1e-6
    at ε = 1e-6, where rounding alone reaches about γ_m J / ε ≈ 1e-4 (J ≈ 1e3)."""
    X, Y = data
    W, b = start
    fd_W, fd_b, tol_W, tol_b = finite_differences(W, b, X, Y)
    bounds = rounding(W, b, X, Y)
    for j in range(len(FEATURES)):
        assert abs(book_dw_j(W, b, X, Y, j) - fd_W[j, 0]) <= tol_W[j, 0] + bounds.e_dW[0][j, 0], \
            FEATURES[j]
    m = X.shape[1]
    db = -2 / m * np.sum(Y - (W.T @ X + b))
    assert abs(db - fd_b) <= tol_b + bounds.e_db[0][0, 0]


def test_vectorised_dW_matches_loop_and_finite_differences(data, start):
    """The matrix product and the loop add the same m products in different orders: each is
    within e_dW of the exact sum, so they are within 2 e_dW of each other (was rtol 1e-12)."""
    X, Y = data
    W, b = start
    m = X.shape[1]
    dW = -2 / m * X @ (Y - (W.T @ X + b)).T
    assert dW.shape == W.shape == (5, 1)
    loop = np.array([[book_dw_j(W, b, X, Y, j)] for j in range(len(FEATURES))])
    e_dW = rounding(W, b, X, Y).e_dW[0]
    assert np.all(np.abs(dW - loop) <= 2 * e_dW)
    fd_W, _, tol_W, _ = finite_differences(W, b, X, Y)
    assert np.all(np.abs(dW - fd_W) <= tol_W + e_dW)


def test_nnlib_backward_gives_the_book_gradient(data, start):
    """The same sums in different orders: within 2 e_dW and 2 e_db (was rtol 1e-12)."""
    X, Y = data
    W, b = start
    layer = nnlib.Dense(5, 1)
    layer.W[...] = W
    net = nnlib.Network([layer], loss="mse")
    net.forward(X)
    net.backward(Y)
    m = X.shape[1]
    E = Y - (W.T @ X + b)
    bounds = rounding(W, b, X, Y)
    assert np.all(np.abs(layer.dW - -2 / m * X @ E.T) <= 2 * bounds.e_dW[0])
    assert np.all(np.abs(layer.db - -2 / m * E.sum(keepdims=True)) <= 2 * bounds.e_db[0])


def test_slide_form_with_x_outside_the_sum_fails(data, start):
    X, Y = data
    W, b = start
    fd_W, _, _, _ = finite_differences(W, b, X, Y)
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
    iterates = record_iterates(net)
    history = net.fit(X_scaled, Y, epochs=200, learning_rate=0.3)
    W_t, b_t = net.layers[0].W, net.layers[0].b
    W_gd = W_t / sigma
    b_gd = (b_t - np.sum(W_t * mu / sigma)).item()

    # How far may (W_gd, b_gd) be from lstsq's (W_ls, b_ls)? (Was rtol 1e-6, rel 1e-6, rel 1e-9.)
    # 1. Gradient descent on the standardised problem (a quadratic): ‖θ_T − θ_s‖ ≤ gd, from the
    #    contraction rho = max |1 − αλ| < 1 and each step's rounding (least_squares_gd_bound),
    #    θ_s the standardised least-squares solution (lstsq here, cond ≈ 2: error ls_s).
    A_s = np.hstack([X_scaled.T, np.ones((m, 1))])
    theta_s, *_ = np.linalg.lstsq(A_s, Y.ravel(), rcond=None)
    r_s = Y.ravel() - A_s @ theta_s
    ls_s = lstsq_error_bound(A_s, theta_s, r_s)
    path = [(Ws[0], bs[0]) for Ws, bs, _ in iterates] + [(W_t, b_t)]
    descent = least_squares_gd_bound(X_scaled, Y, 0.3, path, theta_s)
    lam_max = descent.lam_max
    e_s = descent.bound + 2 * ls_s

    # 2. X_scaled = (X − μ)/σ is rounded (2 operations per entry): its least-squares solution is
    #    the raw one mapped to standardised units, up to a perturbation of relative size γ_2.
    pert = lstsq_error_bound(A_s, theta_s, r_s, eps=gamma(2) * np.sqrt(n_x + 1))
    # 3. Back to raw units, θ ↦ (w/σ, b − Σ w μ/σ): a linear map T, evaluated with n + 2 roundings;
    #    and the raw lstsq, cond ≈ 3e4 but backward stable: error ls_raw.
    T = np.block([[np.diag(1 / sigma.ravel()), np.zeros((n_x, 1))],
                  [-(mu / sigma).T, np.ones((1, 1))]])
    theta_gd = np.append(W_gd.ravel(), b_gd)
    ls_raw = lstsq_error_bound(A, solution, Y.ravel() - A @ solution)
    bound = (np.linalg.norm(T, 2) * (e_s + pert) + gamma(n_x + 2) * np.linalg.norm(np.abs(T) @
             np.abs(np.append(W_t.ravel(), b_t))) + ls_raw)
    assert np.linalg.norm(theta_gd - solution) <= bound
    assert bound < 1e-6 * np.linalg.norm(solution)   # the claim: lstsq's answer to 6 digits
    # The cost: J(θ_T) − J(θ_s) = ½ (θ_T − θ_s)ᵀ H (θ_T − θ_s) ≤ ½ λ_max e_s²; the minimum itself
    # moves by 2‖r‖ ‖ΔA‖ ‖θ‖ / m under the γ_2 perturbation of step 2; lstsq's raw answer costs
    # at most lstsq_cost_bound / m more than the minimum; each cost is computed to within e_J.
    J_ls = cost(W_ls, b_ls, X, Y)
    bound_J = (lam_max * e_s**2 / 2
               + 2 / m * np.linalg.norm(r_s) * gamma(2) * np.linalg.norm(A_s) * np.linalg.norm(theta_s)
               + lstsq_cost_bound(A, solution, Y) / m
               + DenseErrorAnalysis([W_t], [b_t], ["identity"], "mse", X_scaled, Y).e_J
               + DenseErrorAnalysis([W_ls], [np.reshape(b_ls, (1, 1))], ["identity"], "mse", X, Y).e_J)
    assert abs(history.cost[-1] - J_ls) <= bound_J


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
    """dJ/dy_hat^(i) = -(2/m) (y^(i) - y_hat^(i)), the first factor of the chain rule.

    Tolerance: J is quadratic in ŷ^(i), so the centred difference has no truncation error and
    ε = 1 (thousand CAD) is as exact as any. Each mean of m squares is off by γ_(m+3) J, so the
    difference by γ_(m+3) J / ε ≈ 1e-10; the formula by γ_3 (2/m)(|y| + |ŷ|). (Was ε = 1e-6 at
    rel 1e-6: rounding alone, γ_m J / ε ≈ 1e-4 with J ≈ 1e3, is far above 1e-6 × 0.07.)"""
    X, Y = data
    W, b = start
    m = X.shape[1]
    Y_hat = W.T @ X + b
    eps = 1.0
    for i in (0, 7, 300):
        up, down = Y_hat.copy(), Y_hat.copy()
        up[0, i] += eps
        down[0, i] -= eps
        J_up, J_down = np.mean((Y - up) ** 2), np.mean((Y - down) ** 2)
        numeric = (J_up - J_down) / (2 * eps)
        formula = -2 / m * (Y[0, i] - Y_hat[0, i])
        tolerance = (centred_difference_tolerance(max(J_up, J_down), eps, m=m, ops=3,
                                                  x=Y_hat[0, i], slope=numeric)
                     + gamma(3) * 2 / m * (abs(Y[0, i]) + abs(Y_hat[0, i])))
        assert abs(formula - numeric) <= tolerance


def test_curvature_along_each_weight(data, start):
    """d2J/dw_j^2 = (2/m) sum_i (x_j^(i))^2, which the chapter uses to explain scaling.

    Tolerance (was rel 1e-5): J is quadratic in w_j, so the second difference
    (J(w + h) − 2J(w) + J(w − h)) / h² has no truncation error for any h; h_j = 1 / rms(x_j)
    (``steps``). Rounding: each J off by δJ (DenseErrorAnalysis), 4 δJ / h² in all; w ± h is
    rounded by u |w|, which changes h² by 2u |w| / h relatively; the formula is a sum of m
    squares, off by γ_(m+2) times itself."""
    X, Y = data
    W, b = start
    m = X.shape[1]
    u = np.finfo(float).eps
    h_W, _ = steps(X)
    for j in range(len(FEATURES)):
        h = h_W[j]
        Wp, Wm = W.copy(), W.copy()
        Wp[j] += h
        Wm[j] -= h
        numeric = (cost(Wp, b, X, Y) - 2 * cost(W, b, X, Y) + cost(Wm, b, X, Y)) / h ** 2
        formula = 2 / m * np.sum(X[j] ** 2)
        e_J = max(rounding(V, b, X, Y).e_J for V in (Wp, W, Wm))
        tolerance = (4 * e_J / h**2 + 2 * u * abs(W[j, 0]) / h * abs(numeric)
                     + gamma(m + 2) * formula)
        assert abs(formula - numeric) <= tolerance, FEATURES[j]
    # the numbers the chapter quotes, "about 6e7" and "about 3.8": statements about the data
    # rounded to the figures the chapter gives, not rounding tolerances
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
