"""Exercise 6's checks (ten classes): every usual mistake is rejected with its diagnosis, and
correct answers written differently are accepted; the diagnoses that quote numbers quote what the
learner's own function gives on the notebook's digits."""

from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib.grading import evaluate
from nnlib.grading.questions import ch6
from nnlib.grading.testing import assert_rejected, catalogue_tests, mistake, variant

# The wrong answers below overflow or take log(0) on purpose: NumPy's warnings are expected.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SOLUTION = Path(__file__).resolve().parents[1] / "exercises" / "solutions" / "06_ten_classes.ipynb"

# -- reference answers, written the way a learner would -------------------------------------------


def softmax(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def one_hot(labels, n_classes):
    Y = np.zeros((n_classes, labels.shape[0]))
    Y[labels, np.arange(labels.shape[0])] = 1.0
    return Y


def cost(A, Y):
    return float(-np.sum(Y * np.log(np.clip(A, 1e-12, 1.0))) / Y.shape[1])


def output_gradients(A_prev, A, Y):
    dZ = (A - Y) / Y.shape[1]
    return dZ, A_prev @ dZ.T, np.sum(dZ, axis=1, keepdims=True)


def accuracy(scores, labels):
    return float(np.mean(np.argmax(scores, axis=0) == labels))


def make_batches(X, Y, batch_size, seed):
    m = X.shape[1]
    order = np.random.default_rng(seed).permutation(m)
    X, Y = X[:, order], Y[:, order]
    return [(X[:, s:s + batch_size], Y[:, s:s + batch_size]) for s in range(0, m, batch_size)]


def stub(*args):
    raise NotImplementedError("not implemented yet")


# -- 6.1 ------------------------------------------------------------------------------------------

def naive_softmax(Z):
    return np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)


def naive_silenced(Z):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(Z) / np.exp(Z).sum(axis=0)


def global_max(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=0)


def softmax_loop(Z):
    A = np.zeros(Z.shape)
    for i in range(Z.shape[1]):
        e = np.exp(Z[:, i] - Z[:, i].max())
        A[:, i] = e / e.sum()
    return A


def log_sum_exp(Z):
    top = Z.max(axis=0)
    return np.exp(Z - top - np.log(np.sum(np.exp(Z - top), axis=0)))


# -- 6.3, 6.4 with one slip -----------------------------------------------------------------------

def gradients(dZ_of, dW_scale=1.0, db_of=None):
    def output_gradients(A_prev, A, Y):
        m = Y.shape[1]
        dZ = dZ_of(A, Y, m)
        db = db_of(dZ, m) if db_of else np.sum(dZ, axis=1, keepdims=True)
        return dZ, dW_scale * A_prev @ dZ.T, db
    return output_gradients


def exercise_3_convention(A_prev, A, Y):
    m = Y.shape[1]
    dZ = A - Y
    return dZ, A_prev @ dZ.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def gradients_loop(A_prev, A, Y):
    m = Y.shape[1]
    dZ = (A - Y) / m
    dW = np.zeros((A_prev.shape[0], A.shape[0]))
    for i in range(m):
        dW += A_prev[:, [i]] @ dZ[:, [i]].T
    return dZ, dW, np.sum(dZ, axis=1, keepdims=True)


# -- 6.6 with one slip ----------------------------------------------------------------------------

def batches(slip=None):
    def make_batches(X, Y, batch_size, seed):
        m = X.shape[1]
        rng = np.random.default_rng(seed)
        order = rng.permutation(m)
        if slip == "no-shuffle":
            order = np.arange(m)
        elif slip == "global-state":
            order = np.random.permutation(m)
        elif slip == "seed-ignored":
            order = np.random.default_rng(0).permutation(m)
        elif slip == "with-replacement":
            order = rng.integers(0, m, size=m)
        Xs, Ys = X[:, order], Y[:, order]
        if slip == "separate-orders":
            Ys = Y[:, rng.permutation(m)]
        elif slip == "rows":
            Xs = rng.permutation(X)
        stop = m - batch_size + 1 if slip == "drop-last" else m
        out = [(Xs[:, s:s + batch_size], Ys[:, s:s + batch_size])
               for s in range(0, stop, batch_size)]
        if slip == "two-lists":
            return [x for x, _ in out], [y for _, y in out]
        if slip == "transposed":
            return [(x.T, y.T) for x, y in out]
        return out
    return make_batches


