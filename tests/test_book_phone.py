"""The built book on a phone (390 x 844 CSS pixels, touch, a 2x screen), with no internet.

What a learner on a phone needs: the menu button opens the chapter list and the contents button
opens the page's contents, on every page; every figure is drawn at 60 % of its size or more
(below that its labels cannot be read) and is sharp on a 2x screen; nothing makes the page
scroll sideways; a display equation wider than the screen scrolls by itself, with a visible cue.

Needs the built book (`make book`); run with `make test`.
"""

from __future__ import annotations

import pytest
from browser_support import PAGES, open_page

pytestmark = pytest.mark.browser

#: A figure drawn smaller than this share of its own width cannot be read (its 10-point labels
#: would be under 8 CSS pixels tall).
MIN_SCALE = 0.6

# Every figure of the page's text (cell outputs, slider pictures), its width as drawn and the
# width it is meant to have in CSS pixels: myst-nb writes a 2x figure's size as an inline style,
# precomputed_slider as a width attribute; without either, the file's own width.
_FIGURES = """() => Array.from(document.querySelectorAll(
        "article .cell_output img, article .widget-html img"))
    .filter(img => img.offsetParent !== null)
    .map(img => ({
        src: img.getAttribute("src").split("/").pop(),
        alt: img.getAttribute("alt") || "",
        intended: parseFloat(img.style.width) || parseFloat(img.getAttribute("width"))
                  || img.naturalWidth,
        drawn: img.getBoundingClientRect().width,
        pixels: img.naturalWidth,
    }))"""

_WIDE_EQUATIONS = """() => Array.from(document.querySelectorAll(
        'article mjx-container[display="true"]'))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => ({tex: (e.closest(".math") || e).textContent.slice(0, 60),
                overflow: getComputedStyle(e).overflowX,
                cue: getComputedStyle(e).backgroundImage}))"""


@pytest.fixture(scope="module")
def on_phone(phone_context, server):
    """Every page opened once on the phone: its figures, wide equations and page width."""
    seen = {}
    for path in PAGES:
        page = open_page(phone_context, server + path)
        for image in page.locator("article img").all():  # pictures load lazily on a phone
            image.scroll_into_view_if_needed()
        page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
        seen[path] = {
            "figures": page.evaluate(_FIGURES),
            "wide_equations": page.evaluate(_WIDE_EQUATIONS),
            "page_width": page.evaluate("() => document.documentElement.scrollWidth"),
            "viewport": page.viewport_size["width"],
        }
        page.close()
    return seen


def _tap_visible(page, selector):
    """Tap the one button matching ``selector`` that a learner can see; its accessible name."""
    visible = [b for b in page.locator(selector).all() if b.is_visible()]
    assert len(visible) == 1, f"{len(visible)} visible buttons match {selector}"
    visible[0].tap()
    return visible[0]


@pytest.mark.parametrize("path", PAGES)
def test_the_menu_button_opens_the_chapter_list(phone_context, server, path):
    page = open_page(phone_context, server + path)
    try:
        dialog = page.locator("#pst-primary-sidebar-modal")
        assert not dialog.evaluate("d => d.open")
        _tap_visible(page, ".primary-toggle")
        page.wait_for_function(
            "() => document.querySelector('#pst-primary-sidebar-modal').open", timeout=5000)
        chapters = dialog.locator("nav.bd-docs-nav a.reference.internal")
        assert chapters.count() >= len(PAGES) - 1
        assert chapters.first.is_visible(), "the chapter list opened but cannot be seen"
        page.keyboard.press("Escape")
        page.wait_for_function(
            "() => !document.querySelector('#pst-primary-sidebar-modal').open", timeout=5000)
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_the_contents_button_opens_the_pages_contents(phone_context, server, path):
    page = open_page(phone_context, server + path)
    try:
        if page.locator("nav.page-toc a").count() == 0:
            pytest.skip(f"{path} has no sections, so no contents")
        _tap_visible(page, ".secondary-toggle")
        page.wait_for_function(
            "() => document.querySelector('#pst-secondary-sidebar-modal').open", timeout=5000)
        links = page.locator("#pst-secondary-sidebar-modal nav.page-toc a")
        assert links.count() > 0 and links.first.is_visible()
    finally:
        page.close()


@pytest.mark.parametrize("path", PAGES)
def test_figures_are_drawn_at_60_percent_or_more(on_phone, path):
    small = [(f["src"][:20], f"{f['drawn'] / f['intended']:.0%}")
             for f in on_phone[path]["figures"] if f["drawn"] < MIN_SCALE * f["intended"]]
    assert not small, (
        f"{path}: on a phone these figures are drawn at less than {MIN_SCALE:.0%} of their "
        f"size, too small to read: {small}. Make the figure at most 5.5 inches wide (stack "
        "wide panels: 2 x 2 instead of 1 x 4).")


@pytest.mark.parametrize("path", PAGES)
def test_figures_are_sharp_on_a_2x_screen(on_phone, path):
    blurry = [f["src"][:20] for f in on_phone[path]["figures"]
              if not f["src"].endswith(".svg") and f["pixels"] < 2 * f["intended"] - 2]
    assert not blurry, (
        f"{path}: figures with fewer than two pixels per CSS pixel, blurry on a phone: {blurry}"
        " (the book's kernels draw retina PNGs: book/ipython_kernel_config.py)")


def test_the_book_has_figures_to_check(on_phone):
    """The two tests above check something: the chapters are full of figures."""
    assert sum(len(seen["figures"]) for seen in on_phone.values()) >= 40


@pytest.mark.parametrize("path", PAGES)
def test_nothing_makes_the_page_scroll_sideways(on_phone, path):
    seen = on_phone[path]
    assert seen["page_width"] <= seen["viewport"] + 1, (
        f"{path}: the page is {seen['page_width']} px wide on a {seen['viewport']} px phone")


@pytest.mark.parametrize("path", PAGES)
def test_long_equations_scroll_with_a_visible_cue(on_phone, path):
    for equation in on_phone[path]["wide_equations"]:
        assert equation["overflow"] in ("auto", "scroll"), equation
        assert "gradient" in equation["cue"], (
            f"{path}: a wide equation scrolls without a visible cue: {equation['tex']!r}")
