"""nnlib.interactive: the slider is linked to the pictures in the browser, not through a kernel."""

import matplotlib

matplotlib.use("Agg")

import pytest

from nnlib.interactive import precomputed_slider


def test_one_picture_per_value_linked_in_the_browser():
    import ipywidgets as widgets

    seen = []

    def draw(ax, value):
        seen.append(value)
        ax.plot([0, 1], [0, value])
        ax.set_xlabel("x")
        ax.set_ylabel("y")

    box = precomputed_slider(draw, [1, 2, 3], description="slope")
    slider, stack = box.children
    assert seen == [1, 2, 3]
    assert len(stack.children) == 3 and all(isinstance(c, widgets.Image) for c in stack.children)
    assert [label for label, _ in slider.options] == ["1", "2", "3"]
    assert type(box.link).__name__ == "Link", "the slider must be jslinked (in the browser)"
    assert box.link.source == (slider, "index")
    assert box.link.target == (stack, "selected_index")


def test_needs_values():
    with pytest.raises(ValueError, match="at least one value"):
        precomputed_slider(lambda ax, v: None, [])