def shuffled_indices(X, Y, batch_size, seed):
    rng = np.random.default_rng(seed)
    index = np.arange(X.shape[1])
    rng.shuffle(index)
    return [[X[:, index[k:k + batch_size]], Y[:, index[k:k + batch_size]]]
            for k in range(0, X.shape[1], batch_size)]


def legacy_seed(X, Y, batch_size, seed):
    np.random.seed(seed)
    order = np.random.permutation(X.shape[1])
    return [(X[:, order][:, s:s + batch_size], Y[:, order][:, s:s + batch_size])
            for s in range(0, X.shape[1], batch_size)]


def choice_without_replacement(X, Y, batch_size, seed):
    m = X.shape[1]
    order = np.random.default_rng(seed).choice(m, size=m, replace=False)
    n_batches = int(np.ceil(m / batch_size))
    return tuple((X[:, order[k * batch_size:(k + 1) * batch_size]],
                  Y[:, order[k * batch_size:(k + 1) * batch_size]]) for k in range(n_batches))


MISTAKES = [
    # 6.1
    mistake("6.1", naive_softmax, "overflows", "inf / inf", id="naive"),
    mistake("6.1", naive_silenced, "overflows", "silencing the warning", id="naive-errstate"),
    mistake("6.1", global_max, "maximum of the whole array", "0 / 0", id="global-max"),
    mistake("6.1", lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "each row sums to 1",
            id="rows-sum-to-1"),
    mistake("6.1", lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(
        axis=1, keepdims=True), "each row sums to 1", id="rows-sum-to-1-stable"),
    mistake("6.1", lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(),
            "sum over the whole array", id="sum-of-everything"),
    mistake("6.1", lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(
        Z - Z.max(axis=1, keepdims=True)).sum(axis=0), "each row's maximum", id="row-max"),
    mistake("6.1", nnlib.activations.sigmoid, "sigmoid of each score", id="sigmoid"),
    mistake("6.1", lambda Z: np.exp(Z), "without the division", id="exp-only"),
    mistake("6.1", lambda Z: softmax(np.clip(Z, -500, 500)), "clip the scores", id="clipped"),
    mistake("6.1", lambda Z: softmax(Z).T, "axes are swapped", id="transposed"),
    mistake("6.1", softmax_loop, "loop over the examples", id="loop"),
    # 6.2
    mistake("6.2", lambda labels, K: np.eye(K)[labels], "axes are swapped", id="(m, K)"),
    mistake("6.2", lambda labels, K: np.eye(labels.max() + 1)[:, labels],
            "take the number of rows from the argument n_classes", id="K-from-labels"),
    mistake("6.2", lambda labels, K: np.eye(K)[:, labels - 1], "label k is in row k − 1",
            id="minus-1"),
    mistake("6.2", lambda labels, K: np.isin(np.arange(K), labels)[:, None]
            * np.ones((K, labels.size)), "whole rows are set to 1", id="whole-rows"),
    mistake("6.2", lambda labels, K: labels[None, :] == np.arange(K)[:, None], "True/False",
            id="bool"),
    # 6.3 (the first case is the notebook's: the untrained layer on the training digits)
    mistake("6.3", lambda A, Y: -np.sum(Y * np.log(A)) / Y.shape[1], "0 · (−inf) is nan",
            id="no-clipping"),
    mistake("6.3", lambda A, Y: np.sum(Y * np.log(np.clip(A, 1e-12, 1))) / Y.shape[1],
            "wrong sign", "yours gives -2.305", id="sign"),
    mistake("6.3", lambda A, Y: -np.sum(Y * np.log(np.clip(A, 1e-12, 1))), "1/m missing",
            "yours gives 3314", id="no-1/m"),
    mistake("6.3", lambda A, Y: -np.mean(Y * np.log(np.clip(A, 1e-12, 1))),
            "10 times too small", "np.mean averages over all K × m entries", id="np.mean"),
    mistake("6.3", lambda A, Y: -np.sum(Y * np.log(np.clip(A, 1e-12, 1)) + (1 - Y) * np.log(
        np.clip(1 - A, 1e-12, 1))) / Y.shape[1], "binary cross-entropy of each of the K outputs",
            id="binary-per-class"),
    mistake("6.3", lambda A, Y: -np.sum(np.log(np.clip(A, 1e-12, 1))) / Y.shape[1],
            "every class's log-probability is added", id="ignores-Y"),
    mistake("6.3", lambda A, Y: -np.sum(Y * np.log10(np.clip(A, 1e-12, 1))) / Y.shape[1],
            "base 10", id="log10"),
    mistake("6.3", lambda A, Y: -np.sum(Y * np.log(np.clip(A, 1e-12, 1))) / Y.shape[0],
            "divided by the number of rows, K = 10", id="divides-by-K"),
    mistake("6.3", lambda A, Y: -np.sum(Y * np.log(np.clip(A, 1e-3, 1))) / Y.shape[1],
            "clipping ε is larger", id="epsilon-too-large"),
    mistake("6.3", lambda A, Y: -np.sum(np.log(A[Y == 1])) / Y.shape[1], "is inf",
            "probability exactly 0", id="true-class-unclipped"),
    mistake("6.3", lambda A, Y: -np.sum(Y * np.log(np.clip(A, 1e-12, 1)), axis=0),
            "one value per example", id="per-example"),
    # 6.4
    mistake("6.4", exercise_3_convention, "dZ ✗", "without the 1/m", "dW ✓", "db ✓",
            id="exercise-3-convention"),
    mistake("6.4", gradients(lambda A, Y, m: A - Y), "dZ ✗", "dW ✗", "the 1/m is missing",
            id="no-1/m"),
    mistake("6.4", gradients(lambda A, Y, m: (A - Y) / m, dW_scale=1 / 8,
                             db_of=lambda dZ, m: np.sum(dZ, axis=1, keepdims=True) / m),
            "dZ ✓", "the 1/m is there twice", id="1/m-twice"),
    mistake("6.4", gradients(lambda A, Y, m: (Y - A) / m), "sign is flipped", id="sign"),
    mistake("6.4", gradients(lambda A, Y, m: (A - Y) * A * (1 - A) / m), "a(1 − a)",
            id="sigmoid-derivative"),
    mistake("6.4", gradients(lambda A, Y, m: -Y / A / m), "∂J/∂A", id="dJ/dA"),
    mistake("6.4", lambda A_prev, A, Y: (output_gradients(A_prev, A, Y)[0],
                                         output_gradients(A_prev, A, Y)[1].T,
                                         output_gradients(A_prev, A, Y)[2]),
            "dW ✗", "axes are swapped", id="dW-transposed"),
    mistake("6.4", gradients(lambda A, Y, m: (A - Y) / m, db_of=lambda dZ, m: np.sum(dZ, axis=1)),
            "db ✗", "keepdims", id="db-1d"),
    mistake("6.4", lambda A_prev, A, Y: output_gradients(A_prev, A, Y)[::-1],
            "wrong order: db, dW, dZ", id="reversed"),
    mistake("6.4", gradients_loop, "loop over the examples", id="loop"),
    # 6.5
    mistake("6.5", lambda S, labels: 100 * np.mean(S.argmax(axis=0) == labels), "percentage",
            id="percent"),
    mistake("6.5", lambda S, labels: np.sum(S.argmax(axis=0) == labels), "1/m missing",
            id="count"),
    mistake("6.5", lambda S, labels: np.mean(S.argmax(axis=1) == labels), "axis=1",
            id="argmax-axis-1"),
    mistake("6.5", lambda S, labels: np.mean(S.argmin(axis=0) == labels), "smallest score",
            id="argmin"),
    mistake("6.5", lambda S, labels: np.mean(S.argmax(axis=0) != labels), "error rate",
            id="error-rate"),
    mistake("6.5", lambda S, labels: np.mean(S.argmax() == labels), "flattened array",
            id="argmax-without-axis"),
    # 6.6 (the first case is the notebook's training digits with B = 32)
    mistake("6.6", batches("no-shuffle"), "original order", id="not-shuffled"),
    mistake("6.6", batches("global-state"), "different batches for the same seed",
            id="global-random-state"),
    mistake("6.6", batches("seed-ignored"), "ignores its seed", id="seed-ignored"),
    mistake("6.6", batches("with-replacement"), "appear in several batches",
            id="with-replacement"),
    mistake("6.6", batches("separate-orders"), "not shuffled together", id="separate-orders"),
    mistake("6.6", batches("rows"), "shuffle the rows", id="rows-shuffled"),
    mistake("6.6", batches("drop-last"), "44 batches where ⌈m/B⌉ = 45",
            "30 examples left over", id="last-batch-dropped"),
    mistake("6.6", batches("two-lists"), "two lists", id="two-lists"),
    mistake("6.6", batches("transposed"), "the examples are the columns", id="transposed"),
]

