"""Chapter 1, linear regression: every derivative the chapter states, checked numerically on the
Windsor house prices, and the chapter's hand-written training loop checked against nnlib.

Notation (the book's): house i has lot size x⁽ⁱ⁾, price y⁽ⁱ⁾ and prediction ŷ⁽ⁱ⁾ = w x⁽ⁱ⁾ + b,
i = 1..m; in the arrays X, Y of shape (1, m) they are column i. The slides write x_i, y_i, ŷ_i.

The chapter (chapters/01_linear_regression.ipynb) corrects three slips of the slides:

- the slides' "d(MSE)/dŷ = −(2/m) Σ (y_i − ŷ_i)" is one number; J has one derivative per house,
  ∂J/∂ŷ⁽ⁱ⁾ = −(2/m)(y⁽ⁱ⁾ − ŷ⁽ⁱ⁾), and the slides' sum is the derivative for a common shift of all
  predictions (= dJ/db). Summing before the chain rule is what puts x outside the sum:
- dMSE/dw = −(2/m) Σ x⁽ⁱ⁾ (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾), with x⁽ⁱ⁾ inside the sum (the slides put x outside);
- the local derivatives are dŷ/dZ = 1, dZ/dw = x, dZ/db = 1.

Nothing here hard-codes a result: every expected number is recomputed from the data, by finite
differences, by least squares or by nnlib.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from numerics import (DenseErrorAnalysis, assert_gradient_check_passes, centred_difference_tolerance,
                      contraction_error_bound, gamma, least_squares_gd_bound, lstsq_cost_bound,
                      lstsq_error_bound, machine_epsilon, record_iterates)

import nnlib
from nnlib import datasets

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "01_linear_regression.ipynb"
U = machine_epsilon(np.float64)


# -- helpers: the formulas, written out independently of the chapter --------------------------------

@pytest.fixture(scope="module")
def data():
    """The chapter's data: lot size in thousands of sq ft, price in thousands of CAD, (1, 546)."""
    X, Y = datasets.house_prices(["lotsize"])
    return X / 1000, Y / 1000


def cost(X, Y, w, b):
    """J(w, b) = (1/m) Σ_i (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾)², ŷ⁽ⁱ⁾ = w x⁽ⁱ⁾ + b."""
    return float(np.mean((Y - (w * X + b)) ** 2))


def rounding(X, Y, w, b):
    """J, dJ/dw, dJ/db at (w, b) with bounds on their rounding errors, for any order of the
    sums (numerics.DenseErrorAnalysis of the one-neuron network)."""
    return DenseErrorAnalysis([[[w]]], [[[b]]], ["identity"], "mse", X, Y)


def finite_differences(X, Y, w, b):
    """Centred finite differences (dJ/dw, dJ/db) and bounds on their errors (tol_w, tol_b).

    J is quadratic in w and in b, so (J(w + ε) − J(w − ε)) / 2ε is dJ/dw exactly for every ε
    (the third derivative is 0): ε need not be small, and the larger it is, the smaller the
    rounding δJ/ε. Here ε_w = 1 / rms(x) (ŷ moves by about 1 in the units of y) and ε_b = 1.
    What is left is rounding: each J off by at most δJ (DenseErrorAnalysis.e_J), hence D by
    δJ/ε, plus the rounding of w ± ε itself (numerics.centred_difference_tolerance)."""
    eps_w, eps_b = 1 / np.sqrt(np.mean(X**2)), 1.0
    dw = (cost(X, Y, w + eps_w, b) - cost(X, Y, w - eps_w, b)) / (2 * eps_w)
    db = (cost(X, Y, w, b + eps_b) - cost(X, Y, w, b - eps_b)) / (2 * eps_b)
    e_w = max(rounding(X, Y, w + eps_w, b).e_J, rounding(X, Y, w - eps_w, b).e_J)
    e_b = max(rounding(X, Y, w, b + eps_b).e_J, rounding(X, Y, w, b - eps_b).e_J)
    tol_w = centred_difference_tolerance(None, eps_w, x=w, slope=dw, function_error=e_w)
    tol_b = centred_difference_tolerance(None, eps_b, x=b, slope=db, function_error=e_b)
    return dw, db, tol_w, tol_b


