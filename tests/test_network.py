"""nnlib.Network: the five steps, fit's history, divergence, and bad input in the lecture's words."""

import warnings

import numpy as np
import pytest
from numerics import DenseErrorAnalysis, record_iterates

from nnlib import Dense, Network, ShapeError, TrainingDiverged, datasets


def line_net():
    return Network([Dense(1, 1, seed=0)], loss="mse")


def test_forward_backward_step_by_hand():
    """One step of the lecture's linear regression, written out, equals the network's step.

    Tolerances (were pytest.approx's rel 1e-6): the two computations of Ŷ, dw, db, the updated
    w, b and J are each within DenseErrorAnalysis's bound of the exact value, so within twice
    it of each other."""
    X = np.array([[1.0, 2.0, 3.0]])
    Y = np.array([[2.0, 4.0, 7.0]])
    net = line_net()
    w, b = net.layers[0].W[0, 0], net.layers[0].b[0, 0]
    bounds = DenseErrorAnalysis([[[w]]], [[[b]]], ["identity"], "mse", X, Y)
    Y_hat = w * X + b
    dw = -(2 / 3) * np.sum(X * (Y - Y_hat))
    db = -(2 / 3) * np.sum(Y - Y_hat)
    assert np.all(np.abs(net.forward(X) - Y_hat) <= 2 * bounds.eA[-1])
    net.backward(Y)
    assert abs(net.layers[0].dW[0, 0] - dw) <= 2 * bounds.e_dW[0][0, 0]
    assert abs(net.layers[0].db[0, 0] - db) <= 2 * bounds.e_db[0][0, 0]
    net.step(0.1)
    (e_w, e_b), = bounds.step_bounds(0.1)
    assert abs(net.layers[0].W[0, 0] - (w - 0.1 * dw)) <= 2 * e_w[0, 0]
    assert abs(net.layers[0].b[0, 0] - (b - 0.1 * db)) <= 2 * e_b[0, 0]
    after = DenseErrorAnalysis([net.layers[0].W], [net.layers[0].b], ["identity"], "mse", X, Y)
    assert abs(net.loss(X, Y) - np.mean((Y - net.forward(X)) ** 2)) <= 2 * after.e_J


def test_fit_records_a_decreasing_cost_and_validation_cost():
    X, Y = datasets.noisy_line(m=80, seed=1)
    (Xt, Yt), (Xv, Yv) = datasets.train_validation_split(X, Y, 0.25, seed=0)
    net = line_net()
    before = net.loss(Xt, Yt)
    iterates = record_iterates(net)
    history = net.fit(Xt, Yt, epochs=50, learning_rate=0.05, validation_data=(Xv, Yv))
    assert history.epochs == 50 and len(history.val_cost) == 50
    assert history["cost"] is history.cost
    assert history.cost[-1] < before / 5
    # Full-batch descent with a small step never climbs: for the MSE (a quadratic) and
    # α < 2/λ_max every exact step lowers J; each computed J is within e_J of the exact one
    # (was: a rise of at most 1e-12).
    params = [(Ws[0], bs[0]) for Ws, bs, _ in iterates[1:]] + [(net.layers[0].W, net.layers[0].b)]
    e_J = [DenseErrorAnalysis([W], [b], ["identity"], "mse", Xt, Yt).e_J for W, b in params]
    assert all(later - earlier <= e_J[t] + e_J[t + 1]
               for t, (earlier, later) in enumerate(zip(history.cost, history.cost[1:])))
    # the cost fit records and the one loss computes, each within e_J (was rel 1e-6)
    assert abs(history.cost[-1] - net.loss(Xt, Yt)) <= 2 * e_J[-1]
    e_val = DenseErrorAnalysis([net.layers[0].W], [net.layers[0].b], ["identity"], "mse", Xv, Yv).e_J
    assert abs(history.val_cost[-1] - net.loss(Xv, Yv)) <= 2 * e_val
    assert not history.diverged


@pytest.mark.parametrize("batch_size", [None, 16])
def test_validation_data_does_not_change_training(batch_size):
    """Full-batch fit reuses each epoch's last forward pass for the next step, so the cost pass
    on the validation data must leave no trace (no caches, no Ŷ) that backward would pick up."""
    X, Y = datasets.two_moons(m=60, noise=0.2, seed=3)
    X_val, Y_val = datasets.two_moons(m=25, noise=0.2, seed=4)
    runs = []
    for validation_data in (None, (X_val, Y_val)):
        net = Network([Dense(2, 5, "tanh", seed=1), Dense(5, 1, "sigmoid", seed=2)],
                      loss="binary_cross_entropy")
        history = net.fit(X, Y, epochs=6, learning_rate=0.5, batch_size=batch_size,
                          validation_data=validation_data)
        runs.append((net.layers[0].W.copy(), history.cost))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_mini_batches_are_deterministic_and_cover_every_example():
    X, Y = datasets.noisy_line(m=50, seed=2)
    runs = []
    for _ in range(2):
        net = line_net()
        net.fit(X, Y, epochs=3, learning_rate=0.01, batch_size=7, seed=3)
        runs.append(net.layers[0].W.copy())
    np.testing.assert_array_equal(*runs)
    # with batch_size=m the mini-batch path is exactly gradient descent: fit takes the same
    # full-batch path, the same operations, so the same bits (was rtol 1e-7)
    a, b = line_net(), line_net()
    a.fit(X, Y, epochs=4, learning_rate=0.01)
    b.fit(X, Y, epochs=4, learning_rate=0.01, batch_size=50)
    np.testing.assert_array_equal(a.layers[0].W, b.layers[0].W)


