"""Exercise 6: ten classes (exercises/solutions/06_ten_classes.ipynb).

Chapter 6's notation. K classes; scores Z and probabilities A = softmax(Z) of shape (K, m), one
column per example, each column of A summing to 1; labels of shape (m,), whole numbers
0, ..., K − 1; one-hot Y of shape (K, m). The categorical cross-entropy
J = −(1/m) Σ_i Σ_k y_k^(i) log a_k^(i), from the probabilities, with A clipped away from 0 (a
clipping ε of at most 1e-6). The book's dZ = ∂J/∂Z carries the 1/m: for a softmax output with
this cost dZ = (A − Y)/m, then dW = A_prev dZᵀ and db = Σ_i dZ (no further 1/m).
Mini-batches: the m columns shuffled with a seed, cut into ⌈m/B⌉ batches of B columns (the last
one smaller).

The data of the notebook: the digits (nnlib.datasets.digits), split 80/20 into training and
validation sets with train_validation_split(..., validation_fraction=0.2, seed=0).
"""

from __future__ import annotations

import math

import numpy as np

from ... import activations, datasets
from ..diagnose import (Mistake, as_array, compare, compare_scalar, describe_type,
                        entries_close, gradient_report, number, numerical_gradient,
                        require_vectorised, unpack)
from ..registry import question


def digits_split():
    """The notebook's data: (X_train, Y_train), (X_val, Y_val) of the digits, 80/20, seed 0."""
    X, Y, _ = datasets.digits()
    return datasets.train_validation_split(X, Y, validation_fraction=0.2, seed=0)


def untrained_model():
    """The notebook's softmax layer before training: W (64, 10) with entries 0.01 N(0, 1) from
    default_rng(0), b = 0 (10, 1)."""
    W = 0.01 * np.random.default_rng(0).standard_normal((64, 10))
    return W, np.zeros((10, 1))


def ref_softmax(Z):
    return activations.softmax(np.asarray(Z, dtype=np.float64))


def ref_cost(A, Y):
    """−(1/m) Σ y log a, a clipped to at least 1e-300 (a log of exactly 0 counts only where
    y = 0, where it is multiplied by 0)."""
    A, Y = np.asarray(A, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    return float(-np.sum(Y * np.log(np.clip(A, 1e-300, 1.0))) / Y.shape[1])


# -- 6.1 softmax ----------------------------------------------------------------------------------

STABLE = ("Subtract each column's largest score first: Z − max over the column "
          "(Z.max(axis=0, keepdims=True)). The factor e^(−max) cancels between numerator and "
          "denominator, and every exponent is then ≤ 0, so e^z never overflows. Then divide "
          "each column by its own sum (axis=0).")

#: Scores where a softmax needs care, one column per example: large scores (e^1000 is inf),
#: very negative ones (e^−1000 is 0, and 0/0 is nan), one column in each and ±710 (e^710 is
#: already inf). The right probabilities are ordinary floats or exactly 0.
EDGE_Z = np.array([[1000.0, -1000.0, 0.0, 710.0],
                   [1001.0, -1001.0, 1000.0, 0.0],
                   [1002.0, -1002.0, -1000.0, -710.0]])
#: Each correct form is exact to a few ulps where it subtracts the column maximum (E / ΣE); the
#: log-sum-exp form e^(z − lse) rounds lse ≈ 1002 to an ulp (2.3e-13), which e^ turns into a
#: relative 2.3e-13. 1e-9 is far above both and far below any wrong form (a clipped score
#: changes the probabilities by more than a tenth).
SOFTMAX_RTOL = 1e-9
SOFTMAX_ATOL = 1e-300


def _Z(seed=60, shape=(4, 6)):
    return np.random.default_rng(seed).normal(0.0, 3.0, size=shape)


def _softmax_mistakes(Z):
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    row = np.exp(Z - Z.max(axis=1, keepdims=True))
    return {
        ("each row sums to 1 instead of each column: the sum runs over the classes of one "
         "example, the rows of its column (axis=0).", STABLE):
            np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True),
        ("each row sums to 1 instead of each column: the sum over the classes of one example "
         "runs down its column, axis=0, not along a row.", STABLE):
            E / E.sum(axis=1, keepdims=True),
        ("it is divided by the sum over the whole array: each column (example) must be divided "
         "by its own sum, so that the column sums to 1.", STABLE): E / E.sum(),
        ("it is the sigmoid of each score, 1 / (1 + e^(−z)): the softmax divides e^(z_k) by the "
         "sum of e^(z_j) over the column, so that the K probabilities sum to 1.", STABLE):
            activations.sigmoid(Z),
        ("it is e^z without the division by the column's sum.", STABLE): np.exp(Z),
        ("it subtracts each row's maximum: that is not a constant within a column, so it does "
         "not cancel and changes the probabilities. Subtract each column's maximum.", STABLE):
            row / row.sum(axis=0, keepdims=True),
        ("the scores are divided by their sum without e^z: a softmax exponentiates first, so "
         "that every probability is positive.", STABLE): Z / Z.sum(axis=0, keepdims=True),
    }