VARIANTS = [
    variant("6.1", softmax, id="reference"),
    variant("6.1", log_sum_exp, id="log-sum-exp"),
    variant("6.1", lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0),
            id="no-keepdims"),
    variant("6.1", lambda Z: softmax(Z).astype(np.float32), id="float32"),
    variant("6.2", one_hot, id="reference"),
    variant("6.2", lambda labels, K: np.eye(K)[labels].T, id="eye-transposed"),
    variant("6.2", lambda labels, K: (labels[None, :] == np.arange(K)[:, None]).astype(int),
            id="int-comparison"),
    variant("6.2", lambda labels, K: np.eye(K)[:, labels], id="eye-columns"),
    variant("6.3", cost, id="reference"),
    variant("6.3", lambda A, Y: -np.sum(Y * np.log(A + 1e-12)) / Y.shape[1], id="A-plus-epsilon"),
    variant("6.3", lambda A, Y: -np.sum(np.log(np.clip(A[Y == 1], 1e-12, 1))) / Y.shape[1],
            id="true-class-only"),
    variant("6.3", lambda A, Y: np.float32(-np.sum(Y * np.log(np.clip(A, 1e-7, 1 - 1e-7)))
                                           / Y.shape[1]), id="two-sided-clip-float32"),
    variant("6.3", lambda A, Y: -np.mean(np.sum(Y * np.log(np.maximum(A, 1e-300)), axis=0)),
            id="mean-of-column-sums"),
    variant("6.4", output_gradients, id="reference"),
    variant("6.4", lambda A_prev, A, Y: [((A - Y) / Y.shape[1]).astype(np.float32),
                                         A_prev @ ((A - Y) / Y.shape[1]).T,
                                         np.mean(A - Y, axis=1, keepdims=True)],
            id="list-float32-mean"),
    variant("6.4", lambda A_prev, A, Y: ((A - Y) / Y.shape[1],
                                         np.einsum("ji,ki->jk", A_prev, A - Y) / Y.shape[1],
                                         ((A - Y) / Y.shape[1]).sum(axis=1)[:, None]),
            id="einsum"),
    variant("6.5", accuracy, id="reference"),
    variant("6.5", lambda S, labels: np.mean(softmax(S).argmax(axis=0) == labels),
            id="softmax-first"),
    variant("6.5", lambda S, labels: np.count_nonzero(S.argmax(axis=0) == labels) / len(labels),
            id="count-nonzero"),
    variant("6.5", lambda S, labels: sum(int(np.argmax(S[:, i]) == labels[i])
                                         for i in range(len(labels))) / len(labels), id="loop"),
    variant("6.6", make_batches, id="reference"),
    variant("6.6", shuffled_indices, id="shuffled-indices-lists"),
    variant("6.6", legacy_seed, id="np.random.seed"),
    variant("6.6", choice_without_replacement, id="choice-tuple"),
]


