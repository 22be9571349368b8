"""Helpers for the tests of the questions (tests/test_grading_checks_chN.py).

    from nnlib.grading.testing import assert_accepted, assert_rejected, mistake, variant

    def test_transposed_W_is_named():
        def forward(X, W, b):
            return X.T @ W + b
        assert_rejected("2.1", forward, "did you transpose W?")

Each exercise keeps a catalogue: a table of usual mistakes (each rejected, with the phrases its
diagnosis must contain) and a table of correct answers written differently (each accepted)::

    MISTAKES = [mistake("2.1", lambda X, W, b: W.T @ X, "bias b is missing", id="no-b"), ...]
    VARIANTS = [variant("2.1", lambda X, W, b: np.dot(W.T, X) + b, id="np.dot"), ...]

    (test_usual_mistakes_are_rejected_with_their_diagnosis,
     test_correct_answers_written_differently_are_accepted,
     test_every_question_has_a_catalogue) = catalogue_tests(2, MISTAKES, VARIANTS)

which makes one test per row, and one (``assert_catalogue``) proving that every question of the
exercise has both, with at least 8 of each in all.
"""

from __future__ import annotations

from .runner import evaluate

__all__ = ["assert_accepted", "assert_rejected", "mistake", "variant", "assert_catalogue",
           "catalogue_tests"]


def assert_accepted(question_id, answer, time_limit=20.0):
    """The check of ``question_id`` passes ``answer``; returns the Result."""
    result = evaluate(question_id, answer, time_limit=time_limit)
    assert result.status == "passed", f"expected {question_id} to accept it, got:\n{result}"
    assert result.score == result.max_score
    return result


def assert_rejected(question_id, answer, *phrases, status="failed", time_limit=20.0):
    """The check of ``question_id`` rejects ``answer`` with 0 points, and its feedback contains
    every one of ``phrases`` (case-insensitive); returns the Result.

    The hint (the formula or the code line) must not already be in the first feedback: it is
    shown only on request or on a second failure."""
    result = evaluate(question_id, answer, time_limit=time_limit)
    assert result.status == status, f"expected status {status!r} for {question_id}, got:\n{result}"
    assert result.score == 0
    for phrase in phrases:
        assert phrase.lower() in result.feedback.lower(), (
            f"expected the feedback of {question_id} to say {phrase!r}, got:\n{result.feedback}")
    if result.hint:
        assert result.hint.rstrip(".") not in result.feedback, (
            f"the hint of {question_id} is already in its feedback:\n{result.feedback}")
    return result


def _label(answer, id):
    if id:
        return id
    name = getattr(answer, "__name__", type(answer).__name__)
    return "value" if name == "<lambda>" else name


def mistake(question_id, answer, *phrases, id=None):
    """One row of a catalogue of usual mistakes: ``answer`` must be rejected with feedback that
    contains every phrase."""
    import pytest

    return pytest.param(question_id, answer, phrases, id=f"{question_id}-{_label(answer, id)}")


def variant(question_id, answer, id=None):
    """One row of a catalogue of correct answers written differently: ``answer`` must pass."""
    import pytest

    return pytest.param(question_id, answer, id=f"{question_id}-{_label(answer, id)}")


def assert_catalogue(exercise, mistakes, variants, minimum=8):
    """Every question of ``exercise`` has at least one usual mistake and one correct variant in
    the catalogue, and there are at least ``minimum`` of each in all."""
    from .registry import questions_for

    ids = [q.id for q in questions_for(exercise)]
    wrong = [row.values[0] for row in mistakes]
    right = [row.values[0] for row in variants]
    assert len(wrong) >= minimum, f"exercise {exercise}: only {len(wrong)} mistakes catalogued"
    assert len(right) >= minimum, f"exercise {exercise}: only {len(right)} variants catalogued"
    for question_id in ids:
        assert question_id in wrong, f"question {question_id} has no catalogued mistake"
        assert question_id in right, f"question {question_id} has no catalogued variant"


def catalogue_tests(exercise, mistakes, variants):
    """The three tests of an exercise's catalogue, to assign to module-level ``test_`` names:
    each mistake rejected with its phrases, each variant accepted, and the catalogue complete."""
    import pytest

    @pytest.mark.parametrize("qid, answer, phrases", mistakes)
    def test_usual_mistakes_are_rejected_with_their_diagnosis(qid, answer, phrases):
        assert_rejected(qid, answer, *phrases)

    @pytest.mark.parametrize("qid, answer", variants)
    def test_correct_answers_written_differently_are_accepted(qid, answer):
        assert_accepted(qid, answer)

    def test_every_question_has_a_catalogue():
        assert_catalogue(exercise, mistakes, variants)

    return (test_usual_mistakes_are_rejected_with_their_diagnosis,
            test_correct_answers_written_differently_are_accepted,
            test_every_question_has_a_catalogue)
