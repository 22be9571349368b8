"""benchmarks/: bench.py compares like with like (its NumPy contenders train the same network),
and notebooks.py times the right cell.

The benchmark's ratios only mean something if every contender does the work of
``Network.fit``. These tests run its NumPy contenders (PyTorch is not installed for `make test`)
for one epoch from the same start and check they end with the same W, b and cost as nnlib.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

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


@pytest.mark.parametrize("workload", ["digits", "synthetic"])
def test_numpy_contenders_take_the_same_steps_as_nnlib(bench, workload):
    work = (bench.digits_workload() if workload == "digits"
            else bench.synthetic_workload(quick=True))
    players = [bench.NnlibContender(work), bench.BareNumpyContender(work),
               bench.TunedNumpyContender(work)]
    for player in players:
        player.start()
        player.epochs(seed=5, n=1)
    W_ref, b_ref = _parameters(players[0])
    cost_ref = players[0].history.cost[-1]
    assert not np.allclose(W_ref[0], work.W0[0])  # training moved the parameters
    for player in players[1:]:
        W, b = _parameters(player)
        for got, want in zip(W + b, W_ref + b_ref):
            np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-5, err_msg=player.name)
        assert player.cost == pytest.approx(cost_ref, rel=1e-4), player.name
        assert player.accuracy() == pytest.approx(players[0].accuracy(), abs=0.002), player.name


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
