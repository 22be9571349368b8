"""The built book with a screen reader and a keyboard, with no internet.

- axe-core (the npm devDependency pinned in package.json, injected into each page by the test,
  never shipped with the book) finds no critical and no serious violation on any page of the
  table of contents, in the light and in the dark colour scheme;
- every figure has an alt text that says what it shows (not a file name), and every figure of a
  chapter a caption;
- every slider handle has an accessible name and announces the value it shows
  ("learning rate α = 0.02"), not its index, also after it moved;
- a keyboard reaches the slider and moves it.

Needs the built book (`make book`) and node_modules (`npm ci`, done by `make book`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import PAGES, ROOT, offline, open_page

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What a learner cannot live with: axe's two highest impacts.
BLOCKING = ("critical", "serious")
CHAPTERS = [path for path in PAGES if path.startswith("chapters/0")]

_AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        where: v.nodes.slice(0, 3).map(n => n.html.slice(0, 200)),
        count: v.nodes.length}));
}"""

_FIGURES = """() => Array.from(document.querySelectorAll(
        "article .cell_output img, article .widget-html img")).map(img => ({
    src: img.getAttribute("src"), alt: img.getAttribute("alt"),
    in_widget: img.closest(".widget-html") !== null,
    caption: (img.closest("figure") && img.closest("figure").querySelector("figcaption"))
             ? img.closest("figure").querySelector("figcaption").textContent.trim() : null}))"""

_HANDLES = """() => Array.from(document.querySelectorAll(".widget-slider")).map(s => {
    const h = s.querySelector(".noUi-handle");
    return {role: h.getAttribute("role"), name: h.getAttribute("aria-label"),
            valuetext: h.getAttribute("aria-valuetext"),
            label: s.querySelector(".widget-label").textContent.trim(),
            readout: s.querySelector(".widget-readout").textContent.trim()};
})"""


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make book does).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["light", "dark"])
def scheme_context(request, browser, server):
    context = offline(browser.new_context(viewport={"width": 1280, "height": 900},
                                          color_scheme=request.param), server)
    context.scheme = request.param
    yield context
    context.close()


@pytest.fixture(scope="module")
def violations(scheme_context, server, axe_source):
    """{page: [violation, ...]} of one colour scheme."""
    found = {}
    for path in PAGES:
        page = open_page(scheme_context, server + path)
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert theme == scheme_context.scheme, f"{path} is shown in {theme} mode"
        page.add_script_tag(content=axe_source)
        found[path] = page.evaluate(_AXE_RUN)
        page.close()
    return found


@pytest.mark.parametrize("path", PAGES)
def test_no_critical_or_serious_violation(violations, path):
    blocking = [v for v in violations[path] if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{path}: {v['impact']} {v['id']} ({v['help']}), {v['count']} element(s), e.g. "
        f"{v['where']}" for v in blocking)


@pytest.fixture(scope="module")
def described(offline_context, server):
    """Every page opened once: its figures (alt text, caption) and its slider handles."""
    seen = {}
    for path in PAGES:
        page = open_page(offline_context, server + path)
        seen[path] = {"figures": page.evaluate(_FIGURES), "handles": page.evaluate(_HANDLES)}
        page.close()
    return seen


def _is_file_name(text):
    return bool(re.search(r"\.(png|svg|jpe?g|gif)\b|_images/|^[0-9a-f]{32,}", text or ""))


@pytest.mark.parametrize("path", PAGES)
def test_every_figure_has_an_alt_text_that_says_what_it_shows(described, path):
    bad = [(Path(f["src"]).name[:16], f["alt"]) for f in described[path]["figures"]
           if not f["alt"] or _is_file_name(f["alt"]) or len(f["alt"]) < 15]
    assert not bad, (
        f"{path}: figures whose alt text is missing, a file name or too short to say what they "
        f"show: {bad}. Give the cell `mystnb: image: alt:` in its metadata (CONTRIBUTING.md).")


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_figure_of_a_chapter_has_a_caption(described, path):
    missing = [Path(f["src"]).name[:16] for f in described[path]["figures"]
               if not f["in_widget"] and not f["caption"]]
    assert not missing, (
        f"{path}: figures without a caption: {missing}. Give the cell `mystnb: figure: caption:` "
        "in its metadata (CONTRIBUTING.md).")


def test_every_slider_handle_is_named_and_announces_what_it_shows(described):
    pages_with_sliders = 0
    for path, seen in described.items():
        pages_with_sliders += bool(seen["handles"])
        for handle in seen["handles"]:
            assert handle["role"] == "slider"
            assert handle["name"] == handle["label"] and handle["name"], (path, handle)
            assert handle["valuetext"] == f"{handle['label']} = {handle['readout']}", (path, handle)
    assert pages_with_sliders >= 5


def test_a_keyboard_reaches_a_slider_and_moves_it(offline_context, server):
    """Tab from the top of the first chapter with a slider until the slider's handle has the
    focus, then the right arrow key: the picture and the announced value change."""
    page = open_page(offline_context, server + "chapters/01_linear_regression.html")
    try:
        handle = page.locator(".noUi-handle").first
        for _ in range(400):
            page.keyboard.press("Tab")
            if handle.evaluate("h => h === document.activeElement"):
                break
        else:
            pytest.fail("400 presses of Tab never reached the first slider")
        before = handle.get_attribute("aria-valuetext")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([h, v]) => h.getAttribute('aria-valuetext') !== v", arg=[handle.element_handle(), before])
        after = handle.get_attribute("aria-valuetext")
        assert before.split(" = ")[0] == after.split(" = ")[0] != ""
        assert after != before
    finally:
        page.close()
