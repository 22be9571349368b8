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
    """J(w, b) = (1/m) Σ_i (y⁽ⁱ⁾ − ŷ⁽ⁱ⁾)², ŷ⁽ⁱ⁾ = w x⁽ⁱ⁾ + b."""
    return float(np.mean((Y - (w * X + b)) ** 2))


def finite_differences(X, Y, w, b, eps=EPS):
    """Centred finite differences (dJ/dw, dJ/db)."""
    dw = (cost(X, Y, w + eps, b) - cost(X, Y, w - eps, b)) / (2 * eps)
    db = (cost(X, Y, w, b + eps) - cost(X, Y, w, b - eps)) / (2 * eps)
    return dw, db


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
        if cell["cell_type"] != "code" or "install-nnlib" in cell["metadata"].get("tags", []):
            continue   # the install cell is IPython (%pip), not Python
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
        _, db_num = finite_differences(X, Y, w, b, eps=eps)
        assert abs(db_num - slides) < tolerance                     # it is dJ/db

        dw_num, _ = finite_differences(X, Y, w, b, eps=eps)
        assert abs(np.sum(per_house * X[0]) - dw_num) < np.max(X) * m * tolerance  # x⁽ⁱ⁾ first
        assert relative_error(slides * X.mean(), dw_num) > 1e-3                  # sum first


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
    """dJ/dŷ⁽ⁱ⁾ = −(2/m)(y⁽ⁱ⁾ − ŷ⁽ⁱ⁾), dŷ⁽ⁱ⁾/dZ⁽ⁱ⁾ = 1, dZ⁽ⁱ⁾/dw = x⁽ⁱ⁾, dZ⁽ⁱ⁾/db = 1, each by
    finite differences, and their product summed over the houses is dJ/dw and dJ/db (the chain
    rule)."""
    X, Y = data
    m = X.shape[1]
    w, b = 2.5, 12.0
    Z = w * X + b
    Y_hat = nnlib.activations.identity(Z)
    rng = np.random.default_rng(1)
    for i in rng.choice(m, size=5, replace=False):
        x_house, y_house = X[0, i], Y[0, i]          # x⁽ⁱ⁾, y⁽ⁱ⁾

        def J_of_yhat(value):
            changed = Y_hat.copy()
            changed[0, i] = value
            return np.mean((Y - changed) ** 2)

        dJ_dyhat = (J_of_yhat(Y_hat[0, i] + EPS) - J_of_yhat(Y_hat[0, i] - EPS)) / (2 * EPS)
        assert relative_error(dJ_dyhat, -(2 / m) * (y_house - Y_hat[0, i])) < 1e-6
        identity = nnlib.activations.identity
        dyhat_dZ = (identity(Z[0, i] + EPS) - identity(Z[0, i] - EPS)) / (2 * EPS)
        assert dyhat_dZ == pytest.approx(1.0, rel=1e-9)
        dZ_dw = (((w + EPS) * x_house + b) - ((w - EPS) * x_house + b)) / (2 * EPS)
        assert dZ_dw == pytest.approx(x_house, rel=1e-9)
        dZ_db = ((w * x_house + b + EPS) - (w * x_house + b - EPS)) / (2 * EPS)
        assert dZ_db == pytest.approx(1.0, rel=1e-9)

    # the chain rule: Σ_i dJ/dŷ⁽ⁱ⁾ · dŷ⁽ⁱ⁾/dZ⁽ⁱ⁾ · dZ⁽ⁱ⁾/dw (and /db) is the finite difference of J
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
    w_ls, b_ls = least_squares(X, Y)
    J_ls = cost(X, Y, w_ls, b_ls)
    _, _, below, _ = gradient_descent(X, Y, 1.0, 0.0, 0.97 * edge, 3000)
    _, _, above, _ = gradient_descent(X, Y, 1.0, 0.0, 1.03 * edge, 3000)
    assert below[-1] == pytest.approx(J_ls, rel=1e-6)
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
