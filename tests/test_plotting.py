"""nnlib.plotting: every figure has labelled axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib import Dense, Network, datasets, plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labelled(ax):
    return bool(ax.get_xlabel()) and bool(ax.get_ylabel())


def test_every_plot_labels_its_axes():
    X, Y = datasets.noisy_line(m=20)
    net = Network([Dense(1, 1)])
    history = net.fit(X, Y, epochs=5, learning_rate=0.01)
    Xc, Yc = datasets.xor(m=40)
    clf = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], loss="binary_cross_entropy")
    axes = [
        plotting.plot_fit(X, Y, net.forward, xlabel="size", ylabel="price"),
        plotting.plot_cost(history),
        plotting.plot_cost(history, history, labels=["a", "b"], log=True),
        plotting.plot_decision_boundary(clf.forward, Xc, Yc),
        plotting.plot_activation("relu"),
    ]
    assert all(labelled(ax) for ax in axes)


def test_plot_fit_draws_the_model_through_predict():
    X, Y = np.array([[0.0, 1.0]]), np.array([[1.0, 3.0]])
    ax = plotting.plot_fit(X, Y, lambda x: 2 * x + 1)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), 2 * line.get_xdata() + 1)


# -- chapter 6: images, confusion matrices, cost per update ------------------------------------

def test_plot_images_draws_each_column_as_an_image_within_a_phone_width():
    X = np.linspace(0, 1, 64 * 7).reshape(64, 7)
    axes = plotting.plot_images(X, titles=[f"label {i}" for i in range(7)], ncols=4)
    assert axes.shape == (2, 4)
    fig = axes[0, 0].figure
    assert fig.get_size_inches()[0] <= 5.5
    shown = [ax for ax in axes.ravel() if ax.images]
    assert len(shown) == 7 and not axes[1, 3].images  # the last cell of the grid stays blank
    np.testing.assert_array_equal(shown[2].images[0].get_array(), X[:, 2].reshape(8, 8))
    assert [ax.get_title() for ax in shown] == [f"label {i}" for i in range(7)]


def test_plot_images_names_a_wrong_shape():
    with pytest.raises(ValueError, match=r"\(64, k\)"):
        plotting.plot_images(np.zeros((10, 3)))


def test_plot_confusion_matrix_writes_every_count_in_its_square():
    confusion = np.array([[5, 1, 0], [0, 7, 2], [3, 0, 4]])
    ax = plotting.plot_confusion_matrix(confusion)
    assert labelled(ax) and ax.figure.get_size_inches()[0] <= 5.5
    written = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text())
               for t in ax.texts}
    expected = {(t, p): int(confusion[t, p]) for t in range(3) for p in range(3) if confusion[t, p]}
    assert written == expected  # row = true class (y), column = predicted class (x)
    with pytest.raises(ValueError, match="square"):
        plotting.plot_confusion_matrix(np.zeros((2, 3)))


def test_plot_cost_per_update_places_epoch_e_at_e_times_the_updates_per_epoch():
    full, mini = [3.0, 2.0, 1.5], [1.0, 0.5, 0.4]
    ax = plotting.plot_cost_per_update(full, mini, updates_per_epoch=[1, 34],
                                       labels=["full batch", "batches of 32"])
    assert labelled(ax) and ax.get_xscale() == "log"
    first, second = ax.get_lines()
    np.testing.assert_array_equal(first.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(second.get_xdata(), [34, 68, 102])
    np.testing.assert_array_equal(second.get_ydata(), mini)

# --- plot_each_feature, plot_predicted_vs_actual, plot_binary_outcomes (chapters 2 and 3) ------

def test_plot_each_feature_one_panel_per_feature_and_a_histogram():
    X, Y = datasets.house_prices(["lotsize", "bathrms", "bedrooms"])
    axes = plotting.plot_each_feature(X, Y, ["lot size (sq ft)", "bathrooms", "bedrooms"],
                                      ylabel="price (CAD)")
    assert axes.shape == (2, 2)
    assert axes[0, 0].figure.get_size_inches()[0] <= 5.5
    visible = [ax for ax in axes.flat if ax.get_visible()]
    assert len(visible) == 4 and all(ax.get_xlabel() for ax in visible)
    assert all(ax.get_ylabel() for ax in axes[:, 0])     # the rows share the target's axis
    # each panel holds its feature: the lot size unjittered, the counts within ±0.15 of theirs
    lot = axes[0, 0].collections[0].get_offsets()
    np.testing.assert_array_equal(lot[:, 0], X[0])
    np.testing.assert_array_equal(lot[:, 1], Y[0])
    baths = axes[0, 1].collections[0].get_offsets()[:, 0]
    assert 0 < np.max(np.abs(baths - X[1])) <= 0.15
    assert "jittered" in axes[0, 1].get_xlabel() and "jittered" not in axes[0, 0].get_xlabel()
    # the histogram counts every example
    assert sum(p.get_width() for p in axes[1, 1].patches) == X.shape[1]


def test_plot_each_feature_names_a_wrong_shape():
    X, Y = np.ones((2, 5)), np.ones((1, 5))
    with pytest.raises(ValueError, match="one label per feature"):
        plotting.plot_each_feature(X, Y, ["only one"])
    with pytest.raises(ValueError, match="same number of columns"):
        plotting.plot_each_feature(X, np.ones((1, 4)), ["a", "b"])
    axes = plotting.plot_each_feature(X, Y, ["a", "b"], histogram=False)
    assert axes.shape == (1, 2)


def test_plot_predicted_vs_actual_draws_each_model_and_the_diagonal():
    Y = np.array([[1.0, 2.0, 4.0]])
    good, bad = Y + 0.1, np.array([[3.0, 3.0, 3.0]])
    ax = plotting.plot_predicted_vs_actual(Y, good, bad, labels=["good", "bad"], unit="kCAD")
    assert labelled(ax) and "kCAD" in ax.get_xlabel()
    np.testing.assert_array_equal(ax.collections[1].get_offsets()[:, 1], bad[0])
    diagonal = ax.get_lines()[0]
    np.testing.assert_array_equal(diagonal.get_xdata(), diagonal.get_ydata())
    assert diagonal.get_xdata()[1] >= good.max()
    with pytest.raises(ValueError, match="same examples as Y"):
        plotting.plot_predicted_vs_actual(Y, np.ones((1, 2)))
    with pytest.raises(ValueError, match="one label per prediction"):
        plotting.plot_predicted_vs_actual(Y, good, labels=["a", "b"])


def test_plot_binary_outcomes_stacks_equal_points_towards_the_middle():
    X = np.array([[50.0, 50.0, 50.0, 60.0, 60.0]])
    Y = np.array([[1.0, 1.0, 0.0, 0.0, 0.0]])
    ax = plotting.plot_binary_outcomes(X, Y, xlabel="temperature (°F)",
                                       class_names=("no failure", "failure"))
    assert labelled(ax)
    zeros, ones = (c.get_offsets() for c in ax.collections)
    np.testing.assert_allclose(ones[:, 1], [1.0, 0.94])           # second failure at 50: lower
    np.testing.assert_allclose(zeros[:, 1], [0.0, 0.0, 0.06])     # second success at 60: higher
    assert [t.get_text() for t in ax.get_yticklabels()] == ["no failure", "failure"]
    with pytest.raises(ValueError, match="only the outcomes 0 and 1"):
        plotting.plot_binary_outcomes(X, np.array([[0.0, 1.0, 2.0, 0.0, 1.0]]))
    with pytest.raises(ValueError, match=r"shape \(1, m\)"):
        plotting.plot_binary_outcomes(X, Y[:, :3])

# -- added for chapters 4 and 5 -------------------------------------------------------------------

def test_plot_classes_draws_each_class_with_its_marker():
    X = np.array([[0.0, 1.0, 2.0], [0.0, 1.0, 0.0]])
    Y = np.array([[0, 1, 1]])
    ax = plotting.plot_classes(X, Y, names=("outer", "inner"))
    assert labelled(ax)
    zeros, ones = ax.collections
    np.testing.assert_array_equal(zeros.get_offsets(), [[0.0, 0.0]])
    np.testing.assert_array_equal(ones.get_offsets(), [[1.0, 1.0], [2.0, 0.0]])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["outer", "inner"]
    assert ax.figure.get_size_inches()[0] <= 5.5


def test_plot_decision_boundaries_lays_panels_out_two_a_row_within_5_5_inches():
    X, Y = datasets.xor(m=40)
    clf = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], loss="binary_cross_entropy")
    panels = [(clf.forward, X, Y, f"panel {i}") for i in range(3)]
    fig, axes = plotting.plot_decision_boundaries(panels)
    assert axes.shape == (2, 2)
    assert fig.get_size_inches()[0] <= 5.5
    drawn = axes.flat[:3]
    assert [ax.get_title() for ax in drawn] == ["panel 0", "panel 1", "panel 2"]
    assert all(labelled(ax) for ax in drawn)
    assert drawn[0].get_legend() is not None and drawn[1].get_legend() is None
    assert not axes.flat[3].axison                       # the fourth place stays empty
    with pytest.raises(ValueError, match="at least one panel"):
        plotting.plot_decision_boundaries([])


def test_plot_network_draws_every_weight_and_highlights_one_column():
    ax = plotting.plot_network([2, 4, 1], highlight=(1, 2))
    assert len(ax.patches) == 2 + 4 + 1                 # one circle per unit
    assert len(ax.lines) == 2 * 4 + 4 * 1                 # one line per weight
    red = [line for line in ax.lines if line.get_linewidth() == 2]
    assert len(red) == 2                                  # column 3 of W^[1]: from x_1 and x_2
    assert all(line.get_xdata()[1] == red[0].get_xdata()[1] for line in red)
    assert ax.figure.get_size_inches()[0] <= 5.5


def test_plot_network_writes_the_weights_and_biases_it_is_given():
    W1, b1 = np.array([[0.5, -1.0], [0.5, 1.0]]), np.array([[0.0], [-0.5]])
    W2, b2 = np.array([[1.0], [-1.0]]), np.array([[-1.0]])
    ax = plotting.plot_network([2, 2, 1], weights=[W1, W2], biases=[b1, b2])
    texts = [t.get_text() for t in ax.texts]
    assert sorted(t for t in texts if not t.startswith(("$", "b", "layer"))) == sorted(
        ["0.5", "−1", "0.5", "1", "1", "−1"])
    assert {"b = 0", "b = −0.5", "b = −1"} <= set(texts)
    with pytest.raises(ValueError, match=r"W\^\[1\] should have shape"):
        plotting.plot_network([2, 2, 1], weights=[W1.T[:1], W2])
