"""benchmarks/: bench.py compares like with like (its NumPy contenders train the same network),
and notebooks.py times the right cell.

The benchmark's ratios only mean something if every contender does the work of
``Network.fit``. These tests run its NumPy contenders (PyTorch is not installed for `make test`)
for one epoch from the same start and check that every one of their steps is the lecture's
step from the same parameters on the same batch, and that their cost and accuracy are those of
the parameters they end with: all within float32 rounding bounds (numerics).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from numerics import DenseErrorAnalysis, assert_steps_match, fit_batches, record_iterates

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parameters(player):
    if hasattr(player, "net"):
        return [layer.W for layer in player.net.layers], [layer.b for layer in player.net.layers]
    return player.W, player.b


def _record(player):
    """Note the parameters and the batch at each of the player's forward passes (nnlib: at each
    update, numerics.record_iterates). Returns the list they go into."""
    if hasattr(player, "net"):
        return record_iterates(player.net)
    steps = []
    forward = player.forward

    def recording(A, *rest):
        steps.append(([W.copy() for W in player.W], [b.copy() for b in player.b], np.array(A)))
        return forward(A, *rest)

    player.forward = recording
    return steps


@pytest.mark.parametrize("workload", ["digits", "synthetic"])
def test_numpy_contenders_take_the_same_steps_as_nnlib(bench, workload):
    """Every contender, step by step: the batch it steps on is the one Network.fit(seed=5)
    takes, and its parameters after the step are the lecture's step from its parameters before,
    within float32's rounding bounds (numerics.assert_steps_match, with a ReLU's z that rounding
    may put on either side of the kink). Then its cost is the cost of its final parameters,
    within twice e_J (float32's, which bounds float64's too); and its accuracy theirs, but for
    the examples whose two largest logits are within the logits' rounding bound of each other,
    which rounding may swap.

    Was: the contenders' parameters within rtol 1e-3, atol 1e-5 of nnlib's after the epoch, the
    cost within rel 1e-4 and the accuracy within 0.002: tolerances no rounding analysis gives
    (differences grow from step to step), and the first failed with OPENBLAS_CORETYPE=SandyBridge."""
    work = (bench.digits_workload() if workload == "digits"
            else bench.synthetic_workload(quick=True))
    if workload == "synthetic":  # its network and batches on 1000 examples: 8 steps, one partial
        work = bench.Workload(work.name, work.X[:, :1000], work.labels[:1000], work.sizes,
                              work.batch_size, work.learning_rate, work.epochs_per_round)
    players = [bench.NnlibContender(work), bench.BareNumpyContender(work),
               bench.TunedNumpyContender(work)]
    acts = ["relu"] * (len(work.sizes) - 2) + ["softmax"]
    loss = "categorical_cross_entropy"
    batches = fit_batches(work.X, work.Y, 1, work.batch_size, seed=5)
    for player in players:
        player.start()
        steps = _record(player)
        player.epochs(seed=5, n=1)
        if not hasattr(player, "net"):
            del steps[len(batches):]         # the bare loop's forward pass for the epoch's cost
        W, b = _parameters(player)
        assert not np.allclose(W[0], work.W0[0]), player.name   # training moved the parameters
        assert all(np.array_equal(P, P0) for P, P0 in zip(steps[0][0], work.W0)), player.name
        assert_steps_match(steps, list(zip(W, b)), acts, loss, work.learning_rate, batches,
                           bench.DTYPE)
        ours = DenseErrorAnalysis(W, b, acts, loss, work.X, work.Y, dtype=bench.DTYPE)
        cost = player.history.cost[-1] if hasattr(player, "net") else player.cost
        assert abs(cost - ours.J) <= 2 * ours.e_J, player.name    # (float64's e_J ≤ float32's)
        Z = np.sort(ours.Z[-1], axis=0)
        swappable = np.sum(Z[-1] - Z[-2] <= 2 * ours.eZ[-1].max(axis=0))
        right = np.mean(ours.Z[-1].argmax(axis=0) == work.labels)
        assert abs(player.accuracy() - right) <= swappable / work.m, player.name



def test_targets_use_the_median_of_paired_ratios(bench):
    class Player:
        def __init__(self, name):
            self.name = name
    # round 2 was a slow spell for both: it cancels out of that round's ratio
    rows = [(Player("nnlib"), None, [1.0, 4.0, 1.1], None, None),
            (Player("PyTorch"), None, [3.0, 12.0, 3.0], None, None)]
    ratios = bench.paired_ratios(rows, "nnlib", "PyTorch")
    assert ratios == pytest.approx([1 / 3, 1 / 3, 1.1 / 3])
    assert bench.median_and_quartiles(ratios)[0] == pytest.approx(1 / 3)


def test_notebook_timer_finds_the_slowest_cell(tmp_path):
    """benchmarks/notebooks.py names the cell that took longest (here one that sleeps)."""
    import nbformat

    spec = importlib.util.spec_from_file_location("notebooks", BENCH.with_name("notebooks.py"))
    notebooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(notebooks)
    path = tmp_path / "slow.ipynb"
    cells = [nbformat.v4.new_markdown_cell("# a test"), nbformat.v4.new_code_cell("x = 1"),
             nbformat.v4.new_code_cell("import time\ntime.sleep(0.4)"),
             nbformat.v4.new_code_cell("y = x + 1")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    total, slowest, index = notebooks.run(path)
    assert index == 2
    assert 0.4 <= slowest <= total
