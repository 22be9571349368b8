"""The reference pages: the glossary, the bibliography, the notation page and the index.

- Every {term} and {cite} in the book names a glossary term and a bibliography entry (read from
  the sources, fast), and the book build, run with -W as the Makefile does, fails on one that
  does not (a small book built here proves it).
- The glossary defines the main terms of the book, once each; the bibliography has each key once.
- The notation page's table names what nnlib really has: every name in its "in nnlib" column
  exists, and every array it names has the shape the table gives.
- The built index (genindex.html) lists the main terms, and the notation page and the glossary
  link to it (these need `make book`).
"""

from __future__ import annotations

import inspect
import re
from keyword import iskeyword
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
GLOSSARY = CHAPTERS / "glossary.md"
BIB = CHAPTERS / "references.bib"
NOTATION = CHAPTERS / "notation.md"

#: The main terms of the book, which the glossary defines and the index lists.
MAIN_TERMS = [
    "neuron", "unit", "weight", "bias", "parameter", "activation function",
    "forward propagation", "cost", "loss function", "mean squared error", "cross-entropy",
    "gradient", "chain rule", "computation graph", "backpropagation", "gradient descent",
    "learning rate", "epoch", "mini-batch", "hyperparameter", "training set", "validation set",
    "test set", "logistic regression", "sigmoid", "tanh", "ReLU", "leaky ReLU", "softmax",
    "one-hot", "vanishing gradient", "dead unit", "initialisation", "overfitting",
    "gradient check", "vectorisation", "broadcasting", "standardisation", "decision boundary",
    "layer", "hidden layer", "confusion matrix",
]

# {term}`text <target>` or {term}`target`; {cite}, {cite:p}, {cite:t}, ... `key1,key2`
_TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")
_CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")
_BIB_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def glossary_terms(text=None):
    """The terms of the glossary directive of chapters/glossary.md, in the order written."""
    text = GLOSSARY.read_text() if text is None else text
    match = re.search(r"^```\{glossary\}\s*$(.*?)^```\s*$", text, re.MULTILINE | re.DOTALL)
    assert match, "chapters/glossary.md has no ```{glossary} directive"
    return [line.strip() for line in match.group(1).splitlines()
            if line.strip() and not line[0].isspace() and not line.startswith(":")]


def bib_keys():
    return _BIB_KEY.findall(BIB.read_text())