def _softmax_at_the_edges(got):
    # A float32 result holds each probability to 2^-24 (6e-8) of itself: 8 of its ulps then.
    rtol = SOFTMAX_RTOL
    if isinstance(got, np.ndarray) and got.dtype == np.float32:
        rtol = max(rtol, 8 * float(np.finfo(np.float32).eps))
    got = as_array(got, "softmax(Z)", EDGE_Z.shape)
    if got.shape != EDGE_Z.shape:
        compare(got, ref_softmax(EDGE_Z), "softmax(Z) for scores of ±1000")
    ok = entries_close(got, [ref_softmax(EDGE_Z)], rtol, SOFTMAX_ATOL)
    if ok.all():
        return
    nan_columns = [i for i in range(EDGE_Z.shape[1]) if not np.all(np.isfinite(got[:, i]))]
    listed = "; ".join("[" + ", ".join(f"{z:g}" for z in EDGE_Z[:, i]) + "]"
                       for i in nan_columns[:2])
    if 0 in nan_columns or 3 in nan_columns:
        raise Mistake(f"softmax(Z) gives nan or inf for the column(s) of scores {listed}: e^z "
                      "overflows for z above about 709.78 (e^1000 is inf, and inf / inf is nan), "
                      "and for scores near −1000 every e^z is 0, and 0 / 0 is nan. "
                      "Silencing the warning does not bring the values back. Look at how large "
                      "an exponent can become.", STABLE)
    if nan_columns == [1]:
        raise Mistake("softmax(Z) gives nan for the column of scores [−1000, −1001, −1002], but "
                      "not for the large ones: did you subtract the maximum of the whole array "
                      "instead of each column's? Then every e^(z − max) of a column far below it "
                      "is 0, and 0 / 0 is nan.", STABLE)
    if nan_columns:
        raise Mistake(f"softmax(Z) gives nan or inf for the column(s) of scores {listed}.",
                      STABLE)
    bad = [i for i in range(EDGE_Z.shape[1]) if not ok[:, i].all()]
    listed = "; ".join("[" + ", ".join(f"{z:g}" for z in EDGE_Z[:, i]) + "]" for i in bad[:2])
    raise Mistake(f"softmax(Z) is wrong for the column(s) of scores {listed}, though right for "
                  "moderate scores: does it clip the scores? Subtracting the column maximum "
                  "changes nothing; clipping changes the probabilities.", STABLE)


@question("6.1", name="softmax", points=2, title="a numerically stable softmax")
def check_softmax(answer):
    Z = _Z()
    compare(answer(Z), ref_softmax(Z), "softmax(Z)", mistakes=_softmax_mistakes(Z),
            transpose_hint="A has the shape of Z, (K, m): one column of probabilities per "
                           "example.")
    passed = ["A on a seeded (4, 6) Z: each column sums to 1"]
    z1 = _Z(61, (10, 1))
    compare(answer(z1), ref_softmax(z1), "softmax(Z) for one example, Z of shape (10, 1)",
            mistakes=_softmax_mistakes(z1))
    Z32 = _Z(62, (3, 5)).astype(np.float32)
    compare(answer(Z32), ref_softmax(Z32), "softmax(Z) for a float32 Z", rtol=1e-5)
    passed.append("one example (10, 1), and a float32 Z")
    _softmax_at_the_edges(answer(EDGE_Z.copy()))
    passed.append("scores of ±1000 (no overflow, no 0 / 0)")
    require_vectorised(answer, lambda m: (_Z(63, (5, m)),))
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 6.2 one-hot ----------------------------------------------------------------------------------