def test_divergence_stops_training_and_warns_once():
    X, Y = datasets.house_prices()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = line_net().fit(X, Y, epochs=500, learning_rate=0.1)
    assert history.diverged and history.epochs < 500
    relevant = [w for w in caught if issubclass(w.category, TrainingDiverged)]
    assert len(relevant) == 1 and len(caught) == 1, [str(w.message) for w in caught]
    assert "learning rate 0.1" in str(relevant[0].message)
    assert "0.01" in str(relevant[0].message)  # what to try


def test_predict_gives_classes_for_classifiers():
    net = Network([Dense(1, 1, "sigmoid", seed=0)], loss="binary_cross_entropy")
    net.layers[0].W[:] = 1.0
    assert net.predict(np.array([[-3.0, 3.0]])).tolist() == [[0, 1]]
    soft = Network([Dense(2, 3, "softmax", seed=0)], loss="categorical_cross_entropy")
    assert soft.predict(np.ones((2, 4))).shape == (1, 4)
    # a regressor's prediction is its output: the same operations, the same bits (was rtol 1e-7)
    np.testing.assert_array_equal(line_net().predict(np.ones((1, 2))),
                                  line_net().forward(np.ones((1, 2))))


def test_parameters_and_gradients_use_lecture_names():
    net = Network([Dense(2, 3, "relu"), Dense(3, 1)])
    assert list(net.parameters()) == ["W[1]", "b[1]", "W[2]", "b[2]"]
    net.forward(np.ones((2, 4)))
    net.backward(np.ones((1, 4)))
    assert list(net.gradients()) == ["dW[1]", "db[1]", "dW[2]", "db[2]"]


# ---- bad input ------------------------------------------------------------------------------

def test_examples_in_rows_are_refused_with_the_transpose_hint():
    X, Y = datasets.house_prices(["lotsize", "bedrooms"])
    net = Network([Dense(2, 1)])
    with pytest.raises(ShapeError) as error:
        net.forward(X.T)
    message = str(error.value)
    assert "(546, 2)" in message and "(2, m)" in message and "X.T" in message
    assert "one example per column" in message


@pytest.mark.parametrize("X, match", [
    (np.ones((3, 5)), r"expects 2 input feature"),
    (np.ones(5), r"1-D array.*reshape"),
    (np.ones((2, 0)), r"no examples \(m = 0\)"),
    (np.array([[1.0, np.nan], [1.0, 2.0]]), r"NaN or infinite"),
    (np.array([[1.0, np.inf], [1.0, 2.0]]), r"NaN or infinite"),
    (np.array([["a", "b"], ["c", "d"]]), r"should hold numbers"),
])
def test_bad_X(X, match):
    with pytest.raises((ValueError, TypeError), match=match):
        Network([Dense(2, 1)]).forward(X)


def test_bad_Y():
    net = Network([Dense(2, 1)])
    X = np.ones((2, 5))
    with pytest.raises(ShapeError, match=r"\(n_y, m\) = \(1, 5\), got \(5, 1\).*Y.T"):
        net.loss(X, np.ones((5, 1)))
    with pytest.raises(ShapeError, match="has 4 example"):
        net.fit(X, np.ones((1, 4)), epochs=1, learning_rate=0.1)
    clf = Network([Dense(2, 1, "sigmoid")], loss="binary_cross_entropy")
    with pytest.raises(ValueError, match=r"labels y in \{0, 1\}.*\[2.0\]"):
        clf.fit(X, np.array([[0, 1, 2, 1, 0]]), epochs=1, learning_rate=0.1)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_non_positive_learning_rate(lr):
    X, Y = datasets.noisy_line(m=5)
    with pytest.raises(ValueError, match="positive number"):
        line_net().fit(X, Y, epochs=1, learning_rate=lr)


def test_lists_and_integers_are_converted():
    net = line_net()
    from_list = net.forward([[1, 2, 3]])
    assert from_list.dtype == np.float64
    # the same numbers once converted: the same bits (was rtol 1e-7)
    np.testing.assert_array_equal(from_list, net.forward(np.array([[1.0, 2.0, 3.0]])))

    history = net.fit([[1, 2, 3]], [[2, 4, 6]], epochs=2, learning_rate=0.01)
    assert history.epochs == 2