def book_tolerances(X, Y, w, b):
    """How far the book's formulas, computed, may be from finite_differences: the difference's
    bound plus the formula's own rounding (e_dW, e_db: sums of m terms in any order)."""
    _, _, tol_w, tol_b = finite_differences(X, Y, w, b)
    bounds = rounding(X, Y, w, b)
    return tol_w + bounds.e_dW[0][0, 0], tol_b + bounds.e_db[0][0, 0]


def book_gradients(X, Y, w, b):
    """The book: dw = −(2/m) Σ_i x⁽ⁱ⁾ (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾), db = −(2/m) Σ_i (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾)."""
    m = X.shape[1]
    errors = Y - (w * X + b)
    return -(2 / m) * np.sum(X * errors), -(2 / m) * np.sum(errors)


def slide_dw(X, Y, w, b):
    """The slides: "−(2/m) x Σ (y_i − ŷ_i)", x outside the sum (read as the mean lot size x̄, the
    only single x there is when m > 1)."""
    m = X.shape[1]
    return -(2 / m) * X.mean() * np.sum(Y - (w * X + b))


def relative_error(a, b):
    return abs(a - b) / (abs(a) + abs(b))


def random_points(X, Y, n=5, seed=0):
    """Random (w, b) on the Windsor cost surface, with w at least 1 CAD/sq ft away from the
    least-squares slope. (There, and only there, the errors are uncorrelated with x, and the
    slide form happens to give the right number: dw_book − dw_slide = 2 var(x) (w − w_ls).)"""
    rng = np.random.default_rng(seed)
    w_ls = np.polyfit(X[0], Y[0], 1)[0]
    points = []
    for _ in range(n):
        w = w_ls + rng.choice([-1.0, 1.0]) * rng.uniform(1.0, 8.0)
        b = rng.normal(30.0, 20.0)
        points.append((w, b))
    return points


def chapter_function(name):
    """The chapter's own definition of ``name``, taken from the notebook's code cells."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        # IPython's syntax (the install cell's %pip) made Python first
        tree = ast.parse(TransformerManager().transform_cell("".join(cell["source"])))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                namespace = {"np": np}
                exec(compile(ast.Module([node], type_ignores=[]), str(NOTEBOOK), "exec"), namespace)
                return namespace[name]
    raise AssertionError(f"chapters/01_linear_regression.ipynb defines no function {name}()")


# -- the correction: x inside the sum --------------------------------------------------------------

@pytest.mark.parametrize("seed", range(3))
def test_book_gradients_match_finite_differences(data, seed):
    """Tolerance: book_tolerances (was a relative error of 1e-6, at ε = 1e-4)."""
    X, Y = data
    for w, b in random_points(X, Y, seed=seed):
        dw_num, db_num, _, _ = finite_differences(X, Y, w, b)
        dw, db = book_gradients(X, Y, w, b)
        tol_w, tol_b = book_tolerances(X, Y, w, b)
        assert abs(dw - dw_num) <= tol_w, (w, b, dw, dw_num)
        assert abs(db - db_num) <= tol_b, (w, b, db, db_num)


@pytest.mark.parametrize("seed", range(3))
def test_slide_weight_gradient_does_not_match(data, seed):
    X, Y = data
    for w, b in random_points(X, Y, seed=seed):
        dw_num, _, _, _ = finite_differences(X, Y, w, b)
        # the check that the book's formula passes rejects the slide's ...
        assert abs(slide_dw(X, Y, w, b) - dw_num) > book_tolerances(X, Y, w, b)[0], (w, b)
        # ... and not narrowly: it is off by more than 0.1 %
        assert relative_error(slide_dw(X, Y, w, b), dw_num) > 1e-3, (w, b)


def test_slide_form_is_right_only_for_one_example(data):
    """For m = 1 the two forms coincide: that is where the slide's form comes from."""
    X, Y = data
    for i in (0, 100, 545):
        Xi, Yi = X[:, i:i + 1], Y[:, i:i + 1]
        dw_num, _, _, _ = finite_differences(Xi, Yi, 2.0, 10.0)
        tol_w, _ = book_tolerances(Xi, Yi, 2.0, 10.0)
        assert abs(slide_dw(Xi, Yi, 2.0, 10.0) - dw_num) <= tol_w
        assert abs(book_gradients(Xi, Yi, 2.0, 10.0)[0] - dw_num) <= tol_w


