"""How fast does nnlib train? The same network, the same SGD steps, several implementations.

Run it with ``make bench`` (or ``.venv/bin/python benchmarks/bench.py``; ``--quick`` for a short
smoke run). Workloads, both float32:

- digits: the 8x8 handwritten digits nnlib ships (1797 x 64, 10 classes), network 64-128-64-10,
  ReLU, softmax output, categorical cross-entropy, mini-batches of 64, learning rate 0.1.
- synthetic: 60 000 x 784 Gaussian inputs labelled by a random "teacher" network,
  784-256-128-10, mini-batches of 128, learning rate 0.05, with 1 and with 2 BLAS threads.

Contenders:

- nnlib        ``Network.fit`` as a learner calls it.
- bare NumPy   the lecture's loop written out in NumPy, no library around it.
- tuned NumPy  the fastest NumPy loop we could write (preallocated, in place): NumPy's own limit.
- GEMM floor   the same matrix multiplications alone (what no NumPy loop can beat).
- PyTorch      the same network in torch (CPU), ``torch.optim.SGD``, if torch is installed.
- sklearn      ``MLPClassifier(solver="sgd")``, if scikit-learn is installed.

Every contender starts from the same initial W and b (nnlib's), and every contender except
sklearn (which cannot be told) uses the same shuffled order of the examples. One "epoch" is the
work ``Network.fit`` does per epoch: one permutation of the m examples, the mini-batch SGD steps
on consecutive slices, then the cost on the whole training set (a forward pass over all m
examples). PyTorch, both NumPy loops and the GEMM floor do exactly that too; sklearn does no
extra forward pass (it sums the mini-batch losses), so its time has less work in it.

The contenders are interleaved (round robin, in a new order every round) and each round is
repeated; the table shows the median time per epoch, the ratio to nnlib's, and the accuracy on
the training set after the same number of epochs, which must agree (the same steps from the
same start give the same network, to float32 rounding).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a clone without install

import nnlib  # noqa: E402

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
    threadpool_info = threadpool_limits = None

try:
    import torch
except ImportError:
    torch = None

try:
    import sklearn
    from sklearn.neural_network import MLPClassifier
except ImportError:
    sklearn = MLPClassifier = None

DTYPE = np.float32


# -- the workloads ------------------------------------------------------------------------------

class Workload:
    def __init__(self, name, X, labels, sizes, batch_size, learning_rate, epochs_per_round):
        self.name = name
        self.X = np.ascontiguousarray(X, dtype=DTYPE)          # (n_x, m), the lecture's layout
        self.labels = labels.astype(np.int64)                  # (m,)
        self.Y = nnlib.datasets.one_hot(labels, sizes[-1]).astype(DTYPE)  # (n_y, m)
        self.sizes = sizes
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.epochs_per_round = epochs_per_round
        layers = [nnlib.Dense(sizes[i], sizes[i + 1],
                              "softmax" if i == len(sizes) - 2 else "relu",
                              seed=100 + i, dtype=DTYPE) for i in range(len(sizes) - 1)]
        self.W0 = [layer.W.copy() for layer in layers]
        self.b0 = [layer.b.copy() for layer in layers]

    @property
    def m(self):
        return self.X.shape[1]

    def orders(self, seed, epochs):
        """The permutations Network.fit(seed=seed) draws: one per epoch."""
        rng = np.random.default_rng(seed)
        return [rng.permutation(self.m) for _ in range(epochs)]


def digits_workload(quick=False):
    X, _, labels = nnlib.datasets.digits()  # shipped with nnlib (scikit-learn's copy)
    return Workload("digits 1797x64, 64-128-64-10, batch 64", X, labels,
                    [64, 128, 64, 10], 64, 0.1, 2)


def synthetic_workload(quick=False):
    m = 6000 if quick else 60000
    rng = np.random.default_rng(0)
    X = rng.standard_normal((784, m), dtype=DTYPE)
    teacher1 = rng.standard_normal((784, 64), dtype=DTYPE) / 28
    teacher2 = rng.standard_normal((64, 10), dtype=DTYPE)
    labels = (teacher2.T @ np.tanh(teacher1.T @ X)).argmax(axis=0)
    return Workload(f"synthetic {m}x784, 784-256-128-10, batch 128", X, labels,
                    [784, 256, 128, 10], 128, 0.05, 1)


# -- the contenders -----------------------------------------------------------------------------
# Each has start() (fresh parameters from W0, b0), epochs(seed, n) (n epochs of the work above)
# and accuracy() (on the training set).

class Contender:
    name = note = ""

    def __init__(self, work):
        self.work = work


class NnlibContender(Contender):
    name = "nnlib"
    note = "Network.fit"

    def start(self):
        w = self.work
        layers = [nnlib.Dense(w.sizes[i], w.sizes[i + 1],
                              "softmax" if i == len(w.sizes) - 2 else "relu", dtype=DTYPE)
                  for i in range(len(w.sizes) - 1)]
        for layer, W, b in zip(layers, w.W0, w.b0):
            layer.W[...] = W
            layer.b[...] = b
        self.net = nnlib.Network(layers, loss="categorical_cross_entropy")

    def epochs(self, seed, n):
        w = self.work
        self.history = self.net.fit(w.X, w.Y, epochs=n, learning_rate=w.learning_rate,
                                    batch_size=w.batch_size, seed=seed)

    def accuracy(self):
        return float(np.mean(self.net.predict(self.work.X).ravel() == self.work.labels))


class BareNumpyContender(Contender):
    """The lecture's loop for this network, written out in NumPy with no library around it."""

    name = "bare NumPy"
    note = "the loop written out"

    def start(self):
        self.W = [W.copy() for W in self.work.W0]
        self.b = [b.copy() for b in self.work.b0]

    def forward(self, A):
        W, b = self.W, self.b
        Z1 = W[0].T @ A + b[0]
        A1 = np.maximum(Z1, 0)
        Z2 = W[1].T @ A1 + b[1]
        A2 = np.maximum(Z2, 0)
        Z3 = W[2].T @ A2 + b[2]
        E = np.exp(Z3 - Z3.max(axis=0, keepdims=True))
        A3 = E / E.sum(axis=0, keepdims=True)
        return Z1, A1, Z2, A2, Z3, A3

    def epochs(self, seed, n):
        w = self.work
        X, Y, B, alpha = w.X, w.Y, w.batch_size, w.learning_rate
        W, b = self.W, self.b
        for order in w.orders(seed, n):
            Xs, Ys = np.take(X, order, axis=1), np.take(Y, order, axis=1)  # ~4x X[:, order]
            for start in range(0, w.m, B):
                A0, Yb = Xs[:, start:start + B], Ys[:, start:start + B]
                Z1, A1, Z2, A2, Z3, A3 = self.forward(A0)
                dZ3 = (A3 - Yb) / Yb.shape[1]
                dW3, db3 = A2 @ dZ3.T, dZ3.sum(axis=1, keepdims=True)
                dZ2 = (W[2] @ dZ3) * (Z2 > 0)
                dW2, db2 = A1 @ dZ2.T, dZ2.sum(axis=1, keepdims=True)
                dZ1 = (W[1] @ dZ2) * (Z1 > 0)
                dW1, db1 = A0 @ dZ1.T, dZ1.sum(axis=1, keepdims=True)
                for P, dP in zip(W + b, (dW1, dW2, dW3, db1, db2, db3)):
                    P -= alpha * dP
            Z3 = self.forward(X)[4]  # the cost on the whole training set, as fit records it
            Zs = Z3 - Z3.max(axis=0, keepdims=True)
            self.cost = float(-np.sum(Y * (Zs - np.log(np.exp(Zs).sum(axis=0, keepdims=True))))
                              / w.m)

    def accuracy(self):
        return float(np.mean(self.forward(self.work.X)[5].argmax(axis=0) == self.work.labels))


