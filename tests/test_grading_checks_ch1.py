"""Exercise 1's checks: every usual mistake is rejected with its diagnosis, and correct answers
written differently (loops, float32, other formulas) are accepted."""

import numpy as np
import pytest

from nnlib.grading import evaluate
from nnlib.grading.testing import assert_accepted, assert_rejected


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


# -- 1.1 the forward pass ---------------------------------------------------------------------------

def test_1_1_accepts_the_reference_and_a_loop():
    assert_accepted("1.1", predict)

    def loop(x, w, b):
        out = np.empty_like(x, dtype=np.float64)
        for i in range(x.shape[1]):
            out[0, i] = w * x[0, i] + b
        return out
    assert_accepted("1.1", loop)


@pytest.mark.parametrize("wrong, phrase", [
    (lambda x, w, b: w * x, "bias b is missing"),
    (lambda x, w, b: b * x + w, "w and b are swapped"),
    (lambda x, w, b: (w * x + b).T, "axes are swapped"),
    (lambda x, w, b: (w * x + b).ravel(), "row of m values keeps its first axis"),
    (lambda x, w, b: (w * x + b).tolist(), "return a NumPy array"),
    (lambda x, w, b: None, "forget to `return`"),
    (lambda x, w, b: w * x - b, "wrong values"),
])
def test_1_1_rejects(wrong, phrase):
    assert_rejected("1.1", wrong, phrase)


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


# -- 1.2 the cost -------------------------------------------------------------------------------------

def test_1_2_accepts_equivalent_forms():
    assert_accepted("1.2", compute_cost)
    assert_accepted("1.2", lambda y_hat, y: np.mean((y_hat - y) ** 2))
    assert_accepted("1.2", lambda y_hat, y: ((y - y_hat) @ (y - y_hat).T) / y.shape[1])  # (1, 1)
    assert_accepted("1.2", lambda y_hat, y: np.float32(np.mean((y - y_hat) ** 2)))

    def loop(y_hat, y):
        total = 0.0
        for i in range(y.shape[1]):
            total += (y[0, i] - y_hat[0, i]) ** 2
        return total / y.shape[1]
    assert_accepted("1.2", loop)


@pytest.mark.parametrize("wrong, phrase", [
    (lambda y_hat, y: np.sum((y - y_hat) ** 2), "is the 1/m missing"),
    (lambda y_hat, y: np.sum((y - y_hat) ** 2) / (2 * y.shape[1]), "divided by 2m"),
    (lambda y_hat, y: np.mean(y - y_hat), "not squared"),
    (lambda y_hat, y: np.mean(np.abs(y - y_hat)), "mean absolute error"),
    (lambda y_hat, y: np.sqrt(np.mean((y - y_hat) ** 2)), "square root"),
    (lambda y_hat, y: (y - y_hat) ** 2 / y.shape[1], "sum (or mean) over the examples missing"),
    (lambda y_hat, y: np.mean((y - y_hat) ** 2) / y.shape[1], "extra 1/m"),
    (lambda y_hat, y: "J", "one number was expected"),
])
def test_1_2_rejects(wrong, phrase):
    assert_rejected("1.2", wrong, phrase)


def test_1_2_never_prints_the_expected_cost():
    from nnlib import losses
    from nnlib.grading.questions import ch1

    x, y = ch1._line(6, 10)
    expected = losses.mse(2.0 * x - 0.5, y)
    result = assert_rejected("1.2", lambda y_hat, y: 123.456)
    assert f"{expected:.3g}" not in result.feedback and f"{expected:.6g}" not in result.feedback


# -- 1.3 the gradients -------------------------------------------------------------------------------

def test_1_3_accepts_the_reference_a_loop_float32_and_arrays():
    assert_accepted("1.3", compute_gradients)

    def loop(x, y, y_hat):
        m = x.shape[1]
        dw = db = 0.0
        for i in range(m):
            dw += -2 * x[0, i] * (y[0, i] - y_hat[0, i]) / m
            db += -2 * (y[0, i] - y_hat[0, i]) / m
        return dw, db
    assert_accepted("1.3", loop)
    assert_accepted("1.3", lambda x, y, y_hat: tuple(np.float32(g) for g in compute_gradients(x, y, y_hat)))
    # (1, 1) arrays from a matrix product are one number too
    assert_accepted("1.3", lambda x, y, y_hat: (2 / x.shape[1] * x @ (y_hat - y).T,
                                                2 / x.shape[1] * np.sum(y_hat - y, keepdims=True)))


def _grads(scale_w=1.0, scale_b=1.0, swap=False, no_x=False):
    def wrong(x, y, y_hat):
        dw, db = compute_gradients(x, y, y_hat)
        if no_x:
            dw = db
        if swap:
            dw, db = db, dw
        return dw * scale_w, db * scale_b
    return wrong