ONE_HOT = ("Start from zeros of shape (n_classes, m); in column i, put a 1 in row labels[i] "
           "(NumPy counts rows from 0, so label 0 is row 0): Y[labels, np.arange(m)] = 1, or a "
           "loop over i.")


def _label_cases():
    """(labels, n_classes): the first 12 digits' labels, and labels of 5 classes in which the
    largest class (4) does not occur, as in a small batch."""
    _, _, labels = datasets.digits()
    rng = np.random.default_rng(64)
    return [(labels[:12].copy(), 10), (rng.integers(0, 4, size=9), 5)]


@question("6.2", name="one_hot", points=1, title="one-hot labels Y (K, m)")
def check_one_hot(answer):
    for labels, K in _label_cases():
        m = labels.size
        right = datasets.one_hot(labels, K)
        got = answer(labels.copy(), K)
        call = f"one_hot(labels, {K}) for m = {m} labels"
        if isinstance(got, np.ndarray) and got.dtype == bool:
            raise Mistake(f"{call} returns True/False values: Y holds numbers, 0.0 and 1.0 "
                          "(.astype(float)).")
        array = as_array(got, call, right.shape)
        if array.ndim == 2 and array.shape == (labels.max() + 1, m) and array.shape != right.shape:
            raise Mistake(f"{call} has {array.shape[0]} rows, one per class that occurs in the "
                          f"labels, where n_classes = {K} were asked: a class may be missing "
                          "from a set of labels (here the largest), so take the number of rows "
                          "from the argument n_classes, not from the labels.", ONE_HOT)
        compare(array, right, call, transpose_hint="Y has one column per example and one row "
                "per class, (n_classes, m), like the network's output.", mistakes={
                    ("label k is in row k − 1: rows count from 0, so label 0 belongs in row 0 "
                     "and label k in row k, with no − 1.", ONE_HOT): np.roll(right, -1, axis=0),
                    ("label k is in row k + 1: rows count from 0, so label 0 belongs in row 0 "
                     "and label k in row k.", ONE_HOT): np.roll(right, 1, axis=0),
                    ("whole rows are set to 1: Y[labels] = 1 (or Y[labels, :] = 1) fills every "
                     "column of each label's row, where column i needs a single 1, in row "
                     "labels[i].", ONE_HOT): (right.sum(axis=1, keepdims=True) > 0)
                        * np.ones_like(right),
                })
    return ["the first 12 digits' labels, K = 10",
            "labels in which the largest class does not occur (K taken from n_classes)"]


# -- 6.3 the cost ---------------------------------------------------------------------------------

COST = ("J = −(1/m) Σ_i Σ_k y_k^(i) log a_k^(i): clip A into [ε, 1] with a small ε first "
        "(np.clip(A, 1e-12, 1)), take np.log, multiply by Y entry by entry, sum over all "
        "entries, divide by m (the number of columns).")

#: The largest clipping ε the task allows (the notebook says "at most 1e-6"); any ε from 1e-300
#: up to it is right.
EPS_MAX = 1e-6


def _cost_mistakes(A, Y):
    m, K = Y.shape[1], Y.shape[0]
    L = np.log(np.clip(A, 1e-300, 1.0))
    L1 = np.log(np.clip(1 - A, 1e-300, 1.0))
    J = -np.sum(Y * L) / m
    return {
        ("it has the wrong sign: each log of a probability is negative, so without the minus in "
         "front J is negative.", COST): -J,
        (f"it is {K} times too small: np.mean averages over all K × m entries of Y log A, but J "
         "is averaged over the m examples only (sum over the K classes, divide by m).", COST):
            J / K,
        ("that is the binary cross-entropy of each of the K outputs, added up: with a softmax "
         "only the true class's term counts, −Σ_k y_k log a_k, since the K probabilities already "
         "compete through their sum.", COST): -np.sum(Y * L + (1 - Y) * L1) / m,
        ("every class's log-probability is added, not only the true class's: multiply log A by "
         "the one-hot Y, which keeps one term per column.", COST): -np.sum(L) / m,
        ("the log is base 10 (np.log10): the cross-entropy uses the natural log, np.log.", COST):
            J / np.log(10),
        ("the log is base 2 (np.log2): the cross-entropy uses the natural log, np.log.", COST):
            J / np.log(2),
        (f"it is divided by the number of rows, K = {K}, the classes: m is the number of "
         "examples, the columns (Y.shape[1]).", COST): J * m / K,
    }


