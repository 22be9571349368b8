"""The checks of exercise 5 (activation functions): each usual mistake is rejected with its
diagnosis, and correct answers written differently are accepted."""

import numpy as np
import pytest

import nnlib
from nnlib.grading import evaluate
from nnlib.grading.questions import ch5
from nnlib.grading.testing import assert_rejected, catalogue_tests, mistake, variant

# The wrong answers below overflow on purpose: NumPy's warnings about them are expected.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

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


# -- 5.8, 5.9 the experiment ----------------------------------------------------------------------


def make_final_cost(seeded=True, learning_rate=0.5, last=True, epochs=300, seeds=(1, 2),
                    hidden=None, index=-1, batch_size=None):
    """The notebook's recipe on the real data, as a learner writes it, with one change."""
    def final_cost(activation):
        X, Y = nnlib.datasets.circles(m=200, seed=0)
        chosen = seeds if seeded else (None, None)
        net = nnlib.Network([nnlib.Dense(2, 8, hidden or activation, seed=chosen[0]),
                             nnlib.Dense(8, 1, "sigmoid", seed=chosen[1])],
                            loss="binary_cross_entropy")
        history = net.fit(X, Y, epochs=epochs, learning_rate=learning_rate,
                          batch_size=batch_size)
        return history.cost[index] if last else history.cost
    return final_cost


def final_cost_via_layers_list(activation):
    X, Y = nnlib.datasets.circles(m=200, seed=0)
    layers = []
    for n_in, n_out, g, seed in ((2, 8, activation, 1), (8, 1, "sigmoid", 2)):
        layers.append(nnlib.Dense(n_in, n_out, g, seed=seed))
    return float(nnlib.Network(layers, loss="binary_cross_entropy")
                 .fit(X, Y, 300, 0.5).cost[-1])


def naive_sigmoid_silenced(Z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


def tanh_naive_silenced(Z):
    with np.errstate(over="ignore", invalid="ignore"):
        return (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))


def tanh_piecewise_stable(Z):
    E = np.exp(-2 * np.abs(Z))
    return np.sign(Z) * (1 - E) / (1 + E)


