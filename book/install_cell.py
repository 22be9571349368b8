"""The first cell of every notebook: install the course's package where it is missing.

On Google Colab (the book's rocket button) or any Jupyter without this repository, a chapter
opens alone and ``import nnlib`` fails. So every chapter and exercise notebook starts with one
short cell that installs nnlib then, and does nothing otherwise (in a clone, on Binder, in CI):

    # On Colab (or any Jupyter without the course): install its package, nnlib 0.2.0.
    try:
        import nnlib
    except ImportError:
        %pip install --quiet "nnlib @ git+https://github.com/OWNER/REPO@v0.2.0"

It installs the version of the book the notebook came from (the git tag v<version>, which the
publishing workflow creates), so a notebook never meets a newer nnlib than it was written for.
The cell is tagged ``remove-cell``: the HTML book does not show it.

The package's address is written in one place: ``repository: url:`` in _config.yml (which also
gives the book's launch, repository and issue buttons); the version is pyproject.toml's. After
changing either, ``make sync`` rewrites the cell in every notebook (then regenerates the learner
notebooks); tests/test_install_cell.py fails until then.

    python book/install_cell.py           # rewrite the cell where it differs
    python book/install_cell.py --check   # exit 1 and name the notebooks that differ
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
TAG = "remove-cell"          # myst-nb: not in the HTML book
MARK = "install-nnlib"       # a second tag, so that the cell is found again to be updated
# The notebooks the cell goes into. The learner notebooks exercises/*.ipynb get it from their
# solution notebook through `make exercises` (nnlib.grading.generate).
SOURCES = ("chapters/*.ipynb", "exercises/solutions/*.ipynb")


def repository_url(root=None):
    """'https://github.com/OWNER/REPO': _config.yml's repository.url, without a trailing / or .git."""
    config = yaml.safe_load((Path(root or ROOT) / "_config.yml").read_text(encoding="utf-8"))
    url = str(config["repository"]["url"]).rstrip("/")
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"_config.yml: repository.url should be https://github.com/OWNER/REPO, "
                         f"not {url!r}")
    return url.removesuffix(".git")


def version(root=None):
    """The package's version, from pyproject.toml."""
    with open(Path(root or ROOT) / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def package_spec(root=None):
    """What pip installs: 'nnlib @ git+https://github.com/OWNER/REPO@v0.2.0'."""
    return f"nnlib @ git+{repository_url(root)}@v{version(root)}"


def cell_source(root=None):
    return (f"# On Colab (or any Jupyter without the course): install its package, "
            f"nnlib {version(root)}.\n"
            "try:\n"
            "    import nnlib\n"
            "except ImportError:\n"
            f'    %pip install --quiet "{package_spec(root)}"')


def is_install_cell(cell):
    return cell.cell_type == "code" and MARK in cell.get("metadata", {}).get("tags", [])


def with_install_cell(nb, root=None):
    """``nb`` with the install cell first (added, or updated in place); True if it changed."""
    source = cell_source(root)
    existing = [cell for cell in nb.cells if is_install_cell(cell)]
    if existing and nb.cells[0] is existing[0] and len(existing) == 1 \
            and existing[0].source == source:
        return False
    nb.cells = [cell for cell in nb.cells if not is_install_cell(cell)]
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": [TAG, MARK]})
    if existing:
        cell.id = existing[0].get("id", cell.id)
    nb.cells.insert(0, cell)
    return True


def notebooks(root=None):
    return sorted(path for pattern in SOURCES for path in Path(root or ROOT).glob(pattern))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python book/install_cell.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook's install cell differs")
    args = parser.parse_args(argv)
    stale = []
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        if with_install_cell(nb):
            stale.append(path.relative_to(ROOT).as_posix())
            if not args.check:
                nbformat.write(nb, path)
    if args.check and stale:
        print("The install cell is missing or out of date in: "
              + ", ".join(map(str, stale)) + ". Run `make sync`.", file=sys.stderr)
        return 1
    for path in stale:
        print(f"updated the install cell of {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
