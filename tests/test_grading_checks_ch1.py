"""Exercise 1's checks: every usual mistake is rejected with its diagnosis, and correct answers
written differently (loops, float32, other formulas) are accepted."""

import numpy as np
import pytest

from nnlib.grading import evaluate
from nnlib.grading.testing import assert_accepted, assert_rejected, catalogue_tests, mistake, \
    variant


# -- reference answers, written the way a learner would ------------------------------------------

def predict(x, w, b):
    return w * x + b


def compute_cost(y_hat, y):
    return np.sum((y - y_hat) ** 2) / y.shape[1]


def compute_gradients(x, y, y_hat):
    m = x.shape[1]
    return -2 / m * np.sum(x * (y - y_hat)), -2 / m * np.sum(y - y_hat)


def update(w, b, dw, db, learning_rate):
    return w - learning_rate * dw, b - learning_rate * db


def make_train(step=update, record_after=False):
    def train(x, y, w, b, learning_rate, epochs):
        costs = []
        for _ in range(epochs):
            y_hat = predict(x, w, b)
            if not record_after:
                costs.append(compute_cost(y_hat, y))
            dw, db = compute_gradients(x, y, y_hat)
            w, b = step(w, b, dw, db, learning_rate)
            if record_after:
                costs.append(compute_cost(predict(x, w, b), y))
        return w, b, costs
    return train


def stub(*args):
    raise NotImplementedError("not implemented yet")


def _grads(scale_w=1.0, scale_b=1.0, swap=False, no_x=False):
    def wrong(x, y, y_hat):
        dw, db = compute_gradients(x, y, y_hat)
        if no_x:
            dw = db
        if swap:
            dw, db = db, dw
        return dw * scale_w, db * scale_b
    return wrong


def train_from_zero(x, y, w, b, learning_rate, epochs):
    """Ignores the w and b it is given (the issue's wrong answer that passed)."""
    return make_train()(x, y, 0.0, 0.0, learning_rate, epochs)


def train_fixed_rate(x, y, w, b, learning_rate, epochs):
    return make_train()(x, y, w, b, 0.1, epochs)


def train_swapped(x, y, w, b, learning_rate, epochs):
    w, b, costs = make_train()(x, y, w, b, learning_rate, epochs)
    return b, w, costs


def train_one_short(x, y, w, b, learning_rate, epochs):
    return make_train()(x, y, w, b, learning_rate, epochs - 1)


def train_as_list_with_array_costs(x, y, w, b, learning_rate, epochs):
    w, b, costs = make_train()(x, y, w, b, learning_rate, epochs)
    return [w, b, np.array(costs)]


def train_while_loop_float32_costs(x, y, w, b, learning_rate, epochs):
    costs, epoch = [], 0
    while epoch < epochs:
        y_hat = w * x + b
        costs.append(np.float32(np.mean((y - y_hat) ** 2)))
        m = x.shape[1]
        w, b = (w + learning_rate * 2 / m * np.sum(x * (y - y_hat)),
                b + learning_rate * 2 / m * np.sum(y - y_hat))
        epoch += 1
    return w, b, costs


def loop_predict(x, w, b):
    out = np.empty_like(x, dtype=np.float64)
    for i in range(x.shape[1]):
        out[0, i] = w * x[0, i] + b
    return out


def loop_cost(y_hat, y):
    total = 0.0
    for i in range(y.shape[1]):
        total += (y[0, i] - y_hat[0, i]) ** 2
    return total / y.shape[1]


def loop_gradients(x, y, y_hat):
    m = x.shape[1]
    dw = db = 0.0
    for i in range(m):
        dw += -2 * x[0, i] * (y[0, i] - y_hat[0, i]) / m
        db += -2 * (y[0, i] - y_hat[0, i]) / m
    return dw, db