def test_slide_summed_dMSE_dyhat_is_not_a_per_example_derivative(data):
    """The slides' "d(MSE)/dŷ = −(2/m) Σ (y_i − ŷ_i)" is one number, but J depends on m predictions
    and has m derivatives ∂J/∂ŷ⁽ⁱ⁾ = −(2/m)(y⁽ⁱ⁾ − ŷ⁽ⁱ⁾), one per house (each measured here by
    nudging that one prediction). The slides' sum is the derivative of J when all predictions move
    together, which is dJ/db; it is none of the per-house derivatives, and chaining it with one x
    gives a wrong dJ/dw, while multiplying each ∂J/∂ŷ⁽ⁱ⁾ by its own x⁽ⁱ⁾ before summing gives the
    right one.

    Tolerance: J is quadratic in each ŷ⁽ⁱ⁾, so the centred difference has no truncation error; what
    remains is rounding, each J evaluated to a few ulp·J (a sum of m = 546 squares), so the
    difference quotient is off by at most about 64·ε_machine·J / eps."""
    X, Y = data
    m = X.shape[1]
    eps = 1e-3
    for w, b in random_points(X, Y, n=3, seed=7):
        Y_hat = w * X + b
        J = float(np.mean((Y - Y_hat) ** 2))
        tolerance = 64 * np.finfo(np.float64).eps * J / eps

        def J_moved(shift):
            return float(np.mean((Y - (Y_hat + shift)) ** 2))

        per_house = np.empty(m)
        for i in range(m):
            nudge = np.zeros_like(Y_hat)
            nudge[0, i] = eps
            per_house[i] = (J_moved(nudge) - J_moved(-nudge)) / (2 * eps)
        np.testing.assert_allclose(per_house, -(2 / m) * (Y - Y_hat)[0], rtol=0, atol=tolerance)
        assert np.ptp(per_house) > 1e3 * tolerance          # m different numbers, not one

        slides = -(2 / m) * np.sum(Y - Y_hat)
        assert np.min(np.abs(per_house - slides)) > 1e3 * tolerance   # none of them is the slides'
        all_together = (J_moved(eps) - J_moved(-eps)) / (2 * eps)    # every ŷ⁽ⁱ⁾ moved by eps
        assert abs(all_together - slides) < tolerance
        dw_num, db_num, tol_w, tol_b = finite_differences(X, Y, w, b)
        assert abs(db_num - slides) <= tol_b + tolerance                 # it is dJ/db
        assert abs(np.sum(per_house * X[0]) - dw_num) <= tol_w + np.max(X) * m * tolerance  # x⁽ⁱ⁾ first
        assert relative_error(slides * X.mean(), dw_num) > 1e-3                  # sum first


def test_book_gradients_on_standardized_and_raw_units(data):
    """Tolerance: book_tolerances, which grow with J (about 1e9 in raw units) and shrink with ε
    (was a relative error of 1e-6, at ε = 1e-4 and, raw, 1e-2)."""
    X, Y = data
    X_std, _, _ = datasets.standardize(X)
    for w, b in [(3.0, 50.0), (-10.0, 0.0), (25.0, 80.0)]:
        dw_num, db_num, _, _ = finite_differences(X_std, Y, w, b)
        dw, db = book_gradients(X_std, Y, w, b)
        tol_w, tol_b = book_tolerances(X_std, Y, w, b)
        assert abs(dw - dw_num) <= tol_w
        assert abs(db - db_num) <= tol_b
    X_raw, Y_raw = datasets.house_prices(["lotsize"])
    w, b = 3.0, 20000.0                       # CAD per sq ft, CAD: J is about 1e9 here
    dw_num, db_num, _, _ = finite_differences(X_raw, Y_raw, w, b)
    dw, db = book_gradients(X_raw, Y_raw, w, b)
    tol_w, tol_b = book_tolerances(X_raw, Y_raw, w, b)
    assert abs(dw - dw_num) <= tol_w
    assert abs(db - db_num) <= tol_b