@pytest.mark.parametrize("wrong, phrases", [
    (_grads(scale_w=-1), ["dw ✗", "sign", "db ✓"]),
    (_grads(scale_w=-1, scale_b=-1), ["dw ✗", "db ✗", "sign"]),
    (lambda x, y, y_hat: tuple(g * x.shape[1] for g in compute_gradients(x, y, y_hat)),
     ["dw ✗", "1/m missing", "db ✗"]),
    (_grads(scale_b=0.5), ["dw ✓", "db ✗", "factor 2"]),
    (_grads(swap=True), ["dw ✗", "db ✗", "wrong order"]),
    (_grads(no_x=True), ["dw ✗", "has the x_i in the sum", "db ✓"]),
    # the slides' form, x outside the sum (with the mean x, or the sum of x)
    (lambda x, y, y_hat: (-(2 / x.shape[1]) * np.mean(x) * np.sum(y - y_hat),
                          compute_gradients(x, y, y_hat)[1]),
     ["dw ✗", "x is outside the sum", "db ✓"]),
    (lambda x, y, y_hat: (-(2 / x.shape[1]) * np.sum(x) * np.sum(y - y_hat),
                          compute_gradients(x, y, y_hat)[1]),
     ["dw ✗", "x is outside the sum", "db ✓"]),
    (lambda x, y, y_hat: compute_gradients(x, y, y_hat)[0], ["should return two values"]),
    (lambda x, y, y_hat: (np.full((1, 3), 1.0), 0.0), ["dw should be one number"]),
])
def test_1_3_rejects_with_a_per_parameter_report(wrong, phrases):
    result = assert_rejected("1.3", wrong, *phrases)
    assert "relative error" in result.feedback or "should" in result.feedback


def test_1_3_reports_the_relative_error():
    result = assert_rejected("1.3", _grads(scale_b=0.5), "db ✗: relative error 0.33")
    assert result.max_score == 3


# -- 1.4 the update -------------------------------------------------------------------------------------

def test_1_4_accepts_the_reference_and_arrays():
    assert_accepted("1.4", update)
    assert_accepted("1.4", lambda w, b, dw, db, lr: (np.array([[w - lr * dw]]), np.float32(b - lr * db)))


@pytest.mark.parametrize("wrong, phrase", [
    (lambda w, b, dw, db, lr: (w + lr * dw, b + lr * db), "sign is flipped"),
    (lambda w, b, dw, db, lr: (w - lr * dw, b + lr * db), "sign is flipped"),
    (lambda w, b, dw, db, lr: (w - dw, b - db), "learning rate α is missing"),
    (lambda w, b, dw, db, lr: (w - lr * db, b - lr * dw), "you used dJ/db to update w"),
    (lambda w, b, dw, db, lr: w - lr * dw, "should return two values"),
    (lambda w, b, dw, db, lr: ("w", "b"), "one number"),
])
def test_1_4_rejects(wrong, phrase):
    assert_rejected("1.4", wrong, phrase)


# -- 1.5 the training loop ---------------------------------------------------------------------------

def test_1_5_accepts_the_reference_and_a_numpy_cost_array():
    assert_accepted("1.5", make_train())

    def as_array(*args):
        w, b, costs = make_train()(*args)
        return w, b, np.array(costs)
    assert_accepted("1.5", as_array)


def test_1_5_rejects():
    assert_rejected("1.5", make_train(record_after=True), "before the i-th update")
    assert_rejected("1.5", make_train(step=lambda w, b, dw, db, lr: (w + lr * dw, b + lr * db)),
                    "costs")

    def one_short(x, y, w, b, lr, epochs):
        return make_train()(x, y, w, b, lr, epochs - 1)
    assert_rejected("1.5", one_short, "one entry per epoch")
    assert_rejected("1.5", lambda *args: make_train()(*args)[:2], "three values")


def test_1_5_a_stub_it_calls_is_not_implemented():
    def train(x, y, w, b, lr, epochs):
        return stub(x)
    assert_rejected("1.5", train, "or a function it uses", status="not implemented")


def test_1_5_infinite_loop_is_stopped():
    def forever(*args):
        while True:
            pass
    result = assert_rejected("1.5", forever, "did not return", time_limit=0.5)
    assert "infinite loop" in result.feedback


def test_1_5_exception_names_the_line():
    def broken(x, y, w, b, lr, epochs):
        return w / 0
    assert_rejected("1.5", broken, "ZeroDivisionError", "line")


# -- 1.6 the learning rate ----------------------------------------------------------------------------

@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.5, 0.9, np.float32(0.2)])
def test_1_6_accepts_learning_rates_that_converge(alpha):
    assert_accepted("1.6", alpha)


@pytest.mark.parametrize("alpha, phrase", [
    (1e-9, "too small"),
    (0.001, "too small"),
    (1.2, "too large"),
    (50.0, "too large"),
    (-0.1, "positive number"),
    (0.0, "positive number"),
    ("0.1", "one positive number"),
    (True, "one positive number"),
])
def test_1_6_rejects(alpha, phrase):
    assert_rejected("1.6", alpha, phrase)


def test_1_6_none_is_not_implemented():
    assert_rejected("1.6", None, "not implemented yet", status="not implemented")


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