MISTAKES = [
    # 1.1
    mistake("1.1", lambda x, w, b: w * x, "bias b is missing", id="no-b"),
    mistake("1.1", lambda x, w, b: b * x + w, "w and b are swapped", id="w-b-swapped"),
    mistake("1.1", lambda x, w, b: w * (x + b), "b is inside the product", id="w(x+b)"),
    mistake("1.1", lambda x, w, b: (w * x + b).T, "axes are swapped", id="transposed"),
    mistake("1.1", lambda x, w, b: (w * x + b).ravel(), "row of m values keeps its first axis",
            id="ravel"),
    mistake("1.1", lambda x, w, b: (w * x + b).tolist(), "a list, where a NumPy array", id="list"),
    mistake("1.1", lambda x, w, b: None, "forget to `return`", id="no-return"),
    mistake("1.1", lambda x, w, b: w * x - b, "wrong values", id="minus-b"),
    # 1.2
    mistake("1.2", lambda y_hat, y: np.sum((y - y_hat) ** 2), "is the 1/m missing", id="sum"),
    mistake("1.2", lambda y_hat, y: np.sum((y - y_hat) ** 2) / (2 * y.shape[1]), "divided by 2m",
            id="half"),
    mistake("1.2", lambda y_hat, y: np.mean(y - y_hat), "not squared", id="not-squared"),
    mistake("1.2", lambda y_hat, y: np.mean(np.abs(y - y_hat)), "mean absolute error", id="mae"),
    mistake("1.2", lambda y_hat, y: np.sqrt(np.mean((y - y_hat) ** 2)), "square root", id="rmse"),
    mistake("1.2", lambda y_hat, y: np.sum((y - y_hat) ** 2) / (y.shape[1] - 1), "m − 1",
            id="m-1"),
    mistake("1.2", lambda y_hat, y: (y - y_hat) ** 2 / y.shape[1],
            "sum (or mean) over the examples missing", id="no-sum"),
    mistake("1.2", lambda y_hat, y: np.mean((y - y_hat) ** 2) / y.shape[1], "extra 1/m",
            id="extra-1/m"),
    mistake("1.2", lambda y_hat, y: "J", "one number was expected", id="str"),
    # 1.3
    mistake("1.3", _grads(scale_w=-1), "dw ✗", "sign", "db ✓", id="dw-sign"),
    mistake("1.3", _grads(scale_w=-1, scale_b=-1), "dw ✗", "db ✗", "sign", id="both-signs"),
    mistake("1.3", lambda x, y, y_hat: tuple(g * x.shape[1] for g in compute_gradients(x, y, y_hat)),
            "dw ✗", "1/m missing", "db ✗", id="no-1/m"),
    mistake("1.3", _grads(scale_b=0.5), "dw ✓", "db ✗: relative error 0.33", "factor 2",
            id="db-half"),
    mistake("1.3", _grads(swap=True), "wrong order: db, dw", id="swapped"),
    mistake("1.3", _grads(no_x=True), "dw ✗", "x_i is missing", "db ✓", id="dw-without-x"),
    # the slides' form, x outside the sum (with the mean x, or the sum of x)
    mistake("1.3", lambda x, y, y_hat: (-(2 / x.shape[1]) * np.mean(x) * np.sum(y - y_hat),
                                        compute_gradients(x, y, y_hat)[1]),
            "dw ✗", "x is outside the sum", "db ✓", id="slides-mean-x"),
    mistake("1.3", lambda x, y, y_hat: (-(2 / x.shape[1]) * np.sum(x) * np.sum(y - y_hat),
                                        compute_gradients(x, y, y_hat)[1]),
            "dw ✗", "x is outside the sum", "db ✓", id="slides-sum-x"),
    mistake("1.3", lambda x, y, y_hat: compute_gradients(x, y, y_hat)[0], "should return two values",
            id="one-value"),
    mistake("1.3", lambda x, y, y_hat: (np.full((1, 3), 1.0), 0.0), "dw should be one number",
            id="array-dw"),
    # 1.4
    mistake("1.4", lambda w, b, dw, db, lr: (w + lr * dw, b + lr * db), "sign is flipped",
            id="uphill"),
    mistake("1.4", lambda w, b, dw, db, lr: (w - lr * dw, b + lr * db), "sign is flipped",
            id="b-uphill"),
    mistake("1.4", lambda w, b, dw, db, lr: (w - dw, b - db), "learning rate α is missing",
            id="no-alpha"),
    mistake("1.4", lambda w, b, dw, db, lr: (w - lr * db, b - lr * dw),
            "you used dJ/db to update w", id="crossed-gradients"),
    mistake("1.4", lambda w, b, dw, db, lr: (w - dw / lr, b - db / lr), "divides by the learning rate",
            id="divides"),
    mistake("1.4", lambda w, b, dw, db, lr: (b - lr * db, w - lr * dw), "wrong order: b, w",
            id="swapped"),
    mistake("1.4", lambda w, b, dw, db, lr: w - lr * dw, "should return two values", id="one-value"),
    mistake("1.4", lambda w, b, dw, db, lr: ("w", "b"), "one number", id="strings"),
    # 1.5
    mistake("1.5", make_train(record_after=True), "before the i-th update", id="costs-after"),
    mistake("1.5", make_train(step=lambda w, b, dw, db, lr: (w + lr * dw, b + lr * db)), "costs",
            id="uphill"),
    mistake("1.5", train_from_zero, "ignores the w and b it is given", id="ignores-w-b"),
    mistake("1.5", train_fixed_rate, "ignores its learning_rate", id="ignores-alpha"),
    mistake("1.5", train_swapped, "wrong order: b, w, costs", id="swapped"),
    mistake("1.5", train_one_short, "one entry per epoch", id="one-short"),
    mistake("1.5", lambda *args: make_train()(*args)[:2], "should return three values", id="no-costs"),
    mistake("1.5", lambda x, y, w, b, lr, epochs: (w, b, [0.0] * epochs), "costs", id="zero-costs"),
    # 1.6 (on the notebook's own data: standardised lot sizes, prices in 1000 CAD)
    mistake("1.6", 1e-9, "too small", id="1e-9"),
    mistake("1.6", 0.001, "too small", "782% above its minimum", id="0.001"),
    mistake("1.6", 1.0, "does not fall", "stays at 5352", "too large", id="1-constant"),
    mistake("1.6", 0.99, "every step overshoots", "too large", id="0.99-zigzag"),
    mistake("1.6", 0.999, "every step overshoots", "too large", id="0.999-zigzag"),
    mistake("1.6", 1.01, "grows", "too large", id="1.01"),
    mistake("1.6", 1.2, "grows", "too large", id="1.2"),
    mistake("1.6", 50.0, "grows", "to 1.77e+203", id="50"),
    mistake("1.6", 5000.0, "grows", "overflows to inf", id="5000"),
    mistake("1.6", -0.1, "positive number", id="negative"),
    mistake("1.6", 0.0, "positive number", id="zero"),
    mistake("1.6", "0.1", "one positive number", id="str"),
    mistake("1.6", True, "one positive number", id="bool"),
]