def _real_case():
    """The notebook's untrained softmax layer on the training digits: A (10, m) and Y."""
    (X, Y), _ = digits_split()
    W, b = untrained_model()
    return ref_softmax(W.T @ X + b), Y


def _context(got, A, Y):
    """' On the training digits before training yours gives ..., where ...' or ''."""
    try:
        value = number(got, "J")
    except Mistake:
        return ""
    return (f" (On the training digits before training, yours gives {value:.4g}, where a network "
            f"that knows nothing pays about log {Y.shape[0]} ≈ {np.log(Y.shape[0]):.2f} per "
            "example.)")


def _clip_checks(answer):
    """J finite and right, up to clipping with any ε ≤ EPS_MAX, when probabilities are
    exactly 0 or 1, and finite but large when the true class has probability 0."""
    clip = ("Keep A away from exactly 0 before the log: A = np.clip(A, eps, 1) with a small eps "
            "(1e-12, say; at most 1e-6). Then 0 · log(eps) is 0, and log(eps) is finite.")
    # Saturated but right: a true class with probability 1 costs log 1 = 0, and the other
    # classes' exact 0 multiply log(0); the exact J is −log(0.7)/3. Clipping into [ε, 1 − ε]
    # adds −log(1 − ε) ≈ ε for each of the 2 saturated columns: a band of 2ε/3 above it.
    A0 = np.array([[1.0, 0.0, 0.7], [0.0, 1.0, 0.2], [0.0, 0.0, 0.1]])
    Y0 = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    exact = -np.log(0.7) / 3
    band = 2 * -np.log1p(-EPS_MAX) / 3
    # Adding ε instead, log(A + ε), lowers the cost of each true class a by log(1 + ε/a).
    below = (2 * np.log1p(EPS_MAX) + np.log1p(EPS_MAX / 0.7)) / 3
    value = number(answer(A0, Y0), "cost(A, Y)")
    if not np.isfinite(value):
        raise Mistake(f"cost(A, Y) is {value} when some probabilities are exactly 0 (a softmax of "
                      "scores far apart gives them, e^−1000 is 0.0): log(0) is −inf, and 0 · "
                      "(−inf) is nan in NumPy, even where y = 0. Keep A away from exactly 0 "
                      "before the log.", clip)
    if not exact - below - 1e-12 <= value <= exact + band + 1e-12:
        if value > exact + band:
            raise Mistake("cost(A, Y) is too large when the true class has probability exactly 1 "
                          "(that example costs log 1 = 0): the clipping ε is larger than the "
                          "task's at most 1e-6, and it changes J.", clip)
        raise Mistake("cost(A, Y) is wrong when some probabilities are exactly 0 or 1: where "
                      "the true class has probability 1, that example costs nothing.", clip)
    # Confidently wrong: the true class of two examples has probability exactly 0. Exactly, J is
    # +inf; clipped with ε ≤ 1e-6 each costs −log ε ≥ 13.8, so J ≥ (2 × 13.8 − log 0.7) / 3.
    A1 = np.array([[0.0, 1.0, 0.7], [1.0, 0.0, 0.3]])
    Y1 = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    value = number(answer(A1, Y1), "cost(A, Y)")
    least = (2 * -np.log(EPS_MAX) - np.log(0.7)) / 3
    if not np.isfinite(value):
        raise Mistake(f"cost(A, Y) is {value} when the true class has probability exactly 0: "
                      "log(0) = −inf. J must stay finite so that training can go on.", clip)
    if value < least * (1 - 1e-9):
        raise Mistake("cost(A, Y) is too small when the true class has probability exactly 0: "
                      "the clipping ε is larger than the task's at most 1e-6, so a confident "
                      "mistake costs too little.", clip)


