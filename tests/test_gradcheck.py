"""nnlib.gradient_check: backprop agrees with finite differences, and a broken backprop is caught."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numerics import assert_gradient_check_passes, gradient_check_tolerance

import nnlib
from nnlib import Dense, Network

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]


def make_data(loss, n_x, n_y, m, rng):
    X = rng.standard_normal((n_x, m))
    if loss == "mse":
        return X, rng.standard_normal((n_y, m))
    if loss == "binary_cross_entropy":
        return X, (rng.random((n_y, m)) > 0.5).astype(float)
    return X, nnlib.datasets.one_hot(rng.integers(0, n_y, m), n_y)


OUTPUT = {"mse": "identity", "binary_cross_entropy": "sigmoid", "categorical_cross_entropy": "softmax"}


@pytest.mark.parametrize("loss", list(OUTPUT))
@pytest.mark.parametrize("hidden", HIDDEN)
@settings(max_examples=8, deadline=None)
@given(sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3), m=st.integers(1, 5),
       seed=st.integers(0, 10**6))
def test_every_gradient_is_right(loss, hidden, sizes, m, seed):
    rng = np.random.default_rng(seed)
    n_y = 3 if loss == "categorical_cross_entropy" else int(rng.integers(1, 3))
    dims = sizes + [n_y]
    layers = [Dense(dims[i], dims[i + 1], hidden, seed=seed + i) for i in range(len(dims) - 2)]
    layers.append(Dense(dims[-2], n_y, OUTPUT[loss], seed=seed + 99))
    net = Network(layers, loss=loss)
    for layer in net.layers:
        layer.b[:] = 0.1 * rng.standard_normal(layer.b.shape)
    X, Y = make_data(loss, dims[0], n_y, m, rng)
    # stay away from ReLU's kink, where finite differences are not derivatives
    A = X
    for layer in net.layers:
        Z = layer.W.T @ A + layer.b
        if hidden in ("relu", "leaky_relu") and np.min(np.abs(Z)) < 1e-4:
            return
        A = layer.activation.forward(Z)
    # a real bug gives errors of 1e-2 and more; rounding in the finite difference gives at most
    # numerics.gradient_check_tolerance, which grows where a gradient is small (leaky ReLU's
    # slope alpha over two layers, a saturated sigmoid) and is checked to stay below 1e-3
    # (was 1e-5 for every case)
    errors, _ = assert_gradient_check_passes(net, X, Y)
    assert set(errors) == {f"d{p}[{l}]" for l in range(1, len(layers) + 1) for p in "Wb"}


def test_a_broken_backward_is_reported(monkeypatch, capsys):
    rng = np.random.default_rng(0)
    net = Network([Dense(3, 4, "tanh", seed=0), Dense(4, 1, seed=1)], loss="mse")
    X, Y = rng.standard_normal((3, 6)), rng.standard_normal((1, 6))
    original = Dense.backward_from_dZ

    def forgets_the_sum(self, dZ, need_dA_prev=True):  # db from the first example only
        out = original(self, dZ, need_dA_prev)
        self.db = dZ[:, :1]
        return out

    tolerances = gradient_check_tolerance(net, X, Y)     # from the correct backward pass
    monkeypatch.setattr(Dense, "backward_from_dZ", forgets_the_sum)
    errors = nnlib.gradient_check(net, X, Y, verbose=True)
    assert errors["db[1]"] > 1e-2 and errors["db[2]"] > 1e-2
    # the parts it did not break pass, within what rounding allows (was < 1e-7)
    assert errors["dW[1]"] <= tolerances["dW[1]"] and errors["dW[2]"] <= tolerances["dW[2]"]

    report = capsys.readouterr().out
    assert "db[2]" in report and "WRONG" in report and "correct" in report


def test_gradient_check_leaves_the_network_unchanged():
    net = Network([Dense(2, 2, "relu", seed=0), Dense(2, 1, "sigmoid", seed=1)],
                  loss="binary_cross_entropy")
    before = {k: v.copy() for k, v in net.parameters().items()}
    nnlib.gradient_check(net, np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[1.0, 0.0]]))
    for key, value in net.parameters().items():
        np.testing.assert_array_equal(value, before[key])


def _relu_net_with_a_unit_at_its_kink():
    net = Network([Dense(2, 3, "relu", seed=0), Dense(3, 1, "sigmoid", seed=1)],
                  loss="binary_cross_entropy")
    X = np.array([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0]])
    Y = np.array([[1.0, 0.0, 1.0]])
    net.layers[0].b[0, 0] = -(net.layers[0].W[:, 0] @ X[:, 0])    # z = 0: ReLU's kink
    return net, X, Y


def test_a_point_on_relus_kink_is_named_not_only_wrong(capsys):
    net, X, Y = _relu_net_with_a_unit_at_its_kink()
    with pytest.warns(nnlib.gradcheck.KinkWarning) as caught:
        errors = nnlib.gradient_check(net, X, Y)
    assert errors["dW[1]"] > 1e-4                     # looks wrong, yet backprop is right
    text = str(caught[0].message)
    assert "dW[1], db[1]" in text and "unit 1 of layer 1 (relu)" in text and "z = 0" in text
    assert "ε = 1e-06" in text and "example 1" in text
    nnlib.gradient_check(net, X, Y, verbose=True)
    report = capsys.readouterr().out
    assert "on a kink" in report and "WRONG" not in report


def test_a_point_away_from_the_kink_gives_no_kink_report():
    import warnings

    net, X, Y = _relu_net_with_a_unit_at_its_kink()
    net.layers[0].b[0, 0] += 0.3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        errors = nnlib.gradient_check(net, X, Y)
    assert max(errors.values()) < 1e-7