class TunedNumpyContender(Contender):
    """The fastest NumPy loop we could write for this network, readability aside: every array
    preallocated and reused (``out=``), ReLU and softmax in place, db as a product with a column
    of ones, the update through a preallocated buffer. A yardstick for what NumPy itself allows
    with the same work; nnlib keeps the lecture's readable lines instead."""

    name = "tuned NumPy"
    note = "preallocated, in place"

    def start(self):
        w = self.work
        B, n = w.batch_size, w.sizes
        self.W = [W.copy() for W in w.W0]
        self.b = [b.copy() for b in w.b0]
        self.Z = [np.empty((n[l + 1], B), DTYPE) for l in range(3)]       # Z, then A in place
        self.dA = [None] + [np.empty((n[l], B), DTYPE) for l in (1, 2)]  # dA, then dZ in place
        self.dW = [np.empty_like(W) for W in self.W]
        self.db = [np.empty_like(b) for b in self.b]
        self.step = [np.empty_like(W) for W in self.W]                   # α dW
        self.ones = np.ones((B, 1), DTYPE)
        self.Xs, self.Ys = np.empty_like(w.X), np.empty_like(w.Y)

    def forward(self, A, Z):
        for l in range(3):
            np.matmul(self.W[l].T, A, out=Z[l])
            Z[l] += self.b[l]
            if l < 2:
                np.maximum(Z[l], 0, out=Z[l])
            A = Z[l]
        return A  # Z^[3], the logits

    def epochs(self, seed, n):
        w = self.work
        W, b, dW, db, alpha = self.W, self.b, self.dW, self.db, w.learning_rate
        for order in w.orders(seed, n):
            np.take(w.X, order, axis=1, out=self.Xs, mode="clip")
            np.take(w.Y, order, axis=1, out=self.Ys, mode="clip")
            for start in range(0, w.m, w.batch_size):
                A0 = self.Xs[:, start:start + w.batch_size]
                k = A0.shape[1]
                Z = [Zl[:, :k] for Zl in self.Z]
                dZ = self.forward(A0, Z)                     # softmax in place, then (A − Y)/m
                dZ -= dZ.max(axis=0, keepdims=True)
                np.exp(dZ, out=dZ)
                dZ /= dZ.sum(axis=0, keepdims=True)
                dZ -= self.Ys[:, start:start + k]
                dZ *= 1.0 / k
                for l in (2, 1, 0):
                    np.matmul(A0 if l == 0 else Z[l - 1], dZ.T, out=dW[l])
                    np.matmul(dZ, self.ones[:k], out=db[l])
                    if l > 0:
                        dA = self.dA[l][:, :k]
                        np.matmul(W[l], dZ, out=dA)
                        dA *= Z[l - 1] > 0
                        dZ = dA
                for l in range(3):
                    W[l] -= np.multiply(dW[l], alpha, out=self.step[l])
                    b[l] -= alpha * db[l]
            self.cost = self.full_cost()

    def logits(self, X):
        """Z^[3] for all of X, each layer's output computed in place in one new array."""
        A = X
        for l in range(3):
            A = self.W[l].T @ A
            A += self.b[l]
            if l < 2:
                np.maximum(A, 0, out=A)
        return A

    def full_cost(self):
        """The cost on the whole training set, as fit records it."""
        w = self.work
        Z = self.logits(w.X)
        Z -= Z.max(axis=0, keepdims=True)
        return float(-np.sum(w.Y * (Z - np.log(np.exp(Z).sum(axis=0, keepdims=True)))) / w.m)

    def accuracy(self):
        return float(np.mean(self.logits(self.work.X).argmax(axis=0) == self.work.labels))


