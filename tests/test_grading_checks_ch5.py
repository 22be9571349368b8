"""The checks of exercise 5 (activation functions): each usual mistake is rejected with its
diagnosis, and correct answers written differently are accepted."""

import numpy as np
import pytest

import nnlib
from nnlib.grading.questions import ch5
from nnlib.grading.testing import assert_accepted, assert_rejected

sigmoid = nnlib.activations.sigmoid


def naive_sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


def loop(f):
    """f applied entry by entry in a Python loop (a loop over the examples)."""
    def looped(Z, *args):
        out = np.zeros(np.shape(Z))
        for index in np.ndindex(out.shape):
            out[index] = f(np.array([[Z[index]]]), *args)[0, 0]
        return out
    return looped


CORRECT = {
    "5.1": [lambda Z: sigmoid(Z) * (1 - sigmoid(Z)),
            lambda Z: np.exp(-np.abs(Z)) / (1 + np.exp(-np.abs(Z))) ** 2,
            lambda Z: (sigmoid(Z) - sigmoid(Z) ** 2).astype(np.float32)],
    "5.2": [np.tanh, lambda Z: 2 * sigmoid(2 * Z) - 1],
    "5.3": [lambda Z: 1 - np.tanh(Z) ** 2, lambda Z: 1 / np.cosh(Z) ** 2],
    "5.4": [lambda Z: np.maximum(Z, 0), lambda Z: Z * (Z > 0), lambda Z: np.where(Z > 0, Z, 0.0),
            lambda Z: np.clip(Z, 0, None).astype(np.float32)],
    "5.5": [lambda Z: (Z > 0).astype(float), lambda Z: np.heaviside(Z, 0.0),
            lambda Z: np.where(Z > 0, 1.0, 0.0).astype(np.float32)],
    "5.6": [lambda Z, alpha=0.01: np.where(Z > 0, Z, alpha * Z),
            lambda Z, alpha=0.01: np.maximum(alpha * Z, Z)],
    "5.7": [lambda Z, alpha=0.01: np.where(Z > 0, 1.0, alpha),
            lambda Z, alpha=0.01: (Z > 0) + alpha * (Z <= 0)],
}


@pytest.mark.parametrize("qid, answer", [(q, f) for q, fs in CORRECT.items() for f in fs],
                         ids=[f"{q}-{i}" for q, fs in CORRECT.items() for i in range(len(fs))])
def test_accepts_correct_answers(qid, answer):
    assert_accepted(qid, answer)


MISTAKES = [
    ("5.1", lambda Z: Z * (1 - Z), ["computed from Z where A was meant", "Z(1 − Z)"]),
    ("5.1", lambda Z: naive_sigmoid(Z) * (1 - naive_sigmoid(Z)), ["overflow"]),
    ("5.1", lambda Z: sigmoid(Z), ["σ(z) itself"]),
    ("5.1", lambda Z: 1 - sigmoid(Z), ["factor σ(z) is missing"]),
    ("5.1", loop(lambda Z: sigmoid(Z) * (1 - sigmoid(Z))), ["loop over the examples"]),
    ("5.2", lambda Z: (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z)), ["overflow", "np.tanh"]),
    ("5.2", np.sinh, ["sinh"]),
    ("5.2", sigmoid, ["values in (0, 1)"]),
    ("5.3", lambda Z: 1 - Z ** 2, ["computed from Z where A was meant", "1 − Z²"]),
    ("5.3", lambda Z: 1 - np.tanh(Z), ["square is missing"]),
    ("5.3", lambda Z: sigmoid(Z) * (1 - sigmoid(Z)), ["sigmoid's derivative"]),
    ("5.4", lambda Z: np.max(Z, 0), ["np.max(Z, 0)", "np.maximum"]),
    ("5.4", lambda Z: (Z > 0) * 1.0, ["ReLU's derivative"]),
    ("5.4", np.abs, ["|z|"]),
    ("5.4", lambda Z: Z > 0, ["True/False"]),
    ("5.4", loop(lambda Z: np.maximum(Z, 0)), ["loop over the examples"]),
    ("5.5", lambda Z: (Z >= 0).astype(float), ["wrong at z = 0", "ReLU'(0) = 0"]),
    ("5.5", lambda Z: np.heaviside(Z, 1.0), ["wrong at z = 0"]),
    ("5.5", lambda Z: Z > 0, ["True/False", "astype(float)"]),
    ("5.5", lambda Z: np.maximum(Z, 0), ["ReLU(z) itself"]),
    ("5.5", lambda Z: (Z < 0).astype(float), ["wrong way round"]),
    ("5.6", lambda Z, alpha=0.01: np.where(Z > 0, Z, 0.01 * Z), ["slope α is ignored"]),
    ("5.6", lambda Z, alpha=0.2: np.where(Z > 0, Z, alpha * Z), ["default slope"]),
    ("5.6", lambda Z, alpha=0.01: np.where(Z > 0, alpha * Z, Z), ["slopes are swapped"]),
    ("5.6", lambda Z, alpha=0.01: np.maximum(Z, 0), ["it is ReLU"]),
    ("5.7", lambda Z, alpha=0.01: np.where(Z >= 0, 1.0, alpha), ["wrong at z = 0"]),
    ("5.7", lambda Z, alpha=0.01: (Z > 0).astype(float), ["slope α is missing"]),
    ("5.7", lambda Z, alpha=0.01: np.where(Z > 0, 1.0, 0.01), ["slope α is ignored"]),
    ("5.7", lambda Z, alpha=0.01: np.where(Z > 0, 1.0, alpha * Z), ["Leaky ReLU itself"]),
    ("5.7", loop(lambda Z, alpha=0.01: np.where(Z > 0, 1.0, alpha)), ["loop over the examples"]),
]


