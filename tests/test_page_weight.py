"""Light pages (book/page_weight.py): no page of the built book over 1 MB, no source maps, and
every picture moved out of a page exists beside it.

The first tests need the built book (`make book`); the last ones check the rewriting itself on a
page made here.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from browser_support import HTML

from book import page_weight

MAX_PAGE_BYTES = 1_000_000


@pytest.fixture(scope="module")
def built_pages(book):
    return sorted(book.rglob("*.html"))


@pytest.mark.browser
def test_no_page_is_over_1_mb(built_pages):
    assert len(built_pages) >= 13
    heavy = {str(p.relative_to(HTML)): p.stat().st_size for p in built_pages
             if p.stat().st_size > MAX_PAGE_BYTES}
    assert not heavy, f"pages over 1 MB (a phone downloads all of it first): {heavy}"


@pytest.mark.browser
def test_no_page_carries_pictures_inline(built_pages):
    inline = [str(p.relative_to(HTML)) for p in built_pages
              if "data:image/png;base64," in p.read_text(encoding="utf-8")]
    assert not inline, f"pages with inline pictures (book/page_weight.py did not run?): {inline}"


@pytest.mark.browser
def test_no_source_maps_are_published(book):
    maps = [str(p.relative_to(book)) for p in book.rglob("*.map")]
    assert not maps, f"source maps in the build: {maps}"


@pytest.mark.browser
def test_every_widget_picture_exists(built_pages):
    referenced = 0
    for page in built_pages:
        for src in re.findall(r'src=\\"([^"\\]+/_images/widget-[0-9a-f]+\.png)\\"',
                              page.read_text(encoding="utf-8")):
            referenced += 1
            assert (page.parent / src).resolve().is_file(), f"{page.name}: {src} is missing"
    assert referenced >= 40, "the chapters' sliders should refer to their pictures"


# -- the rewriting, on a page made here --------------------------------------------------------

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _page_with_state(state):
    body = json.dumps(state).replace("</", "<\\/")
    return ("<html><body><p>text with data:image/png;base64,AAAA outside the state</p>"
            f'<script type="application/vnd.jupyter.widget-state+json">{body}</script>'
            "</body></html>")


def test_inline_pictures_become_files_next_to_the_page(tmp_path):
    data = base64.b64encode(PNG).decode()
    state = {"version_major": 2, "state": {"m1": {"model_name": "HTMLModel", "state": {
        "value": f'<img src="data:image/png;base64,{data}" alt="a picture" width="5">'}}}}
    page = tmp_path / "chapters" / "one.html"
    page.parent.mkdir()
    page.write_text(_page_with_state(state), encoding="utf-8")

    assert page_weight.externalise_pictures(page, tmp_path) == 1
    text = page.read_text(encoding="utf-8")
    assert "data:image/png;base64,AAAA outside the state" in text  # only the widget state
    body = re.search(r'widget-state\+json">(.*?)</script>', text, re.S).group(1)
    value = json.loads(body.replace("<\\/", "</"))["state"]["m1"]["state"]["value"]
    src = re.search(r'src="([^"]+)"', value).group(1)
    assert src.startswith("../_images/widget-") and src.endswith(".png")
    assert (page.parent / src).read_bytes() == PNG
    assert 'alt="a picture"' in value
    assert page_weight.externalise_pictures(page, tmp_path) == 0  # nothing left to move


def test_source_maps_are_removed(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.js").write_text("x")
    (tmp_path / "_static" / "theme.js.map").write_text("{}")
    assert page_weight.remove_source_maps(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["_static", "theme.js"]