class GemmFloorContender(Contender):
    """Only the matrix products of an epoch, into preallocated outputs: a floor, not a trainer."""

    name = "GEMM floor"
    note = "the same GEMMs alone"

    def start(self):
        w = self.work
        self.W = [W.copy() for W in w.W0]
        B, n = w.batch_size, w.sizes
        self.Xs = np.empty_like(w.X)
        self.batches = [(s, min(s + B, w.m)) for s in range(0, w.m, B)]
        self.Z = [np.empty((n[l + 1], B), DTYPE) for l in range(3)]
        self.dW = [np.empty_like(W) for W in self.W]
        self.dA = [None] + [np.empty((n[l], B), DTYPE) for l in (1, 2)]
        self.Zfull = [np.empty((n[l + 1], w.m), DTYPE) for l in range(3)]

    def epochs(self, seed, n):
        W, Z, dW, dA = self.W, self.Z, self.dW, self.dA
        for _ in range(n):
            for start, stop in self.batches:
                k = stop - start
                A = self.work.X[:, start:stop]
                for l in range(3):  # forward: Z = Wᵀ A
                    np.matmul(W[l].T, A, out=Z[l][:, :k])
                    A = Z[l][:, :k]
                for l in (2, 1, 0):  # backward: dW = A_prev dZᵀ, dA_prev = W dZ (not for X)
                    A_prev = self.work.X[:, start:stop] if l == 0 else Z[l - 1][:, :k]
                    np.matmul(A_prev, Z[l][:, :k].T, out=dW[l])
                    if l > 0:
                        np.matmul(W[l], Z[l][:, :k], out=dA[l][:, :k])
            A = self.work.X
            for l in range(3):  # the cost's forward pass over all m examples
                np.matmul(W[l].T, A, out=self.Zfull[l])
                A = self.Zfull[l]

    def accuracy(self):
        return None