def test_layers_that_do_not_fit_together():
    with pytest.raises(ShapeError, match=r"Layer 2 expects n\^\[1\] = 3 inputs, but layer 1 has 4"):
        Network([Dense(2, 4), Dense(3, 1)])
    with pytest.raises(ValueError, match="sigmoid output"):
        Network([Dense(2, 1, "relu")], loss="binary_cross_entropy")
    with pytest.raises(RuntimeError, match="forward"):
        Network([Dense(2, 1)]).backward(np.ones((1, 3)))
    with pytest.raises(TypeError, match="Dense"):
        Network([])


# -- failure modes: a cost that grows while finite, replaced parameters, overflow ----------------


def _recorded(function):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = function()
    return out, caught


def test_a_cost_that_grows_while_finite_warns_once_and_sets_diverged():
    """House prices in dollars with α = 1e-7: J grows by about 10^70 in 50 epochs, finite."""
    X, Y = datasets.house_prices(["lotsize"])
    history, caught = _recorded(lambda: line_net().fit(X, Y, epochs=50, learning_rate=1e-7))
    assert all(np.isfinite(history.cost)) and history.cost[-1] > 1e50 * history.cost[0]
    assert history.diverged and history.epochs == 50          # training went on
    assert [w.category for w in caught] == [TrainingDiverged], [str(w.message) for w in caught]
    text = str(caught[0].message)
    assert "Too large of a learning rate causes drastic updates" in text   # the lecture's words
    assert "1e-07" in text and "1e-08" in text and "still a finite number" in text


def test_a_run_that_grows_then_overflows_still_warns_once():
    X, Y = datasets.house_prices(["lotsize"])
    history, caught = _recorded(lambda: line_net().fit(X, Y, epochs=2000, learning_rate=1e-7))
    assert history.diverged and history.epochs < 2000 and not np.isfinite(history.cost[-1])
    assert len(caught) == 1 and caught[0].category is TrainingDiverged


@pytest.mark.parametrize("batch_size", [None, 1, 7])
def test_training_that_converges_does_not_warn(batch_size):
    X, Y = datasets.noisy_line(m=60, seed=1)
    history, caught = _recorded(lambda: line_net().fit(X, Y, epochs=300, learning_rate=0.05,
                                                      batch_size=batch_size))
    assert not history.diverged and caught == []


@pytest.mark.parametrize("replace, phrases", [
    (lambda net: setattr(net.layers[1], "W", np.ones((1, 4))),
     ["layer 2's W has shape (1, 4)", "(n^[l-1], n^[l]) = (4, 1)", "transposed"]),
    (lambda net: setattr(net.layers[1], "W", np.ones((3, 1))), ["layer 2's W has shape (3, 1)"]),
    (lambda net: setattr(net.layers[0], "b", np.zeros(4)),
     ["layer 1's b has shape (4,)", "1-D", "(4, 1)", "b.reshape(-1, 1)"]),
    (lambda net: setattr(net.layers[0], "b", np.zeros((1, 4))), ["layer 1's b has shape (1, 4)"]),
    (lambda net: setattr(net.layers[0], "W", np.ones((3, 4, 1))), ["layer 1's W has shape (3, 4, 1)"]),
])
def test_a_replaced_parameter_of_the_wrong_shape_is_named_by_layer(replace, phrases):
    net = Network([Dense(3, 4, "tanh", seed=0), Dense(4, 1, seed=1)], loss="mse")
    X, Y = np.ones((3, 4)), np.ones((1, 4))   # m = 4 = n^[1]: a 1-D b would broadcast silently
    net.forward(X)
    net.backward(Y)
    replace(net)
    for call in (lambda: net.forward(X), lambda: net.loss(X, Y), lambda: net.backward(Y),
                 lambda: net.step(0.1), lambda: net.fit(X, Y, epochs=1, learning_rate=0.1),
                 lambda: net.predict(X)):
        with pytest.raises(ShapeError) as info:
            call()
        for phrase in phrases:
            assert phrase in str(info.value)


@pytest.mark.parametrize("value, phrase", [([[1.0]], "is list"), (np.ones((1, 1), dtype=int), "int64")])
def test_a_replaced_parameter_that_is_not_a_float_array_is_refused(value, phrase):
    net = line_net()
    net.layers[0].W = value
    with pytest.raises(TypeError, match=phrase):
        net.forward(np.ones((1, 3)))


def test_overflow_in_the_forward_pass_and_the_update_is_an_nnlib_warning():
    from nnlib.validation import NumericalWarning

    net = Network([Dense(2, 3, seed=0), Dense(3, 1, seed=1)], loss="mse")
    X, Y = np.ones((2, 5)), np.ones((1, 5))
    net.layers[0].W[...] = 1e300
    Y_hat, caught = _recorded(lambda: net.forward(X * 1e300))
    assert [w.category for w in caught] == [NumericalWarning], [str(w.message) for w in caught]
    assert "Too large of a learning rate" in str(caught[0].message)
    net = Network([Dense(2, 1, seed=0)], loss="mse")
    net.forward(X)
    net.backward(Y)
    net.layers[0].dW[...] = 1e308
    _, caught = _recorded(lambda: net.step(10.0))
    assert [w.category for w in caught] == [NumericalWarning], [str(w.message) for w in caught]
    assert "α = 10" in str(caught[0].message)