# -- the local derivatives and the chain rule ---------------------------------------------------

def test_local_derivatives(data):
    """dJ/dŷ_i = −(2/m)(y_house − ŷ_i), dŷ/dZ = 1, dZ/dw = x_house, dZ/db = 1, each by finite differences,
    and their product summed over the houses is dJ/dw and dJ/db (the chain rule).

    Each function differenced here is quadratic (J in ŷ⁽ⁱ⁾) or linear (ŷ in Z, Z in w and b), so
    the centred difference has no truncation error and ε = 1 is exact but for rounding:
    - dJ/dŷ⁽ⁱ⁾: each mean of m squares off by γ_(m+3) J, hence γ_(m+3) J / ε; the formula by
      γ_3 (2/m)(|y⁽ⁱ⁾| + |ŷ⁽ⁱ⁾|) (was relative 1e-6 at ε = 1e-4);
    - dŷ/dZ: only Z ± ε is rounded, by u (|Z| + ε), hence u (|Z| + ε)/ε (was rel 1e-9);
    - dZ/dw, dZ/db: each (w ± ε) x + b is 3 roundings of numbers up to |w x| + ε |x| + |b|,
      hence γ_3 (|w x| + ε |x| + |b|)/ε (was rel 1e-9);
    each plus 2u times the derivative for the subtraction and the division."""
    X, Y = data
    m = X.shape[1]
    w, b = 2.5, 12.0
    eps = 1.0
    Z = w * X + b
    Y_hat = nnlib.activations.identity(Z)
    rng = np.random.default_rng(1)
    for i in rng.choice(m, size=5, replace=False):
        x_house, y_house = X[0, i], Y[0, i]          # x⁽ⁱ⁾, y⁽ⁱ⁾

        def J_of_yhat(value):
            changed = Y_hat.copy()
            changed[0, i] = value
            return np.mean((Y - changed) ** 2)

        J_up, J_down = J_of_yhat(Y_hat[0, i] + eps), J_of_yhat(Y_hat[0, i] - eps)
        dJ_dyhat = (J_up - J_down) / (2 * eps)
        formula = -(2 / m) * (y_house - Y_hat[0, i])
        tolerance = (centred_difference_tolerance(max(J_up, J_down), eps, m=m, ops=3,
                                                  x=Y_hat[0, i], slope=dJ_dyhat)
                     + gamma(3) * (2 / m) * (abs(y_house) + abs(Y_hat[0, i])))
        assert abs(dJ_dyhat - formula) <= tolerance
        identity = nnlib.activations.identity
        dyhat_dZ = (identity(Z[0, i] + eps) - identity(Z[0, i] - eps)) / (2 * eps)
        assert abs(dyhat_dZ - 1.0) <= U * (abs(Z[0, i]) + eps) / eps + 2 * U
        dZ_dw = (((w + eps) * x_house + b) - ((w - eps) * x_house + b)) / (2 * eps)
        size = abs(w * x_house) + eps * abs(x_house) + abs(b)
        assert abs(dZ_dw - x_house) <= gamma(3) * size / eps + 2 * U * abs(x_house)
        dZ_db = ((w * x_house + b + eps) - (w * x_house + b - eps)) / (2 * eps)
        assert abs(dZ_db - 1.0) <= gamma(3) * size / eps + 2 * U

    # the chain rule: Σ_i dJ/dŷ⁽ⁱ⁾ · dŷ⁽ⁱ⁾/dZ⁽ⁱ⁾ · dZ⁽ⁱ⁾/dw (and /db) is the finite difference of J
    dZ = -(2 / m) * (Y - Y_hat) * nnlib.activations.identity_derivative(Z)
    dw_num, db_num, _, _ = finite_differences(X, Y, w, b)
    tol_w, tol_b = book_tolerances(X, Y, w, b)
    assert abs(np.sum(dZ * X) - dw_num) <= tol_w
    assert abs(np.sum(dZ) - db_num) <= tol_b


