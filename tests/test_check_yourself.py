"""Every chapter 0-6 has 6 to 10 check-yourself questions in the format of CONTRIBUTING.md.

A question is a paragraph that starts with "**Check yourself.**", followed (before the next
question) by its folded answer, a fenced block that opens with ```{dropdown} Answer (three
backticks or more) and is closed. These tests read the source notebooks: no build, no kernel.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = [f"chapters/{p.name}" for p in sorted((ROOT / "chapters").glob("0[0-6]_*.ipynb"))]
FEWEST, MOST = 6, 10

QUESTION = "**Check yourself.**"
_FENCE = re.compile(r"^(`{3,})\s*(.*)$")


def check_yourself(markdown):
    """(questions with an answer, problems) of one Markdown text.

    A question counts when it starts a paragraph and its answer block, ```{dropdown} Answer,
    opens after it and before the next question, and is closed by a fence of the same length.
    """
    lines = markdown.splitlines()
    answered, problems = 0, []
    waiting = None            # the line of a question still waiting for its answer
    fence = None              # the fence of an open block: (backticks, is an answer)
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        match = _FENCE.match(stripped)
        if fence is not None:
            if match and match.group(1) == fence[0] and not match.group(2):
                fence = None
            continue
        if match:
            is_answer = re.fullmatch(r"\{dropdown\}\s+Answer", match.group(2)) is not None
            fence = (match.group(1), is_answer)
            if is_answer:
                if waiting is None:
                    problems.append(f"line {number}: an answer block with no question before it")
                else:
                    answered += 1
                    waiting = None
            continue
        if stripped.startswith(QUESTION):
            previous = lines[number - 2].strip() if number > 1 else ""
            if previous:
                problems.append(f"line {number}: {QUESTION!r} does not start a paragraph")
            if waiting is not None:
                problems.append(f"line {waiting}: a question with no ```{{dropdown}} Answer "
                                "block before the next question")
            waiting = number
        elif QUESTION in stripped:
            problems.append(f"line {number}: {QUESTION!r} in the middle of a line")
    if fence is not None:
        problems.append(f"a {'```{dropdown} Answer' if fence[1] else 'fenced'} block is not closed")
    if waiting is not None:
        problems.append(f"line {waiting}: a question with no ```{{dropdown}} Answer block after it")
    return answered, problems


def count_in_notebook(path):
    """(answered questions, problems) over the Markdown cells of a notebook."""
    nb = nbformat.read(path, as_version=4)
    answered, problems = 0, []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        found, issues = check_yourself(cell.source)
        answered += found
        problems += [f"cell {index}: {issue}" for issue in issues]
    return answered, problems


def test_every_chapter_0_to_6_is_checked():
    assert [Path(c).name[:2] for c in CHAPTERS] == ["00", "01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_has_6_to_10_check_yourself_questions_with_folded_answers(chapter):
    answered, problems = count_in_notebook(ROOT / chapter)
    assert not problems, f"{chapter}: check-yourself questions not in CONTRIBUTING's format: {problems}"
    assert FEWEST <= answered <= MOST, (
        f"{chapter} has {answered} check-yourself questions with a ```{{dropdown}} Answer block; "
        f"a chapter needs {FEWEST} to {MOST} (CONTRIBUTING.md, 'Check yourself')")


# -- the counter itself ---------------------------------------------------------------------------

GOOD = """**Check yourself.** With $w = 2$ and $b = 1$, what does the neuron predict for $x = 3$?

```{dropdown} Answer
$\\hat y = 2 \\cdot 3 + 1 = 7$.
```"""


@pytest.mark.parametrize("markdown, answered, problems", [
    (GOOD, 1, 0),
    (GOOD + "\n\n" + GOOD, 2, 0),
    # an answer with code in it: a longer fence around a ``` block
    ("**Check yourself.** Q?\n\n````{dropdown} Answer\n```python\nx = 1\n```\n````", 1, 0),
    ("**Check yourself.** Q?\n\nNo answer at all.", 0, 1),                      # unanswered
    ("**Check yourself.** Q?\n\n```{admonition} Answer\nA.\n```", 0, 1),       # not a dropdown
    ("**Check yourself.** Q?\n**Check yourself.** R?\n\n" + GOOD.split("\n\n", 1)[1], 1, 2),
    ("Some text. **Check yourself.** Q?\n\n```{dropdown} Answer\nA.\n```", 0, 2),
    ("```{dropdown} Answer\nA.\n```", 0, 1),                                    # no question
    ("**Check yourself.** Q?\n\n```{dropdown} Answer\nA, never closed", 1, 1),
    ("```python\n**Check yourself.** in code\n```", 0, 0),                     # inside a block
])
def test_the_counter_accepts_the_format_and_names_what_is_wrong(markdown, answered, problems):
    found, issues = check_yourself(markdown)
    assert (found, len(issues)) == (answered, problems), issues