def book_sources():
    """(name, Markdown text) of every page of the book: chapters, exercises, reference pages."""
    for path in sorted(CHAPTERS.glob("*.md")) + sorted((ROOT / "exercises").glob("*.md")):
        yield str(path.relative_to(ROOT)), path.read_text()
    for path in sorted(CHAPTERS.glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown":
                yield f"{path.relative_to(ROOT)} cell {index}", cell.source


def term_targets(markdown):
    """The glossary terms that the {term} roles of a text point to."""
    targets = []
    for content in _TERM_ROLE.findall(markdown):
        explicit = re.fullmatch(r"(.*)<([^<>]+)>\s*", content, re.DOTALL)
        targets.append((explicit.group(2) if explicit else content).strip())
    return targets


def cited_keys(markdown):
    return [key.strip() for keys in _CITE_ROLE.findall(markdown) for key in keys.split(",")]


# -- glossary and bibliography, from the sources ------------------------------------------------

def test_the_glossary_is_sorted_and_defines_each_term_once():
    text = GLOSSARY.read_text()
    assert re.search(r"```\{glossary\}\s*\n:sorted:", text), "use the glossary's :sorted: option"
    terms = [t.lower() for t in glossary_terms(text)]
    duplicates = sorted({t for t in terms if terms.count(t) > 1})
    assert not duplicates, f"terms defined twice in the glossary (Sphinx fails on them): {duplicates}"


def test_the_glossary_defines_the_main_terms_of_the_book():
    terms = {t.lower() for t in glossary_terms()}
    missing = [t for t in MAIN_TERMS if t.lower() not in terms]
    assert not missing, f"main terms missing from chapters/glossary.md: {missing}"


def test_every_term_the_book_links_is_in_the_glossary():
    terms = {t.lower() for t in glossary_terms()}
    unknown = [(where, target) for where, text in book_sources()
               for target in term_targets(text) if target.lower() not in terms]
    assert not unknown, f"{{term}} links to terms the glossary does not define: {unknown}"


def test_every_citation_of_the_book_has_an_entry_in_the_bibliography():
    keys = set(bib_keys())
    unknown = [(where, key) for where, text in book_sources()
               for key in cited_keys(text) if key not in keys]
    assert not unknown, f"{{cite}} of keys that chapters/references.bib lacks: {unknown}"


def test_each_bibliography_key_is_defined_once():
    keys = bib_keys()
    assert keys, "no entries in chapters/references.bib"
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"keys defined twice in chapters/references.bib: {duplicates}"


def test_chapter_6_and_the_appendix_link_terms_and_cite_sources():
    nb = nbformat.read(CHAPTERS / "06_ten_classes.ipynb", as_version=4)
    chapter = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert {"softmax", "one-hot", "mini-batch", "validation set", "test set"} <= {
        t.lower() for t in term_targets(chapter)}
    assert "alpaydin1998" in cited_keys(chapter)
    appendix = (CHAPTERS / "appendix_performance.md").read_text()
    assert {"paszke2019", "pedregosa2011", "harris2020"} <= set(cited_keys(appendix))


@pytest.mark.parametrize("markdown, terms, keys", [
    ("an {term}`epoch` and {term}`mini-batches <mini-batch>`", ["epoch", "mini-batch"], []),
    ("{cite:p}`anglin1996` and {cite:t}`dalal1989,alpaydin1998`", [],
     ["anglin1996", "dalal1989", "alpaydin1998"]),
    ("`{term}` in code is still read; plain text is not", [], []),
])
def test_the_roles_are_read_as_sphinx_reads_them(markdown, terms, keys):
    assert term_targets(markdown) == terms
    assert cited_keys(markdown) == keys


def test_a_book_build_fails_on_an_unknown_term_or_citation(tmp_path):
    """The book is built with -W (the Makefile; test_book_config.py checks it): an unknown term
    or key must be a warning, so that the build fails. A small book with the real glossary and
    bibliography and one page that uses a known term, a known key, an unknown term and an
    unknown key: the build fails and names exactly the two unknown ones."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    if not jupyter_book.exists():
        pytest.skip("jupyter-book is not installed in this environment")
    for name in ("glossary.md", "references.md", "references.bib"):
        shutil.copy(CHAPTERS / name, tmp_path / name)
    (tmp_path / "notation.md").write_text("# Notation\n")
    (tmp_path / "_config.yml").write_text(
        "title: check\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: 'off'\n"
        "bibtex_bibfiles:\n  - references.bib\nparse:\n  myst_enable_extensions: "
        "[colon_fence, dollarmath, amsmath]\nsphinx:\n  config:\n"
        "    bibtex_reference_style: author_year\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: page\nchapters:\n- file: glossary\n- file: notation\n"
        "- file: references\n")
    (tmp_path / "page.md").write_text(
        "# Page\n\nAn {term}`epoch`, {cite:p}`anglin1996`; {term}`no such term` and "
        "{cite:p}`nosuchkey1999`.\n")
    run = subprocess.run([str(jupyter_book), "build", str(tmp_path), "-W", "--keep-going"],
                         capture_output=True, text=True, timeout=600)
    log = run.stdout + run.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line]
    assert run.returncode != 0, "the -W build passed with an unknown term and key:\n" + log
    assert any("term not in glossary: 'no such term'" in w for w in warnings), warnings
    assert any('could not find bibtex key "nosuchkey1999"' in w for w in warnings), warnings
    assert len(warnings) == 2, warnings  # the known term and key resolved


# -- the notation page's table against nnlib ---------------------------------------------------

def notation_rows():
    """(symbol, shape, [code spans of the 'in nnlib' column], chapter cell) of the table."""
    rows = []
    for line in NOTATION.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 5 and cells[0] not in ("symbol", "---"):
            rows.append((cells[0], cells[2], re.findall(r"`([^`]+)`", cells[3]), cells[4]))
    return rows


def _api_names():
    """Parameter and attribute names of nnlib's public functions and classes."""
    import nnlib
    from nnlib import activations, datasets, gradcheck, layers, losses, network

    names = set()
    for module in (nnlib, activations, datasets, gradcheck, layers, losses, network):
        for _, obj in inspect.getmembers(module):
            members = [obj] + ([m for _, m in inspect.getmembers(obj)] if inspect.isclass(obj)
                               else [])
            for member in members:
                if callable(member):
                    try:
                        names |= set(inspect.signature(member).parameters)
                    except (TypeError, ValueError):
                        pass
    return names


@pytest.fixture(scope="module")
def namespace():
    """A 3-4-2 network (layer l = 1 of it is `layer`) after forward, backward and fit, on m = 5
    examples: the names the notation page's table uses."""
    import nnlib
    from nnlib import Dense, Network, datasets

    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 5))
    labels = np.array([0, 1, 1, 0, 1])
    K = 2
    Y = datasets.one_hot(labels, K)
    net = Network([Dense(3, 4, "relu", seed=0), Dense(4, K, "softmax", seed=1)],
                  loss="categorical_cross_entropy")
    Y_hat = net.forward(X)
    net.backward(Y)
    history = net.fit(X, Y, epochs=2, learning_rate=0.1)
    return dict(nnlib=nnlib, np=np, Network=Network, Dense=Dense, X=X, Y=Y, Y_hat=Y_hat,
                labels=labels, K=K, net=net, history=history, l=1, layer=net.layers[0],
                A_prev=X, i=2, j=3, k=4, n_x=3, n_in=3, n_out=4,
                unit=Dense(3, 1, seed=2))


