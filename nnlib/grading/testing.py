"""Helpers for the tests of the questions (tests/test_grading_checks_chN.py).

    from nnlib.grading.testing import assert_accepted, assert_rejected

    def test_transposed_W_is_named():
        def forward(X, W, b):
            return X.T @ W + b
        assert_rejected("2.1", forward, "did you transpose W?")
"""

from __future__ import annotations

from .runner import evaluate

__all__ = ["assert_accepted", "assert_rejected"]


def assert_accepted(question_id, answer, time_limit=20.0):
    """The check of ``question_id`` passes ``answer``; returns the Result."""
    result = evaluate(question_id, answer, time_limit=time_limit)
    assert result.status == "passed", f"expected {question_id} to accept it, got:\n{result}"
    assert result.score == result.max_score
    return result


def assert_rejected(question_id, answer, *phrases, status="failed", time_limit=20.0):
    """The check of ``question_id`` rejects ``answer`` with 0 points, and its feedback contains
    every one of ``phrases`` (case-insensitive); returns the Result."""
    result = evaluate(question_id, answer, time_limit=time_limit)
    assert result.status == status, f"expected status {status!r} for {question_id}, got:\n{result}"
    assert result.score == 0
    for phrase in phrases:
        assert phrase.lower() in result.feedback.lower(), (
            f"expected the feedback of {question_id} to say {phrase!r}, got:\n{result.feedback}")
    return result