VARIANTS = [
    variant("1.1", predict, id="reference"),
    variant("1.1", loop_predict, id="loop"),
    variant("1.1", lambda x, w, b: np.add(np.multiply(w, x), b), id="np.add"),
    variant("1.1", lambda x, w, b: x * w + b * np.ones_like(x), id="ones"),
    variant("1.1", lambda x, w, b: (w * x + b).astype(np.float32), id="float32"),
    variant("1.2", compute_cost, id="reference"),
    variant("1.2", lambda y_hat, y: np.mean((y_hat - y) ** 2), id="mean"),
    variant("1.2", lambda y_hat, y: ((y - y_hat) @ (y - y_hat).T) / y.shape[1], id="(1,1)-product"),
    variant("1.2", lambda y_hat, y: np.float32(np.mean((y - y_hat) ** 2)), id="float32"),
    variant("1.2", loop_cost, id="loop"),
    variant("1.3", compute_gradients, id="reference"),
    variant("1.3", loop_gradients, id="loop"),
    variant("1.3", lambda x, y, y_hat: tuple(np.float32(g) for g in compute_gradients(x, y, y_hat)),
            id="float32"),
    # (1, 1) arrays from a matrix product are one number too, and a list is two values too
    variant("1.3", lambda x, y, y_hat: [2 / x.shape[1] * x @ (y_hat - y).T,
                                        2 / x.shape[1] * np.sum(y_hat - y, keepdims=True)],
            id="list-of-(1,1)"),
    variant("1.4", update, id="reference"),
    variant("1.4", lambda w, b, dw, db, lr: (np.array([[w - lr * dw]]), np.float32(b - lr * db)),
            id="arrays"),
    variant("1.4", lambda w, b, dw, db, lr: [w - lr * dw, b - lr * db], id="list"),
    variant("1.5", make_train(), id="reference"),
    variant("1.5", train_as_list_with_array_costs, id="list-and-array"),
    variant("1.5", train_while_loop_float32_costs, id="while-inline-float32"),
    variant("1.6", 0.1, id="0.1"),
    variant("1.6", 0.5, id="0.5"),
    variant("1.6", 0.9, id="0.9"),
    variant("1.6", 0.05, id="0.05"),
    variant("1.6", np.float32(0.2), id="float32"),
    variant("1.6", 1 / 3, id="1/3"),
]


