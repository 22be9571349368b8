"""The shared diagnosis helpers name each usual mistake (and accept right answers)."""

import numpy as np
import pytest

from nnlib.grading.diagnose import (Mistake, compare, compare_scalar, count_lines,
                                    entries_close, gradient_report, missing_feedback, number,
                                    scale_hint, shape_hint, unpack)

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
    noisy = A + RNG.normal(size=A.shape)
    with pytest.raises(Mistake, match=r"Look at A\[") as info:
        compare(noisy, A, "A")
    index = np.unravel_index(np.argmax(np.abs(noisy - A)), A.shape)
    assert f"{A[index]:.6g}" not in str(info.value)      # where, and yours, never the reference
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


def test_a_mistake_carries_its_hint_apart_from_its_feedback():
    with pytest.raises(Mistake) as info:
        compare(A - 1, A, "Z", mistakes={("the bias is missing", "Z = Wᵀ X + b"): A - 1})
    assert str(info.value) == "Z: the bias is missing" and info.value.hint == "Z = Wᵀ X + b"
    assert Mistake("plain").hint == ""
    with pytest.raises(Mistake) as info:
        gradient_report({"dW": 2 * A}, {"dW": A}, hints={"dW": {("twice", "no 2"): 2 * A}})
    assert "no 2" in info.value.hint and "no 2" not in str(info.value)


@pytest.mark.parametrize("returned", [(1.0, 2.0), [1.0, 2.0], (np.float32(1.0), np.array([[2.0]]))])
def test_unpack_takes_a_tuple_or_a_list_alike(returned):
    assert len(unpack(returned, ("w", "b"), "update", expected=(1.0, 2.0))) == 2


@pytest.mark.parametrize("returned, order", [
    ((2.0, 1.0), "b, w"),
    ([A.sum(axis=1, keepdims=True), A], "db, dW"),
])
def test_unpack_names_a_swapped_order(returned, order):
    names = ("w", "b") if order == "b, w" else ("dW", "db")
    expected = (1.0, 2.0) if order == "b, w" else (A, A.sum(axis=1, keepdims=True))
    with pytest.raises(Mistake, match=f"wrong order: {order}"):
        unpack(returned, names, "f", expected=expected)


def test_unpack_names_three_values_in_any_order():
    X, m, s = A, A.mean(axis=1, keepdims=True), A.std(axis=1, keepdims=True)
    with pytest.raises(Mistake, match="wrong order: mean, std, X_scaled"):
        unpack((m, s, X), ("X_scaled", "mean", "std"), "standardize", expected=(X, m, s))


@pytest.mark.parametrize("returned, phrase", [
    (None, "returned None"), (1.0, "a float"), ((1.0,), "a tuple of 1 value"),
    ([1.0, 2.0, 3.0], "a list of 3 values"),
])
def test_unpack_says_what_came_back(returned, phrase):
    with pytest.raises(Mistake, match=phrase) as info:
        unpack(returned, ("w", "b"), "update")
    assert "return w, b" in info.value.hint


def test_number_takes_any_single_number():
    assert number(np.array([[2.5]]), "w") == 2.5 and number(np.float32(1.5), "w") == 1.5
    for bad in (True, "1", np.ones(2), None):
        with pytest.raises(Mistake):
            number(bad, "w")


def test_entries_close_accepts_any_of_several_right_forms():
    got = np.array([[0.0, 6.1e-310, 1.0]])
    one = np.array([[0.0, 6.1e-310, 1.0]])
    other = np.array([[5e-310, 6.1e-310, 1.0]])
    assert entries_close(got, [one], 1e-12, 1e-321).all()
    assert not entries_close(np.zeros((1, 3)), [other], 1e-12, 1e-321)[0, :2].any()


def test_a_missing_name_after_a_syntax_error_says_so():
    cells = ["import numpy as np", "def predict(x, w, b):\n    return w * x +\n"]
    text = missing_feedback("predict", cells)
    assert "syntax error" in text and "line 2" in text and "return w * x +" in text
    assert "There is no `predict`" in missing_feedback("predict", ["x = 1"])
    # a later cell that compiles wins over an older broken one; magics are not syntax errors
    assert "syntax error" not in missing_feedback("predict", cells + ["%time\ndef predict(x):\n    pass"])
    assert "syntax error" in missing_feedback("learning_rate", ["learning_rate = 0.1 +"])


def test_an_array_subclass_cannot_change_the_comparison():
    class Zeros(np.ndarray):
        def __sub__(self, other):
            return np.zeros(self.shape)

        def __float__(self):
            return 0.5

    forged = np.ones((3, 5)).view(Zeros)
    with pytest.raises(Mistake):
        compare(forged, A, "A")
    with pytest.raises(Mistake):
        compare_scalar(np.array([[9.0]]).view(Zeros), 0.5, "J")
    assert number(np.array([[9.0]]).view(Zeros), "w") == 9.0