def test_nnlib_gradients_equal_book_formula(data):
    X, Y = data
    net = nnlib.Network([nnlib.Dense(1, 1, seed=3)], loss="mse")
    w, b = float(net.layers[0].W[0, 0]), 17.0
    net.layers[0].b[0, 0] = b
    net.forward(X)
    net.backward(Y)
    dw, db = book_gradients(X, Y, w, b)
    # the same sums in two orders: each within e_dW, e_db of the exact one (was relative 1e-12)
    bounds = rounding(X, Y, w, b)
    assert abs(net.layers[0].dW[0, 0] - dw) <= 2 * bounds.e_dW[0][0, 0]
    assert abs(net.layers[0].db[0, 0] - db) <= 2 * bounds.e_db[0][0, 0]
    # nnlib's gradient check, within what rounding allows at its ε = 1e-6 (was 1e-7: with
    # J ≈ 2e3 here, rounding alone may reach γ_m J / ε ≈ 2e-4 on gradients of a few hundred)
    assert_gradient_check_passes(net, X, Y)


# -- the chapter's loop: same numbers as nnlib, and it finds the least-squares line ------------------

@pytest.mark.parametrize("epochs, alpha", [(1, 0.02), (5, 0.02), (50, 0.03), (20, 0.001)])
def test_chapter_loop_equals_nnlib(data, epochs, alpha):
    X, Y = data
    gradient_descent = chapter_function("gradient_descent")
    w0 = float(np.random.default_rng(epochs).standard_normal())
    w, b, costs, path = gradient_descent(X, Y, w0, 0.0, alpha, epochs)

    net = nnlib.Network([nnlib.Dense(1, 1)], loss="mse")
    net.layers[0].W[0, 0] = w0
    net.layers[0].b[0, 0] = 0.0
    iterates = record_iterates(net)
    history = net.fit(X, Y, epochs=epochs, learning_rate=alpha)

    assert len(costs) == history.epochs == epochs
    assert len(path) == epochs + 1 and path[0] == (w0, 0.0)
    # Tolerances (were rtol 1e-10 for w, b and the costs, 1e-12 for the first step). Both loops
    # take gradient descent steps on the same quadratic J; each computed step differs from the
    # exact one by at most r_t (DenseErrorAnalysis.step_bounds), and an exact step maps a
    # difference e to (I − αH) e, ‖I − αH‖ = rho. So after t steps the two are at most
    # Σ rho^(t−1−s) (r_s + r'_s) apart (numerics.contraction_error_bound).
    descent = least_squares_gd_bound(X, Y, alpha, path, np.zeros(2))
    rho, lam_max, steps = descent.rho, descent.lam_max, descent.per_step

    nets = [(W[0][0, 0], b_[0][0, 0]) for W, b_, _ in iterates] + [
        (net.layers[0].W[0, 0], net.layers[0].b[0, 0])]
    for t in range(1, epochs + 1):
        apart = contraction_error_bound(rho, 0.0, [2 * r for r in steps[:t]])
        assert np.hypot(path[t][0] - nets[t][0], path[t][1] - nets[t][1]) <= apart
        # and the costs: J changes by at most |∇J| e + ½ λ_max e², plus each J's own rounding
        bounds = rounding(X, Y, *path[t])
        grad = np.hypot(bounds.dW[0][0, 0], bounds.db[0][0, 0])
        allowed = grad * apart + lam_max * apart**2 / 2 + bounds.e_J + rounding(X, Y, *nets[t]).e_J
        assert abs(costs[t - 1] - history.cost[t - 1]) <= allowed
    # and the first step is the book's update w ← w − α dw, b ← b − α db, the same arithmetic in
    # another order: within twice the step's rounding bound
    dw, db = book_gradients(X, Y, w0, 0.0)
    (e_w, e_b), = rounding(X, Y, w0, 0.0).step_bounds(alpha)
    assert abs(path[1][0] - (w0 - alpha * dw)) <= 2 * e_w[0, 0]
    assert abs(path[1][1] - (0.0 - alpha * db)) <= 2 * e_b[0, 0]



