"""Chapter 1, linear regression: every derivative the chapter states, checked numerically on the
Windsor house prices, and the chapter's hand-written training loop checked against nnlib.

The chapter (chapters/01_linear_regression.ipynb) corrects two slides:

- dMSE/dw = −(2/m) Σ x_i (y_i − ŷ_i), with x_i inside the sum (the slides put x outside);
- the local derivatives are dŷ/dZ = 1, dZ/dw = x, dZ/db = 1.

Nothing here hard-codes a result: every expected number is recomputed from the data, by finite
differences, by least squares or by nnlib.
"""

from __future__ import annotations

import ast
import json
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
    """J(w, b) = (1/m) Σ (y_i − ŷ_i)², ŷ = wx + b."""
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
    """The book: dw = −(2/m) Σ x_i (y_i − ŷ_i), db = −(2/m) Σ (y_i − ŷ_i)."""
    m = X.shape[1]
    errors = Y - (w * X + b)
    return -(2 / m) * np.sum(X * errors), -(2 / m) * np.sum(errors)


def slide_dw(X, Y, w, b):
    """The slides: −(2/m) x Σ (y_i − ŷ_i) with x outside the sum (read as the mean lot size x̄,
    the only single x there is when m > 1)."""
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
    """dJ/dŷ_i = −(2/m)(y_i − ŷ_i), dŷ/dZ = 1, dZ/dw = x_i, dZ/db = 1, each by finite differences,
    and their product summed over the houses is dJ/dw and dJ/db (the chain rule).

    Each function differenced here is quadratic (J in ŷ_i) or linear (ŷ in Z, Z in w and b), so
    the centred difference has no truncation error and ε = 1 is exact but for rounding:
    - dJ/dŷ_i: each mean of m squares off by γ_(m+3) J, hence γ_(m+3) J / ε; the formula by
      γ_3 (2/m)(|y_i| + |ŷ_i|) (was relative 1e-6 at ε = 1e-4);
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
        x_i, y_i = X[0, i], Y[0, i]

        def J_of_yhat(value):
            changed = Y_hat.copy()
            changed[0, i] = value
            return np.mean((Y - changed) ** 2)

        J_up, J_down = J_of_yhat(Y_hat[0, i] + eps), J_of_yhat(Y_hat[0, i] - eps)
        dJ_dyhat = (J_up - J_down) / (2 * eps)
        formula = -(2 / m) * (y_i - Y_hat[0, i])
        tolerance = (centred_difference_tolerance(max(J_up, J_down), eps, m=m, ops=3,
                                                  x=Y_hat[0, i], slope=dJ_dyhat)
                     + gamma(3) * (2 / m) * (abs(y_i) + abs(Y_hat[0, i])))
        assert abs(dJ_dyhat - formula) <= tolerance
        identity = nnlib.activations.identity
        dyhat_dZ = (identity(Z[0, i] + eps) - identity(Z[0, i] - eps)) / (2 * eps)
        assert abs(dyhat_dZ - 1.0) <= U * (abs(Z[0, i]) + eps) / eps + 2 * U
        dZ_dw = (((w + eps) * x_i + b) - ((w - eps) * x_i + b)) / (2 * eps)
        size = abs(w * x_i) + eps * abs(x_i) + abs(b)
        assert abs(dZ_dw - x_i) <= gamma(3) * size / eps + 2 * U * abs(x_i)
        dZ_db = ((w * x_i + b + eps) - (w * x_i + b - eps)) / (2 * eps)
        assert abs(dZ_db - 1.0) <= gamma(3) * size / eps + 2 * U

    # the chain rule: Σ_i dJ/dŷ_i · dŷ_i/dZ_i · dZ_i/dw (and /db) equals the finite difference of J
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
    assert r"\sum_i x_i\,(y_i - \hat y_i)" in text
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    first_code = next(c for c in notebook["cells"] if c["cell_type"] == "code"
                      and "install-nnlib" not in c["metadata"].get("tags", []))
    assert "nnlib.set_seed(0)" in "".join(first_code["source"])
