"""nnlib.interactive: one sharp, described picture per value; linked in the browser with
ipywidgets 8, through the kernel with ipywidgets 7 (Colab)."""

import base64
import re
import struct

import matplotlib

matplotlib.use("Agg")

import pytest

from nnlib import interactive
from nnlib.interactive import precomputed_slider


def _draw(seen):
    def draw(ax, value):
        seen.append(value)
        ax.plot([0, 1], [0, value])
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(f"a line of slope {value}")
    return draw


def _img(html):
    """(alt, width, height, png width, png height) of the one <img> in ``html``."""
    match = re.fullmatch(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)" '
                         r'width="(\d+)" height="(\d+)" style="[^"]*">', html)
    assert match, html[:200]
    png = base64.b64decode(match.group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    png_width, png_height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    return match.group(2), int(match.group(3)), int(match.group(4)), png_width, png_height


def test_one_picture_per_value_linked_in_the_browser():
    import ipywidgets as widgets

    seen = []
    box = precomputed_slider(_draw(seen), [1, 2, 3], description="slope")
    slider, stack = box.children
    assert seen == [1, 2, 3]
    assert isinstance(stack, widgets.Stack)
    assert len(stack.children) == 3 and all(isinstance(c, widgets.HTML) for c in stack.children)
    assert [c.value for c in stack.children] == box.pictures
    assert [label for label, _ in slider.options] == ["1", "2", "3"]
    assert type(box.link).__name__ == "Link", "the slider must be jslinked (in the browser)"
    assert box.link.source == (slider, "index")
    assert box.link.target == (stack, "selected_index")


def test_pictures_are_sharp_described_and_of_the_figures_size():
    box = precomputed_slider(_draw([]), [0.5, 2], description="slope", figsize=(5, 3),
                             format_value=lambda v: f"{v:.1f}")
    for html, value in zip(box.pictures, ["0.5", "2.0"]):
        alt, width, height, png_width, png_height = _img(html)
        assert (width, height) == (500, 300)              # 5 x 3 inches at 100 dpi, in CSS px
        assert (png_width, png_height) == (1000, 600)     # drawn at twice that: sharp at 2x
        assert alt == f"a line of slope {float(value):g} (slope = {value})"
    assert box.pictures[0] != box.pictures[1]


def test_alt_text_can_be_given():
    box = precomputed_slider(_draw([]), [1, 2], alt=lambda v: f"slope {v} & more")
    assert _img(box.pictures[1])[0] == "slope 2 &amp; more"


def test_ipywidgets_7_swaps_the_picture_in_the_kernel(monkeypatch):
    """Colab ships ipywidgets 7.7.1, which has no Stack: the kernel shows the picture."""
    import ipywidgets as widgets

    monkeypatch.setattr(interactive, "_ipywidgets_major", lambda: 7)
    box = precomputed_slider(_draw([]), [1, 2, 3], description="slope")
    slider, picture = box.children
    assert isinstance(picture, widgets.HTML) and picture.value == box.pictures[0]
    slider.index = 2
    assert picture.value == box.pictures[2]
    slider.index = 1
    assert picture.value == box.pictures[1]


def test_needs_values():
    with pytest.raises(ValueError, match="at least one value"):
        precomputed_slider(lambda ax, v: None, [])