@pytest.mark.parametrize("qid, answer, phrases", MISTAKES,
                         ids=[f"{q}-{i}" for i, (q, _, _) in enumerate(MISTAKES)])
def test_rejects_mistakes(qid, answer, phrases):
    assert_rejected(qid, answer, *phrases)


@pytest.mark.parametrize("qid", list(CORRECT))
def test_stub_is_not_implemented(qid):
    def stub(Z, alpha=0.01):
        raise NotImplementedError("not implemented yet")
    assert_rejected(qid, stub, "not implemented yet", status="not implemented")


# -- 5.8, 5.9 the experiment ----------------------------------------------------------------------


def make_final_cost(seeded=True, learning_rate=0.5, last=True):
    def final_cost(activation):
        X, Y = nnlib.datasets.circles(m=200, seed=0)
        seeds = (1, 2) if seeded else (None, None)
        net = nnlib.Network([nnlib.Dense(2, 8, activation, seed=seeds[0]),
                             nnlib.Dense(8, 1, "sigmoid", seed=seeds[1])],
                            loss="binary_cross_entropy")
        history = net.fit(X, Y, epochs=300, learning_rate=learning_rate)
        return history.cost[-1] if last else history.cost
    return final_cost


def test_final_cost_accepts_the_recipe():
    assert_accepted("5.8", make_final_cost())


def test_final_cost_accepts_a_numpy_number():
    final_cost = make_final_cost()
    assert_accepted("5.8", lambda activation: np.float32(final_cost(activation)))


@pytest.mark.parametrize("answer, phrases", [
    (make_final_cost(seeded=False), ["different number each time", "seed=1"]),
    (make_final_cost(learning_rate=0.1), ["Follow the recipe", "learning_rate=0.5"]),
    (make_final_cost(last=False), ["one number", "history.cost[-1]"]),
], ids=["unseeded", "other-learning-rate", "whole-history"])
def test_final_cost_rejects_mistakes(answer, phrases):
    result = assert_rejected("5.8", answer, *phrases)
    for activation in ch5.EXPERIMENT_ACTIVATIONS:   # never gives the expected number away
        assert f"{ch5.reference_final_cost(activation):.4f}" not in result.feedback


def test_experiment_shows_what_the_exercise_says():
    """ReLU ends lowest and sigmoid highest, by a clear margin (not a coin toss)."""
    costs = {a: ch5.reference_final_cost(a) for a in ch5.EXPERIMENT_ACTIVATIONS}
    assert costs["relu"] < 0.5 * costs["tanh"] < 0.5 * costs["sigmoid"]


@pytest.mark.parametrize("answer", ["relu", " ReLU"])
def test_best_activation_accepts_relu(answer):
    assert_accepted("5.9", answer)


@pytest.mark.parametrize("answer, phrases", [
    ("sigmoid", ["highest cost"]),
    ("tanh", ["not the activation with the lowest final cost"]),
    ("softmax", ["one of"]),
    (3, ["name of an activation"]),
], ids=["highest", "middle", "other-name", "number"])
def test_best_activation_rejects_mistakes(answer, phrases):
    assert_rejected("5.9", answer, *phrases)


def test_best_activation_none_is_not_implemented():
    assert_rejected("5.9", None, "not implemented yet", status="not implemented")