def least_squares(X, Y):
    """(w, b) of the least-squares line from np.linalg.lstsq on [x, 1], and bounds on how far
    it and its cost may be from the exact ones (numerics.lstsq_error_bound, lstsq_cost_bound)."""
    A = np.column_stack([X[0], np.ones(X.shape[1])])
    (w, b), *_ = np.linalg.lstsq(A, Y[0], rcond=None)
    error = lstsq_error_bound(A, [w, b], Y[0] - A @ [w, b])
    return w, b, error, lstsq_cost_bound(A, [w, b], Y[0]) / X.shape[1]


def distance_to_least_squares(X, Y, alpha, path):
    """Bounds on ‖(w_T, b_T) − (w_ls, b_ls)‖ and on J(w_T, b_T) − J(w_ls, b_ls) after gradient
    descent along ``path`` [(w_0, b_0), ..., (w_T, b_T)], (w_ls, b_ls) as lstsq computes them.

    J is quadratic: an exact step shrinks the distance to the minimum by rho = max |1 − αλ| < 1,
    each computed step adds its rounding (numerics.least_squares_gd_bound); lstsq is within
    its own bound of the minimum. The cost is within ½ λ_max e² of the least one, lstsq's
    within lstsq_cost_bound, and each is computed to within e_J."""
    w_ls, b_ls, ls_error, ls_cost = least_squares(X, Y)
    descent = least_squares_gd_bound(X, Y, alpha, path, np.array([w_ls, b_ls]))
    e = descent.bound + 2 * ls_error
    e_J = rounding(X, Y, *path[-1]).e_J + rounding(X, Y, w_ls, b_ls).e_J
    return e, descent.lam_max * e**2 / 2 + ls_cost + e_J


def test_gradient_descent_reaches_least_squares_on_standardized_data(data):
    """Tolerances: distance_to_least_squares (were rtol 1e-9 for w, b and 1e-12 for J); here
    rho = 0.4, so 60 epochs shrink the start's distance 1e24-fold and rounding is all that is
    left."""
    X, Y = data
    X_std, _, _ = datasets.standardize(X)
    w_ls, b_ls, _, _ = least_squares(X_std, Y)
    gradient_descent = chapter_function("gradient_descent")
    w, b, costs, path = gradient_descent(X_std, Y, 0.5, 0.0, alpha=0.3, epochs=60)
    apart, cost_apart = distance_to_least_squares(X_std, Y, 0.3, path)
    assert np.hypot(w - w_ls, b - b_ls) <= apart
    assert abs(costs[-1] - cost(X_std, Y, w_ls, b_ls)) <= cost_apart
    assert apart < 1e-9 * np.hypot(w_ls, b_ls)        # the claim: lstsq's line to 9 digits

    net = nnlib.Network([nnlib.Dense(1, 1, seed=0)], loss="mse")
    iterates = record_iterates(net)
    net.fit(X_std, Y, epochs=60, learning_rate=0.3)
    w, b = net.layers[0].W[0, 0], net.layers[0].b[0, 0]
    path = [(W[0][0, 0], b_[0][0, 0]) for W, b_, _ in iterates] + [(w, b)]
    apart, _ = distance_to_least_squares(X_std, Y, 0.3, path)
    assert np.hypot(w - w_ls, b - b_ls) <= apart


