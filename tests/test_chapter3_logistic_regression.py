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

import warnings

import numpy as np
import pytest

import nnlib
from nnlib import datasets


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


def fd(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


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

    numeric = fd(per_example, Z)
    A = sigmoid(Z)
    np.testing.assert_allclose(A - Y, numeric, rtol=1e-6, atol=1e-10)
    # the two local derivatives whose product it is
    np.testing.assert_allclose(fd(sigmoid, Z), A * (1 - A), rtol=1e-6)
    dL_dA = fd(lambda A_: -(Y * np.log(A_) + (1 - Y) * np.log(1 - A_)), A)
    np.testing.assert_allclose(dL_dA, (A - Y) / (A * (1 - A)), rtol=1e-6)


@pytest.mark.parametrize("w, b, standardised", POINTS)
def test_dJ_dw_and_dJ_db_match_finite_differences(data, w, b, standardised):
    X, Y = prepared(data, standardised)
    A = sigmoid(w * X + b)
    dw = np.mean((A - Y) * X)
    db = np.mean(A - Y)
    assert dw == pytest.approx(fd(lambda v: J(v, b, X, Y), w), rel=1e-6)
    assert db == pytest.approx(fd(lambda v: J(w, v, X, Y), b), rel=1e-6)
    # the unsimplified chain rule, each example's factors inside the sum, is the same thing
    dL_dA = (A - Y) / (A * (1 - A))
    assert np.mean(dL_dA * A * (1 - A) * X) == pytest.approx(dw, rel=1e-10)


@pytest.mark.parametrize("w, b, standardised", POINTS)
def test_slide_forms_with_factors_outside_the_sum_fail(data, w, b, standardised):
    """The slides: d(J)/dw_i = -(1/m) A(1 - A) x_i sum_k {y_k/y_hat_k - (1 - y_k)/(1 - y_hat_k)}
    (their i numbers the weights, k the examples): the per-example A(1 - A) and x outside the
    sum over the examples."""
    X, Y = prepared(data, standardised)
    A = sigmoid(w * X + b)
    dL_dA = (A - Y) / (A * (1 - A))
    numeric_w = fd(lambda v: J(v, b, X, Y), w)
    numeric_b = fd(lambda v: J(w, v, X, Y), b)
    slide_w = np.mean(dL_dA) * np.mean(A * (1 - A)) * np.mean(X)
    slide_b = np.mean(dL_dA) * np.mean(A * (1 - A))
    assert abs(slide_w - numeric_w) > 0.05 * abs(numeric_w)
    assert abs(slide_b - numeric_b) > 0.05 * abs(numeric_b)
    # read literally, with A and x the arrays of all examples, it is not even one number ...
    m = X.shape[1]
    sum_k = np.sum(Y / A - (1 - Y) / (1 - A))
    literal_w = -1 / m * A * (1 - A) * X * sum_k
    assert literal_w.shape == (1, m) and np.ptp(literal_w) > 0
    # ... and neither its mean nor its sum over the examples is the gradient
    assert abs(literal_w.mean() - numeric_w) > 0.05 * abs(numeric_w)
    assert abs(literal_w.sum() - numeric_w) > 0.05 * abs(numeric_w)


@pytest.mark.parametrize("w, b, standardised", POINTS)
def test_updating_b_with_dMSE_db_is_wrong(data, w, b, standardised):
    X, Y = prepared(data, standardised)
    A = sigmoid(w * X + b)
    numeric_b = fd(lambda v: J(w, v, X, Y), b)
    linear_regression_form = -2 * np.mean(Y - A)
    mse_through_sigmoid = 2 * np.mean((A - Y) * A * (1 - A))
    # and this one really is d(MSE)/db of the sigmoid output, so the comparison is fair
    mse = lambda v: float(np.mean((Y - sigmoid(w * X + v)) ** 2))
    assert mse_through_sigmoid == pytest.approx(fd(mse, b), rel=1e-6)
    assert np.mean(A - Y) == pytest.approx(numeric_b, rel=1e-6)
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
    assert cross_entropy(A, Y) == pytest.approx(nnlib.losses.binary_cross_entropy(A, Y), rel=1e-12)


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
    # dZ is the derivative of the averaged cost J with respect to each z^(i)
    Z = layer.W.item() * X_s + layer.b.item()
    for i in (0, 5, 22):
        def J_of_zi(v, i=i):
            Zv = Z.copy()
            Zv[0, i] = v
            return cross_entropy(sigmoid(Zv), Y)
        assert dZ[0, i] == pytest.approx(fd(J_of_zi, Z[0, i]), rel=1e-6)
    np.testing.assert_allclose(layer.dW, X_s @ dZ.T, rtol=1e-12)
    np.testing.assert_allclose(layer.db, dZ.sum(keepdims=True), rtol=1e-12)
    errors = nnlib.gradient_check(net, X_s, Y)
    assert max(errors.values()) < 1e-7


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
    X, Y = data
    w_ml, b_ml = newton(X, Y)
    # the maximum: the gradient of J vanishes there
    assert abs(np.mean((sigmoid(w_ml * X + b_ml) - Y) * X)) < 1e-10

    X_s, mu, sd = datasets.standardize(X)
    nnlib.set_seed(0)
    net = nnlib.Network([nnlib.Dense(1, 1, activation="sigmoid")], loss="binary_cross_entropy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # training must not diverge
        history = net.fit(X_s, Y, epochs=2000, learning_rate=1.0)
    w_t, b_t = net.layers[0].W.item(), net.layers[0].b.item()
    w_F = w_t / sd.item()
    b_F = b_t - w_t * mu.item() / sd.item()
    assert w_F == pytest.approx(w_ml, rel=1e-6)
    assert b_F == pytest.approx(b_ml, rel=1e-6)
    assert history.cost[-1] == pytest.approx(J(w_ml, b_ml, X, Y), rel=1e-9)

    p31 = sigmoid(w_F * 31 + b_F)
    assert p31 == pytest.approx(sigmoid(w_ml * 31 + b_ml), rel=1e-6)
    assert round(p31, 4) == 0.9996                  # the number the chapter reports
    # the same prediction straight from the network, on the standardised 31 °F
    assert net.forward((np.array([[31.0]]) - mu) / sd).item() == pytest.approx(p31, rel=1e-9)


def test_same_network_is_a_regressor_or_a_classifier(data):
    X, Y = data
    X_s, mu, sd = datasets.standardize(X)
    nnlib.set_seed(0)
    regressor = nnlib.Network([nnlib.Dense(1, 1, activation="identity")], loss="mse")
    regressor.fit(X_s, Y, epochs=500, learning_rate=0.1)
    slope, intercept = np.polyfit(X[0], Y[0], 1)
    x = np.array([[31.0, 53.0, 81.0]])
    np.testing.assert_allclose(regressor.forward((x - mu) / sd)[0], slope * x[0] + intercept,
                               rtol=1e-6)
    assert regressor.forward((x[:, :1] - mu) / sd).item() > 1  # a line leaves [0, 1]


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
    assert nnlib.losses.binary_cross_entropy(A, Y) == pytest.approx(cross_entropy(A, Y), rel=1e-12)


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
    assert cross_entropy(A, Y) == pytest.approx(nnlib.losses.binary_cross_entropy(A, Y), rel=1e-12)