(test_usual_mistakes_are_rejected_with_their_diagnosis,
 test_correct_answers_written_differently_are_accepted,
 test_every_question_has_a_catalogue) = catalogue_tests(1, MISTAKES, VARIANTS)


def test_1_1_stub_is_not_implemented_and_shows_no_values():
    result = assert_rejected("1.1", stub, "not implemented yet", status="not implemented")
    assert "reference" not in result.feedback


def test_a_function_that_mutates_its_input_cannot_fool_the_check():
    def mutating(x, w, b):
        x *= w
        x += b
        return x
    assert_accepted("1.1", mutating)   # correct, and the check's own x was a copy

    def sneaky(x, w, b):               # changes x, then returns a wrong answer
        x[...] = 0
        return w * x + b
    assert_rejected("1.1", sneaky)


def test_wrong_values_show_where_but_never_the_reference():
    from nnlib.grading.questions import ch1

    result = assert_rejected("1.1", lambda x, w, b: w * x - b, "look at ŷ[0,")
    x, _ = ch1._line(5, 0)
    for value in (1.5 * x - 0.5).ravel():
        assert f"{value:.6g}" not in result.feedback


def test_1_2_never_prints_the_expected_cost():
    from nnlib import losses
    from nnlib.grading.questions import ch1

    x, y = ch1._line(6, 10)
    expected = losses.mse(2.0 * x - 0.5, y)
    result = assert_rejected("1.2", lambda y_hat, y: 123.456)
    assert f"{expected:.3g}" not in result.feedback and f"{expected:.6g}" not in result.feedback


def test_1_5_never_prints_the_expected_w_b_or_costs():
    from nnlib.grading.questions import ch1

    m, seed, w0, b0, lr, epochs = ch1.TRAIN_RUNS[0]
    x, y = ch1._line(m, seed)
    w, b, costs = ch1.reference_train(x, y, w0, b0, lr, epochs)
    result = assert_rejected("1.5", make_train(step=lambda w, b, dw, db, lr: (w - 2 * lr * dw,
                                                                               b - 2 * lr * db)))
    for value in [w, b, *costs]:
        assert f"{value:.4g}" not in result.feedback


