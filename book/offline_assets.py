"""Serve MathJax and the ipywidgets HTML manager from the book itself, so that maths and
sliders work with no internet (a classroom with bad Wi-Fi, a laptop on a train).

`make book` runs `npm ci`, which installs the versions pinned in package-lock.json into
node_modules/. This Sphinx extension (loaded from _config.yml, `sphinx: local_extensions`)
then

1. copies only the files a page needs from node_modules/ into the built book's `_vendor/`
   folder (`_build/html/_vendor/`), and
2. points Sphinx's `mathjax_path` and myst-nb's `nb_ipywidgets_js` at those copies.

If node_modules/ is missing (no npm on this machine), the book loads the *same pinned versions*
from the jsDelivr CDN instead and says so in the build log. It never fails the build for that.

Traps this file avoids (each cost someone an afternoon):

- The files are never put in a source folder named `_static/`: Jupyter Book adds *every* .js and
  .css file under `_static/` to *every* page as a <script>/<link> tag, so MathJax's hundreds of
  component files would all be loaded at once. `_vendor/` exists only in the build output.
- Sphinx treats a relative `mathjax_path` (and any relative script path) as relative to the
  built `_static/` folder and writes it relative to each page. So the paths below start with
  `../_vendor/`: from `chapters/01_x.html` the browser gets `../_static/../_vendor/...`,
  which resolves to `_vendor/` at the book's root, from pages at any depth, on a web server or
  opened as file://.
- No `crossorigin` attribute on the local scripts: Chromium refuses a file:// script that asks
  for CORS, which would break the book opened straight from disk.
- myst-nb's default widget scripts are an older html-manager (1.0.6, from an ipywidgets 8.0
  release) and require.js 2.3.4. The book pins the html-manager released with the ipywidgets
  8.1 in constraints.txt, and even the CDN fallback uses the versions pinned in package.json, so
  one file says which JavaScript the book runs.
- The widgets typeset their labels with MathJax 2's API and find their fonts through a RequireJS
  address relative to the page; book/widgets-config.js fixes both (see the comments there).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent  # the repository (the book's source folder)
NODE_MODULES = ROOT / "node_modules"
VENDOR = "_vendor"  # folder in the built HTML; relative paths below are relative to _static/
CDN = "https://cdn.jsdelivr.net/npm"

# What each page loads, as (npm package, file inside the package, where it goes under _vendor/).
MATHJAX_ENTRY = "es5/tex-mml-chtml.js"  # the same combined component Sphinx uses from its CDN
HTML_MANAGER_ENTRY = "dist/embed-amd.js"
REQUIREJS_ENTRY = "require.js"
WIDGETS_CONFIG = "widgets-config.js"  # ours, in book/: tells RequireJS where the fonts are


def _pinned_versions():
    """{"mathjax": "3.2.2", ...}: the exact versions in package.json (pinned, no ranges)."""
    package = json.loads((ROOT / "package.json").read_text())
    return package["dependencies"]


def _installed():
    """True if `npm ci` has put every package we serve into node_modules/."""
    return all(
        (NODE_MODULES / package / entry).is_file()
        for package, entry in (("mathjax", MATHJAX_ENTRY),
                               ("@jupyter-widgets/html-manager", HTML_MANAGER_ENTRY),
                               ("requirejs", REQUIREJS_ENTRY))
    )


def _ignore_mathjax(directory, names):
    """Copy MathJax's es5/ folder without what a page never loads: the other combined
    components (tex-svg.js, mml-chtml.js, ...), the SVG output and the Node.js entry point."""
    here = Path(directory)
    skip = set()
    for name in names:
        path = here / name
        if here.name == "es5" and path.is_file() and name != Path(MATHJAX_ENTRY).name:
            skip.add(name)  # the loader finds components under input/, output/, ui/, a11y/...
        elif here.name == "output" and name in ("svg", "svg.js"):
            skip.add(name)
    return skip


def _copy_assets(app):
    """Copy the needed files from node_modules/ into <outdir>/_vendor/ (before pages are
    written, so that Sphinx can add its ?v=checksum to the script URLs)."""
    target = Path(app.outdir) / VENDOR
    shutil.copytree(NODE_MODULES / "mathjax" / "es5", target / "mathjax",
                    ignore=_ignore_mathjax, dirs_exist_ok=True)
    # The embed bundle with its font files (Font Awesome, for widget icons); no source maps.
    # The embed bundle with its Font Awesome fonts (woff2/woff: every current browser reads
    # them; the .eot/.ttf/.svg copies are for browsers of 2012). No source maps.
    shutil.copytree(NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist",
                    target / "html-manager",
                    ignore=shutil.ignore_patterns("*.map", "libembed-amd.js", "embed.js*",
                                                  "*.eot", "*.ttf", "*.svg"),
                    dirs_exist_ok=True)
    shutil.copy2(NODE_MODULES / "requirejs" / REQUIREJS_ENTRY, target / "require.js")


def _copy_widgets_config(app):
    """Our own small script (book/widgets-config.js), needed by local and CDN builds alike."""
    target = Path(app.outdir) / VENDOR
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path(__file__).with_name(WIDGETS_CONFIG), target / WIDGETS_CONFIG)


def configure(app, config):
    """config-inited: point MathJax and the widget scripts at local copies or at the CDN."""
    versions = _pinned_versions()
    if _installed():
        mathjax = f"../{VENDOR}/mathjax/{Path(MATHJAX_ENTRY).name}"
        requirejs = f"../{VENDOR}/require.js"
        embed = f"../{VENDOR}/html-manager/{Path(HTML_MANAGER_ENTRY).name}"
        attributes = {}
        html_manager = {}
    else:
        mathjax = f"{CDN}/mathjax@{versions['mathjax']}/{MATHJAX_ENTRY}"
        requirejs = f"{CDN}/requirejs@{versions['requirejs']}/{REQUIREJS_ENTRY}"
        embed = (f"{CDN}/@jupyter-widgets/html-manager@"
                 f"{versions['@jupyter-widgets/html-manager']}/{HTML_MANAGER_ENTRY}")
        attributes = {"crossorigin": "anonymous"}
        html_manager = {"data-html-manager": embed.rsplit("/", 1)[0]}
        logger.info(
            "offline_assets: node_modules/ is missing (run `npm ci`, which `make book` does when "
            "npm is installed). This build loads MathJax and the widget scripts from %s: "
            "maths and sliders will need an internet connection.", CDN)
    config.mathjax_path = mathjax
    # Order matters: RequireJS first, then our widgets-config.js (where the bundle's fonts are),
    # then the embed bundle, which registers its modules with RequireJS.
    # data-jupyter-widgets-cdn is only used for widget libraries the bundle does not contain
    # (the standard controls, which nnlib uses, are inside it).
    config.nb_ipywidgets_js = {
        requirejs: dict(attributes),
        f"../{VENDOR}/{WIDGETS_CONFIG}": html_manager,
        embed: {**attributes, "data-jupyter-widgets-cdn": f"{CDN}/"},
    }


def copy_if_html(app):
    """builder-inited: copy the local files for HTML builds."""
    if app.builder.format != "html":
        return
    _copy_widgets_config(app)
    if _installed():
        _copy_assets(app)
        logger.info("offline_assets: MathJax and the ipywidgets HTML manager are served from "
                    "%s/ (offline).", VENDOR)


def setup(app):
    # Before myst-nb reads its configuration (builder-inited) and before sphinx.ext.mathjax
    # uses mathjax_path (html-page-context).
    app.connect("config-inited", configure, priority=100)
    app.connect("builder-inited", copy_if_html)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
