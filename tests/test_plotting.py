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
