"""nnlib.losses: values as in the lecture, gradients against finite differences, stability."""

import warnings

import numpy as np
import pytest
from numerics import DenseErrorAnalysis, gamma, machine_epsilon, relative_error_tolerance

from nnlib import losses
from nnlib.gradcheck import numerical_gradient, relative_error

rng = np.random.default_rng(0)
U = machine_epsilon(np.float64)


def log_loss_error(P, Y):
    """Bound on the rounding of −(1/m) Σ [y log p + (1 − y) log(1 − p)] for given P: each log
    within 4u of itself (relative) plus u for 1 − p (absolute, after the log), the products by
    y ∈ {0, 1} exact, the sum γ_N, the division u."""
    terms = -(Y * np.log(P) + (1 - Y) * np.log(1 - P))
    m = Y.shape[1]
    return gamma(Y.size + 1) * float(np.sum(terms)) / m + float(np.sum(U * (2 + 4 * terms))) / m


def test_mse_is_the_lectures_formula():
    Y = np.array([[1.0, 2.0, 4.0]])
    Y_hat = np.array([[1.5, 2.0, 3.0]])
    by_hand = ((1 - 1.5) ** 2 + 0 + (4 - 3) ** 2) / 3
    # exact up to the division by 3: the differences and squares of these halves are exact
    # (was rel 1e-6)
    assert abs(losses.mse(Y_hat, Y) - by_hand) <= 2 * U * by_hand


def test_binary_cross_entropy_is_the_lectures_formula_with_brackets():
    Y = np.array([[1.0, 0.0]])
    Y_hat = np.array([[0.8, 0.3]])
    by_hand = -(np.log(0.8) + np.log(1 - 0.3)) / 2
    # each within log_loss_error of the exact value (was rel 1e-6)
    assert abs(losses.binary_cross_entropy(Y_hat, Y) - by_hand) <= 2 * log_loss_error(Y_hat, Y)


@pytest.mark.parametrize("loss, make_Y", [
    ("mse", lambda shape: rng.standard_normal(shape)),
    ("binary_cross_entropy", lambda shape: (rng.random(shape) > 0.5).astype(float)),
])
def test_gradient_with_respect_to_y_hat(loss, make_Y):
    """Tolerance (was a relative error of 1e-7), entry by entry at nnlib's ε = 1e-6:
    truncation ε² M₃/6, with M₃ = 0 for the MSE (quadratic in ŷ) and 2/(m p³) or 2/(m (1 − p)³)
    for cross-entropy (p ± ε ≥ 0.1 − ε here); rounding δJ/ε, δJ = γ_(N+3) J for the MSE and
    log_loss_error for cross-entropy; the rounding of ŷ ± ε; and the gradient's own (2 and 4
    roundings)."""
    L = losses.get(loss)
    Y = make_Y((2, 7))
    Y_hat = rng.uniform(0.1, 0.9, (2, 7))
    m, eps = Y.shape[1], 1e-6
    gradient = L.gradient(Y_hat, Y)
    if loss == "mse":
        M3, delta_J, e_grad = 0.0, gamma(Y.size + 3) * 1.01 * L.value(Y_hat, Y), 2 * U
    else:
        M3 = 2 / m * (Y / (Y_hat - eps) ** 3 + (1 - Y) / (1 - Y_hat - eps) ** 3)
        delta_J, e_grad = 1.01 * log_loss_error(Y_hat, Y), gamma(4)
    numeric = numerical_gradient(lambda: L.value(Y_hat, Y), Y_hat)
    g = np.abs(gradient)
    per_entry = (eps**2 * M3 / 6 + delta_J / eps + g * U * (np.abs(Y_hat) + eps) / eps
                 + 2 * U * g + e_grad * g)
    assert relative_error(numeric, gradient) <= relative_error_tolerance(per_entry, gradient)