@question("6.3", name="cost", points=2, title="the categorical cross-entropy J")
def check_cost(answer):
    A, Y = _real_case()
    got = answer(A, Y)
    if isinstance(got, np.ndarray) and got.size == Y.shape[1] and got.size > 1:
        raise Mistake(f"J has one value per example (an array of shape {got.shape}): J is one "
                      "number, the cost averaged over the m examples.", COST)
    try:
        compare_scalar(got, ref_cost(A, Y), "J", m=Y.shape[1], mistakes=_cost_mistakes(A, Y))
    except Mistake as mistake:
        raise Mistake(str(mistake) + _context(got, A, Y), mistake.hint or COST) from None
    passed = ["J of the untrained softmax layer on the training digits"]
    rng = np.random.default_rng(65)
    A2 = ref_softmax(rng.normal(0, 2, size=(4, 7)))
    Y2 = datasets.one_hot(rng.integers(0, 4, size=7), 4)
    compare_scalar(answer(A2, Y2), ref_cost(A2, Y2), "J", m=7, mistakes=_cost_mistakes(A2, Y2))
    compare_scalar(answer(A2.astype(np.float32), Y2.astype(np.float32)), ref_cost(A2, Y2),
                   "J for float32 arrays")
    passed.append("a seeded (4, 7) example, also in float32")
    _clip_checks(answer)
    passed.append("finite and right when probabilities are exactly 0 or 1 (any clipping ε up "
                  "to 1e-6)")
    require_vectorised(answer, lambda m: (np.full((4, m), 0.25),
                                          datasets.one_hot(np.arange(m) % 4, 4)))
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 6.4 the output layer's gradients -------------------------------------------------------------

BACKWARD = ("dZ = (A − Y)/m: the book's dZ = ∂J/∂Z of the averaged cost carries the 1/m; then "
            "dW = A_prev dZᵀ (A_prev @ dZ.T, the shape of W) and db = Σ_i dZ, the sum over the "
            "examples (np.sum(dZ, axis=1, keepdims=True)), with no further 1/m.")


def _layer_case(seed=66, n=5, K=4, m=8):
    rng = np.random.default_rng(seed)
    A_prev = rng.normal(size=(n, m))
    W = rng.normal(0, 0.5, size=(n, K))
    b = rng.normal(0, 0.5, size=(K, 1))
    Y = datasets.one_hot(rng.integers(0, K, size=m), K)
    return A_prev, W, b, Y


def first_batch():
    """The notebook's first update: the first mini-batch of 32 training digits (the order of
    default_rng(0).permutation(m)) and the untrained layer: A_prev = X_b (64, 32), W (64, 10),
    b (10, 1), Y_b (10, 32)."""
    (X, Y), _ = digits_split()
    batch = np.random.default_rng(0).permutation(X.shape[1])[:32]
    W, b = untrained_model()
    return X[:, batch], W, b, Y[:, batch]


def _gradient_hints(A_prev, A, Y):
    """{key: {(feedback, hint): wrong value}} of the usual slips in dZ, dW and db."""
    m = Y.shape[1]
    right = (A - Y) / m
    per_example = A - Y
    return {
        "dZ": {
            ("it is A − Y without the 1/m, the convention of exercise 3, which puts the 1/m into "
             "dW and db instead; here, as in chapter 6 and nnlib, dZ = ∂J/∂Z of the averaged cost "
             "carries it.", BACKWARD): per_example,
            ("the sign is flipped: (Y − A)/m is −∂J/∂Z.", BACKWARD): -right,
            (f"it is divided by K × m = {Y.shape[0] * m}, as np.mean over all entries would: "
             "only the m examples are averaged.", BACKWARD): right / Y.shape[0],
            ("it multiplies by a(1 − a) entry by entry, as for a sigmoid: the softmax's "
             "derivatives are a matrix per example, and with the cross-entropy the chain rule "
             "sums them up to A − Y itself, no further factor.", BACKWARD): right * A * (1 - A),
            ("it is ∂J/∂A = −Y/(mA), the derivative with respect to the probabilities; dZ goes "
             "through the softmax too.", BACKWARD): -Y / A / m,
        },
        "dW": {
            ("the 1/m is there twice: dZ already carries it, so dW = A_prev dZᵀ needs no "
             "further 1/m.", BACKWARD): A_prev @ right.T / m,
            ("the 1/m is missing: with dZ = (A − Y)/m it comes with dZ.", BACKWARD):
                A_prev @ per_example.T,
        },
        "db": {
            ("the 1/m is there twice: dZ already carries it.", BACKWARD):
                np.sum(right, axis=1, keepdims=True) / m,
            ("the 1/m is missing: with dZ = (A − Y)/m it comes with dZ.", BACKWARD):
                np.sum(per_example, axis=1, keepdims=True),
            ("it has one entry per example: the sum over the examples (axis=1) is missing.",
             BACKWARD): right,
        },
    }


