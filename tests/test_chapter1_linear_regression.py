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

import nnlib
from nnlib import datasets

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "01_linear_regression.ipynb"
EPS = 1e-4


# -- helpers: the formulas, written out independently of the chapter --------------------------------

@pytest.fixture(scope="module")
def data():
    """The chapter's data: lot size in thousands of sq ft, price in thousands of CAD, (1, 546)."""
    X, Y = datasets.house_prices(["lotsize"])
    return X / 1000, Y / 1000


def cost(X, Y, w, b):
    """J(w, b) = (1/m) Σ (y_i − ŷ_i)², ŷ = wx + b."""
    return float(np.mean((Y - (w * X + b)) ** 2))


def finite_differences(X, Y, w, b, eps=EPS):
    """Centred finite differences (dJ/dw, dJ/db)."""
    dw = (cost(X, Y, w + eps, b) - cost(X, Y, w - eps, b)) / (2 * eps)
    db = (cost(X, Y, w, b + eps) - cost(X, Y, w, b - eps)) / (2 * eps)
    return dw, db


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
        tree = ast.parse("".join(cell["source"]))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                namespace = {"np": np}
                exec(compile(ast.Module([node], type_ignores=[]), str(NOTEBOOK), "exec"), namespace)
                return namespace[name]
    raise AssertionError(f"chapters/01_linear_regression.ipynb defines no function {name}()")


# -- the correction: x inside the sum --------------------------------------------------------------

@pytest.mark.parametrize("seed", range(3))
def test_book_gradients_match_finite_differences(data, seed):
    X, Y = data
    for w, b in random_points(X, Y, seed=seed):
        dw_num, db_num = finite_differences(X, Y, w, b)
        dw, db = book_gradients(X, Y, w, b)
        assert relative_error(dw, dw_num) < 1e-6, (w, b, dw, dw_num)
        assert relative_error(db, db_num) < 1e-6, (w, b, db, db_num)


@pytest.mark.parametrize("seed", range(3))
def test_slide_weight_gradient_does_not_match(data, seed):
    X, Y = data
    for w, b in random_points(X, Y, seed=seed):
        dw_num, _ = finite_differences(X, Y, w, b)
        # at least 1000 times the 1e-6 to which the book's formula agrees
        assert relative_error(slide_dw(X, Y, w, b), dw_num) > 1e-3, (w, b)


def test_slide_form_is_right_only_for_one_example(data):
    """For m = 1 the two forms coincide: that is where the slide's form comes from."""
    X, Y = data
    for i in (0, 100, 545):
        Xi, Yi = X[:, i:i + 1], Y[:, i:i + 1]
        dw_num, _ = finite_differences(Xi, Yi, 2.0, 10.0)
        assert relative_error(slide_dw(Xi, Yi, 2.0, 10.0), dw_num) < 1e-6
        assert relative_error(book_gradients(Xi, Yi, 2.0, 10.0)[0], dw_num) < 1e-6


def test_book_gradients_on_standardized_and_raw_units(data):
    X, Y = data
    X_std, _, _ = datasets.standardize(X)
    for w, b in [(3.0, 50.0), (-10.0, 0.0), (25.0, 80.0)]:
        dw_num, db_num = finite_differences(X_std, Y, w, b)
        dw, db = book_gradients(X_std, Y, w, b)
        assert relative_error(dw, dw_num) < 1e-6
        assert relative_error(db, db_num) < 1e-6
    X_raw, Y_raw = datasets.house_prices(["lotsize"])
    w, b = 3.0, 20000.0                       # CAD per sq ft, CAD: J is about 1e9 here
    dw_num, db_num = finite_differences(X_raw, Y_raw, w, b, eps=1e-2)
    dw, db = book_gradients(X_raw, Y_raw, w, b)
    assert relative_error(dw, dw_num) < 1e-6
    assert relative_error(db, db_num) < 1e-6


# -- the local derivatives and the chain rule ---------------------------------------------------

