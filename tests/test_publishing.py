"""Publishing: one address for the repository, a workflow that publishes the book and tests pull
requests, and chapters that link to their exercises.

- The repository's address is written once, as _config.yml's `repository.url`; the book's
  launch (Binder, Colab), repository and issue buttons and every notebook's install cell derive
  from it, and README says how a fork changes it.
- .github/workflows/book.yml is valid against GitHub's workflow schema (check-jsonschema's
  built-in copy, offline), builds the book with the README's command, publishes _build/html to
  GitHub Pages on pushes to main and runs `make test` (through .ci/run) on pull requests.
- Each chapter with a graded exercise links to its exercise page.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from book import install_cell

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


@pytest.fixture(scope="module")
def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text())


def _tracked_files():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listed.stdout.splitlines()]


# -- one address ---------------------------------------------------------------------------------

def test_the_address_is_written_only_in_the_config(config):
    """Every other mention of the repository's address is derived (the install cells, which
    tests/test_install_cell.py compares with the config)."""
    url = config["repository"]["url"].rstrip("/")
    owner_repo = url.removeprefix("https://github.com/")
    mentions = []
    for path in _tracked_files():
        if path.suffix in (".png", ".gz", ".svg") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if owner_repo not in text:
            continue
        if path.suffix == ".ipynb":
            nb = nbformat.reads(text, as_version=4)
            if any(owner_repo in c.source for c in nb.cells if not install_cell.is_install_cell(c)):
                mentions.append(path.relative_to(ROOT).as_posix())
        elif path.name != "_config.yml":
            mentions.append(path.relative_to(ROOT).as_posix())
    assert not mentions, f"the repository's address is written by hand in {mentions}"


def test_the_buttons_derive_from_the_config(config):
    from jupyter_book.config import get_final_config

    final, _ = get_final_config(user_yaml=ROOT / "_config.yml",
                                cli_config={"latex_individualpages": False},
                                sourcedir=ROOT, raise_on_invalid=True)
    options = final["html_theme_options"]
    assert options["repository_url"] == config["repository"]["url"]
    assert options["use_repository_button"] and options["use_issues_button"]
    assert options["launch_buttons"]["colab_url"] and options["launch_buttons"]["binderhub_url"]


def test_readme_says_how_a_fork_sets_the_address():
    readme = (ROOT / "README.md").read_text()
    assert "repository:" in readme and "url:" in readme and "make sync" in readme
    assert "Pages" in readme


# -- the workflow ----------------------------------------------------------------------------------

def test_the_workflow_is_valid_for_github():
    checker = Path(sys.executable).with_name("check-jsonschema")
    if not checker.exists():
        pytest.fail("check-jsonschema is missing: it is in the `test` extra (`make env`).")
    run = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows",
                          str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path):
    """The schema check can fail: a job without `runs-on` is refused."""
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\njobs:\n  build:\n    steps:\n      - run: make book\n")
    checker = Path(sys.executable).with_name("check-jsonschema")
    run = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows",
                          str(broken)], capture_output=True, text=True, timeout=120)
    assert run.returncode != 0


def _steps(job):
    return [step.get("run", "") + " " + step.get("uses", "") for step in job["steps"]]


def test_pull_requests_run_make_test(workflow):
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as True
    assert "pull_request" in triggers
    test_job = workflow["jobs"]["test"]
    assert "pull_request" in test_job["if"]
    assert any(".ci/run" in step for step in _steps(test_job))
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_pushes_to_main_publish_the_book_built_with_the_readmes_command(workflow):
    triggers = workflow[True] if True in workflow else workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    publish = workflow["jobs"]["publish"]
    steps = _steps(publish)
    assert any(step.strip() == "make book" for step in steps)
    assert "make book" in (ROOT / "README.md").read_text()
    upload = next(s for s in publish["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "_build/html"
    assert any("deploy-pages" in step for step in steps)
    assert publish["permissions"]["pages"] == "write"
    assert any("git tag" in step for step in steps), "the install cell needs the v<version> tag"


# -- chapters link to their exercises -----------------------------------------------------------------

def _exercise_pairs():
    pairs = []
    for chapter in sorted((ROOT / "chapters").glob("0*.ipynb")):
        number = chapter.name[:2]
        exercise = next((ROOT / "exercises").glob(f"{number}_*.ipynb"), None)
        if exercise is not None:
            pairs.append((chapter, exercise))
    return pairs


@pytest.mark.parametrize("chapter, exercise", _exercise_pairs(),
                         ids=lambda p: p.name if isinstance(p, Path) else "")
def test_each_chapter_links_to_its_exercise_page(chapter, exercise):
    nb = nbformat.read(chapter, as_version=4)
    sections = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    exercises = sections[sections.rfind("## Exercises"):]
    assert "## Exercises" in sections, f"{chapter.name} has no Exercises section"
    link = re.search(r"\]\((\.\./exercises/[^)]+\.ipynb)\)", exercises)
    assert link, f"{chapter.name}: the Exercises section names a file instead of linking its page"
    assert (chapter.parent / link.group(1)).resolve() == exercise.resolve()


@pytest.mark.browser
@pytest.mark.parametrize("chapter, exercise", _exercise_pairs(),
                         ids=lambda p: p.name if isinstance(p, Path) else "")
def test_the_built_chapter_links_to_the_built_exercise(book, chapter, exercise):
    page = (book / "chapters" / chapter.name).with_suffix(".html").read_text(encoding="utf-8")
    section = re.search(r'<section id="exercises">(.*?)</section>', page, re.S)
    assert section, f"{chapter.name}'s page has no Exercises section"
    target = f"../exercises/{exercise.stem}.html"
    # (the sidebar links every page: only the link inside the section counts)
    assert f'href="{target}' in section.group(1), (
        f"{chapter.name}'s Exercises section does not link to {target}")
