"""Hints teach, not tell: the first feedback says what is wrong and where to look; the formula or
the line of code comes only when the learner asks (check(..., hint=True)) or fails the same
question again in the same session."""

import numpy as np
import pytest

from nnlib.grading import check, evaluate, runner


@pytest.fixture(autouse=True)
def fresh_session():
    runner._FAILED_BEFORE.clear()
    yield
    runner._FAILED_BEFORE.clear()


def no_bias(x, w, b):
    return w * x


def predict(x, w, b):
    return w * x + b


def naive_sigmoid(Z):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-Z))


def test_the_result_carries_the_hint_apart_from_the_feedback():
    result = evaluate("1.1", no_bias)
    assert result.status == "failed" and "bias b is missing" in result.feedback
    assert "w * x + b" in result.hint and "w * x + b" not in result.feedback
    assert result.to_dict()["hint"] == result.hint
    assert "Hint" not in str(result)


def test_the_first_failure_says_where_to_look_and_how_to_ask_for_more(capsys):
    check("1.1", no_bias)
    out = capsys.readouterr().out
    assert "bias b is missing" in out
    assert "w * x + b" not in out
    assert 'check("1.1", predict, hint=True)' in out


def test_asking_shows_the_hint(capsys):
    check("1.1", no_bias, hint=True)
    out = capsys.readouterr().out
    assert "Hint:" in out and "w * x + b" in out


def test_a_second_failure_of_the_same_question_shows_the_hint(capsys):
    check("3.1", naive_sigmoid)
    first = capsys.readouterr().out
    check("3.1", naive_sigmoid)
    second = capsys.readouterr().out
    assert "np.exp(-np.abs(Z))" not in first
    assert "Hint:" in second and "np.exp(-np.abs(Z))" in second


def test_a_failure_of_another_question_does_not_count(capsys):
    check("1.1", no_bias)
    capsys.readouterr()
    check("3.1", naive_sigmoid)
    assert "Hint:" not in capsys.readouterr().out


def test_a_right_answer_prints_no_hint(capsys):
    check("1.1", predict, hint=True)
    out = capsys.readouterr().out
    assert out.startswith("✓ Question 1.1") and "Hint" not in out


def test_a_stub_is_not_a_failure(capsys):
    def stub(x, w, b):
        raise NotImplementedError
    check("1.1", stub)
    check("1.1", stub)
    assert "Hint" not in capsys.readouterr().out
    assert "1.1" not in runner._FAILED_BEFORE
