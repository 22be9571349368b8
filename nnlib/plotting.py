"""The figures the chapters draw again and again, with labelled axes.

Every function draws on ``ax`` (a new figure if None) and returns the Axes, so a chapter can add
to it or put several side by side.
"""

from __future__ import annotations

import numpy as np

from . import activations as _activations

__all__ = ["plot_fit", "plot_cost", "plot_decision_boundary", "plot_activation",
           "plot_cost_surface"]


def _axes(ax, figsize=(6, 4)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_fit(X, Y, predict=None, ax=None, xlabel="x", ylabel="y", label="model", title=None):
    """Data as points and, if given, the model's prediction as a line.

    X, Y: (1, m). ``predict`` maps an array (1, k) to predictions (1, k), for example
    ``network.forward`` or ``lambda x: w * x + b``.
    """
    ax = _axes(ax)
    x = np.asarray(X).reshape(-1)
    ax.scatter(x, np.asarray(Y).reshape(-1), s=12, alpha=0.6, label="data")
    if predict is not None:
        grid = np.linspace(x.min(), x.max(), 200).reshape(1, -1)
        ax.plot(grid.ravel(), np.asarray(predict(grid)).reshape(-1), color="C3", lw=2, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_cost(*histories, labels=None, ax=None, log=False, title="Cost per epoch"):
    """The training cost per epoch of one or more Histories (or lists of costs); dashed lines
    show a validation cost where there is one."""
    ax = _axes(ax)
    labels = labels or [None] * len(histories)
    for i, (history, label) in enumerate(zip(histories, labels)):
        cost = getattr(history, "cost", history)
        epochs = np.arange(1, len(cost) + 1)
        ax.plot(epochs, cost, color=f"C{i}", label=label or ("training" if len(histories) == 1 else None))
        val = getattr(history, "val_cost", [])
        if len(val):
            ax.plot(epochs, val, color=f"C{i}", ls="--",
                    label=f"{label} (validation)" if label else "validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost J")
    if log:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    if any(labels) or any(len(getattr(h, "val_cost", [])) for h in histories) or len(histories) == 1:
        ax.legend()
    return ax


def plot_cost_surface(cost, w_values, b_values, path=None, minimum=None, ax=None, levels=15,
                      xlabel="w", ylabel="b", title="Cost surface J(w, b)"):
    """Contour lines of a cost J over two parameters and, if given, the path gradient descent took.

    cost : callable (w, b) -> float, or a 2-D array with J[i, j] = J(w_values[j], b_values[i]),
        of shape (len(b_values), len(w_values)).
    w_values, b_values : 1-D grids of the horizontal and vertical parameter.
    path : sequence of (w, b) pairs, for example one per epoch; drawn from a dot at the start.
        A diverging path is drawn up to its first point far off the grid.
    minimum : (w, b) to mark with a star, for example the exact least-squares solution.

    The levels are spaced geometrically above the smallest J on the grid, so that both the
    flat valley floor and the steep walls get contour lines.
    """
    ax = _axes(ax, figsize=(6, 4.5))
    w_values = np.asarray(w_values, dtype=np.float64).reshape(-1)
    b_values = np.asarray(b_values, dtype=np.float64).reshape(-1)
    if callable(cost):
        J = np.array([[cost(w, b) for w in w_values] for b in b_values], dtype=np.float64)
    else:
        J = np.asarray(cost, dtype=np.float64)
    if J.shape != (b_values.size, w_values.size):
        raise ValueError(f"cost should have shape (len(b_values), len(w_values)) = "
                         f"({b_values.size}, {w_values.size}), got {J.shape}.")
    low, high = float(J.min()), float(J.max())
    spread = max(high - low, 1e-12)
    contour_levels = low + np.geomspace(spread * 2e-3, spread, levels)
    contours = ax.contour(w_values, b_values, J, levels=contour_levels, cmap="viridis",
                          linewidths=1)
    ax.clabel(contours, contours.levels[::3], fontsize=7,
              fmt=lambda v: f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}")
    if path is not None:
        path = np.asarray(path, dtype=np.float64).reshape(-1, 2)
        # A diverging path is drawn until it leaves the map (the rest would be far off it).
        w_span, b_span = w_values[-1] - w_values[0], b_values[-1] - b_values[0]
        outside = ((path[:, 0] < w_values[0] - w_span) | (path[:, 0] > w_values[-1] + w_span)
                   | (path[:, 1] < b_values[0] - b_span) | (path[:, 1] > b_values[-1] + b_span)
                   | ~np.isfinite(path).all(axis=1))
        if outside.any():
            path = path[:int(np.argmax(outside)) + 1]
        if len(path) > 1:
            ax.plot(path[:, 0], path[:, 1], "-", color="C3", lw=1.5, label="gradient descent")
            ax.plot(path[:, 0], path[:, 1], ".", color="C3", ms=3)
        ax.plot(path[0, 0], path[0, 1], "o", color="k", ms=6, label="start")
    if minimum is not None:
        ax.plot(minimum[0], minimum[1], "*", color="gold", mec="k", ms=14, label="minimum")
    ax.set_xlim(w_values[0], w_values[-1])
    ax.set_ylim(b_values[0], b_values[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if path is not None or minimum is not None:
        ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_decision_boundary(predict_proba, X, Y, ax=None, resolution=200,
                           xlabel="$x_1$", ylabel="$x_2$", title=None):
    """Shade where a binary classifier says 1 (ŷ >= 0.5) and draw the examples on top.

    ``predict_proba`` maps (2, k) to ŷ of shape (1, k), for example ``network.forward``.
    X: (2, m), Y: (1, m) in {0, 1}.
    """
    ax = _axes(ax, figsize=(5, 5))
    X = np.asarray(X)
    pad = 0.5
    x1 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x2 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    G1, G2 = np.meshgrid(x1, x2)
    grid = np.vstack([G1.ravel(), G2.ravel()])
    P = np.asarray(predict_proba(grid)).reshape(G1.shape)
    ax.contourf(G1, G2, P, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
    ax.contour(G1, G2, P, levels=[0.5], colors="k", linewidths=1.5)
    y = np.asarray(Y).reshape(-1)
    for cls, marker, color in ((0, "o", "C0"), (1, "^", "C3")):
        ax.scatter(X[0, y == cls], X[1, y == cls], marker=marker, c=color, s=18,
                   edgecolors="k", linewidths=0.3, label=f"y = {cls}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right")
    return ax


def plot_activation(activation, ax=None, z_range=(-5, 5)):
    """An activation g(z) and its derivative g'(z) on one plot."""
    ax = _axes(ax)
    act = _activations.get(activation)
    z = np.linspace(*z_range, 401).reshape(1, -1)
    a = act.forward(z)
    ax.plot(z.ravel(), a.ravel(), lw=2, label="g(z)")
    ax.plot(z.ravel(), act.derivative(z, a).ravel(), lw=2, ls="--", label="g'(z)")
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
    ax.set_xlabel("z")
    ax.set_ylabel("value")
    ax.set_title(getattr(act, "name", type(act).__name__))
    ax.legend()
    return ax


# -- added for chapters 4 and 5 -------------------------------------------------------------------

def plot_classes(X, Y, ax=None, names=("y = 0", "y = 1"), xlabel="$x_1$", ylabel="$x_2$",
                 title=None):
    """The examples of a two-class problem as points: circles for y = 0, triangles for y = 1.

    X: (2, m), Y: (1, m) in {0, 1}. ``names``: the legend's words for the two classes.
    """
    ax = _axes(ax, figsize=(4.5, 4.5))
    X = np.asarray(X)
    y = np.asarray(Y).reshape(-1)
    for cls, marker, color in ((0, "o", "C0"), (1, "^", "C3")):
        ax.scatter(X[0, y == cls], X[1, y == cls], marker=marker, c=color, s=18,
                   edgecolors="k", linewidths=0.3, label=names[cls])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_decision_boundaries(panels, ncols=2, width=5.5, resolution=100, xlabel="$x_1$",
                             ylabel="$x_2$"):
    """Several decision boundaries in a grid of ``ncols`` panels a row, ``width`` inches wide.

    panels : list of (predict_proba, X, Y, title), one per panel: a function mapping (2, k) to
        ŷ of shape (1, k) (for example ``network.forward``), the examples X (2, m), their labels
        Y (1, m) in {0, 1}, and a short title.

    A row of four panels is drawn at a quarter of a phone's width, where nothing can be read;
    two a row at 5.5 inches keeps each panel at 2.75 inches. Only the first panel has a legend.
    Returns the Figure and the Axes, a 2-D array of shape (rows, ncols).
    """
    import matplotlib.pyplot as plt

    panels = list(panels)
    if not panels:
        raise ValueError("plot_decision_boundaries needs at least one panel.")
    nrows = -(-len(panels) // ncols)
    side = width / ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, nrows * (side + 0.2)), squeeze=False,
                             layout="constrained")
    for i, (ax, (predict, X, Y, title)) in enumerate(zip(axes.flat, panels)):
        plot_decision_boundary(predict, X, Y, ax=ax, resolution=resolution, xlabel=xlabel,
                               ylabel=ylabel)
        ax.set_title(title, fontsize=9)
        if i > 0:
            ax.get_legend().remove()
        else:
            ax.legend(loc="upper right", fontsize=7)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    return fig, axes


def plot_network(sizes, ax=None, highlight=None, weights=None, biases=None, width=5.5):
    """A fully connected network drawn as columns of units, layer 0 (the inputs) on the left.

    sizes : [n^[0], n^[1], ..., n^[L]], the number of units of each layer.
    highlight : (l, k) colours the weights into unit k (counted from 0) of layer l, that is
        column k of W^[l], in red.
    weights : optional [W^[1], ..., W^[L]], W^[l] of shape (n^[l-1], n^[l]): each weight
        W^[l]_jk is written on the line from unit j of layer l-1 to unit k of layer l.
    biases : optional [b^[1], ..., b^[L]], b^[l] of shape (n^[l], 1): written under each unit.

    width : inches, for a new figure (its height follows from the drawing).

    A diagram, not a plot: it has no axes (and nothing to label but its units and layers).
    """
    sizes = [int(n) for n in sizes]
    xs = np.arange(len(sizes)) * 2.8
    gap = 1.4 if weights is not None else 1.0
    ys = [gap * np.linspace(-(n - 1) / 2, (n - 1) / 2, n)[::-1] for n in sizes]
    xlim = (-0.8, xs[-1] + 0.8)
    ylim = (-gap * max(sizes) / 2 - 1.3, gap * max(sizes) / 2 + 0.1)
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(width, width * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])))
        ax = fig.add_axes((0, 0, 1, 1))
    for l in range(1, len(sizes)):
        W = None if weights is None else np.asarray(weights[l - 1], dtype=float)
        if W is not None and W.shape != (sizes[l - 1], sizes[l]):
            raise ValueError(f"weights[{l - 1}] = W^[{l}] should have shape (n^[{l - 1}], "
                             f"n^[{l}]) = {(sizes[l - 1], sizes[l])}, got {W.shape}.")
        for j, y_in in enumerate(ys[l - 1]):
            for k, y_out in enumerate(ys[l]):
                hot = highlight == (l, k)
                ax.plot([xs[l - 1], xs[l]], [y_in, y_out], zorder=1,
                        color="C3" if hot else "0.6", lw=2 if hot else 0.9)
                if W is not None:
                    t = 0.3
                    ax.text(xs[l - 1] + t * (xs[l] - xs[l - 1]), y_in + t * (y_out - y_in),
                            f"{W[j, k]:g}".replace("-", "−"), ha="center", va="center", fontsize=8, zorder=3,
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for l, n in enumerate(sizes):
        for k, y in enumerate(ys[l]):
            ax.add_patch(_unit_circle((xs[l], y), 0.33))
            name = f"x_{k + 1}" if l == 0 else f"a^{{[{l}]}}_{k + 1}"
            ax.text(xs[l], y, f"${name}$", ha="center", va="center", fontsize=10, zorder=4)
            if biases is not None and l > 0:
                b = np.asarray(biases[l - 1], dtype=float).reshape(-1)
                ax.text(xs[l], y - 0.42, f"b = {b[k]:g}".replace("-", "−"), ha="center", va="top", fontsize=8,
                        zorder=4)
        kind = "input" if l == 0 else "output" if l == len(sizes) - 1 else "hidden"
        ax.text(xs[l], -gap * max(sizes) / 2 - 0.35, f"layer {l} ({kind})\n$n^{{[{l}]}} = {n}$",
                ha="center", va="top", fontsize=9)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _unit_circle(center, radius):
    """A white unit with a black edge (a matplotlib Circle patch), for ``plot_network``."""
    from matplotlib.patches import Circle

    return Circle(center, radius, facecolor="white", edgecolor="k", zorder=2)


__all__ += ["plot_classes", "plot_decision_boundaries", "plot_network"]