MISTAKES = [
    # 5.1
    mistake("5.1", lambda Z: Z * (1 - Z), "computed from Z where A was meant", "Z(1 − Z)", id="from-Z"),
    mistake("5.1", lambda Z: naive_sigmoid(Z) * (1 - naive_sigmoid(Z)), "gives 0", "overflows",
            id="naive-sigmoid"),
    mistake("5.1", lambda Z: naive_sigmoid_silenced(Z) * (1 - naive_sigmoid_silenced(Z)), "overflows",
            "np.errstate", id="naive-sigmoid-errstate"),
    mistake("5.1", lambda Z: np.exp(-Z) / (1 + np.exp(-Z)) ** 2, "nan or inf", id="naive-quotient"),
    mistake("5.1", lambda Z: sigmoid(Z), "σ(z) itself", id="sigma"),
    mistake("5.1", lambda Z: 1 - sigmoid(Z), "factor σ(z) is missing", id="one-minus"),
    mistake("5.1", lambda Z: sigmoid(Z) * (1 + sigmoid(Z)), "sign inside the brackets", id="plus"),
    mistake("5.1", loop(lambda Z: sigmoid(Z) * (1 - sigmoid(Z))), "loop over the examples", id="loop"),
    # 5.2
    mistake("5.2", lambda Z: (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z)), "overflows", "nan",
            id="naive"),
    mistake("5.2", tanh_naive_silenced, "overflows", id="naive-errstate"),
    mistake("5.2", np.sinh, "sinh", id="sinh"),
    mistake("5.2", sigmoid, "values in (0, 1)", id="sigmoid"),
    mistake("5.2", lambda Z: sigmoid(2 * Z) - 1, "factor 2 in front of σ", id="no-factor-2"),
    mistake("5.2", lambda Z: 2 * sigmoid(Z) - 1, "σ takes 2z", id="sigma-of-z"),
    # 5.3
    mistake("5.3", lambda Z: 1 - Z ** 2, "computed from Z where A was meant", "1 − Z²", id="from-Z"),
    mistake("5.3", lambda Z: 1 - np.tanh(Z), "square is missing", id="no-square"),
    mistake("5.3", lambda Z: sigmoid(Z) * (1 - sigmoid(Z)), "sigmoid's derivative", id="sigmoid-derivative"),
    mistake("5.3", lambda Z: 1 - 2 * np.tanh(Z), "factor 2", id="factor-2"),
    mistake("5.3", lambda Z: 1 - ((np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z))) ** 2,
            "nan or inf", id="naive-exponentials"),
    # 5.4
    mistake("5.4", lambda Z: np.max(Z, 0), "np.max", "largest entry", id="np.max"),
    mistake("5.4", lambda Z: (Z > 0) * 1.0, "ReLU's derivative", id="derivative"),
    mistake("5.4", np.abs, "|z|", id="abs"),
    mistake("5.4", lambda Z: np.minimum(Z, 0), "min(0, z)", id="min"),
    mistake("5.4", lambda Z: Z > 0, "True/False", id="bool"),
    mistake("5.4", loop(lambda Z: np.maximum(Z, 0)), "loop over the examples", id="loop"),
    # 5.5
    mistake("5.5", lambda Z: (Z >= 0).astype(float), "wrong at z = 0", "ReLU'(0) = 0", id=">="),
    mistake("5.5", lambda Z: np.heaviside(Z, 1.0), "wrong at z = 0", id="heaviside-1"),
    mistake("5.5", lambda Z: Z > 0, "True/False", id="bool"),
    mistake("5.5", lambda Z: np.maximum(Z, 0), "ReLU(z) itself", id="relu"),
    mistake("5.5", lambda Z: (Z < 0).astype(float), "wrong way round", id="<"),
    # 5.6
    mistake("5.6", lambda Z, alpha=0.01: np.where(Z > 0, Z, 0.01 * Z), "slope α is ignored",
            id="alpha-ignored"),
    mistake("5.6", lambda Z, alpha=0.2: np.where(Z > 0, Z, alpha * Z), "default slope", id="default"),
    mistake("5.6", lambda Z, alpha=0.01: np.where(Z > 0, alpha * Z, Z), "slopes are swapped", id="swapped"),
    mistake("5.6", lambda Z, alpha=0.01: np.maximum(Z, 0), "it is ReLU", id="relu"),
    mistake("5.6", lambda Z, alpha=0.01: np.where(Z > 0, Z, alpha), "α, the slope, instead of α z",
            id="slope-not-product"),
    # 5.7
    mistake("5.7", lambda Z, alpha=0.01: np.where(Z >= 0, 1.0, alpha), "wrong at z = 0", id=">="),
    mistake("5.7", lambda Z, alpha=0.01: (Z > 0).astype(float), "slope α is missing", id="relu-derivative"),
    mistake("5.7", lambda Z, alpha=0.01: np.where(Z > 0, 1.0, 0.01), "slope α is ignored",
            id="alpha-ignored"),
    mistake("5.7", lambda Z, alpha=0.01: np.where(Z > 0, 1.0, alpha * Z), "Leaky ReLU itself",
            id="leaky-itself"),
    mistake("5.7", loop(lambda Z, alpha=0.01: np.where(Z > 0, 1.0, alpha)), "loop over the examples",
            id="loop"),
    # 5.8: each slip run on the real data (the recipe with one change)
    mistake("5.8", make_final_cost(seeded=False), "different number each time", id="unseeded"),
    mistake("5.8", make_final_cost(learning_rate=0.1), "learning_rate=0.1", id="learning-rate-0.1"),
    mistake("5.8", make_final_cost(epochs=1000), "1000 epochs", id="1000-epochs"),
    mistake("5.8", make_final_cost(seeds=(2, 1)), "seeds are swapped", id="seeds-swapped"),
    mistake("5.8", make_final_cost(index=0), "first epoch", id="cost[0]"),
    mistake("5.8", make_final_cost(batch_size=32), "mini-batches", id="batches"),
    mistake("5.8", make_final_cost(hidden="sigmoid"), "same number for every activation",
            id="activation-ignored"),
    mistake("5.8", make_final_cost(last=False), "one number", id="whole-history"),
    # 5.9
    mistake("5.9", "sigmoid", "highest cost", id="highest"),
    mistake("5.9", "tanh", "not the activation with the lowest final cost", id="middle"),
    mistake("5.9", "softmax", "one of", id="other-name"),
    mistake("5.9", 3, "name of an activation", id="number"),
]