def test_gradient_descent_reaches_least_squares_in_thousands(data):
    """The chapter's main run: α = 0.02, 2000 epochs, in thousands of sq ft and of CAD.

    Tolerances: distance_to_least_squares (were rtol 1e-4 for w, b and rel 1e-8 for J). Here
    rho = 0.994 (the long, narrow bowl of unscaled x), so 2000 epochs leave 6e-6 of the start's
    distance: about 2e-4, which the claim below allows. The costs never go up, up to rounding:
    for a quadratic and α < 2/λ_max every exact step lowers J, and each computed J is within
    e_J of the exact one (was: later <= earlier exactly)."""
    X, Y = data
    w_ls, b_ls, _, _ = least_squares(X, Y)
    gradient_descent = chapter_function("gradient_descent")
    w0 = float(np.random.default_rng(0).standard_normal())
    w, b, costs, path = gradient_descent(X, Y, w0, 0.0, alpha=0.02, epochs=2000)
    apart, cost_apart = distance_to_least_squares(X, Y, 0.02, path)
    assert np.hypot(w - w_ls, b - b_ls) <= apart
    assert apart < 1e-4 * abs(w_ls)                   # the claim: lstsq's line to 4 digits
    assert abs(costs[-1] - cost(X, Y, w_ls, b_ls)) <= cost_apart
    e_J = [rounding(X, Y, *p).e_J for p in path[1:]]
    assert all(later <= earlier + e_J[t] + e_J[t + 1]
               for t, (earlier, later) in enumerate(zip(costs, costs[1:])))



# -- the learning rate -------------------------------------------------------------------------------

