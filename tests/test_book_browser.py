"""The built book, opened in headless Chromium as a learner would, with no internet.

`make book` writes the HTML to _build/html; these tests serve that folder from 127.0.0.1 (a
Python http.server on a free port) and abort every request to any other address, so each test
also proves that the page works offline (a classroom with bad Wi-Fi, a laptop on a train).

Every page listed in _toc.yml must load; its maths must be typeset by MathJax (no raw LaTeX
left, no MathJax error); every picture must load; no output may show a traceback or an error;
the sidebar must list the chapters in the lecture's order; and a page with a precomputed slider
(nnlib.interactive.precomputed_slider) must show it without a kernel, and moving it must change
the picture. A full-page screenshot of every page is saved in _build/screenshots/ for humans.

Run: `make test` (builds the book first), or `pytest -m browser tests/test_book_browser.py`
after `make book`. BOOK_HTML=/path/to/html tests another build (e.g. one made with
`jupyter-book build . --path-output /tmp/x`, then BOOK_HTML=/tmp/x/_build/html; BOOK_TOC
names its _toc.yml if it is not this repository's).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from browser_support import KNOWN_JS_ERRORS, PAGES, SCREENSHOTS, WAIT_MS, wait_for_mathjax

pytestmark = pytest.mark.browser

# Text a learner sees outside code: raw LaTeX delimiters here mean MathJax did not run.
_PROSE_TEXT = """() => {
    const main = document.querySelector("main") || document.body;
    const copy = main.cloneNode(true);
    copy.querySelectorAll("pre, code, script, style, mjx-container, .cell_input, .highlight")
        .forEach(e => e.remove());
    return copy.textContent;
}"""

_IMAGES = """() => Array.from(document.images).map(img => ({
    src: img.getAttribute("src").slice(0, 120), complete: img.complete, width: img.naturalWidth
}))"""


_SHOWN_PICTURES = """box => Array.from(box.querySelectorAll('img'))
    .filter(img => img.offsetParent !== null && img.naturalWidth > 0)
    .map(img => img.src)"""


def _move_first_slider(page, path):
    """Press the right arrow key on the page's first slider; what was shown before and after."""
    slider = page.locator(".widget-slider").first
    # The box holding the slider also holds the stack of precomputed pictures.
    box = slider.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
    before = {"readout": slider.locator(".widget-readout").inner_text(),
              "pictures": box.evaluate(_SHOWN_PICTURES)}
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_timeout(500)
    after = {"readout": slider.locator(".widget-readout").inner_text(),
             "pictures": box.evaluate(_SHOWN_PICTURES)}
    handle.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / (path.replace("/", "__") + "__slider-moved.png")))
    return before, after


