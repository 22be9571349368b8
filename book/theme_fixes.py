"""What the book adds to the themes, so that it works on a phone and with a screen reader.

A Sphinx extension (listed in _config.yml under ``sphinx: local_extensions``) that serves three
small files from ``book/assets/`` on every page:

- ``sidebar-toggles.js``: the menu and "Contents" buttons open the chapter list and the page's
  contents on a phone (the themes bind their handlers to hidden copies of those buttons);
- ``slider-a11y.js``: every slider handle has an accessible name and announces the value it
  shows ("learning rate α = 0.02"), not its index;
- ``book.css``: figures never wider than the column, long display equations that scroll
  sideways with a visible cue instead of running off the screen.

and gives three controls a name that matches what they show (axe-core's
label-content-name-mismatch, a "serious" violation for speech-input users, who say what they
see): the theme switcher and the search field (templates in ``book/templates/``,
which replace pydata-sphinx-theme's own), and the "Show code cell source" toggle of a hidden
cell, whose ``aria-label="Toggle hidden content"`` myst-nb writes (replaced below). The
bibliography's entries are list items (docutils' role, deprecated, is replaced below).

TRAP: the folder is ``book/assets/``, not ``_static/``: Jupyter Book adds every script in a
root ``_static/`` folder to every page by itself. Here the extension adds exactly these files.
Each file explains its fix in its first lines.
"""

from __future__ import annotations

import html
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATES = Path(__file__).resolve().parent / "templates"
SCRIPTS = ("sidebar-toggles.js", "slider-a11y.js")
STYLES = ("book.css",)


def _serve_assets(app, config):
    """config-inited: copy book/assets/ into the build's _static/ folder; our templates first."""
    config.html_static_path = [*config.html_static_path, str(ASSETS)]
    config.templates_path = [str(TEMPLATES), *config.templates_path]


def _visit_hidden_cell(self, node):
    """myst-nb's <details> around a hidden cell's code, without its aria-label: the summary is
    then named by the words it shows ("Show code cell source")."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{html.escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{html.escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _visit_citation(self, node):
    """docutils' entry of the bibliography (chapters/references.md), as a list item: docutils
    gives it the role doc-biblioentry inside a role="list", which DPUB-ARIA 1.1 deprecates and
    axe-core reports as critical (aria-required-children: a list must hold list items)."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def setup(app):
    from docutils import nodes
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
    from sphinx.writers.html5 import HTML5Translator

    app.connect("config-inited", _serve_assets)
    app.add_node(HideCodeCellNode, override=True, html=(_visit_hidden_cell, depart_HideCellInput))
    app.add_node(nodes.citation, override=True,
                 html=(_visit_citation, HTML5Translator.depart_citation))
    for script in SCRIPTS:
        app.add_js_file(script, defer="defer")
    for style in STYLES:
        app.add_css_file(style)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