def test_too_large_learning_rate_diverges_and_warns(data):
    X, Y = data
    net = nnlib.Network([nnlib.Dense(1, 1, seed=0)], loss="mse")
    with pytest.warns(nnlib.TrainingDiverged, match="too large"):
        history = net.fit(X, Y, epochs=2000, learning_rate=0.04)
    assert history.diverged and history.epochs < 2000
    assert not np.isfinite(history.cost[-1])

    net = nnlib.Network([nnlib.Dense(1, 1, seed=0)], loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # a good learning rate gives no warning at all
        history = net.fit(X, Y, epochs=2000, learning_rate=0.02)
    assert not history.diverged and history.epochs == 2000


def test_fit_warns_while_the_cost_is_finite_and_stops_only_at_overflow(data):
    """The chapter: fit warns as soon as J has grown to more than GROWTH (1000) times its lowest
    value so far while still finite, goes on, and stops at the first epoch where J is inf/NaN."""
    X, Y = data
    w0 = float(np.random.default_rng(0).standard_normal())
    net = nnlib.Network([nnlib.Dense(1, 1)], loss="mse")
    net.layers[0].W[0, 0] = w0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = net.fit(X, Y, epochs=2000, learning_rate=0.04)
    diverging = [w for w in caught if issubclass(w.category, nnlib.TrainingDiverged)]
    assert len(diverging) == 1 and "still a finite number" in str(diverging[0].message)
    costs = np.array(history.cost)
    lowest = np.minimum.accumulate(costs)
    warned_at = int(np.argmax(costs > nnlib.network.GROWTH * lowest)) + 1   # the chapter's rule
    assert f"by epoch {warned_at} " in str(diverging[0].message)
    assert np.isfinite(costs[warned_at - 1]) and warned_at < 20
    assert history.diverged and history.epochs < 2000
    assert np.all(np.isfinite(costs[:-1])) and not np.isfinite(costs[-1])


def test_learning_rate_edge_is_where_gradient_descent_starts_to_diverge(data):
    """The chapter's learning_rate_edge(X) = 2 / (largest curvature of J): just below it the
    chapter's gradient descent converges to least squares, just above it the cost grows."""
    X, Y = data
    learning_rate_edge = chapter_function("learning_rate_edge")
    gradient_descent = chapter_function("gradient_descent")
    edge = learning_rate_edge(X)
    assert 0.02 < edge < 0.04             # α = 0.02 converges and α = 0.04 diverges, as shown
    w_ls, b_ls, _, _ = least_squares(X, Y)
    _, _, below, path = gradient_descent(X, Y, 1.0, 0.0, 0.97 * edge, 3000)
    _, _, above, _ = gradient_descent(X, Y, 1.0, 0.0, 1.03 * edge, 3000)
    # below the edge the bowl's contraction (distance_to_least_squares) brings the cost to the
    # least one, within what 3000 steps and rounding leave, and that is a millionth of it
    _, cost_apart = distance_to_least_squares(X, Y, 0.97 * edge, path)
    J_ls = cost(X, Y, w_ls, b_ls)
    assert abs(below[-1] - J_ls) <= cost_apart < 1e-6 * J_ls
    assert above[-1] > 1e3 * above[0]
    # it depends on the units: lot sizes 1000 times larger make the curvature along w about 10^6
    # times larger (not exactly: the row of 1s for b does not scale), the edge as much smaller
    X_raw, _ = datasets.house_prices(["lotsize"])
    assert learning_rate_edge(X_raw) == pytest.approx(1e-6 * edge, rel=0.05)


def test_training_validation_and_test_sets_split_the_houses(data):
    """The chapter's two calls of train_validation_split give three disjoint sets that hold
    every house once: 60 %, 20 % and 20 %."""
    X, _ = data
    m = X.shape[1]
    index = np.arange(m, dtype=float).reshape(1, m)   # split the house numbers themselves
    (rest, _), (test, _) = datasets.train_validation_split(index, index, validation_fraction=0.2,
                                                            seed=0)
    (train, _), (val, _) = datasets.train_validation_split(rest, rest, validation_fraction=0.25,
                                                            seed=1)
    parts = [set(train[0]), set(val[0]), set(test[0])]
    assert sum(len(p) for p in parts) == m and set().union(*parts) == set(index[0])
    assert [len(p) for p in parts] == [328, 109, 109]


# -- the figure added to nnlib.plotting for this chapter ----------------------------------------

def test_plot_cost_surface(data):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, Y = data
    w_values, b_values = np.linspace(0, 12, 25), np.linspace(0, 60, 21)
    J = np.array([[cost(X, Y, w, b) for w in w_values] for b in b_values])
    path = [(1.0, 0.0), (5.0, 10.0), (1e6, 1e6), (1e12, -1e12)]   # the last two: diverging
    ax = nnlib.plotting.plot_cost_surface(J, w_values, b_values, path=path, minimum=(6.6, 34.1),
                                          xlabel="w (CAD per sq ft)", ylabel="b (thousand CAD)")
    assert ax.get_xlabel() == "w (CAD per sq ft)" and ax.get_ylabel() == "b (thousand CAD)"
    line = next(l for l in ax.get_lines() if l.get_label() == "gradient descent")
    assert len(line.get_xdata()) == 3            # drawn up to the first point far off the map
    ax_callable = nnlib.plotting.plot_cost_surface(lambda w, b: cost(X, Y, w, b), w_values,
                                                   b_values)
    assert ax_callable.get_xlabel() == "w"
    with pytest.raises(ValueError, match="shape"):
        nnlib.plotting.plot_cost_surface(J.T, w_values, b_values)
    plt.close("all")


# -- the notebook itself ---------------------------------------------------------------------------

def test_chapter_states_the_corrections_and_is_stored_clean():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    text = "\n".join("".join(cell["source"]) for cell in notebook["cells"])
    assert "```{admonition} Where this differs from the slides\n:class: warning" in text
    # the correct form, in the book's notation, and the slide's form quoted in the slides' letters
    assert r"\sum_{i=1}^{m} x^{(i)}\,(y^{(i)} - \hat y^{(i)})" in text
    flat = " ".join(text.split())
    assert r"-\frac{2}{m} x \sum_{i=1}^{m} (y_i - \hat{y}_i)" in flat
    assert r"\frac{d(MSE)}{d\hat{y}} = -\frac{2}{m} \sum_{i=1}^{m} (y_i - \hat{y}_i)" in flat
    # outside the quotations, the house index is a superscript: no x_i, y_i, ŷ_i
    unquoted = re.sub(r'"[^"]*"', "", text)
    naming = r"as a subscript, $y_i$, $\hat y_i$, where the book writes"   # said once
    assert unquoted.count(naming) == 1
    unquoted = unquoted.replace(naming, "")
    assert not re.search(r"[xy]_i\b|\\hat y_i\b", unquoted), re.findall(r".{30}[xy]_i\b.{10}", unquoted)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    first_code = next(c for c in notebook["cells"] if c["cell_type"] == "code"
                      and "install-nnlib" not in c["metadata"].get("tags", []))
    assert "nnlib.set_seed(0)" in "".join(first_code["source"])
