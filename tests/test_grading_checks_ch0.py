"""Exercise 0's checks (the five steps on five houses): every usual mistake is rejected with its
diagnosis, and correct answers written differently (loops, lists, float32, other ways to nudge
a parameter) are accepted."""

import numpy as np
import pytest

from nnlib.grading import evaluate
from nnlib.grading.questions import ch0
from nnlib.grading.testing import assert_rejected, catalogue_tests, mistake, variant

# -- reference answers, written the way a learner would -------------------------------------------


def parameter_shapes(layer_sizes):
    return [((layer_sizes[l - 1], layer_sizes[l]), (layer_sizes[l], 1))
            for l in range(1, len(layer_sizes))]


def neuron(x, w, b, g):
    return g((w.T @ x)[0, 0] + b)


def cost(y_hat, y):
    return float(np.sum((y_hat - y) ** 2) / y.shape[1])


def centred_difference(J, w, b, epsilon=1e-6):
    dw = np.zeros_like(w, dtype=float)
    for j in range(w.shape[0]):
        w_plus, w_minus = w.copy(), w.copy()
        w_plus[j, 0] += epsilon
        w_minus[j, 0] -= epsilon
        dw[j, 0] = (J(w_plus, b) - J(w_minus, b)) / (2 * epsilon)
    return dw, (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)


def identity(z):
    return z


def predict(X, w, b, g=identity):
    """The notebook's given cell: the learner's neuron, one column at a time."""
    y_hat = np.zeros((1, X.shape[1]))
    for i in range(X.shape[1]):
        y_hat[0, i] = np.asarray(neuron(X[:, [i]], w, b, g)).item()
    return y_hat


def make_train(sign=-1, after=False, from_zero=False, rate=None, update_b=True, short=False,
               swapped=False, difference=None):
    """The notebook's train, with one slip."""
    difference = difference or centred_difference

    def train(X, y, w, b, learning_rate, epochs):
        if from_zero:
            w, b = np.zeros_like(w), 0.0
        alpha = rate or learning_rate
        costs = []

        def J(w, b):
            return cost(predict(X, w, b), y)

        for _ in range(epochs - (1 if short else 0)):
            if not after:
                costs.append(J(w, b))
            dw, db = difference(J, w, b)
            w = w + sign * alpha * dw
            if update_b:
                b = b + sign * alpha * db
            if after:
                costs.append(J(w, b))
        return (b, w, costs) if swapped else (w, b, costs)
    return train


def stub(*args):
    raise NotImplementedError("not implemented yet")


# -- the usual slips of a centred difference, as learners write them ------------------------------

def forward_difference(J, w, b, epsilon=1e-6):
    here = J(w, b)
    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        w_plus = w.copy()
        w_plus[j] += epsilon
        dw[j] = (J(w_plus, b) - here) / epsilon
    return dw, (J(w, b + epsilon) - here) / epsilon


def backward_difference(J, w, b, epsilon=1e-6):
    here = J(w, b)
    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        w_minus = w.copy()
        w_minus[j] -= epsilon
        dw[j] = (here - J(w_minus, b)) / epsilon
    return dw, (here - J(w, b - epsilon)) / epsilon


def over_epsilon(J, w, b, epsilon=1e-6):
    dw, db = centred_difference(J, w, b, epsilon)
    return 2 * dw, 2 * db


def not_restored(J, w, b, epsilon=1e-6):
    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        w[j] += epsilon
        plus = J(w, b)
        w[j] -= 2 * epsilon
        minus = J(w, b)
        dw[j] = (plus - minus) / (2 * epsilon)
    return dw, (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)


def all_at_once(J, w, b, epsilon=1e-6):
    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        dw[j] = (J(w + epsilon, b) - J(w - epsilon, b)) / (2 * epsilon)
    return dw, (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)