(test_usual_mistakes_are_rejected_with_their_diagnosis,
 test_correct_answers_written_differently_are_accepted,
 test_every_question_has_a_catalogue) = catalogue_tests(6, MISTAKES, VARIANTS)


@pytest.mark.parametrize("qid", [f"6.{k}" for k in range(1, 7)])
def test_stub_is_not_implemented(qid):
    assert_rejected(qid, stub, "not implemented yet", status="not implemented")


def test_the_checks_real_cases_are_the_notebooks():
    """The digits, the split and the untrained layer of the checks are those of the notebook."""
    import nbformat

    source = "\n".join(c.source for c in nbformat.read(SOLUTION, 4).cells
                       if c.cell_type == "code")
    assert "train_validation_split(\n    X, Y, validation_fraction=0.2, seed=0)" in source
    assert "0.01 * np.random.default_rng(0).standard_normal((64, 10))" in source
    assert "b0 = np.zeros((10, 1))" in source
    (X_train, Y_train), (X_val, _) = ch6.digits_split()
    assert X_train.shape == (64, 1438) and X_val.shape == (64, 359)
    X_b, W, b, Y_b = ch6.first_batch()     # 6.4's real case: the notebook's first update
    first = make_batches(X_train, Y_train, 32, seed=0)[0]
    assert np.array_equal(X_b, first[0]) and np.array_equal(Y_b, first[1])