class TorchContender(Contender):
    name = "PyTorch"

    def __init__(self, work):
        super().__init__(work)
        self.note = f"torch {torch.__version__}, optim.SGD"
        self.X = torch.from_numpy(np.ascontiguousarray(work.X.T))   # (m, n_x): torch's layout
        self.y = torch.from_numpy(work.labels)

    def start(self):
        w = self.work
        layers = []
        for i, (W, b) in enumerate(zip(w.W0, w.b0)):
            linear = torch.nn.Linear(*W.shape)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W.T.copy()))
                linear.bias.copy_(torch.from_numpy(b.ravel().copy()))
            layers.append(linear)
            if i < len(w.W0) - 1:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=w.learning_rate)

    def epochs(self, seed, n):
        w = self.work
        model, optimizer, loss_fn = self.model, self.optimizer, torch.nn.functional.cross_entropy
        for order in w.orders(seed, n):
            index = torch.from_numpy(order)
            Xs, ys = self.X[index], self.y[index]
            for start in range(0, w.m, w.batch_size):
                xb, yb = Xs[start:start + w.batch_size], ys[start:start + w.batch_size]
                optimizer.zero_grad(set_to_none=True)
                loss_fn(model(xb), yb).backward()
                optimizer.step()
            with torch.no_grad():
                self.cost = float(loss_fn(model(self.X), self.y))

    def accuracy(self):
        with torch.no_grad():
            return float((self.model(self.X).argmax(dim=1) == self.y).double().mean())