def aliased(J, w, b, epsilon=1e-6):
    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        w_plus = w
        w_plus[j] += epsilon
        plus = J(w_plus, b)
        w_minus = w
        w_minus[j] -= epsilon
        dw[j] = (plus - J(w_minus, b)) / (2 * epsilon)
    return dw, (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)


def aliased_zero(J, w, b, epsilon=1e-6):
    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        w_plus = w
        w_plus[j] += epsilon
        w_minus = w
        w_minus[j] -= epsilon
        dw[j] = (J(w_plus, b) - J(w_minus, b)) / (2 * epsilon)
    return dw, (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)


def fixed_epsilon(J, w, b, epsilon=1e-6):
    return centred_difference(J, w, b, 1e-6)


def negated(J, w, b, epsilon=1e-6):
    dw, db = centred_difference(J, w, b, epsilon)
    return -dw, -db


# -- correct ones, written differently ------------------------------------------------------------

def restored_by_arithmetic(J, w, b, epsilon=1e-6):
    dw = np.zeros_like(w)
    for j in range(len(w)):
        w[j] += epsilon
        plus = J(w, b)
        w[j] -= 2 * epsilon
        minus = J(w, b)
        w[j] += epsilon
        dw[j] = (plus - minus) / (2 * epsilon)
    b_plus, b_minus = b + epsilon, b - epsilon
    return dw, (J(w, b_plus) - J(w, b_minus)) / (2 * epsilon)


def restored_from_saved(J, w, b, epsilon=1e-6):
    dw = np.zeros(w.shape)
    for index in np.ndindex(w.shape):
        saved = w[index]
        w[index] = saved + epsilon
        plus = J(w, b)
        w[index] = saved - epsilon
        minus = J(w, b)
        w[index] = saved
        dw[index] = (plus - minus) / (2 * epsilon)
    return dw, (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)


def unit_vectors(J, w, b, epsilon=1e-6):
    n = w.shape[0]
    dw = np.array([[(J(w + epsilon * e, b) - J(w - epsilon * e, b)) / (2 * epsilon)]
                   for e in np.eye(n).reshape(n, n, 1)])
    return dw.reshape(n, 1), (J(w, b + epsilon) - J(w, b - epsilon)) / (2 * epsilon)


def as_list_float32(J, w, b, epsilon=1e-6):
    dw, db = centred_difference(J, w, b, epsilon)
    return [dw.astype(np.float32), np.array([[db]])]


def train_while(X, y, w, b, learning_rate, epochs):
    costs, epoch = [], 0
    while epoch < epochs:
        J = lambda w_, b_: cost(predict(X, w_, b_), y)  # noqa: E731
        costs.append(J(w, b))
        dw, db = centred_difference(J, w, b, 1e-5)
        w, b = w - learning_rate * dw, b - learning_rate * db
        epoch += 1
    return [w, b, np.array(costs)]