@pytest.fixture(scope="session")
def visited(offline_context, server):
    """Open every page once; keep what the tests look at. Saves a full-page screenshot each
    (and, on a page with a slider, one after moving the slider)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    results = {}
    for path in PAGES:
        page = offline_context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        response = page.goto(server + path, wait_until="load")
        info = {"status": response.status if response else None, "js_errors": errors}
        if info["status"] == 200:
            info["mathjax_loaded"] = wait_for_mathjax(page)
            info["has_widgets"] = page.locator(
                'script[type="application/vnd.jupyter.widget-view+json"]').count() > 0
            if info["has_widgets"]:
                try:
                    page.wait_for_selector(".widget-slider", state="visible", timeout=WAIT_MS)
                except Exception:
                    pass
            page.wait_for_timeout(300)
            info["math_elements"] = page.locator(".math").count()
            info["math_untypeset"] = page.locator(".math:not(:has(mjx-container))").count()
            info["math_errors"] = page.locator("mjx-merror").count()
            info["prose"] = page.evaluate(_PROSE_TEXT)
            info["text"] = page.inner_text("body")
            info["images"] = page.evaluate(_IMAGES)
            info["error_outputs"] = page.locator(
                ".output.error, .output.traceback, .cell_output .traceback").count()
            info["stderr"] = [e.inner_text() for e in page.locator(".output.stderr").all()]
            info["sidebar"] = page.eval_on_selector_all(
                "nav.bd-docs-nav a.reference.internal", "links => links.map(a => a.href)")
            info["sliders"] = page.locator(".widget-slider").count()
            page.screenshot(path=str(SCREENSHOTS / (path.replace("/", "__") + ".png")),
                            full_page=True)
            if info["sliders"]:
                info["slider_before"], info["slider_after"] = _move_first_slider(page, path)
        results[path] = info
        page.close()
    return results


# -- every page ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_page_loads(visited, path):
    assert visited[path]["status"] == 200, f"{path}: HTTP {visited[path]['status']}"


@pytest.mark.parametrize("path", PAGES)
def test_maths_is_typeset_offline(visited, path):
    info = visited[path]
    assert info["status"] == 200
    if info["math_elements"]:
        assert info["mathjax_loaded"], (
            f"{path}: MathJax never started with the internet blocked. Is node_modules/ "
            "installed (`npm ci`, done by `make book`)? Without it the book uses the CDN.")
        assert info["math_untypeset"] == 0, (
            f"{path}: {info['math_untypeset']} of {info['math_elements']} formulas were not "
            "typeset by MathJax.")
        assert info["math_errors"] == 0, (
            f"{path}: MathJax shows {info['math_errors']} LaTeX error(s) (red boxes): check the "
            "formulas' TeX.")
    for raw in ("$$", "\\[", "\\(", "\\begin{", "\\frac"):
        assert raw not in info["prose"], (
            f"{path}: raw LaTeX {raw!r} in the text a learner sees: a formula was not "
            "recognised as maths (MyST needs $...$ or $$...$$ with no space inside the $).")


@pytest.mark.parametrize("path", PAGES)
def test_every_picture_loads(visited, path):
    info = visited[path]
    assert info["status"] == 200
    broken = [img["src"] for img in info["images"] if not img["complete"] or img["width"] == 0]
    assert not broken, f"{path}: images that did not load: {broken}"


@pytest.mark.parametrize("path", PAGES)
def test_no_error_in_any_output(visited, path):
    info = visited[path]
    assert info["status"] == 200
    assert info["error_outputs"] == 0, f"{path}: an output shows an error or a traceback."
    assert "Traceback (most recent call last)" not in info["text"], f"{path}: a traceback."
    with_error = [text[:300] for text in info["stderr"] if "Error" in text]
    assert not with_error, f"{path}: error messages printed to stderr: {with_error}"


@pytest.mark.parametrize("path", PAGES)
def test_no_javascript_error(visited, path):
    info = visited[path]
    errors = [e for e in info["js_errors"] if not any(k in e for k in KNOWN_JS_ERRORS)]
    assert not errors, f"{path}: JavaScript errors in the page: {errors}"


def test_nothing_is_fetched_from_the_internet(visited, offline_context):
    assert visited  # all pages were opened in this context
    assert not offline_context.blocked, (
        "Pages tried to load files from the internet (blocked here): "
        f"{sorted(set(offline_context.blocked))[:10]}. Serve them from the book instead "
        "(see book/offline_assets.py).")


# -- the book as a whole ---------------------------------------------------------------------

def test_sidebar_lists_the_chapters_in_the_lectures_order(visited, server):
    """The sidebar's links, in order, are _toc.yml's pages, in order (the root page may be
    shown first or left to the logo)."""
    root_page = PAGES[0]
    links = visited[root_page]["sidebar"]
    pages = []
    for href in links:
        path = urlparse(href).path.lstrip("/")
        if path and path not in pages:
            pages.append(path)
    expected = PAGES if pages[:1] == [PAGES[0]] else PAGES[1:]
    assert pages == expected, (
        f"The sidebar lists {pages}, but _toc.yml says {expected}.")


def test_a_slider_works_without_a_kernel(visited):
    """A page with a precomputed slider (found by its widget markup, whatever the chapter) shows
    the slider and one picture, and moving the slider shows another picture."""
    widget_pages = [path for path, info in visited.items() if info.get("has_widgets")]
    assert widget_pages, ("No page has an ipywidgets slider, but the Introduction has one: "
                          "were the widget states saved when the book was executed?")
    for path in widget_pages:
        info = visited[path]
        assert info["sliders"] >= 1, (
            f"{path}: the widget markup is there but no slider was drawn (the ipywidgets HTML "
            "manager did not run: is it served from the book, see book/offline_assets.py?)")
        assert "VBox(" not in info["text"], (
            f"{path}: the widget's text fallback is shown instead of the widget")
        before, after = info["slider_before"], info["slider_after"]
        assert len(before["pictures"]) == 1, (
            f"{path}: {len(before['pictures'])} pictures shown with the slider, not 1")
        assert after["readout"] != before["readout"], f"{path}: the slider did not move"
        assert len(after["pictures"]) == 1 and after["pictures"] != before["pictures"], (
            f"{path}: moving the slider from {before['readout']!r} to {after['readout']!r} did "
            "not change the picture (the slider and the pictures are not linked in the browser).")


def test_the_book_opened_from_disk_works_offline(book, browser):
    """README: "open _build/html/index.html in a browser. It works offline." As file://, with
    no server and no internet: the maths is typeset and the sliders are drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((book / "index.html").as_uri(), wait_until="load")  # redirects to the root page
        page.wait_for_url("**/" + PAGES[0], timeout=WAIT_MS)
        page.wait_for_load_state("load")
        assert wait_for_mathjax(page), "MathJax did not start from file://"
        assert page.locator(".math").count() > 0, "the first page is expected to have maths"
        assert page.locator(".math:not(:has(mjx-container))").count() == 0
        if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
            page.wait_for_selector(".widget-slider", state="visible", timeout=WAIT_MS)
        errors = [e for e in errors if not any(k in e for k in KNOWN_JS_ERRORS)]
        assert not errors, f"JavaScript errors from file://: {errors}"
        assert not blocked, f"requests outside the book from file://: {sorted(set(blocked))[:10]}"
    finally:
        context.close()
