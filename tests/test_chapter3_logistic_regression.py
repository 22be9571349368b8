"""Chapter 3 (logistic regression): every derivative the chapter states, checked on the
Challenger data, and the slides' forms shown to fail.

- dL/dz = a - y for each example, against finite differences of that example's cross-entropy;
- da/dz = a (1 - a) and dL/da = (a - y) / (a (1 - a));
- dJ/dw = (1/m) sum_i (a^(i) - y^(i)) x^(i) and dJ/db = (1/m) sum_i (a^(i) - y^(i)) against
  finite differences of J (the book's index i numbers the examples);
- the book's dZ = dJ/dZ = (A - Y)/m (the lecture defines no dZ) is what nnlib's backward uses:
  dW = X dZ^T, db = sum dZ;
- the slides' forms (A(1 - A) and x outside the sum; b updated with d(MSE)/db; J without brackets;
  "0 <= y_hat <= 1 means both logs are negative") fail;
- the hand-written cost gives inf or nan where a float64 sigmoid reaches 1; nnlib's clipped one
  stays finite;
- nnlib's training reaches the maximum-likelihood fit (Newton's method, computed here), and the
  probability at 31 °F the chapter reports.
"""

import math
import warnings

import numpy as np
import pytest
from numerics import (DenseErrorAnalysis, assert_gradient_check_passes, best_step,
                      centred_difference_tolerance, gamma, least_squares_gd_bound,
                      logistic_distance_bound, lstsq_error_bound, machine_epsilon, record_iterates,
                      sum_error_bound)

import nnlib
from nnlib import datasets

U = machine_epsilon(np.float64)
# Bounds on the derivatives of σ, for the truncation error ε² M₃ / 6 of a centred difference:
# σ' = σ(1 − σ) ≤ 1/4, |σ''| = σ'|1 − 2σ| ≤ √3/18 (at σ = 1/2 ± √3/6), |σ'''| = σ'|1 − 6σ'| ≤ 1/8.
SIGMOID_2 = math.sqrt(3) / 18
SIGMOID_3 = 1 / 8
# Rounding of the test's sigmoid 1/(1 + e^(−z)): e^(−z) within 4 ulp, then an addition and a
# division, so σ(z) is off by at most 6u σ(z) (relative).
SIGMOID_ULPS = 6


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def cross_entropy(A, Y):
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)))


def J(w, b, X, Y):
    return cross_entropy(sigmoid(w * X + b), Y)


@pytest.fixture(scope="module")
def data():
    return datasets.challenger()


# A point where the gradient is not small, in °F (x far from 0) and a second one standardised.
POINTS = [(-0.15, 10.0, False), (-0.1, 5.0, False), (0.3, -0.4, True)]


def prepared(data, standardised):
    X, Y = data
    if standardised:
        X = datasets.standardize(X)[0]
    return X, Y


