"""nnlib.losses: values as in the lecture, gradients against finite differences, stability."""

import warnings

import numpy as np
import pytest

from nnlib import losses
from nnlib.gradcheck import numerical_gradient, relative_error

rng = np.random.default_rng(0)


def test_mse_is_the_lectures_formula():
    Y = np.array([[1.0, 2.0, 4.0]])
    Y_hat = np.array([[1.5, 2.0, 3.0]])
    by_hand = ((1 - 1.5) ** 2 + 0 + (4 - 3) ** 2) / 3
    assert losses.mse(Y_hat, Y) == pytest.approx(by_hand)


def test_binary_cross_entropy_is_the_lectures_formula_with_brackets():
    Y = np.array([[1.0, 0.0]])
    Y_hat = np.array([[0.8, 0.3]])
    by_hand = -(np.log(0.8) + np.log(1 - 0.3)) / 2
    assert losses.binary_cross_entropy(Y_hat, Y) == pytest.approx(by_hand)


@pytest.mark.parametrize("loss, make_Y", [
    ("mse", lambda shape: rng.standard_normal(shape)),
    ("binary_cross_entropy", lambda shape: (rng.random(shape) > 0.5).astype(float)),
])
def test_gradient_with_respect_to_y_hat(loss, make_Y):
    L = losses.get(loss)
    Y = make_Y((2, 7))
    Y_hat = rng.uniform(0.1, 0.9, (2, 7))
    numeric = numerical_gradient(lambda: L.value(Y_hat, Y), Y_hat)
    assert relative_error(numeric, L.gradient(Y_hat, Y)) < 1e-7


def test_from_logits_equals_the_plain_form_where_both_are_finite():
    Z = rng.normal(0, 3, (1, 20))
    Y = (rng.random((1, 20)) > 0.5).astype(float)
    A = 1 / (1 + np.exp(-Z))
    assert losses.binary_cross_entropy_from_logits(Z, Y) == pytest.approx(
        losses.binary_cross_entropy(A, Y), rel=1e-9)
    Zc = rng.normal(0, 3, (4, 10))
    Yc = np.eye(4)[:, rng.integers(0, 4, 10)]
    Ac = np.exp(Zc) / np.exp(Zc).sum(axis=0)
    assert losses.categorical_cross_entropy_from_logits(Zc, Yc) == pytest.approx(
        losses.categorical_cross_entropy(Ac, Yc), rel=1e-9)


def test_cross_entropy_stays_finite_for_huge_logits():
    Z = np.array([[1e4, -1e4, 1e4, -1e4]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0]])  # two right with certainty, two wrong with certainty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            J = losses.binary_cross_entropy_from_logits(Z, Y)
    assert J == pytest.approx((1e4 + 1e4) / 4)


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