MISTAKES = [
    # 0.1
    mistake("0.1", lambda s: [((s[l], s[l - 1]), (s[l], 1)) for l in range(1, len(s))],
            "the axes are the other way round", "W^[1] has shape (4, 3)", id="W-transposed"),
    mistake("0.1", lambda s: [((s[l - 1], s[l]), (1, s[l])) for l in range(1, len(s))],
            "b^[1] has shape (1, 4)", "a row", id="b-row"),
    mistake("0.1", lambda s: [((s[l - 1], s[l]), (s[l],)) for l in range(1, len(s))],
            "b^[1] has shape (4,)", "one axis", id="b-1d"),
    mistake("0.1", lambda s: [((s[l - 1], s[l]), (s[l - 1], 1)) for l in range(1, len(s))],
            "one bias per input", id="b-per-input"),
    mistake("0.1", lambda s: [((s[l - 1] if l else 0, s[l]), (s[l], 1)) for l in range(len(s))],
            "returned 3 pairs", "the input layer (layer 0)", id="input-layer-counted"),
    mistake("0.1", lambda s: [(s[l - 1], s[l]) for l in range(1, len(s))], "is one shape, (3, 4)",
            id="W-shapes-only"),
    mistake("0.1", lambda s: {"W1": (s[0], s[1])}, "should return a list", id="dict"),
    # 0.2
    mistake("0.2", lambda x, w, b, g: (w.T @ x)[0, 0] + b, "g is not applied", id="no-g"),
    mistake("0.2", lambda x, w, b, g: g((w.T @ x)[0, 0]) + b, "b is added after g", id="b-after-g"),
    mistake("0.2", lambda x, w, b, g: np.sum(g(w * x)) + b, "g is applied to each product",
            id="g-per-product"),
    mistake("0.2", lambda x, w, b, g: g(np.sum(w * x + b)), "b is added once per input",
            id="b-per-input"),
    mistake("0.2", lambda x, w, b, g: g((w.T @ x)[0, 0]), "bias b is missing", id="no-b"),
    mistake("0.2", lambda x, w, b, g: g(w * x + b), "returned 2 numbers, one per input",
            id="no-sum"),
    # 0.3
    mistake("0.3", lambda y_hat, y: np.sum((y_hat - y) ** 2), "is the 1/m missing", id="sum"),
    mistake("0.3", lambda y_hat, y: np.sum((y_hat - y) ** 2) / (2 * y.shape[1]), "divided by 2m",
            id="half"),
    mistake("0.3", lambda y_hat, y: np.mean(y_hat - y), "not squared", id="not-squared"),
    mistake("0.3", lambda y_hat, y: np.mean(y - y_hat), "not squared", id="not-squared-y-first"),
    mistake("0.3", lambda y_hat, y: np.mean(y_hat - y) ** 2, "mean is taken before the square",
            id="square-of-mean"),
    mistake("0.3", lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2)), "square root", id="rmse"),
    mistake("0.3", lambda y_hat, y: (y_hat - y) ** 2 / y.shape[1], "one value per example",
            id="no-sum"),
    # 0.4
    mistake("0.4", forward_difference, "one-sided differences", "(J(w_j + ε) − J(w_j)) / ε",
            id="forward"),
    mistake("0.4", backward_difference, "one-sided differences", id="backward"),
    mistake("0.4", over_epsilon, "twice the centred differences", id="over-epsilon"),
    mistake("0.4", not_restored, "not put back", id="not-restored"),
    mistake("0.4", all_at_once, "nudged at once", id="all-at-once"),
    mistake("0.4", aliased, "happened at w itself", "w.copy()", id="aliased"),
    mistake("0.4", aliased_zero, "dw is all zeros", "w.copy()", id="aliased-zero"),
    mistake("0.4", fixed_epsilon, "step other than the epsilon passed in", id="ignores-epsilon"),
    mistake("0.4", negated, "opposite sign", id="negated"),
    mistake("0.4", lambda J, w, b, epsilon=1e-6: centred_difference(J, w, b, epsilon)[::-1],
            "wrong order: db, dw", id="swapped"),
    mistake("0.4", lambda J, w, b, epsilon=1e-6: (centred_difference(J, w, b, epsilon)[0].ravel(),
                                                  centred_difference(J, w, b, epsilon)[1]),
            "dw has shape (2,)", id="dw-1d"),
    mistake("0.4", lambda J, w, b, epsilon=1e-6: (centred_difference(J, w, b, epsilon)[0], 0.0),
            "dw is right but db is not", id="db-zero"),
    # 0.5 (the first run is on the five houses)
    mistake("0.5", make_train(sign=+1), "the cost grows from 959.2", "go uphill",
            "five houses", id="uphill"),
    mistake("0.5", make_train(after=True), "costs after each update", id="costs-after"),
    mistake("0.5", make_train(from_zero=True), "ignores the w and b it is given",
            id="ignores-w-b"),
    mistake("0.5", make_train(rate=0.1), "ignores its learning_rate", "α = 0.1",
            id="ignores-alpha-diverges"),
    mistake("0.5", make_train(rate=0.001), "ignores its learning_rate", "α = 0.001",
            id="ignores-alpha"),
    mistake("0.5", make_train(update_b=False), "b never changes", id="no-b-update"),
    mistake("0.5", make_train(short=True), "one entry per epoch", id="one-short"),
    mistake("0.5", make_train(swapped=True), "wrong order: b, w, costs", id="swapped"),
    mistake("0.5", lambda X, y, w, b, lr, epochs: (w, b, [0.0] * epochs),
            "the same number, 0, for every epoch", id="zero-costs"),
    mistake("0.5", lambda X, y, w, b, lr, epochs: (w, b, make_train()(X, y, w, b, lr, epochs)[2]),
            "returns the w and b it was given", id="returns-the-start"),
]