def test_1_6_diagnoses_are_what_the_learners_train_gives_on_the_notebooks_data():
    """The numbers in 1.6's feedback are those of the learner's own train on the notebook's
    data (standardised lot size, price in 1000 CAD), from w = 0, b = 0."""
    from nnlib import datasets

    X, Y = datasets.house_prices(["lotsize"])
    x, _, _ = datasets.standardize(X)
    y = Y / 1000
    _, _, costs = make_train()(x, y, 0.0, 0.0, 1.0, 50)
    assert costs[0] == pytest.approx(costs[-1], rel=1e-9)     # α = 1: the cost does not move
    assert f"{costs[0]:.4g}" in evaluate("1.6", 1.0).feedback
    _, _, costs = make_train()(x, y, 0.0, 0.0, 1.2, 50)
    assert f"{costs[0]:.4g}" in evaluate("1.6", 1.2).feedback
    # α = 0.99 and α = 0.01 give the same costs on standardised data (both |1 − 2α| = 0.98) ...
    np.testing.assert_allclose(make_train()(x, y, 0.0, 0.0, 0.99, 50)[2],
                               make_train()(x, y, 0.0, 0.0, 0.01, 50)[2], rtol=1e-9)
    # ... but not the same diagnosis: one overshoots, the other creeps
    assert "too large" in evaluate("1.6", 0.99).feedback
    assert "too small" in evaluate("1.6", 0.01).feedback


# -- names that are missing or redefined -------------------------------------------------------------

def test_a_name_that_is_not_a_function_gets_a_clear_reason():
    assert_rejected("1.1", 42, "should be a function", "later cell")


def test_a_missing_name_is_reported():
    result = evaluate("1.1")
    assert result.status == "missing" and "There is no `predict`" in result.feedback


def test_printing_learner_code_is_muted(capsys):
    def chatty(x, w, b):
        for _ in range(10_000):
            print("hello")
        return w * x + b
    assert_accepted("1.1", chatty)
    assert "hello" not in capsys.readouterr().out


# -- check() in a notebook -----------------------------------------------------------------------------

def test_check_prints_the_verdict_and_finds_the_name(capsys):
    from nnlib.grading import check

    assert check("1.1", predict) is None
    out = capsys.readouterr().out
    assert out.startswith("✓ Question 1.1") and "2/2 points" in out and "\x1b[" not in out
    check("1.2")  # finds compute_cost in this module's globals
    assert "✓ Question 1.2" in capsys.readouterr().out


def test_check_on_a_stub_does_not_raise(capsys):
    from nnlib.grading import check

    check("1.1", stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_check_with_an_unknown_id_names_the_questions():
    from nnlib.grading import check

    with pytest.raises(KeyError, match="1.1, 1.2"):
        check("1.99", predict)


def test_skip_if_not_implemented(capsys):
    from nnlib.grading import skip_if_not_implemented

    with skip_if_not_implemented():
        stub()
        raise AssertionError("not reached")
    assert "skipped" in capsys.readouterr().out
    with pytest.raises(ZeroDivisionError):
        with skip_if_not_implemented():
            1 / 0


def test_a_training_loop_that_calls_a_wrong_gradient_names_it():
    namespace = {"np": np, "predict": predict, "compute_cost": compute_cost, "update": update,
                 "compute_gradients": lambda x, y, y_hat: (1.0, 1.0)}
    exec("def train(x, y, w, b, learning_rate, epochs):\n"
         "    costs = []\n"
         "    for _ in range(epochs):\n"
         "        y_hat = predict(x, w, b)\n"
         "        costs.append(compute_cost(y_hat, y))\n"
         "        dw, db = compute_gradients(x, y, y_hat)\n"
         "        w, b = update(w, b, dw, db, learning_rate)\n"
         "    return w, b, costs\n", namespace)
    result = assert_rejected("1.5", namespace["train"], "train calls compute_gradients (question 1.3)",
                             "fix it first")
    assert "predict (question" not in result.feedback
