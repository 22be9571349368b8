"""The shared diagnosis helpers name each usual mistake (and accept right answers)."""

import numpy as np
import pytest

from nnlib.grading.diagnose import (Mistake, compare, compare_scalar, count_lines, gradient_report,
                                    scale_hint, shape_hint)

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 5))


@pytest.mark.parametrize("got, expected, phrase", [
    ((5, 3), (3, 5), "axes are swapped"),
    ((4,), (4, 1), "column vector keeps its second axis"),
    ((5,), (1, 5), "row of m values keeps its first axis"),
    ((4, 7), (4, 1), "sum over the examples (axis=1) missing"),
    ((7, 7), (1, 7), "broadcast a row (1, m) against a column (m, 1)"),
    ((), (1, 1), "keep the shape (1, 1)"),
    ((), (3, 4), "single number"),
])
def test_shape_hints(got, expected, phrase):
    assert phrase in shape_hint(got, expected, "X")


def test_equal_shapes_have_no_hint():
    assert shape_hint((3, 5), (3, 5), "X") is None


@pytest.mark.parametrize("factor, phrase", [
    (-1, "sign"), (2, "twice"), (0.5, "half"), (10, "1/m missing"), (0.1, "extra 1/m"),
    (-10, "sign is flipped and the 1/m is missing"),
])
def test_scale_hints(factor, phrase):
    assert phrase in scale_hint(factor * A, A, m=10)


def test_no_scale_hint_for_unrelated_values():
    assert scale_hint(A + 1, A, m=10) is None
    assert scale_hint(3.7 * A, A, m=10) is None


def test_compare_accepts_float32_and_rejects_with_a_diagnosis():
    compare(A.astype(np.float32), A, "A")
    with pytest.raises(Mistake, match="the bias"):
        compare(A - 1, A, "A", mistakes={"the bias is missing": A - 1})
    with pytest.raises(Mistake, match="NaN"):
        compare(np.full_like(A, np.nan), A, "A")
    with pytest.raises(Mistake, match="largest difference is at A"):
        compare(A + RNG.normal(size=A.shape), A, "A")
    with pytest.raises(Mistake, match="list"):
        compare(A.tolist(), A, "A")
    with pytest.raises(Mistake, match="real numbers"):
        compare(A > 0, A, "A")


def test_compare_scalar_never_shows_the_expected_value():
    with pytest.raises(Mistake) as info:
        compare_scalar(1.0, 0.123456, "J")
    assert "0.123" not in str(info.value)
    compare_scalar(np.array([[0.5]]), 0.5, "J")
    with pytest.raises(Mistake, match="one value per example"):
        compare_scalar(np.ones((1, 4)), 0.5, "J")


def test_gradient_report_lists_every_parameter():
    expected = {"dW[1]": A, "db[1]": A.sum(axis=1, keepdims=True)}
    assert gradient_report({"dW[1]": A.copy(), "db[1]": expected["db[1]"].copy()}, expected) == [
        "dW[1] ✓", "db[1] ✓"]
    with pytest.raises(Mistake) as info:
        gradient_report({"dW[1]": A, "db[1]": A}, expected)
    assert str(info.value).startswith("dW[1] ✓; db[1] ✗: db[1] has shape (3, 5) where (3, 1)")
    assert "sum over the examples (axis=1) missing" in str(info.value)
    with pytest.raises(Mistake, match=r"db\[1\] ✗: relative error 0.33, it is half"):
        gradient_report({"dW[1]": A, "db[1]": 0.5 * expected["db[1]"]}, expected)


def test_count_lines_grows_with_a_loop_only():
    def loop(n):
        total = 0
        for i in range(n):
            total += i
        return total

    def vectorised(n):
        return int(np.arange(n).sum())

    assert count_lines(loop, 50)[1] > count_lines(loop, 5)[1] + 40
    assert count_lines(vectorised, 50)[1] == count_lines(vectorised, 5)[1]
    assert count_lines(loop, 5)[0] == 10


def test_a_known_mistake_of_another_shape_is_named_not_a_crash():
    """A mistake that has the learner's (wrong) shape, which does not broadcast with the expected
    shape, is still named (it used to raise inside the comparison)."""
    expected = np.arange(6.0).reshape(2, 3)
    wrong = np.ones((4, 5))
    with pytest.raises(Mistake, match="the known slip"):
        compare(wrong.copy(), expected, "dW", mistakes={"the known slip": wrong})
