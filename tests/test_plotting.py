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