def fd(f, x, eps):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def loss_rounding(A, Y):
    """Bound on the rounding of −[y log a + (1 − y) log(1 − a)] with a = σ(z) off by 6u a: for
    y = 1, log a is off by 6u + u (the log of a relatively perturbed number) + 4u |log a|; for
    y = 0, 1 − a is off by 6u a + u (1 − a), hence log(1 − a) by 6u a/(1 − a) + u
    + 4u |log(1 − a)|."""
    L = -(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    return U * (4 * np.abs(L) + np.where(Y == 1, 8.0, SIGMOID_ULPS * A / (1 - A) + 2))


def J_and_rounding(w, b, X, Y):
    """J(w, b), the gradient (dJ/dw, dJ/db) and bounds on the rounding of each, for any order of
    the sums (numerics.DenseErrorAnalysis of the one-neuron network)."""
    analysis = DenseErrorAnalysis([[[w]]], [[[b]]], ["sigmoid"], "binary_cross_entropy", X, Y)
    return analysis


def fd_J(X, Y, w, b, wrt):
    """The centred difference of J in w (wrt="w") or b, and a bound on its error.

    J is the mean of L(w x_i + b), with L''' = σ'' (in z): |d³J/dw³| ≤ √3/18 mean |x|³ and
    |d³J/db³| ≤ √3/18. Each J is off by at most δJ = γ_m mean L (the mean) + mean δL_i (each
    term's rounding, loss_rounding) + mean |σ − y| γ_2 (|w x| + |b|) (z's rounding, times
    |dL/dz|). ε balances truncation and rounding (numerics.best_step)."""
    m = X.shape[1]
    A = sigmoid(w * X + b)
    M3 = SIGMOID_2 * (np.mean(np.abs(X) ** 3) if wrt == "w" else 1.0)
    delta_J = (gamma(m) * J(w, b, X, Y) + np.mean(loss_rounding(A, Y))
               + np.mean(np.abs(A - Y) * gamma(2) * (np.abs(w * X) + abs(b))))
    eps = best_step(None, M3, function_error=delta_J)
    if wrt == "w":
        value = fd(lambda v: J(v, b, X, Y), w, eps)
        x = w
    else:
        value = fd(lambda v: J(w, v, X, Y), b, eps)
        x = b
    tolerance = centred_difference_tolerance(None, eps, third_derivative_bound=M3, x=x,
                                             slope=value, function_error=delta_J)
    return value, tolerance



def test_challenger_data_as_the_chapter_describes(data):
    X, Y = data
    assert X.shape == Y.shape == (1, 23)      # flight 4 left out
    assert X.min() == 53 and int(Y.sum()) == 7
    assert set(np.unique(Y)) == {0.0, 1.0}


@pytest.mark.parametrize("w, b, standardised", POINTS)
def test_dL_dz_is_a_minus_y_per_example(data, w, b, standardised):
    X, Y = prepared(data, standardised)
    Z = w * X + b

    def per_example(Z):
        A = sigmoid(Z)
        return -(Y * np.log(A) + (1 - Y) * np.log(1 - A))

    """Tolerances (were rtol 1e-6, at ε = 1e-6): truncation ε² M₃/6 with M₃ from the bounds on
    σ's derivatives (L''' = σ'' in z; σ''' for σ itself; 2/a³ or 2/(1 − a)³ for −log a and
    −log(1 − a)), rounding δf/ε with δf from loss_rounding or 6u σ, at the ε that balances the
    two (numerics.best_step); plus the rounding of the formula compared (a few u of it)."""
    A = sigmoid(Z)
    delta_L = loss_rounding(A, Y)
    eps = best_step(None, SIGMOID_2, function_error=delta_L.max())
    numeric = fd(per_example, Z, eps)
    tolerance = (centred_difference_tolerance(None, eps, third_derivative_bound=SIGMOID_2, x=Z,
                                              slope=numeric, function_error=delta_L)
                 + SIGMOID_ULPS * U * A + U * np.abs(A - Y))
    assert np.all(np.abs((A - Y) - numeric) <= tolerance)
    # the two local derivatives whose product it is
    delta_s = SIGMOID_ULPS * U * A
    eps = best_step(None, SIGMOID_3, function_error=delta_s.max())
    numeric = fd(sigmoid, Z, eps)
    tolerance = (centred_difference_tolerance(None, eps, third_derivative_bound=SIGMOID_3, x=Z,
                                              slope=numeric, function_error=delta_s)
                 + SIGMOID_ULPS * U * A + 2 * U * A * (1 - A))
    assert np.all(np.abs(A * (1 - A) - numeric) <= tolerance)
    f = lambda A_: -(Y * np.log(A_) + (1 - Y) * np.log(1 - A_))  # noqa: E731
    near = np.minimum(A, 1 - A)
    M3 = 2 / (0.9 * near) ** 3              # on [a − ε, a + ε], for ε ≤ a/10 and (1 − a)/10
    delta_f = U * (4 * np.abs(f(A)) + 2 + (1 - Y) * 1.1 * A / (1 - A))
    eps = best_step(None, M3.max(), function_error=delta_f.max())
    assert eps <= near.min() / 10
    dL_dA = fd(f, A, eps)
    formula = (A - Y) / (A * (1 - A))
    tolerance = (centred_difference_tolerance(None, eps, third_derivative_bound=M3, x=A,
                                              slope=dL_dA, function_error=delta_f)
                 + gamma(4) * np.abs(formula))
    assert np.all(np.abs(dL_dA - formula) <= tolerance)


@pytest.mark.parametrize("w, b, standardised", POINTS)
def test_dJ_dw_and_dJ_db_match_finite_differences(data, w, b, standardised):
    """Tolerances: fd_J's bound plus the formula's rounding e_dW, e_db (were rel 1e-6, at
    ε = 1e-6); the unsimplified chain rule differs from (a − y) x by 6 more roundings per term,
    and each mean by γ_m of the mean of |terms| (was rel 1e-10)."""
    X, Y = prepared(data, standardised)
    A = sigmoid(w * X + b)
    dw = np.mean((A - Y) * X)
    db = np.mean(A - Y)
    rounding = J_and_rounding(w, b, X, Y)
    numeric_w, tol_w = fd_J(X, Y, w, b, "w")
    numeric_b, tol_b = fd_J(X, Y, w, b, "b")
    assert abs(dw - numeric_w) <= tol_w + rounding.e_dW[0][0, 0]
    assert abs(db - numeric_b) <= tol_b + rounding.e_db[0][0, 0]
    # the unsimplified chain rule, each example's factors inside the sum, is the same thing
    dL_dA = (A - Y) / (A * (1 - A))
    m = X.shape[1]
    size = np.mean(np.abs((A - Y) * X))
    assert abs(np.mean(dL_dA * A * (1 - A) * X) - dw) <= (gamma(6) + 2 * gamma(m)) * size


@pytest.mark.parametrize("w, b, standardised", POINTS)
def test_slide_forms_with_factors_outside_the_sum_fail(data, w, b, standardised):
    """The slides: d(J)/dw_i = -(1/m) A(1 - A) x_i sum_k {y_k/y_hat_k - (1 - y_k)/(1 - y_hat_k)}
    (their i numbers the weights, k the examples): the per-example A(1 - A) and x outside the
    sum over the examples."""
    X, Y = prepared(data, standardised)
    A = sigmoid(w * X + b)
    dL_dA = (A - Y) / (A * (1 - A))
    numeric_w, tol_w = fd_J(X, Y, w, b, "w")
    numeric_b, tol_b = fd_J(X, Y, w, b, "b")
    slide_w = np.mean(dL_dA) * np.mean(A * (1 - A)) * np.mean(X)
    slide_b = np.mean(dL_dA) * np.mean(A * (1 - A))
    # off by more than 5 %: far beyond the finite difference's error (a few 1e-10 at most)
    assert abs(slide_w - numeric_w) > 0.05 * abs(numeric_w) > 100 * tol_w
    assert abs(slide_b - numeric_b) > 0.05 * abs(numeric_b) > 100 * tol_b
    # read literally, with A and x the arrays of all examples, it is not even one number ...
    m = X.shape[1]
    sum_k = np.sum(Y / A - (1 - Y) / (1 - A))
    literal_w = -1 / m * A * (1 - A) * X * sum_k
    assert literal_w.shape == (1, m) and np.ptp(literal_w) > 0
    # ... and neither its mean nor its sum over the examples is the gradient
    assert abs(literal_w.mean() - numeric_w) > 0.05 * abs(numeric_w) > 100 * tol_w
    assert abs(literal_w.sum() - numeric_w) > 0.05 * abs(numeric_w) > 100 * tol_w


@pytest.mark.parametrize("w, b, standardised", POINTS)
def test_updating_b_with_dMSE_db_is_wrong(data, w, b, standardised):
    """Tolerances (were rel 1e-6, at ε = 1e-6): for the MSE through σ, f = (σ − y)² has
    |f'''| = |6σ'σ'' + 2(σ − y)σ'''| ≤ 6 (1/4)(√3/18) + 2 (1/8); each MSE is off by γ_(m+3) MSE +
    mean 2|σ − y| δσ, δσ = 6u σ + σ' γ_2 (|w x| + |b|); the formula's terms (a − y) a (1 − a) move
    by at most 1.25 δσ, plus 4 roundings and the mean's γ_m. For dJ/db: fd_J and e_db."""
    X, Y = prepared(data, standardised)
    m = X.shape[1]
    A = sigmoid(w * X + b)
    numeric_b, tol_b = fd_J(X, Y, w, b, "b")
    linear_regression_form = -2 * np.mean(Y - A)
    mse_through_sigmoid = 2 * np.mean((A - Y) * A * (1 - A))
    # and this one really is d(MSE)/db of the sigmoid output, so the comparison is fair
    mse = lambda v: float(np.mean((Y - sigmoid(w * X + v)) ** 2))  # noqa: E731
    M3 = 6 / 4 * SIGMOID_2 + 2 * SIGMOID_3
    delta_sigma = SIGMOID_ULPS * U * A + A * (1 - A) * gamma(2) * (np.abs(w * X) + abs(b))
    delta_mse = gamma(m + 3) * mse(b) + np.mean(2 * np.abs(A - Y) * delta_sigma)
    eps = best_step(None, M3, function_error=delta_mse)
    numeric_mse = fd(mse, b, eps)
    terms = (A - Y) * A * (1 - A)
    tolerance = (centred_difference_tolerance(None, eps, third_derivative_bound=M3, x=b,
                                              slope=numeric_mse, function_error=delta_mse)
                 + 2 * (np.mean(1.25 * delta_sigma + gamma(4) * np.abs(terms))
                        + gamma(m) * np.mean(np.abs(terms))))
    assert abs(mse_through_sigmoid - numeric_mse) <= tolerance
    rounding = J_and_rounding(w, b, X, Y)
    assert abs(np.mean(A - Y) - numeric_b) <= tol_b + rounding.e_db[0][0, 0]
    assert abs(linear_regression_form - numeric_b) > 0.05 * abs(numeric_b)
    assert abs(mse_through_sigmoid - numeric_b) > 0.05 * abs(numeric_b)


def test_cross_entropy_needs_brackets(data):
    X, Y = data
    A = sigmoid(-0.1 * X + 6.0)
    m = Y.shape[1]
    as_written = -np.sum(Y * np.log(A)) / m + (1 - Y) * np.log(1 - A)
    assert np.shape(as_written) == (1, m)          # not a number at all
    summed = lambda A: -np.sum(Y * np.log(A)) / m + np.sum((1 - Y) * np.log(1 - A))
    silly = np.full_like(A, 0.999)
    # with brackets the confident-and-wrong model costs more; without, it costs less
    assert cross_entropy(silly, Y) > cross_entropy(A, Y)
    assert summed(silly) < summed(A)
    assert_same_cost(A, Y)                      # (was rel 1e-12)


def test_book_dZ_is_dJ_dZ_and_gives_nnlibs_gradients(data):
    """The lecture defines no dZ. The book's dZ = dJ/dZ = (A - Y)/m: the per-example a - y divided
    by m, so dW = X dZ^T and db = sum dZ need no 1/m; nnlib's backward gives exactly these."""
    X, Y = data
    X_s = datasets.standardize(X)[0]
    m = X.shape[1]
    layer = nnlib.Dense(1, 1, activation="sigmoid", seed=3)
    net = nnlib.Network([layer], loss="binary_cross_entropy")
    A = net.forward(X_s)
    net.backward(Y)
    dZ = (A - Y) / m
    # dZ is the derivative of the averaged cost J with respect to each z^(i). J depends on z^(i)
    # through L(z^(i)) / m, whose third derivative is at most SIGMOID_2 / m; each J is off by
    # at most γ_m J + the mean of the terms' rounding (loss_rounding); ε balances the two.
    Z = layer.W.item() * X_s + layer.b.item()
    for i in (0, 5, 22):
        def J_of_zi(v, i=i):
            Zv = Z.copy()
            Zv[0, i] = v
            return cross_entropy(sigmoid(Zv), Y)
        def delta_J(v, i=i):
            Zv = Z.copy()
            Zv[0, i] = v
            return gamma(m) * J_of_zi(v) + np.mean(loss_rounding(sigmoid(Zv), Y))
        M3 = SIGMOID_2 / m
        eps = best_step(None, M3, function_error=delta_J(Z[0, i]))
        numeric = fd(J_of_zi, Z[0, i], eps)
        error = max(delta_J(Z[0, i] + eps), delta_J(Z[0, i] - eps))
        tolerance = centred_difference_tolerance(None, eps, third_derivative_bound=M3, x=Z[0, i],
                                                 slope=numeric, function_error=error)
        assert abs(dZ[0, i] - numeric) <= tolerance + 4 * U * abs(dZ[0, i])
    # the same m products in another order: each within γ_(m+1) of the sum of their absolute
    # values (was rtol 1e-12)
    size = np.abs(X_s) @ np.abs(dZ).T
    assert np.all(np.abs(layer.dW - X_s @ dZ.T) <= 2 * gamma(m + 1) * size)
    size = np.abs(dZ).sum(keepdims=True)
    assert np.all(np.abs(layer.db - dZ.sum(keepdims=True)) <= 2 * gamma(m + 1) * size)
    # nnlib's gradient check, within what rounding allows (was < 1e-7)
    assert_gradient_check_passes(net, X_s, Y)


def newton(X, Y, steps=30):
    """Maximum likelihood for P(y = 1) = sigmoid(w x + b), by Newton's method."""
    A_ = np.vstack([X, np.ones_like(X)])
    theta = np.zeros(2)
    for _ in range(steps):
        a = sigmoid(theta @ A_)
        gradient = A_ @ (a - Y[0])
        hessian = (A_ * (a * (1 - a))) @ A_.T
        theta = theta - np.linalg.solve(hessian, gradient)
    return theta


def test_nnlib_training_reaches_maximum_likelihood_and_p31(data):
    """Tolerances (were rel 1e-10 for the gradient, 1e-6 for w, b and p(31 °F), 1e-9 for J and
    for the network's own prediction):
    - Newton's answer is where J's gradient vanishes: the gradient computed there is within its
      own rounding (e_dW) of the exact one, which is at most ‖H‖ u ‖θ‖ (Newton stops moving
      once its step is below u ‖θ‖; H = Σ σ' x̃ x̃ᵀ / m) plus the rounding of Newton's own
      gradient (γ_(m+8) Σ |(a − y) x̃| / m);
    - each of the two fits is within logistic_distance_bound (its gradient over the strong
      convexity μ) of the exact maximum, hence within the sum of the two of each other;
    - J, p(31 °F): J changes by at most |∇J| d (convexity) and σ(z) by at most d ‖(31, 1)‖ / 4,
      plus the rounding of each number (e_J; 6u p and the 3 roundings of w·31 + b); the
      network's J is on the rounded X_s and its (w, b) maps to (w_F, b_F) with 4 roundings, which
      move z by γ_4 of the sizes involved and J by mean |σ − y| times that;
    - the network's prediction: the same z = w_t (31 − μ)/σ + b_t as w_F 31 + b_F, up to the
      roundings of either (γ_3 and γ_4 of the sizes of the numbers added), times σ' ≤ 1/4."""
    X, Y = data
    m = X.shape[1]
    w_ml, b_ml = newton(X, Y)
    # the maximum: the gradient of J vanishes there
    at_ml = J_and_rounding(w_ml, b_ml, X, Y)
    A_ = np.vstack([X, np.ones_like(X)])
    a = sigmoid(w_ml * X[0] + b_ml)
    hessian = (A_ * (a * (1 - a))) @ A_.T / m
    newton_stop = (np.linalg.norm(hessian, 2) * U * math.hypot(w_ml, b_ml)
                   + gamma(m + 8) * np.linalg.norm(np.abs(A_) @ np.abs(a - Y[0])) / m)
    assert abs(np.mean((sigmoid(w_ml * X + b_ml) - Y) * X)) <= at_ml.e_dW[0][0, 0] + newton_stop

    X_s, mu, sd = datasets.standardize(X)
    nnlib.set_seed(0)
    net = nnlib.Network([nnlib.Dense(1, 1, activation="sigmoid")], loss="binary_cross_entropy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # training must not diverge
        history = net.fit(X_s, Y, epochs=2000, learning_rate=1.0)
    w_t, b_t = net.layers[0].W.item(), net.layers[0].b.item()
    w_F = w_t / sd.item()
    b_F = b_t - w_t * mu.item() / sd.item()
    apart = logistic_distance_bound(w_F, b_F, X, Y) + logistic_distance_bound(w_ml, b_ml, X, Y)
    assert math.hypot(w_F - w_ml, b_F - b_ml) <= apart
    assert apart < 1e-6 * abs(w_ml)                 # the claim: the same fit to 6 digits
    at_F = J_and_rounding(w_F, b_F, X, Y)
    gradient = math.hypot(at_F.dW[0][0, 0], at_F.db[0][0, 0])
    assert abs(history.cost[-1] - J(w_ml, b_ml, X, Y)) <= (
        (gradient + math.hypot(at_ml.dW[0][0, 0], at_ml.db[0][0, 0])) * apart
        + DenseErrorAnalysis([[[w_t]]], [[[b_t]]], ["sigmoid"], "binary_cross_entropy", X_s, Y).e_J
        + at_ml.e_J + gamma(4) * np.mean(np.abs(Y - sigmoid(w_F * X + b_F)) * (
            np.abs(w_t * X_s) + np.abs(w_F * X) + abs(b_t) + abs(w_t * mu.item() / sd.item()))))

    p31 = sigmoid(w_F * 31 + b_F)
    z_size = abs(w_F * 31) + abs(b_F)
    assert abs(p31 - sigmoid(w_ml * 31 + b_ml)) <= (
        apart * math.hypot(31, 1) / 4 + 2 * (SIGMOID_ULPS * U + gamma(3) * z_size / 4))
    assert round(p31, 4) == 0.9996                  # the number the chapter reports
    # the same prediction straight from the network, on the standardised 31 °F
    x31 = (np.array([[31.0]]) - mu) / sd
    z_net = abs(w_t * x31.item()) + abs(b_t)
    z_F = z_size + abs(w_t * mu.item() / sd.item()) + abs(b_t)
    assert abs(net.forward(x31).item() - p31) <= (
        (gamma(3) * (z_net + abs(w_t) * abs(31 - mu.item()) / sd.item()) + gamma(4) * z_F) / 4
        + 2 * 7 * U)



def test_same_network_is_a_regressor_or_a_classifier(data):
    """Tolerance (was rtol 1e-6): the MSE is quadratic, so gradient descent on the standardised
    data is within least_squares_gd_bound of that problem's least-squares line (rho = 0.8 here:
    500 epochs leave 1e-48 of the start's distance); the rounded X_s moves that line by a
    relative γ_2 perturbation, and polyfit's (backward stable) by lstsq_error_bound. Each
    prediction moves by ‖(x, 1)‖ times its line's error, plus the 2 or 3 roundings of
    (x − μ)/σ and w x + b."""
    X, Y = data
    m = X.shape[1]
    X_s, mu, sd = datasets.standardize(X)
    nnlib.set_seed(0)
    regressor = nnlib.Network([nnlib.Dense(1, 1, activation="identity")], loss="mse")
    iterates = record_iterates(regressor)
    regressor.fit(X_s, Y, epochs=500, learning_rate=0.1)
    slope, intercept = np.polyfit(X[0], Y[0], 1)
    x = np.array([[31.0, 53.0, 81.0]])
    w, b = regressor.layers[0].W.item(), regressor.layers[0].b.item()
    A_s = np.vstack([X_s, np.ones((1, m))]).T
    theta_s, *_ = np.linalg.lstsq(A_s, Y[0], rcond=None)
    r_s = Y[0] - A_s @ theta_s
    path = [(Ws[0], bs[0]) for Ws, bs, _ in iterates] + [(w, b)]
    e_s = (least_squares_gd_bound(X_s, Y, 0.1, path, theta_s).bound
           + lstsq_error_bound(A_s, theta_s, r_s)
           + lstsq_error_bound(A_s, theta_s, r_s, eps=gamma(2) * math.sqrt(2)))
    A = np.vstack([X, np.ones((1, m))]).T
    e_F = lstsq_error_bound(A, [slope, intercept], Y[0] - A @ [slope, intercept])
    x_s = (x - mu) / sd
    tolerance = (np.hypot(x_s, 1) * e_s + np.hypot(x, 1) * e_F
                 + gamma(2) * (np.abs(w * x_s) + abs(b)) + abs(w) * gamma(2) * np.abs(x_s)
                 + gamma(2) * (np.abs(slope * x) + abs(intercept)))
    assert np.all(np.abs(regressor.forward(x_s) - (slope * x + intercept)) <= tolerance)

    assert regressor.forward((x[:, :1] - mu) / sd).item() > 1  # a line leaves [0, 1]


def assert_same_cost(A, Y):
    """The chapter's unclipped cost and nnlib's clipped one agree where no ŷ is clipped: the same
    m terms, summed in two orders, each sum within γ_(m−1) Σ|terms| of the exact one, plus the
    division by m."""
    m = Y.shape[1]
    terms = Y * np.log(A) + (1 - Y) * np.log(1 - A)
    J_bce = nnlib.losses.binary_cross_entropy(A, Y)
    assert abs(cross_entropy(A, Y) - J_bce) <= 2 * (sum_error_bound(terms) / m + U * J_bce)


def test_slide_logs_are_negative_fails_at_the_ends():
    """The slides: "Note that: 0 <= y_hat_i <= 1", "Meaning both log y_hat_i and log (1 y_hat_i) are
    negative". Strictly inside (0, 1) both logs are negative; at the ends the slide allows, one log
    is log 1 = 0 (not negative) and the other log 0 = -inf. A float64 sigmoid reaches the ends."""
    inside = np.array([1e-12, 0.3, 0.5, 0.9, 1 - 1e-12])
    assert np.all(np.log(inside) < 0) and np.all(np.log(1 - inside) < 0)
    # (in floating point even a y_hat inside (0, 1) can give a log of 0: 1 - 1e-300 rounds to 1)
    assert np.log(1 - 1e-300) == 0.0
    with np.errstate(divide="ignore"):
        assert np.log(1.0) == 0.0                   # not negative
        assert np.log(0.0) == -np.inf               # not a number at all
    # sigmoid(z) = 1 exactly once e^-z < 2^-53 (z > 36.7), and 0 once e^z underflows (z < -745)
    sig = nnlib.activations.sigmoid
    assert sig(np.array([[36.0]])).item() < 1.0
    assert sig(np.array([[37.0]])).item() == 1.0
    assert sig(np.array([[-746.0]])).item() == 0.0


def test_unclipped_cost_breaks_at_the_ends_and_nnlib_clips():
    """The chapter's hand-written cost does not clip: where sigmoid gives exactly 1, a wrong
    example (y = 0) costs inf and even a right one (y = 1) gives nan (0 * log 0). nnlib's loss
    clips y_hat to [eps, 1 - eps], eps = 1e-15 in float64: at worst -log(eps), about 34.5."""
    a = nnlib.activations.sigmoid(np.array([[37.0]]))
    with np.errstate(divide="ignore", invalid="ignore"):
        assert cross_entropy(a, np.array([[0.0]])) == np.inf
        assert np.isnan(cross_entropy(a, np.array([[1.0]])))
    wrong = nnlib.losses.binary_cross_entropy(a, np.array([[0.0]]))
    right = nnlib.losses.binary_cross_entropy(a, np.array([[1.0]]))
    assert wrong == pytest.approx(-np.log(1e-15), rel=1e-3)
    assert 0 <= right < 1e-14
    # the gradient is clipped too: finite where the unclipped dJ/dy_hat is infinite
    grad = nnlib.losses.binary_cross_entropy_gradient(a, np.array([[0.0]]))
    assert np.all(np.isfinite(grad))
    # and away from the ends clipping changes nothing
    A = np.array([[0.2, 0.7, 0.999]])
    Y = np.array([[0.0, 1.0, 1.0]])
    assert_same_cost(A, Y)


def test_chapter_predictions_stay_far_from_the_ends(data):
    """The chapter says its unclipped cost gives nnlib's numbers on the Challenger flights: the
    trained model's predictions stay far from 0 and 1 there."""
    X, Y = data
    X_s = datasets.standardize(X)[0]
    nnlib.set_seed(0)
    net = nnlib.Network([nnlib.Dense(1, 1, activation="sigmoid")], loss="binary_cross_entropy")
    net.fit(X_s, Y, epochs=2000, learning_rate=1.0)
    A = net.forward(X_s)
    assert 1e-3 < A.min() and A.max() < 1 - 1e-3
    assert_same_cost(A, Y)