def test_local_derivatives(data):
    """dJ/dŷ_i = −(2/m)(y_i − ŷ_i), dŷ/dZ = 1, dZ/dw = x_i, dZ/db = 1, each by finite differences,
    and their product summed over the houses is dJ/dw and dJ/db (the chain rule)."""
    X, Y = data
    m = X.shape[1]
    w, b = 2.5, 12.0
    Z = w * X + b
    Y_hat = nnlib.activations.identity(Z)
    rng = np.random.default_rng(1)
    for i in rng.choice(m, size=5, replace=False):
        x_i, y_i = X[0, i], Y[0, i]

        def J_of_yhat(value):
            changed = Y_hat.copy()
            changed[0, i] = value
            return np.mean((Y - changed) ** 2)

        dJ_dyhat = (J_of_yhat(Y_hat[0, i] + EPS) - J_of_yhat(Y_hat[0, i] - EPS)) / (2 * EPS)
        assert relative_error(dJ_dyhat, -(2 / m) * (y_i - Y_hat[0, i])) < 1e-6
        identity = nnlib.activations.identity
        dyhat_dZ = (identity(Z[0, i] + EPS) - identity(Z[0, i] - EPS)) / (2 * EPS)
        assert dyhat_dZ == pytest.approx(1.0, rel=1e-9)
        dZ_dw = (((w + EPS) * x_i + b) - ((w - EPS) * x_i + b)) / (2 * EPS)
        assert dZ_dw == pytest.approx(x_i, rel=1e-9)
        dZ_db = ((w * x_i + b + EPS) - (w * x_i + b - EPS)) / (2 * EPS)
        assert dZ_db == pytest.approx(1.0, rel=1e-9)

    # the chain rule: Σ_i dJ/dŷ_i · dŷ_i/dZ_i · dZ_i/dw (and /db) equals the finite difference of J
    dZ = -(2 / m) * (Y - Y_hat) * nnlib.activations.identity_derivative(Z)
    dw_num, db_num = finite_differences(X, Y, w, b)
    assert relative_error(np.sum(dZ * X), dw_num) < 1e-6
    assert relative_error(np.sum(dZ), db_num) < 1e-6


def test_nnlib_gradients_equal_book_formula(data):
    X, Y = data
    net = nnlib.Network([nnlib.Dense(1, 1, seed=3)], loss="mse")
    w, b = float(net.layers[0].W[0, 0]), 17.0
    net.layers[0].b[0, 0] = b
    net.forward(X)
    net.backward(Y)
    dw, db = book_gradients(X, Y, w, b)
    assert relative_error(net.layers[0].dW[0, 0], dw) < 1e-12
    assert relative_error(net.layers[0].db[0, 0], db) < 1e-12
    errors = nnlib.gradient_check(net, X, Y)
    assert max(errors.values()) < 1e-7, errors


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
    history = net.fit(X, Y, epochs=epochs, learning_rate=alpha)

    assert len(costs) == history.epochs == epochs
    assert len(path) == epochs + 1 and path[0] == (w0, 0.0)
    np.testing.assert_allclose(w, net.layers[0].W[0, 0], rtol=1e-10)
    np.testing.assert_allclose(b, net.layers[0].b[0, 0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(costs, history.cost, rtol=1e-10)
    # and the first step is the book's update w ← w − α dw, b ← b − α db
    dw, db = book_gradients(X, Y, w0, 0.0)
    np.testing.assert_allclose(path[1], (w0 - alpha * dw, 0.0 - alpha * db), rtol=1e-12)


def least_squares(X, Y):
    """(w, b) of the exact least-squares line, from np.linalg.lstsq on [x, 1]."""
    A = np.column_stack([X[0], np.ones(X.shape[1])])
    (w, b), *_ = np.linalg.lstsq(A, Y[0], rcond=None)
    return w, b


def test_gradient_descent_reaches_least_squares_on_standardized_data(data):
    X, Y = data
    X_std, _, _ = datasets.standardize(X)
    w_ls, b_ls = least_squares(X_std, Y)
    gradient_descent = chapter_function("gradient_descent")
    w, b, costs, _ = gradient_descent(X_std, Y, 0.5, 0.0, alpha=0.3, epochs=60)
    np.testing.assert_allclose([w, b], [w_ls, b_ls], rtol=1e-9)
    assert costs[-1] == pytest.approx(cost(X_std, Y, w_ls, b_ls), rel=1e-12)

    net = nnlib.Network([nnlib.Dense(1, 1, seed=0)], loss="mse")
    net.fit(X_std, Y, epochs=60, learning_rate=0.3)
    np.testing.assert_allclose([net.layers[0].W[0, 0], net.layers[0].b[0, 0]], [w_ls, b_ls],
                               rtol=1e-9)


def test_gradient_descent_reaches_least_squares_in_thousands(data):
    """The chapter's main run: α = 0.02, 2000 epochs, in thousands of sq ft and of CAD."""
    X, Y = data
    w_ls, b_ls = least_squares(X, Y)
    gradient_descent = chapter_function("gradient_descent")
    w0 = float(np.random.default_rng(0).standard_normal())
    w, b, costs, _ = gradient_descent(X, Y, w0, 0.0, alpha=0.02, epochs=2000)
    np.testing.assert_allclose([w, b], [w_ls, b_ls], rtol=1e-4)
    assert costs[-1] == pytest.approx(cost(X, Y, w_ls, b_ls), rel=1e-8)
    assert all(later <= earlier for earlier, later in zip(costs, costs[1:]))


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
    first_code = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    assert "nnlib.set_seed(0)" in "".join(first_code["source"])
