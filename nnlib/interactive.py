"""Sliders that work with and without a running Python kernel.

``precomputed_slider(draw, values)`` draws one figure per value in advance and returns an
ipywidgets slider linked *in the browser* (``jslink``) to a stack of those pictures. Moving the
slider only switches pictures, so it works the same in Jupyter and in the static HTML book,
where no kernel is running.

    >>> from nnlib.interactive import precomputed_slider
    >>> def draw(ax, lr):
    ...     ax.plot(...)                      # draw the case for one learning rate
    >>> precomputed_slider(draw, [0.001, 0.01, 0.1], description="learning rate")
"""

from __future__ import annotations

import io

__all__ = ["precomputed_slider"]


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight")
    return buffer.getvalue()


def precomputed_slider(draw, values, description="value", figsize=(6, 4), format_value=str):
    """A slider over ``values`` that shows the figure ``draw(ax, value)`` made for each one.

    draw : callable(ax, value)   draws one case on a matplotlib Axes (label the axes!)
    values : sequence            the cases, in slider order (a few dozen at most)
    description : str            the slider's label
    format_value : callable      how a value is shown next to the slider

    Returns an ipywidgets VBox (slider above, picture below). Needs ipywidgets.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    values = list(values)
    if not values:
        raise ValueError("precomputed_slider needs at least one value.")
    images = []
    for value in values:
        fig, ax = plt.subplots(figsize=figsize)
        draw(ax, value)
        images.append(widgets.Image(value=_png(fig), format="png",
                                    layout=widgets.Layout(max_width="100%")))
        plt.close(fig)
    slider = widgets.SelectionSlider(
        options=[(format_value(v), i) for i, v in enumerate(values)],
        value=0,
        description=description,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="min(100%, 560px)"),
    )
    stack = widgets.Stack(images, selected_index=0)
    box = widgets.VBox([slider, stack])
    box.link = widgets.jslink((slider, "index"), (stack, "selected_index"))  # runs in the browser
    return box
