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
    # (the legend where it covers the fewest examples: plot_classes's loc="best")
    return plot_classes(X, Y, ax=ax, xlabel=xlabel, ylabel=ylabel, title=title)


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


# -- chapter 6: images, confusion matrices, cost per update ------------------------------------

def plot_images(X, titles=None, ncols=6, image_shape=(8, 8), width=5.5, row_height=None,
                suptitle=None, fontsize=8):
    """Small grey images in a grid, one per column of ``X``, dark = large values.

    X : (n_x, k) with n_x = rows × columns of ``image_shape``; column i is image i, read row by
        row (``X[:, i].reshape(image_shape)``), values in [0, 1].
    titles : k strings (or None), shown above the images.
    ncols : images per row; the grid has ceil(k / ncols) rows, ``width`` inches wide (5.5 by
        default: a phone shows it at a readable size). Unused cells of the last row stay blank.

    Returns the (rows, ncols) array of Axes.
    """
    import matplotlib.pyplot as plt

    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != image_shape[0] * image_shape[1]:
        raise ValueError(f"X should have shape ({image_shape[0] * image_shape[1]}, k): one image "
                         f"of {image_shape[0]} × {image_shape[1]} pixels per column, got "
                         f"{X.shape}.")
    count = X.shape[1]
    nrows = max(1, -(-count // ncols))
    cell = width / ncols
    row_height = row_height or cell * (1.25 if titles is not None else 1.0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, nrows * row_height + 0.4 * bool(suptitle)),
                             squeeze=False)
    for index, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if index >= count:
            ax.axis("off")
            continue
        ax.imshow(X[:, index].reshape(image_shape), cmap="gray_r", vmin=0, vmax=1)
        if titles is not None:
            ax.set_title(titles[index], fontsize=fontsize)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return axes


def plot_confusion_matrix(confusion, ax=None, class_names=None, xlabel="predicted class",
                          ylabel="true class", title=None):
    """A confusion matrix as a grid of counts: row = true class, column = predicted class.

    confusion : (K, K) whole numbers, confusion[t, p] = how many examples of class t were
        predicted as p (a perfect classifier has counts only on the diagonal). Every non-zero
        count is written in its square, white on dark squares.
    class_names : K labels for the ticks (default 0 … K−1).
    """
    ax = _axes(ax, figsize=(5.5, 4.8))
    confusion = np.asarray(confusion)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(f"confusion should be a square (K, K) array, got {confusion.shape}.")
    K = confusion.shape[0]
    image = ax.imshow(confusion, cmap="Blues")
    for true in range(K):
        for guess in range(K):
            count = confusion[true, guess]
            if count:
                dark = count > confusion.max() / 2
                ax.text(guess, true, str(count), ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
    names = list(range(K)) if class_names is None else list(class_names)
    ax.set_xticks(range(K), names)
    ax.set_yticks(range(K), names)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.figure.colorbar(image, ax=ax, label="number of examples")
    return ax


def plot_cost_per_update(*histories, updates_per_epoch, labels=None, ax=None, log=True,
                         title="Cost per update"):
    """The training cost of one or more Histories against the number of updates made so far.

    ``updates_per_epoch``: one number per History, ceil(m / B) for mini-batches of B examples
    (1 for full-batch gradient descent). Epoch e of a History is drawn at e × updates_per_epoch,
    with a marker: the cost is recorded once per epoch. ``log``: a logarithmic update axis
    (default), so that 40 full-batch updates and 1 000 mini-batch updates fit on one plot.
    """
    ax = _axes(ax)
    updates_per_epoch = np.broadcast_to(np.asarray(updates_per_epoch), (len(histories),))
    labels = labels or [None] * len(histories)
    for i, (history, per_epoch, label) in enumerate(zip(histories, updates_per_epoch, labels)):
        cost = getattr(history, "cost", history)
        updates = per_epoch * np.arange(1, len(cost) + 1)
        ax.plot(updates, cost, color=f"C{i}", marker=".", ms=4, label=label)
    ax.set_xlabel("number of updates (log scale)" if log else "number of updates")
    ax.set_ylabel("cost J")
    if log:
        ax.set_xscale("log")
    if title:
        ax.set_title(title)
    if any(labels):
        ax.legend()
    return ax


__all__ += ["plot_images", "plot_confusion_matrix", "plot_cost_per_update"]

# --- Chapters 2 and 3: features against the target, predictions, 0/1 outcomes -----------------

__all__ += ["plot_each_feature", "plot_predicted_vs_actual", "plot_binary_outcomes"]


def _row_matrix(name, array, rows=None):
    """``array`` as a 2-D float array (rows, m), or a ValueError that names the expected shape."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2 or (rows is not None and array.shape[0] != rows):
        expected = f"({rows}, m)" if rows is not None else "(n, m)"
        raise ValueError(f"{name} should have shape {expected}, one example per column; "
                         f"got shape {np.shape(array)}.")
    return array


def plot_each_feature(X, Y, xlabels, ylabel="y", histogram=True, jitter=0.15, width=5.5,
                      row_height=2.3, seed=0):
    """The target against each feature, one small scatter plot per feature (row of X).

    X : (n_x, m), one example per column; Y : (1, m), the target (a price, say).
    xlabels : n_x axis labels, one per feature, with units ("lot size (square feet)").
    histogram : add one more panel, the distribution of Y (a histogram on Y's axis).
    jitter : features that hold only whole numbers with few values (counts: bathrooms) are
        moved sideways by up to ±jitter (seeded), so that equal points do not hide each other.

    The panels are two per row, ``width`` inches wide in all (a phone shows 5.5 in at 60 %),
    and share Y's axis. Returns the array of Axes, shape (rows, 2).
    """
    import matplotlib.pyplot as plt

    X = _row_matrix("X", X)
    Y = _row_matrix("Y", Y, rows=1)
    n_x, m = X.shape
    if Y.shape[1] != m:
        raise ValueError(f"X has {m} examples (columns) but Y has {Y.shape[1]}: they should "
                         "have the same number of columns.")
    if len(xlabels) != n_x:
        raise ValueError(f"xlabels should give one label per feature (row of X): {n_x} "
                         f"labels expected, {len(xlabels)} given.")
    panels = n_x + bool(histogram)
    rows = -(-panels // 2)
    fig, axes = plt.subplots(rows, 2, figsize=(width, row_height * rows), sharey=True,
                             squeeze=False, layout="constrained")
    rng = np.random.default_rng(seed)
    for row, label, ax in zip(X, xlabels, axes.flat):
        counts = np.all(row == np.round(row)) and np.unique(row).size <= 20
        x = row + rng.uniform(-jitter, jitter, size=m) if counts and jitter else row
        ax.scatter(x, Y[0], s=4, alpha=0.35)
        if counts and jitter:   # "bathrooms (count)" -> "bathrooms (count, jittered)"
            label = label[:-1] + ", jittered)" if label.endswith(")") else label + " (jittered)"
        ax.set_xlabel(label, fontsize=9)
    for ax in axes[:, 0]:
        ax.set_ylabel(ylabel, fontsize=9)
    if histogram:
        ax = axes.flat[n_x]
        ax.hist(Y[0], bins=30, orientation="horizontal", color="grey")
        ax.set_xlabel("number of examples", fontsize=9)
    for ax in axes.flat[panels:]:
        ax.set_visible(False)
    return axes


def plot_predicted_vs_actual(Y, *predictions, labels=None, ax=None, unit="",
                             title="Predictions against the truth"):
    """Each model's predictions (vertical) against the true values Y (horizontal), one colour
    per model, and the diagonal where a perfect prediction would lie.

    Y : (1, m); each prediction : (1, m), for the same examples in the same order.
    labels : one legend label per prediction. unit : appended to both axis labels ("thousand CAD").
    """
    ax = _axes(ax, figsize=(5.5, 4.5))
    Y = _row_matrix("Y", Y, rows=1)
    labels = labels or [f"model {k + 1}" for k in range(len(predictions))]
    if len(labels) != len(predictions):
        raise ValueError(f"{len(predictions)} predictions but {len(labels)} labels: give one "
                         "label per prediction.")
    high = float(Y.max())
    for k, (prediction, label) in enumerate(zip(predictions, labels)):
        prediction = _row_matrix("each prediction", prediction, rows=1)
        if prediction.shape != Y.shape:
            raise ValueError(f"a prediction has shape {prediction.shape}, Y has {Y.shape}: "
                             "predict the same examples as Y, one per column.")
        ax.scatter(Y[0], prediction[0], s=8, alpha=0.45, color=f"C{k}", label=label)
        high = max(high, float(prediction.max()))
    low = min(0.0, float(Y.min()), *(float(np.min(p)) for p in predictions))
    limits = [low, high * 1.05]
    ax.plot(limits, limits, color="C3", lw=1, label="perfect prediction")
    ax.set_xlim(limits)
    ax.set_ylim(limits)
    suffix = f" ({unit})" if unit else ""
    ax.set_xlabel("actual" + suffix)
    ax.set_ylabel("predicted" + suffix)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left")
    return ax


def plot_binary_outcomes(X, Y, ax=None, xlabel="x", class_names=("y = 0", "y = 1"),
                         stack=0.06, size=36):
    """0/1 outcomes against one input: class 1 as red triangles at height 1, class 0 as blue
    circles at height 0 (shape and colour both tell them apart).

    X : (1, m) the input (a temperature, say); Y : (1, m) holding only 0 and 1.
    stack : examples with the same input and outcome are stacked towards the middle, ``stack``
        apart, so that none hides another. class_names : the labels of the two ticks.

    Draw a model's probability on the same Axes (the vertical axis runs from 0 to 1).
    """
    ax = _axes(ax, figsize=(5.5, 3.2))
    X = _row_matrix("X", X, rows=1)
    Y = _row_matrix("Y", Y, rows=1)
    if X.shape != Y.shape:
        raise ValueError(f"X has shape {X.shape} and Y {Y.shape}: one input and one outcome "
                         "per example, both of shape (1, m).")
    x, y = X[0], Y[0]
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("Y should hold only the outcomes 0 and 1 (the classes); it holds "
                         f"{sorted(set(np.unique(y)) - {0.0, 1.0})[:3]} too.")
    offset = np.array([stack * np.sum((x[:i] == x[i]) & (y[:i] == y[i])) for i in range(x.size)])
    height = y + offset * (1 - 2 * y)
    for cls, marker, colour in ((0, "o", "C0"), (1, "^", "C3")):
        chosen = y == cls
        ax.scatter(x[chosen], height[chosen], s=size, marker=marker, c=colour, edgecolors="k",
                   linewidths=0.5, zorder=3, label=class_names[cls])
    ax.set_yticks([0, 1], list(class_names))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("outcome y")
    return ax


# --- Chapters 4 and 5: classes, decision boundaries, the network drawn ------------------------

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
            ax.legend(loc="best", fontsize=7)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    return fig, axes


def plot_network(sizes, ax=None, highlight=None, weights=None, biases=None, width=5.2):
    """A fully connected network drawn as columns of units, layer 0 (the inputs) on the left.

    sizes : [n^[0], n^[1], ..., n^[L]], the number of units of each layer.
    highlight : (l, k) colours the weights into unit k (counted from 0) of layer l, that is
        column k of W^[l], in red.
    weights : optional [W^[1], ..., W^[L]], W^[l] of shape (n^[l-1], n^[l]): each weight
        W^[l]_jk is written on the line from unit j of layer l-1 to unit k of layer l.
    biases : optional [b^[1], ..., b^[L]], b^[l] of shape (n^[l], 1): written under each unit.

    width : inches, for a new figure (its height follows from the drawing); 5.2, so that with
        the layer names beside it the picture stays within 5.5 inches (a phone draws it at 60 %
        of its size or more).

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
