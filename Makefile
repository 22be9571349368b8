# Neural Networks from Scratch: the two commands are `make book` and `make test`.
# Each creates .venv/ on first use and installs exactly the versions pinned in constraints.txt,
# so nothing has to be installed by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall when the package list or the pins change.
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt book/ipython_kernel_config.py 2>/dev/null | cksum | cut -d' ' -f1)
PYTEST := $(BIN)/python -m pytest

.PHONY: help book test unit notebooks browser lab start update exercises grade bench clean env chromium assets npm sync

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): pyproject.toml constraints.txt book/ipython_kernel_config.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[book,test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# Figures at twice their resolution in the book (sharp on phones): see the file.
	@mkdir -p $(VENV)/etc/ipython && cp book/ipython_kernel_config.py $(VENV)/etc/ipython/
	@rm -f $(VENV)/.installed-* && touch $@

env: $(STAMP)  ## create .venv and install the pinned packages

# MathJax and the ipywidgets HTML manager, at the versions in package-lock.json, so that the
# book's maths and sliders work offline (book/offline_assets.py copies them into the build).
# No npm: the book still builds, and loads them from the CDN (same versions).
NPM_STAMP := node_modules/.installed-for-the-book
assets:  ## install the book's JavaScript (MathJax, ipywidgets) with npm ci, if npm exists
	@if [ -f $(NPM_STAMP) ] && [ $(NPM_STAMP) -nt package-lock.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(NPM_STAMP) || \
	  echo "NOTE: npm ci failed: this book will load MathJax and the widgets from the CDN (online only)."; \
	else echo "NOTE: npm not found: the book will load MathJax and the widgets from the CDN" \
	  "(online only). Install Node.js and npm for a book that works offline."; fi

# EDITION=student builds the book without the exercises' solutions (nnlib/grading/book.py);
# NNLIB_SOLUTIONS=folder reads the solutions from outside the repository.
EDITION ?= $(NNLIB_BOOK_EDITION)
book: $(STAMP) assets  ## build the HTML book into _build/html (warnings are errors; EDITION=student: no solutions)
	@# = jupyter-book build . -W --keep-going, reading (and running) two pages at once: book/build.py
	NNLIB_BOOK_EDITION=$(EDITION) $(BIN)/python -m book.build build . -W --keep-going
	@echo "\nThe book is in _build/html: open _build/html/index.html in a browser."

# npm comes from Debian's packages, like Chromium (root: installed here). Without it the book
# loads MathJax and the widgets from a CDN, and the offline browser tests fail, saying so.
npm:
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "NOTE: npm not found (sudo apt-get install npm): the book will need the internet."; fi; }

# Chromium comes from Debian's packages (root: installed here; otherwise say how).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; }

unit: $(STAMP)  ## nnlib's unit tests only (fast): no built book, no Colab-like environment
	$(PYTEST) tests -m "not browser and not colab" -q

notebooks: $(STAMP)  ## run every notebook with nbval on a fresh kernel
	$(PYTEST) --nbval-lax --nbval-cell-timeout=$(CELL_TIMEOUT) chapters exercises -q -p no:cacheprovider

# A chapter cell must run in < 20 s (CONTRIBUTING.md); nbval stops a cell after CELL_TIMEOUT
# seconds (3x that, for slow CI machines) instead of hanging the whole run.
CELL_TIMEOUT ?= 60
test: npm book chromium  ## everything: unit tests, nbval over every notebook, browser tests on the built book
	$(PYTEST) tests --nbval-lax --nbval-cell-timeout=$(CELL_TIMEOUT) chapters exercises -q

# Exercises: the instructor writes exercises/solutions/NN_*.ipynb; learners work in workspace/.
exercises: $(STAMP)  ## regenerate the learner notebooks exercises/*.ipynb from exercises/solutions/
	$(BIN)/python -m nnlib.grading.generate

# Every notebook starts with a hidden cell that installs nnlib where it is missing (Colab); its
# address comes from _config.yml's repository.url and pyproject.toml's version (book/install_cell.py).
sync: $(STAMP)  ## after changing repository.url or the version: rewrite every notebook's install cell
	$(BIN)/python book/install_cell.py
	$(BIN)/python -m nnlib.grading.generate

start: $(STAMP)  ## copy the exercises into workspace/ (your own copy; never overwrites a file there)
	$(BIN)/python -m nnlib.grading.workspace start --source exercises --workspace workspace

update: $(STAMP)  ## move your answers into the course's newer exercise versions (backs up your files first)
	$(BIN)/python -m nnlib.grading.workspace update --source exercises --workspace workspace

grade: $(STAMP)  ## grade your exercises (workspace/, or exercises/ without a workspace)
	$(BIN)/nnlib-grade $(if $(wildcard workspace/*.ipynb),workspace,exercises)

lab: $(STAMP)  ## open the chapters and exercises in JupyterLab
	$(BIN)/python -m pip install --quiet -c constraints.txt jupyterlab
	$(BIN)/jupyter lab

# PyTorch is only for the benchmark: torch==2.13.0 (pinned in constraints.txt), never in `make test`.
bench: $(STAMP)  ## time nnlib against NumPy loops, the GEMM floor, PyTorch and scikit-learn, then the notebooks (a few minutes)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/notebooks.py

clean:  ## remove the built book (keeps .venv and your workspace/)
	rm -rf _build