VARIANTS = [
    variant("5.1", lambda Z: sigmoid(Z) * (1 - sigmoid(Z)), id="A(1-A)"),
    variant("5.1", lambda Z: np.exp(-np.abs(Z)) / (1 + np.exp(-np.abs(Z))) ** 2, id="symmetric"),
    variant("5.1", lambda Z: sigmoid(Z) * sigmoid(-Z), id="σ(z)σ(−z)"),
    variant("5.1", lambda Z: (sigmoid(Z) - sigmoid(Z) ** 2).astype(np.float32), id="float32"),
    variant("5.2", np.tanh, id="np.tanh"),
    variant("5.2", lambda Z: 2 * sigmoid(2 * Z) - 1, id="2σ(2z)−1"),
    variant("5.2", tanh_piecewise_stable, id="piecewise"),
    variant("5.3", lambda Z: 1 - np.tanh(Z) ** 2, id="1-A²"),
    variant("5.3", lambda Z: 1 / np.cosh(Z) ** 2, id="sech²"),
    variant("5.3", lambda Z: (1 - np.tanh(Z)) * (1 + np.tanh(Z)), id="factored"),
    variant("5.4", lambda Z: np.maximum(Z, 0), id="maximum"),
    variant("5.4", lambda Z: Z * (Z > 0), id="mask"),
    variant("5.4", lambda Z: np.where(Z > 0, Z, 0.0), id="where"),
    variant("5.4", lambda Z: np.clip(Z, 0, None).astype(np.float32), id="clip-float32"),
    variant("5.4", lambda Z: (Z + np.abs(Z)) / 2, id="(z+|z|)/2"),
    variant("5.5", lambda Z: (Z > 0).astype(float), id="astype"),
    variant("5.5", lambda Z: np.heaviside(Z, 0.0), id="heaviside"),
    variant("5.5", lambda Z: np.where(Z > 0, 1.0, 0.0).astype(np.float32), id="where-float32"),
    variant("5.6", lambda Z, alpha=0.01: np.where(Z > 0, Z, alpha * Z), id="where"),
    variant("5.6", lambda Z, alpha=0.01: np.maximum(alpha * Z, Z), id="maximum"),
    variant("5.6", lambda Z, alpha=0.01: Z * np.where(Z > 0, 1.0, alpha), id="slope-times-z"),
    variant("5.7", lambda Z, alpha=0.01: np.where(Z > 0, 1.0, alpha), id="where"),
    variant("5.7", lambda Z, alpha=0.01: (Z > 0) + alpha * (Z <= 0), id="masks"),
    variant("5.7", lambda Z, alpha=0.01: np.where(Z <= 0, alpha, 1.0), id="where-reversed"),
    variant("5.8", make_final_cost(), id="recipe"),
    variant("5.8", lambda activation: np.float32(make_final_cost()(activation)), id="float32"),
    variant("5.8", final_cost_via_layers_list, id="layers-list"),
    variant("5.9", "relu", id="relu"),
    variant("5.9", " ReLU", id="spaces-and-case"),
]


(test_usual_mistakes_are_rejected_with_their_diagnosis,
 test_correct_answers_written_differently_are_accepted,
 test_every_question_has_a_catalogue) = catalogue_tests(5, MISTAKES, VARIANTS)


@pytest.mark.parametrize("answer", [row.values[1] for row in MISTAKES if row.values[0] == "5.8"])
def test_the_experiments_feedback_never_gives_the_numbers_away(answer):
    feedback = evaluate("5.8", answer).feedback
    for activation in ch5.EXPERIMENT_ACTIVATIONS:
        assert f"{ch5.reference_final_cost(activation):.4f}" not in feedback


@pytest.mark.parametrize("qid", [f"5.{k}" for k in range(1, 8)])
def test_stub_is_not_implemented(qid):
    def stub(Z, alpha=0.01):
        raise NotImplementedError("not implemented yet")
    assert_rejected(qid, stub, "not implemented yet", status="not implemented")


def test_experiment_shows_what_the_exercise_says():
    """ReLU ends lowest and sigmoid highest, by a clear margin (not a coin toss)."""
    costs = {a: ch5.reference_final_cost(a) for a in ch5.EXPERIMENT_ACTIVATIONS}
    assert costs["relu"] < 0.5 * costs["tanh"] < 0.5 * costs["sigmoid"]


def test_best_activation_none_is_not_implemented():
    assert_rejected("5.9", None, "not implemented yet", status="not implemented")