def test_the_costs_diagnoses_quote_what_the_learners_cost_gives_on_the_digits():
    """Run each slip on the notebook's own pipeline (the untrained softmax layer on the training
    digits): the feedback quotes that number, and an untrained layer pays about log 10."""
    (X_train, Y_train), _ = ch6.digits_split()
    W0, b0 = ch6.untrained_model()
    A0 = softmax(W0.T @ X_train + b0)
    assert cost(A0, Y_train) == pytest.approx(np.log(10), rel=1e-2)
    for row in MISTAKES:
        qid, answer, _ = row.values
        if qid != "6.3" or row.id in ("6.3-no-clipping", "6.3-true-class-unclipped",
                                      "6.3-per-example", "6.3-epsilon-too-large"):
            continue
        feedback = evaluate("6.3", answer).feedback
        assert f"yours gives {float(answer(A0, Y_train)):.4g}" in feedback, (row.id, feedback)
        assert "log 10 ≈ 2.30" in feedback


def test_the_costs_feedback_never_shows_the_right_cost():
    (X_train, Y_train), _ = ch6.digits_split()
    W0, b0 = ch6.untrained_model()
    right = cost(softmax(W0.T @ X_train + b0), Y_train)
    feedback = assert_rejected("6.3", lambda A, Y: 1.5 * cost(A, Y)).feedback
    assert f"{right:.4g}" not in feedback and f"{right:.6g}" not in feedback
    assert "log 10 ≈ 2.30" in feedback   # the lesson's number (the cost of knowing nothing)


def test_the_template_classifier_of_the_accuracy_check_is_a_real_one():
    scores, labels = ch6.template_scores()
    assert scores.shape == (10, 359) and labels.shape == (359,)
    assert 0.85 < accuracy(scores, labels) < 0.95
    result = assert_rejected("6.5", lambda S, labels: 100 * np.mean(S.argmax(axis=0) == labels))
    assert "0.9" not in result.feedback   # the right accuracy is not given away


def test_a_percentage_on_the_digits_is_named_too():
    """The percentage slip is recognised on the digits' case as well as on the small one."""
    def percent_on_the_digits_only(S, labels):
        right = np.mean(S.argmax(axis=0) == labels)
        return 100 * right if S.shape[1] == 359 else right
    assert_rejected("6.5", percent_on_the_digits_only, "percentage", "validation digits")


def test_the_mini_batch_count_is_the_chapters_ceil_m_over_B():
    (X_train, Y_train), _ = ch6.digits_split()
    got = make_batches(X_train, Y_train, 32, seed=0)
    assert len(got) == int(np.ceil(1438 / 32)) == 45 and got[-1][0].shape == (64, 30)


def test_dZ_of_the_check_is_the_gradient_of_the_averaged_cost():
    """The reference is a gradient check; (A − Y)/m agrees with it (chapter 6's result)."""
    A_prev, W, b, Y = ch6._layer_case()
    Z = W.T @ A_prev + b
    numeric = nnlib.grading.diagnose.numerical_gradient(
        lambda: ch6.ref_cost(ch6.ref_softmax(Z), Y), Z)
    np.testing.assert_allclose((softmax(Z) - Y) / Y.shape[1], numeric, rtol=1e-6, atol=1e-10)


def test_exercise_6_is_worth_10_points():
    from nnlib.grading import registry

    assert [q.id for q in registry.questions_for(6)] == [f"6.{k}" for k in range(1, 7)]
    assert registry.points_of(6) == 10
