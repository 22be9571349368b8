"""Sliders that work with and without a running Python kernel.

``precomputed_slider(draw, values)`` draws one figure per value in advance and returns a slider
above those pictures. Moving the slider only switches pictures:

- with ipywidgets 8 (JupyterLab, the HTML book) the slider is linked *in the browser*
  (``jslink``) to a ``Stack`` of the pictures, so it works in the static HTML book too, where no
  kernel is running;
- with ipywidgets 7 (Google Colab ships 7.7.1, which has no ``Stack``) the kernel swaps the
  picture when the slider moves (Colab always has a kernel).

Each picture is an ``<img>`` in an ``HTML`` widget: a PNG drawn at twice the figure's resolution
(sharp on a phone or a 2x screen) shown at the figure's own size, with an alt text for screen
readers. The book moves the pictures out of the page into image files (book/page_weight.py).

    >>> from nnlib.interactive import precomputed_slider
    >>> def draw(ax, lr):
    ...     ax.plot(...)                      # draw the case for one learning rate
    >>> precomputed_slider(draw, [0.001, 0.01, 0.1], description="learning rate α")
"""

from __future__ import annotations

import base64
import html
import io

__all__ = ["precomputed_slider", "picture_html"]

#: Pictures are drawn at this many pixels per CSS pixel: sharp on 2x (retina, phone) screens.
PIXEL_RATIO = 2


def picture_html(fig, alt):
    """``<img>`` of the figure ``fig``: a PNG at PIXEL_RATIO x its resolution, shown at the
    figure's own size (width x height in CSS pixels, at most the column's width), with ``alt``
    as its text alternative. The PNG is inline (a data: URL), so it needs no file."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PIXEL_RATIO * fig.dpi)
    width, height = (round(x) for x in fig.get_size_inches() * fig.dpi)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'width="{width}" height="{height}" style="max-width: 100%; height: auto;">')


def _ipywidgets_major():
    import ipywidgets

    return int(ipywidgets.__version__.split(".")[0])


def _default_alt(ax, description, label):
    title = ax.get_title()
    return f"{title} ({description} = {label})" if title else f"{description} = {label}"


def precomputed_slider(draw, values, description="value", figsize=(5.5, 4), format_value=str,
                       alt=None):
    """A slider over ``values`` that shows the figure ``draw(ax, value)`` made for each one.

    draw : callable(ax, value)   draws one case on a matplotlib Axes (label the axes!)
    values : sequence            the cases, in slider order (a few dozen at most)
    description : str            the slider's label, e.g. "learning rate α"
    figsize : (width, height)    inches; at most 5.5 wide, so that the picture is drawn at 60 %
                                 of its size or more on a phone (390 px)
    format_value : callable      how a value is shown next to the slider ("0.02")
    alt : callable(value) -> str what a screen reader says of the picture for ``value``;
                                 default: the axes' title and "description = value"

    Returns an ipywidgets VBox (slider above, picture below). Needs ipywidgets 7 or 8.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    values = list(values)
    if not values:
        raise ValueError("precomputed_slider needs at least one value.")
    labels = [format_value(v) for v in values]
    pictures = []
    for value, label in zip(values, labels):
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        draw(ax, value)
        text = alt(value) if alt is not None else _default_alt(ax, description, label)
        pictures.append(picture_html(fig, text))
        plt.close(fig)
    slider = widgets.SelectionSlider(
        options=[(label, i) for i, label in enumerate(labels)],
        value=0,
        description=description,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="min(100%, 560px)"),
    )
    if _ipywidgets_major() >= 8:
        stack = widgets.Stack([widgets.HTML(p) for p in pictures], selected_index=0)
        box = widgets.VBox([slider, stack])
        box.link = widgets.jslink((slider, "index"), (stack, "selected_index"))  # in the browser
    else:  # ipywidgets 7 (Colab): no Stack; the kernel swaps the picture
        picture = widgets.HTML(pictures[0])

        def show(change):
            picture.value = pictures[change["new"]]

        slider.observe(show, names="index")
        box = widgets.VBox([slider, picture])
        box.link = None
    box.pictures = pictures
    return box