VARIANTS = [
    variant("0.1", parameter_shapes, id="reference"),
    variant("0.1", lambda s: [[[a, c], [c, 1]] for a, c in zip(s[:-1], s[1:])], id="zip-lists"),
    variant("0.1", lambda s: [(np.array([s[l - 1], s[l]]), np.array([s[l], 1]))
                              for l in range(1, len(s))], id="arrays"),
    variant("0.1", lambda s: tuple(((np.int64(a), np.int64(c)), (np.int64(c), 1))
                                   for a, c in zip(s, s[1:])), id="tuple-of-int64"),
    variant("0.2", neuron, id="reference"),
    variant("0.2", lambda x, w, b, g: g(np.sum(w * x) + b), id="np.sum"),
    variant("0.2", lambda x, w, b, g: g(w.T @ x + b), id="(1,1)-array"),
    variant("0.2", lambda x, w, b, g: g(sum(w[j, 0] * x[j, 0] for j in range(x.shape[0])) + b),
            id="loop"),
    variant("0.2", lambda x, w, b, g: np.float32(g(float(np.dot(w[:, 0], x[:, 0])) + b)),
            id="dot-float32"),
    variant("0.3", cost, id="reference"),
    variant("0.3", lambda y_hat, y: np.mean((y - y_hat) ** 2), id="mean"),
    variant("0.3", lambda y_hat, y: ((y_hat - y) @ (y_hat - y).T) / y.shape[1], id="(1,1)-product"),
    variant("0.3", lambda y_hat, y: sum((y_hat[0, i] - y[0, i]) ** 2 for i in range(y.shape[1]))
            / y.shape[1], id="loop"),
    variant("0.3", lambda y_hat, y: np.float32(np.mean((y_hat - y) ** 2)), id="float32"),
    variant("0.4", centred_difference, id="reference"),
    variant("0.4", restored_by_arithmetic, id="restored-by-arithmetic"),
    variant("0.4", restored_from_saved, id="restored-from-saved"),
    variant("0.4", unit_vectors, id="unit-vectors"),
    variant("0.4", as_list_float32, id="list-float32-(1,1)-db"),
    variant("0.5", make_train(), id="reference"),
    variant("0.5", train_while, id="while-list-array-costs-epsilon-1e-5"),
    variant("0.5", make_train(difference=restored_by_arithmetic), id="restored-by-arithmetic"),
]


(test_usual_mistakes_are_rejected_with_their_diagnosis,
 test_correct_answers_written_differently_are_accepted,
 test_every_question_has_a_catalogue) = catalogue_tests(0, MISTAKES, VARIANTS)


@pytest.mark.parametrize("qid", [f"0.{k}" for k in range(1, 6)])
def test_stub_is_not_implemented(qid):
    assert_rejected(qid, stub, "not implemented yet", status="not implemented")