class SklearnContender(Contender):
    name = "sklearn"

    def __init__(self, work):
        super().__init__(work)
        self.note = f"scikit-learn {sklearn.__version__} MLPClassifier(solver='sgd')"
        self.X = np.ascontiguousarray(work.X.T)

    def _classifier(self, epochs, seed):
        return MLPClassifier(
            hidden_layer_sizes=tuple(self.work.sizes[1:-1]), activation="relu", solver="sgd",
            alpha=0.0, batch_size=self.work.batch_size, learning_rate="constant",
            learning_rate_init=self.work.learning_rate, momentum=0.0, nesterovs_momentum=False,
            max_iter=epochs, shuffle=True, random_state=seed, tol=0.0, n_iter_no_change=10**9,
            warm_start=True)

    def start(self):
        w = self.work
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.clf = self._classifier(1, 0).fit(self.X[:50], w.labels[:50])  # sets it up
            if len(self.clf.classes_) != w.sizes[-1]:
                self.clf = self._classifier(1, 0).fit(self.X, w.labels)
        for coef, intercept, W, b in zip(self.clf.coefs_, self.clf.intercepts_, w.W0, w.b0):
            coef[...] = W           # sklearn's coefs_ are (n_in, n_out): the lecture's W
            intercept[...] = b.ravel()

    def epochs(self, seed, n):
        self.clf.set_params(max_iter=n, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: it is told to stop early
            self.clf.fit(self.X, self.work.labels)

    def accuracy(self):
        return float(np.mean(self.clf.predict(self.X) == self.work.labels))


# -- the measurement ----------------------------------------------------------------------------

def contenders(work):
    out = [NnlibContender(work), BareNumpyContender(work), TunedNumpyContender(work),
           GemmFloorContender(work)]
    if torch is not None:
        out.append(TorchContender(work))
    if MLPClassifier is not None:
        out.append(SklearnContender(work))
    return out


def set_threads(n):
    if threadpool_limits is not None:
        threadpool_limits(n)  # NumPy's BLAS (OpenBLAS) and any OpenMP pool it sees
    if torch is not None:
        torch.set_num_threads(n)


def measure(work, threads, rounds):
    set_threads(threads)
    players = contenders(work)
    for player in players:
        player.start()
        player.epochs(seed=10**6, n=1)  # warm up (allocations, lazy imports), then start again
        player.start()
    times = {player.name: [] for player in players}
    cpu = {player.name: [] for player in players}
    for r in range(rounds):
        random.Random(r).shuffle(players)
        for player in players:
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            player.epochs(seed=r, n=work.epochs_per_round)
            times[player.name].append((time.perf_counter() - t0) / work.epochs_per_round)
            cpu[player.name].append((time.process_time() - c0) / work.epochs_per_round)
    players.sort(key=lambda p: ["nnlib", "bare NumPy", "tuned NumPy", "GEMM floor", "PyTorch",
                                "sklearn"].index(p.name))
    return [(p, statistics.median(times[p.name]), times[p.name],
             statistics.median(cpu[p.name]), p.accuracy()) for p in players]


def print_table(title, threads, rows, epochs):
    base, cpu_base = rows[0][1], rows[0][3]
    print(f"\n{title}, {threads} thread{'s' if threads > 1 else ''}, "
          f"accuracy after {epochs} epochs")
    print(f"| {'contender':<11} | {'ms / epoch':>10} | {'min-max ms':>15} | {'vs nnlib':>8} | "
          f"{'CPU ms':>8} | {'CPU vs nnlib':>12} | {'accuracy':>8} | what |")
    print(f"|{'-' * 13}|{'-' * 12}|{'-' * 17}|{'-' * 10}|{'-' * 10}|{'-' * 14}|{'-' * 10}|------|")
    for player, median, times, cpu, accuracy in rows:
        acc = "-" if accuracy is None else f"{accuracy:.4f}"
        spread = f"{min(times) * 1e3:.1f}-{max(times) * 1e3:.1f}"
        print(f"| {player.name:<11} | {median * 1e3:>10.2f} | {spread:>15} | "
              f"{median / base:>8.2f} | {cpu * 1e3:>8.2f} | {cpu / cpu_base:>12.2f} | "
              f"{acc:>8} | {player.note} |")
    accuracies = [a for *_, a in rows if a is not None]
    exact = [a for p, *_, a in rows if a is not None and p.name != "sklearn"]
    if exact and max(exact) - min(exact) > 0.01:
        print("WARNING: nnlib, the NumPy loops and PyTorch should reach the same accuracy; they "
              f"differ by {max(exact) - min(exact):.4f}.")
    return accuracies


def paired_ratios(rows, one, other):
    """one's time / the other's in each round: the two ran back to back in that round."""
    times = {p.name: t for p, _, t, _, _ in rows}
    return [a / b for a, b in zip(times[one], times[other])]


def median_and_quartiles(ratios):
    median = statistics.median(ratios)
    low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (median,) * 3
    return median, low, high


def print_targets(checks):
    """The issue's targets: nnlib's time as a fraction of another contender's.

    The verdict uses the median of the per-round ratios: within a round the contenders run one
    after the other, so a slow spell of the shared machine that spans a round cancels out of
    that round's ratio. The ratio of the two medians (the tables' "vs nnlib") is shown too.
    """
    if checks:
        print("\ntargets: nnlib's time per epoch / the other's, median of the per-round ratios "
              "[quartiles]; the ratio of the median times in brackets")
    for workload, threads, other, limit, rows in checks:
        medians = {p.name: wall for p, wall, _, _, _ in rows}
        if other not in medians:
            print(f"  {workload}, {threads} thread(s): nnlib <= {limit} x {other}: "
                  f"not measured ({other} missing)")
            continue
        ratio, low, high = median_and_quartiles(paired_ratios(rows, "nnlib", other))
        verdict = "holds" if ratio <= limit else "MISSED"
        print(f"  {workload}, {threads} thread(s): nnlib <= {limit} x {other}: {ratio:.2f} "
              f"[{low:.2f}-{high:.2f}] ({medians['nnlib'] / medians[other]:.2f}) {verdict}")
        if other == "PyTorch" and "tuned NumPy" in medians:  # the yardstick: NumPy's own limit
            ratio, low, high = median_and_quartiles(paired_ratios(rows, "tuned NumPy", other))
            print(f"      for comparison, tuned NumPy / {other}: {ratio:.2f} [{low:.2f}-{high:.2f}]")


def describe_machine():
    lines = [f"python {platform.python_version()}, numpy {np.__version__}, "
             f"{os.cpu_count()} logical CPUs, {platform.machine()} {platform.processor() or ''}"]
    try:
        with open("/proc/cpuinfo") as handle:
            model = next(line.split(":", 1)[1].strip() for line in handle
                         if line.startswith("model name"))
        lines.append(f"CPU: {model}")
    except (OSError, StopIteration):
        pass
    if threadpool_info is not None:
        for pool in threadpool_info():
            if pool["user_api"] == "blas":
                owner = "NumPy's" if "numpy" in pool["filepath"] else "another"
                lines.append(f"{owner} BLAS: {pool['internal_api']} {pool['version']}, kernel "
                             f"{pool.get('architecture')} ({Path(pool['filepath']).name})")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if var in os.environ:
            lines.append(f"note: {var}={os.environ[var]} is set in the environment (left as is)")
    if threadpool_info is None:
        lines.append("threadpoolctl not installed: NumPy's BLAS threads cannot be set, so the "
                     "'1 thread' rows are not single-threaded for NumPy")
    lines.append("torch: " + (f"{torch.__version__} ({torch.backends.mkl.is_available() and 'MKL' or 'no MKL'})"
                              if torch is not None else
                              "not installed: skipped (make bench installs torch==2.13.0)"))
    lines.append("scikit-learn: " + (sklearn.__version__ if sklearn is not None else
                                     "not installed: MLPClassifier skipped"))
    try:
        lines.append(f"load average at start: {os.getloadavg()[0]:.2f}")
    except OSError:
        pass
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--rounds", type=int, default=None,
                        help="rounds for the digits workload (2 epochs each; default 21)")
    parser.add_argument("--synthetic-rounds", type=int, default=None,
                        help="rounds for the 60000 x 784 workload (1 epoch each; default 7)")
    parser.add_argument("--only", choices=["digits", "synthetic"], default=None)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # show each table as soon as it is measured
    rounds = args.rounds or (3 if args.quick else 21)
    synthetic_rounds = args.synthetic_rounds or (2 if args.quick else 7)

    print("nnlib benchmark: median time per epoch (float32), same start, same SGD steps")
    for line in describe_machine():
        print("  " + line)
    t_start = time.perf_counter()
    checks = []
    if args.only in (None, "digits"):
        work = digits_workload(args.quick)
        rows = measure(work, 1, rounds)
        print_table(work.name, 1, rows, rounds * work.epochs_per_round)
        checks.append(("digits", 1, "PyTorch", 0.35, rows))
        checks.append(("digits", 1, "bare NumPy", 1.15, rows))
    if args.only in (None, "synthetic"):
        work = synthetic_workload(args.quick)
        for threads in (1, 2):
            rows = measure(work, threads, synthetic_rounds)
            print_table(work.name, threads, rows, synthetic_rounds * work.epochs_per_round)
            checks.append(("synthetic", threads, "PyTorch", 0.8, rows))
    print_targets(checks)
    print(f"\n(total {time.perf_counter() - t_start:.0f} s)")


if __name__ == "__main__":
    main()