@question("6.4", name="output_gradients", points=2,
          title="backpropagation at a softmax output: dZ = (A − Y)/m, dW, db")
def check_output_gradients(answer):
    passed = []
    cases = [("a seeded layer with 5 inputs, 4 classes and 8 examples", _layer_case()),
             ("the notebook's first mini-batch of 32 digits through the untrained layer",
              first_batch())]
    for what, (A_prev, W, b, Y) in cases:
        Z = W.T @ A_prev + b
        A = ref_softmax(Z)
        # The reference: a gradient check (centred differences of J) in Z, W and b.
        Z_, W_, b_ = Z.copy(), W.copy(), b.copy()
        numeric = {
            "dZ": numerical_gradient(lambda: ref_cost(ref_softmax(Z_), Y), Z_),
            "dW": numerical_gradient(lambda: ref_cost(ref_softmax(W_.T @ A_prev + b_), Y), W_),
            "db": numerical_gradient(lambda: ref_cost(ref_softmax(W_.T @ A_prev + b_), Y), b_),
        }
        dZ, dW, db = unpack(answer(A_prev, A, Y), ("dZ", "dW", "db"), "output_gradients",
                            expected=(numeric["dZ"], numeric["dW"], numeric["db"]), rtol=1e-5)
        report = gradient_report({"dZ": dZ, "dW": dW, "db": db}, numeric, m=Y.shape[1],
                                 hints=_gradient_hints(A_prev, A, Y))
        passed.append(f"{what}: " + ", ".join(report))
    passed[0] = "gradient check against centred differences of J on " + passed[0]

    def args(mm):
        A_p, W2, b2, Y2 = _layer_case(67, 3, 4, mm)
        return A_p, ref_softmax(W2.T @ A_p + b2), Y2

    require_vectorised(answer, args)
    passed.append("vectorised (no loop over the examples)")
    return passed


# -- 6.5 accuracy ---------------------------------------------------------------------------------

ACCURACY = ("The predicted class of example i is the row of the largest score in column i, "
            "np.argmax(scores, axis=0); the accuracy is the fraction of examples where it equals "
            "the label: np.mean(predicted == labels).")


def template_scores():
    """The notebook's real case: scores of a template classifier on the validation digits
    (each class's mean training image, times the image: Mᵀ X, (10, m)) and their labels."""
    (X, Y), (X_val, Y_val) = digits_split()
    labels = Y.argmax(axis=0)
    M = np.stack([X[:, labels == k].mean(axis=1) for k in range(10)], axis=1)  # (64, 10)
    return M.T @ X_val, Y_val.argmax(axis=0)