def test_the_uphill_diagnosis_quotes_what_the_learners_train_gives_on_the_five_houses():
    """The numbers in 0.5's feedback are those of the learner's own train on the first five
    Windsor houses (lot size in 1000 square feet, price in 1000 CAD), from w = 2, b = 10."""
    x, y = ch0.five_houses()
    assert x.shape == y.shape == (1, 5)
    np.testing.assert_allclose(x[0], [5.85, 4.0, 3.06, 6.65, 6.36])
    np.testing.assert_allclose(y[0], [42.0, 38.5, 49.5, 60.5, 61.0])
    _, _, costs = make_train(sign=+1)(x, y, np.array([[2.0]]), 10.0, 0.01, 12)
    feedback = evaluate("0.5", make_train(sign=+1)).feedback
    assert f"from {costs[0]:.4g} to {costs[-1]:.4g}" in feedback


def test_the_notebook_trains_on_what_the_check_calls_the_five_houses():
    import nbformat
    from pathlib import Path

    source = "\n".join(c.source for c in nbformat.read(
        Path(__file__).resolve().parents[1] / "exercises" / "solutions" /
        "00_introduction.ipynb", 4).cells if c.cell_type == "code")
    assert 'house_prices(["lotsize"])' in source
    assert "X_all[:, :5] / 1000" in source and "Y_all[:, :5] / 1000" in source


def test_centred_differences_of_the_houses_cost_are_the_chain_rules_derivative():
    """Why the check may use the exact derivatives as the reference of train: J is quadratic in
    w and b, so centred differences are exact up to rounding, at any ε."""
    X, y = ch0.five_houses(("lotsize", "bedrooms"))
    w, b, m = np.array([[4.0], [3.0]]), 5.0, X.shape[1]
    J = ch0._houses_J()
    for epsilon in (1e-6, 1e-3, 1.0):
        dw, db = ch0.ref_centred(J, w, b, epsilon)
        y_hat = w.T @ X + b
        np.testing.assert_allclose(dw, 2 / m * X @ (y_hat - y).T, rtol=1e-7)
        assert db == pytest.approx(2 / m * np.sum(y_hat - y), rel=1e-7)


def test_a_forward_difference_in_float32_is_still_named():
    def forward32(J, w, b, epsilon=1e-6):
        dw, db = forward_difference(J, w, b, epsilon)
        return dw.astype(np.float32), np.float32(db)
    assert_rejected("0.4", forward32, "one-sided differences")


def test_centred_differences_feedback_never_shows_the_derivatives():
    J, w, b, epsilon = ch0._difference_cases()[0]
    dw, db = ch0.ref_centred(J, w, b, epsilon)
    for answer in (negated, lambda J, w, b, epsilon=1e-6: (centred_difference(J, w, b, epsilon)[0],
                                                           0.0)):
        feedback = evaluate("0.4", answer).feedback
        for value in [*dw.ravel(), db]:
            assert f"{value:.4g}" not in feedback


def test_train_feedback_never_shows_the_right_w_b_or_costs():
    x, y = ch0.five_houses()
    w, b, costs = ch0.ref_train(x, y, np.array([[2.0]]), 10.0, 0.01, 12)
    result = assert_rejected("0.5", make_train(rate=0.005))
    for value in [w[0, 0], b, *costs]:
        assert f"{value:.4g}" not in result.feedback


def test_a_train_that_calls_a_broken_centred_difference_names_it():
    namespace = {"np": np, "predict": predict, "cost": cost, "centred_difference": over_epsilon}
    exec("def train(X, y, w, b, learning_rate, epochs):\n"
         "    costs = []\n"
         "    def J(w, b):\n"
         "        return cost(predict(X, w, b), y)\n"
         "    for _ in range(epochs):\n"
         "        costs.append(J(w, b))\n"
         "        dw, db = centred_difference(J, w, b)\n"
         "        w, b = w - learning_rate * dw, b - learning_rate * db\n"
         "    return w, b, costs\n", namespace)
    assert_rejected("0.5", namespace["train"], "train calls centred_difference (question 0.4)",
                    "fix it first")


def test_exercise_0_is_worth_10_points():
    from nnlib.grading import registry

    assert [q.id for q in registry.questions_for(0)] == ["0.1", "0.2", "0.3", "0.4", "0.5"]
    assert registry.points_of(0) == 10
