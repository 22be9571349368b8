"""float64 by default, float32 on request, kept end to end: no silent upcast anywhere.

A float32 network must compute in float32 from the data to the update: one float64 temporary
(a NumPy scalar, np.where with Python floats, a 1/m) would make every later array float64 and
silently double the time and memory. These tests look at every array nnlib keeps.
"""

import numpy as np
import pytest
from numerics import (assert_gradient_check_passes, assert_steps_match, fit_batches, gamma,
                      machine_epsilon, record_iterates)

import nnlib
from nnlib import Dense, Network, activations, losses

FLOATS = [np.float32, np.float64]
HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", activations.LeakyReLU(0.2)]


def _Z(dtype, shape=(3, 7)):
    Z = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    Z[0, 0] = 0.0  # ReLU's kink
    return Z


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"])
def test_activation_objects_keep_the_dtype(name, dtype):
    g = activations.get(name)
    Z = _Z(dtype)
    A = g.forward(Z)
    assert A.dtype == dtype
    if name != "softmax":
        assert g.derivative(Z, A).dtype == dtype
        assert g.derivative(Z).dtype == dtype


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("function", [
    activations.identity, activations.identity_derivative, activations.sigmoid,
    activations.sigmoid_derivative, activations.tanh, activations.tanh_derivative,
    activations.relu, activations.relu_derivative, activations.leaky_relu,
    activations.leaky_relu_derivative, activations.softmax,
])
def test_activation_functions_keep_the_dtype(function, dtype):
    assert function(_Z(dtype)).dtype == dtype


def test_leaky_relu_object_with_a_numpy_float_slope_stays_float32():
    g = activations.LeakyReLU(np.float64(0.1))
    Z = _Z(np.float32)
    assert g.forward(Z).dtype == np.float32
    assert g.derivative(Z).dtype == np.float32
    # 0.1 z in float32 is 0.1 rounded to float32 times z, rounded: within 2u₃₂ of 0.1 z, both
    # (was rtol 1e-6)
    expected = np.where(Z > 0, Z, 0.1 * Z.astype(np.float64))
    allowed = 2 * machine_epsilon(np.float32) * np.abs(expected)
    assert np.all(np.abs(g.forward(Z) - expected) <= allowed)


def test_relu_derivative_of_integers_is_a_float():
    assert activations.relu_derivative(np.array([[-1, 0, 2]])).dtype == np.float64


@pytest.mark.parametrize("dtype", FLOATS)
def test_loss_gradients_keep_the_dtype(dtype):
    rng = np.random.default_rng(1)
    P = rng.uniform(0.05, 0.95, (1, 9)).astype(dtype)
    y = (rng.uniform(size=(1, 9)) > 0.5).astype(dtype)
    assert losses.mse_gradient(P, y).dtype == dtype
    assert losses.binary_cross_entropy_gradient(P, y).dtype == dtype
    S = activations.softmax(_Z(dtype, (4, 9)))
    Y = nnlib.datasets.one_hot(rng.integers(0, 4, 9), 4).astype(dtype)
    assert losses.CategoricalCrossEntropy().gradient(S, Y).dtype == dtype
    for value in (losses.mse(P, y), losses.binary_cross_entropy(P, y),
                  losses.categorical_cross_entropy(S, Y),
                  losses.categorical_cross_entropy_from_logits(_Z(dtype, (4, 9)), Y)):
        assert isinstance(value, float) and np.isfinite(value)


CASES = [
    (["relu", "tanh"], "softmax", "categorical_cross_entropy", 3),
    (["leaky_relu", "sigmoid"], "sigmoid", "binary_cross_entropy", 1),
    (["tanh", "relu"], "identity", "mse", 2),
    ([activations.LeakyReLU(0.2)], "sigmoid", "mse", 1),
]


def _data(loss, n_y, m=40):
    rng = np.random.default_rng(2)
    X = rng.standard_normal((5, m))  # float64, as a learner's data usually are
    if loss == "categorical_cross_entropy":
        Y = nnlib.datasets.one_hot(rng.integers(0, n_y, m), n_y)
    elif loss == "binary_cross_entropy":
        Y = (X[:1] > 0).astype(float)
    else:
        Y = rng.standard_normal((n_y, m))
    return X, Y


def _all_arrays(net):
    for layer in net.layers:
        yield from (layer.W, layer.b, layer.dW, layer.db)
        yield from layer._cache
    yield net._Y_hat


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("hidden, output, loss, n_y", CASES)
@pytest.mark.parametrize("batch_size", [None, 16])
def test_training_keeps_every_array_in_the_networks_dtype(hidden, output, loss, n_y, dtype,
                                                          batch_size):
    X, Y = _data(loss, n_y)
    acts = hidden + [output]
    sizes = [5] + [6] * len(hidden) + [n_y]
    net = Network([Dense(sizes[i], sizes[i + 1], acts[i], seed=i, dtype=dtype)
                   for i in range(len(acts))], loss=loss)
    history = net.fit(X, Y, epochs=3, learning_rate=0.05, batch_size=batch_size)
    assert all(isinstance(c, float) and np.isfinite(c) for c in history.cost)
    net.forward(X)
    net.backward(Y)
    net.step(np.float64(0.01))  # a NumPy float64 learning rate must not upcast W either
    for array in _all_arrays(net):
        assert array.dtype == dtype
    assert net.forward(X).dtype == dtype
    assert net.layers[0].backward(np.ones((6, X.shape[1]))).dtype == dtype