def _scores_case(seed=3, K=10, m=10):
    """Seeded scores (K, m) and labels, 60 % of them or more predicted right. With the default
    seed every usual slip gives another accuracy (0.6 right; argmin 0.1, argmax over axis 1
    0.3, over the flattened array 0, error rate 0.4)."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(K, m))
    labels = rng.integers(0, K, size=m)
    right = 6 * m // 10
    labels[:right] = scores[:, :right].argmax(axis=0)
    return scores, labels


def _accuracy_of(predicted, labels):
    return float(np.mean(predicted == labels))


@question("6.5", name="accuracy", points=1, title="accuracy from the scores")
def check_accuracy(answer):
    cases = [("10 examples of 10 classes", *_scores_case()),
             ("the template classifier's scores on the validation digits", *template_scores()),
             ("40 examples of 3 classes", *_scores_case(69, 3, 40))]
    for what, scores, labels in cases:
        m = labels.size
        right = _accuracy_of(scores.argmax(axis=0), labels)
        wrong = {
            ("it is a percentage: give the fraction of examples predicted right, a number "
             "between 0 and 1.", ACCURACY): 100 * right,
            ("it is the fraction of wrong predictions (the error rate): the accuracy is the "
             "fraction of right ones.", ACCURACY): 1 - right,
            ("it predicts the class with the smallest score: the predicted class is the one "
             "with the largest score (probability).", ACCURACY):
                _accuracy_of(scores.argmin(axis=0), labels),
        }
        wrong[("np.argmax without axis= gives one index into the flattened array: with axis=0 "
               "each column (example) gets its own predicted class.", ACCURACY)] = \
            _accuracy_of(scores.argmax(), labels)
        if scores.shape[0] == m:  # argmax over the wrong axis still gives m predictions here
            wrong[("the argmax runs over the examples (axis=1): the classes are the rows, so "
                   "each example's predicted class is the argmax of its column, axis=0.",
                   ACCURACY)] = _accuracy_of(scores.argmax(axis=1), labels)
        compare_scalar(answer(scores.copy(), labels.copy()), right, f"accuracy for {what}",
                       m=m, mistakes=wrong)
    scores, labels = _scores_case(70, 4, 12)
    compare_scalar(answer(scores.astype(np.float32), labels), _accuracy_of(
        scores.argmax(axis=0), labels), "accuracy for float32 scores")
    return ["the fraction right for seeded scores and for a template classifier on the "
            "validation digits", "float32 scores"]


# -- 6.6 mini-batches -----------------------------------------------------------------------------

BATCHES = ("order = np.random.default_rng(seed).permutation(m), the examples (columns) in a "
           "shuffled order; X_shuffled = X[:, order], Y_shuffled = Y[:, order] (the same order "
           "for both); then one pair (X[:, start:start + B], Y[:, start:start + B]) for start = "
           "0, B, 2B, ... < m: ⌈m/B⌉ batches, the last one smaller.")


def _tagged(n, K, m, seed):
    """X (n, m) whose row 0 holds each example's number 0..m−1 (so that the check can follow
    the examples), and one-hot Y (K, m)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    X[0] = np.arange(m)
    return X, datasets.one_hot(rng.integers(0, K, size=m), K)


def _batches(got, B, m, n, K, what):
    """The learner's result as a list of (X_b, Y_b) float arrays, checked in shape."""
    hint = BATCHES
    if not isinstance(got, (list, tuple)):
        raise Mistake(f"make_batches {what} should return a list of (X_b, Y_b) pairs; it returned "
                      f"{describe_type(got)}.", hint)
    if (len(got) == 2 and all(isinstance(part, (list, tuple)) for part in got)
            and all(isinstance(a, np.ndarray) and a.ndim == 2 for part in got for a in part)
            and len(got[0]) == len(got[1]) and len(got[0]) != 2):
        raise Mistake(f"make_batches {what} returns two lists, the X batches and the Y batches: "
                      "return one list with a pair (X_b, Y_b) per batch, so that each batch "
                      "keeps its X and Y together.", hint)
    expected = math.ceil(m / B)
    if len(got) != expected:
        if len(got) == m // B and m % B:
            raise Mistake(f"make_batches {what} returns {len(got)} batches where ⌈m/B⌉ = "
                          f"{expected} were expected: the last, smaller batch of the "
                          f"{m - (m // B) * B} examples left over is missing, so they are never "
                          "used for an update.", hint)
        raise Mistake(f"make_batches {what} returns {len(got)} batches where ⌈m/B⌉ = {expected} "
                      f"were expected (an epoch of m = {m} examples in batches of B = {B}).", hint)
    pairs = []
    for index, pair in enumerate(got):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise Mistake(f"batch {index} of make_batches {what} should be a pair (X_b, Y_b); it "
                          f"is {describe_type(pair)}.", hint)
        size = B if index < expected - 1 else m - (expected - 1) * B
        X_b = as_array(pair[0], f"X_b of batch {index}", (n, size))
        Y_b = as_array(pair[1], f"Y_b of batch {index}", (K, size))
        for name, array, rows in (("X_b", X_b, n), ("Y_b", Y_b, K)):
            if array.shape != (rows, size):
                if array.shape == (size, rows):
                    raise Mistake(f"{name} of batch {index} has shape {array.shape}: the "
                                  f"examples are the columns, so a batch of {size} examples is "
                                  f"({rows}, {size}).", hint)
                raise Mistake(f"{name} of batch {index} has shape {array.shape} where "
                              f"({rows}, {size}) was expected: batches of B = {B} columns, the "
                              f"last one with the {size} left over.", hint)
        pairs.append((X_b, Y_b))
    return pairs