def test_from_logits_equals_the_plain_form_where_both_are_finite():
    """Tolerances (were rel 1e-9): each form within its rounding bound of the exact J
    (DenseErrorAnalysis of a layer with W = I, b = 0 fed Z, whose only extra is a spurious γ
    of |z|: from logits, and from A = σ(Z) as the lecture writes it, where 1 − a loses up to
    6u a / (1 − a) relatively); for softmax, log a_y is off by its argument's (K + 6)u + u |z|
    relative error plus 4u |log a_y|. None of the a here comes near the clip at 1e-15."""
    Z = rng.normal(0, 3, (1, 20))
    Y = (rng.random((1, 20)) > 0.5).astype(float)
    A = 1 / (1 + np.exp(-Z))
    assert np.all((A > 1e-15) & (A < 1 - 1e-15))
    layer = ([np.eye(1)], [np.zeros((1, 1))], ["sigmoid"])
    allowed = (DenseErrorAnalysis(*layer, "binary_cross_entropy", Z, Y).e_J
               + DenseErrorAnalysis(*layer, "binary_cross_entropy_of_A", Z, Y).e_J)
    assert abs(losses.binary_cross_entropy_from_logits(Z, Y)
               - losses.binary_cross_entropy(A, Y)) <= allowed
    Zc = rng.normal(0, 3, (4, 10))
    Yc = np.eye(4)[:, rng.integers(0, 4, 10)]
    Ac = np.exp(Zc) / np.exp(Zc).sum(axis=0)
    assert np.all(Ac > 1e-15)
    K, m = Zc.shape
    log_a = np.log(Ac)
    of_A = (gamma(K * m + 1) * float(-np.sum(Yc * log_a)) / m
            + float(np.sum(Yc * U * ((K + 6) + np.abs(Zc) + 4 * np.abs(log_a)))) / m)
    allowed = DenseErrorAnalysis([np.eye(K)], [np.zeros((K, 1))], ["softmax"],
                                 "categorical_cross_entropy", Zc, Yc).e_J + of_A
    assert abs(losses.categorical_cross_entropy_from_logits(Zc, Yc)
               - losses.categorical_cross_entropy(Ac, Yc)) <= allowed


def test_cross_entropy_stays_finite_for_huge_logits():
    Z = np.array([[1e4, -1e4, 1e4, -1e4]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])  # two right with certainty, two wrong with certainty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            J = losses.binary_cross_entropy_from_logits(Z, Y)
    # exact (was rel 1e-6): each term is 0 or 1e4 exactly, e^(−1e4) underflows to 0
    assert J == (1e4 + 1e4) / 4



def test_binary_labels_are_checked():
    with pytest.raises(ValueError, match=r"labels y in \{0, 1\}"):
        losses.BinaryCrossEntropy().check_targets(np.array([[0.0, 2.0]]))
    with pytest.raises(ValueError, match="one-hot"):
        losses.CategoricalCrossEntropy().check_targets(np.array([[1.0, 1.0], [1.0, 0.0]]))


def test_unknown_loss():
    with pytest.raises(ValueError, match="'mse'"):
        losses.get("hinge")


@pytest.mark.parametrize("function", [losses.mse, losses.mse_gradient, losses.binary_cross_entropy_gradient])
def test_an_overflowing_cost_gives_an_nnlib_warning_not_numpys(function):
    from nnlib.validation import NumericalWarning

    Y_hat = np.array([[1.5e308, -1e300, 0.5]])
    Y = np.array([[-1.5e308, 1.0, 1.0]])
    if function is losses.binary_cross_entropy_gradient:
        Y_hat = np.array([[np.nan, 0.5, 0.5]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        function(Y_hat, Y)
    assert [w.category for w in caught] == [NumericalWarning], [str(w.message) for w in caught]
    assert "Too large of a learning rate" in str(caught[0].message)


def test_finite_costs_give_no_warning_at_all():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        losses.mse(np.ones((1, 3)), np.zeros((1, 3)))
        losses.binary_cross_entropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
        losses.binary_cross_entropy_from_logits(np.array([[1e4, -1e4]]), np.array([[0.0, 1.0]]))