SIZES = {"n_x": 3, "n^{[0]}": 3, "n^{[l-1]}": 3, "n^{[l]}": 4, "n_y": 2, "n^{[L]}": 2,
         "K": 2, "m": 5, "1": 1}


def _shape(text):
    """The shape a table cell gives, in the namespace's sizes: '$(n^{[l]}, m)$' -> (4, 5)."""
    match = re.match(r"\$\((.*?)\)\$", text)
    if not match:
        return None
    return tuple(SIZES[part.strip()] for part in match.group(1).split(","))


def test_the_notation_table_has_the_symbols_of_the_book():
    symbols = " ".join(row[0] for row in notation_rows())
    for symbol in ("$X$", "$x^{(i)}$", "$x_j^{(i)}$", "$y^{(i)}$", "$\\hat y^{(i)}$", "$Y$",
                   "$\\hat Y$", "$m$", "$n_x", "$n^{[l]}$", "$L$", "$W^{[l]}$", "$W^{[l]}_{jk}$",
                   "$b^{[l]}$", "$Z^{[l]}$", "$A^{[l]}$", "$g^{[l]}$", "$J$", "$\\alpha$",
                   "$dW^{[l]}$", "$db^{[l]}$", "$dZ^{[l]}$", "$dA^{[l]}$", "$\\varepsilon$",
                   "softmax", "one-hot $Y$", "$B$", "$K$"):
        assert symbol in symbols, f"{symbol} is missing from the notation table"


def test_every_name_in_the_notation_table_exists_in_nnlib_with_the_shape_it_gives(namespace):
    api = _api_names()
    checked = 0
    for symbol, shape_text, spans, chapter in notation_rows():
        assert spans, f"{symbol}: no name in nnlib given"
        shape = _shape(shape_text)
        for span in spans:
            if span.isidentifier() and not iskeyword(span) and span not in namespace:
                assert span in api, f"{symbol}: `{span}` is not a parameter of any nnlib function"
                continue
            keyword = re.fullmatch(r"(\w+)=(.+)", span)
            if keyword:
                assert keyword.group(1) in api, f"{symbol}: nnlib has no parameter {keyword.group(1)}"
                span = keyword.group(2)
            try:
                value = eval(span, dict(namespace))  # noqa: S307 - our own documentation
            except Exception as error:  # noqa: BLE001 - any failure is the finding
                pytest.fail(f"{symbol}: `{span}` fails in nnlib: {error!r}")
            if isinstance(value, str):
                import nnlib

                if keyword and keyword.group(1) == "loss":
                    nnlib.losses.get(value)
                else:
                    nnlib.activations.get(value)  # "sigmoid", "softmax": an activation's name
            if isinstance(value, np.ndarray) and value.ndim and shape is not None:
                assert value.shape == shape, (
                    f"{symbol}: `{span}` has shape {value.shape}, the table says {shape_text}")
                checked += 1
        links = re.findall(r"\]\(([^)]+)\)", chapter)
        assert links and all((CHAPTERS / link).is_file() for link in links), (symbol, chapter)
    assert checked >= 15  # the arrays of the table were really compared


# -- the built index (needs `make book`) ----------------------------------------------------------

@pytest.mark.browser
def test_the_built_index_lists_the_main_terms_and_the_reference_pages_link_to_it(book):
    index = (book / "genindex.html").read_text()
    entries = {re.sub(r"<[^>]+>", "", text).strip().lower()
               for text in re.findall(r'<a href="[^"]*glossary\.html#term-[^"]*">(.*?)</a>',
                                      index, re.DOTALL)}
    missing = [t for t in MAIN_TERMS if t.lower() not in entries]
    assert not missing, f"genindex.html does not list: {missing}"
    for page in ("notation", "glossary"):
        html = (book / "chapters" / f"{page}.html").read_text()
        assert re.search(r'href="[./]*genindex\.html"[^>]*>\s*(<[^>]+>)*\s*index', html), (
            f"{page}.html does not link to the index")