def _order(pairs, X, Y, what):
    """The example numbers in the order of the batches; Mistake if the batches are not the
    examples of X and Y, each once, with X and Y still paired."""
    hint = BATCHES
    X_all = np.concatenate([p[0] for p in pairs], axis=1)
    Y_all = np.concatenate([p[1] for p in pairs], axis=1)
    ids = X_all[0]
    m = X.shape[1]
    if not np.all(ids == np.round(ids)) or ids.min() < 0 or ids.max() >= m or \
            not np.array_equal(X_all, X[:, ids.astype(int)]):
        raise Mistake(f"the columns of the batches {what} are not the examples of X: did you "
                      "shuffle the rows (the features)? The examples are the columns: shuffle "
                      "the column order, X[:, order].", hint)
    ids = ids.astype(int)
    if np.unique(ids).size != m:
        raise Mistake(f"some examples appear in several batches {what} and others in none: an "
                      "epoch uses every example exactly once. Shuffle one permutation of the m "
                      "columns (not a random draw with replacement) and cut it into pieces.", hint)
    if not np.array_equal(Y_all, Y[:, ids]):
        raise Mistake(f"X and Y are not shuffled together {what}: column i of Y_b is not the "
                      "label of column i of X_b. Index X and Y with the same order.", hint)
    return ids


@question("6.6", name="make_batches", points=2, title="mini-batches in a seeded order")
def check_make_batches(answer):
    (X_train, Y_train), _ = digits_split()
    X_real = X_train.copy()
    X_real[0] = np.arange(X_real.shape[1])  # row 0 holds the example numbers, to follow them
    cases = [("for the training digits (m = 1438) with B = 32", X_real, Y_train, 32, 0),
             ("for m = 23 examples with B = 5", *_tagged(3, 4, 23, 71), 5, 7),
             ("for m = 12 examples with B = 4", *_tagged(2, 3, 12, 72), 4, 1)]
    for what, X, Y, B, seed in cases:
        n, m = X.shape
        K = Y.shape[0]
        pairs = _batches(answer(X.copy(), Y.copy(), B, seed), B, m, n, K, what)
        ids = _order(pairs, X, Y, what)
        if np.array_equal(ids, np.arange(m)):
            raise Mistake(f"the batches {what} keep the examples in their original order: "
                          "shuffle the columns once, with the seed, before cutting them, so that "
                          "each epoch's batches mix the examples differently.", BATCHES)
        again = _order(_batches(answer(X.copy(), Y.copy(), B, seed), B, m, n, K, what), X, Y,
                       what)
        if not np.array_equal(ids, again):
            raise Mistake(f"make_batches {what} gives different batches for the same seed: draw "
                          "the order from a generator made from the seed, "
                          "np.random.default_rng(seed), not from NumPy's global random state.",
                          BATCHES)
        other = _order(_batches(answer(X.copy(), Y.copy(), B, seed + 1), B, m, n, K, what), X,
                       Y, what)
        if np.array_equal(ids, other):
            raise Mistake(f"make_batches {what} gives the same batches for the seeds {seed} and "
                          f"{seed + 1}: it ignores its seed argument, so every epoch would see "
                          "the same batches.", BATCHES)
    return ["⌈m/B⌉ batches of B columns (the last one smaller) for the training digits and two "
            "small examples", "every example once, X and Y shuffled together",
            "the same seed gives the same batches, another seed other ones"]