def test_float32_network_does_not_copy_float32_data():
    X, Y = _data("categorical_cross_entropy", 3)
    X = X.astype(np.float32)
    Y = Y.astype(np.float32)
    net = Network([Dense(5, 4, "relu", dtype=np.float32),
                   Dense(4, 3, "softmax", dtype=np.float32)], loss="categorical_cross_entropy")
    assert net._as_X(X) is X  # no float64 (or any) copy of the input
    assert net._as_Y(Y, X.shape[1]) is Y
    net.forward(X)
    assert net.layers[0]._cache[0] is X


def test_float64_data_into_a_float32_network_are_converted_once():
    X, Y = _data("mse", 1)
    net = Network([Dense(5, 1, dtype=np.float32)], loss="mse")
    assert net.forward(X).dtype == np.float32
    assert net.layers[0]._cache[0].dtype == np.float32


def test_layers_of_different_dtypes_are_refused():
    with pytest.raises(TypeError, match="share one dtype"):
        Network([Dense(2, 3, "relu"), Dense(3, 1, dtype=np.float32)])


def test_float32_training_follows_float64_training():
    """Every float32 step is the float64 step from the same parameters on the same batch, to
    float32 rounding (numerics.assert_steps_match: DenseErrorAnalysis's bounds in float32,
    including a ReLU's z that rounding may put on either side of the kink).

    Was: the float32 and float64 networks within rtol 1e-3, atol 1e-4 after 20 epochs, a
    tolerance no rounding analysis gives, since differences may grow from step to step."""
    X, Y = _data("categorical_cross_entropy", 3)
    nets = {}
    for dtype in FLOATS:
        nets[dtype] = Network([Dense(5, 8, "relu", seed=1, dtype=dtype),
                               Dense(8, 3, "softmax", seed=2, dtype=dtype)],
                              loss="categorical_cross_entropy")
    W0 = [(layer.W.copy(), layer.b.copy()) for layer in nets[np.float64].layers]
    assert all(np.array_equal(W32.W, W64.astype(np.float32)) and np.array_equal(W32.b, b64)
               for W32, (W64, b64) in zip(nets[np.float32].layers, W0))  # the same start
    iterates = record_iterates(nets[np.float32])
    nets[np.float32].fit(X, Y, epochs=20, learning_rate=0.1, batch_size=8)
    final = [(layer.W, layer.b) for layer in nets[np.float32].layers]
    assert_steps_match(iterates, final, ["relu", "softmax"], "categorical_cross_entropy", 0.1,
                       fit_batches(X, Y, 20, 8), np.float32)


def test_gradient_check_of_a_float32_network_runs_in_float64():
    X, Y = _data("binary_cross_entropy", 1, m=6)
    net = Network([Dense(5, 3, "tanh", seed=0, dtype=np.float32),
                   Dense(3, 1, "sigmoid", seed=1, dtype=np.float32)], loss="binary_cross_entropy")
    # within what rounding allows in float64 (numerics.gradient_check_tolerance; was < 1e-6)
    assert_gradient_check_passes(net, X, Y)
    assert net.layers[0].W.dtype == np.float32  # the network itself is untouched



@pytest.mark.parametrize("dtype", FLOATS)
def test_standardize_keeps_float32_and_float64(dtype):
    X = np.random.default_rng(0).uniform(0, 100, (3, 20)).astype(dtype)
    Xs, mean, std = nnlib.datasets.standardize(X)
    assert Xs.dtype == mean.dtype == std.dtype == dtype
    # Tolerances (were atol 1e-5 and rtol 1e-5, for both dtypes): the computed mean is off by
    # γ_m mean|x|, so the exact mean of (x − mean)/std is that over std; each entry of Xs adds
    # γ_2 |Xs|, and Xs.mean() γ_m mean|Xs|. The computed std is off by a relative γ_(m+3) (the
    # squares, their mean, the square root; the mean's error only enters squared), for X and
    # again for Xs, and Xs's entries by γ_2.
    m = X.shape[1]
    x = X.astype(np.float64)
    mean_allowed = (gamma(m, dtype) * np.abs(x).mean(axis=1) / std.ravel()
                    + gamma(m + 2, dtype) * np.abs(Xs.astype(np.float64)).mean(axis=1))
    assert np.all(np.abs(Xs.mean(axis=1)) <= mean_allowed)
    assert np.all(np.abs(Xs.std(axis=1) - 1) <= 2 * gamma(m + 3, dtype) + gamma(2, dtype))


def test_standardize_turns_integers_into_float64():
    Xs, _, _ = nnlib.datasets.standardize(np.array([[1, 2, 3], [5, 5, 5]]))
    assert Xs.dtype == np.float64
    np.testing.assert_array_equal(Xs[1], 0.0)  # a constant feature is left at 0, not NaN (exact)

