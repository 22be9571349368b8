# Neural Networks from Scratch: the two commands are `make book` and `make test`.
# Each creates .venv/ on first use and installs exactly the versions pinned in constraints.txt,
# so nothing has to be installed by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall when the package list or the pins change.
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
PYTEST := $(BIN)/python -m pytest

.PHONY: help book test unit notebooks browser lab start exercises grade bench clean env chromium

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[book,test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@rm -f $(VENV)/.installed-* && touch $@

env: $(STAMP)  ## create .venv and install the pinned packages

book: $(STAMP)  ## build the HTML book into _build/html (warnings are errors)
	$(BIN)/jupyter-book build . -W --keep-going
	@echo "\nThe book is in _build/html: open _build/html/index.html in a browser."

# Chromium comes from Debian's packages (root: installed here; otherwise say how).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; fi; }

unit: $(STAMP)  ## nnlib's unit tests only (fast)
	$(PYTEST) tests -m "not browser" -q

notebooks: $(STAMP)  ## run every notebook with nbval on a fresh kernel
	$(PYTEST) --nbval-lax chapters exercises -q -p no:cacheprovider

test: book chromium  ## everything: unit tests, nbval over every notebook, browser tests on the built book
	$(PYTEST) tests --nbval-lax chapters exercises -q

lab: $(STAMP)  ## open the chapters and exercises in JupyterLab
	$(BIN)/python -m pip install --quiet -c constraints.txt jupyterlab
	$(BIN)/jupyter lab

clean:  ## remove the built book (keeps .venv and your workspace/)
	rm -rf _build
