"""The answer a check calls in the grader (remote.RemoteLearner) is a drop-in for the local one:
the same verdicts, with the learner's function run by the agent (agent.py) and only plain data
coming back. The agent runs here on a thread, over a socket pair (no kernel: fast); the grader's
tests run it in real kernels (test_grading_grader.py, test_grading_forgery.py)."""

import contextlib
import io
import socket
import threading
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest

import nnlib
from nnlib.grading import agent, registry, remote
from nnlib.grading.provenance import python_source
from nnlib.grading.runner import MISSING, Rejected, evaluate

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))
NNLIB_DIR = Path(nnlib.__file__).resolve().parent


class Kernel:
    """An agent serving ``namespace`` (a notebook's) on a thread; ``answer`` as the grader gets."""

    def __init__(self, namespace):
        self.namespace = namespace
        grader_end, kernel_end = socket.socketpair()
        self.agent = agent.Agent(kernel_end, namespace, str(NNLIB_DIR), str(NNLIB_DIR / "grading"))
        self.thread = threading.Thread(target=self.agent.serve, daemon=True)
        self.thread.start()
        self.session = remote.Session(remote.AgentLink(grader_end))

    def answer(self, name, kind="function", seconds=20.0):
        return self.session.answer(name, kind, remote.TimeBudget(seconds))

    def learner(self, name, seconds=20.0):
        """The proxy of ``name``, whoever defined it (skips the ownership check of describe)."""
        return remote.RemoteLearner(self.session, name, remote.TimeBudget(seconds))

    def close(self):
        self.session.link.close()
        self.thread.join(2)


def notebook(source, **names):
    """A namespace as a notebook's: ``source`` compiled as a cell (learner code) and run in it."""
    namespace = {"__name__": "__main__", "np": np, "nnlib": nnlib, **names}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


@pytest.fixture
def kernel():
    kernels = []

    def make(namespace):
        kernels.append(Kernel(namespace))
        return kernels[-1]

    yield make
    for k in kernels:
        k.close()


# -- the course's solutions pass through the proxy ----------------------------------------------------

def _solved(path):
    """The namespace of a solution notebook run top to bottom (in this process)."""
    matplotlib.use("Agg")
    nb = nbformat.read(path, as_version=4)
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells:
            if cell.cell_type == "code":
                # (IPython's syntax, e.g. the install cell's %pip, made Python first)
                exec(compile(python_source(cell.source), "<cell>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.name[:2])
def test_every_solution_passes_every_question_through_the_proxy(solution, kernel):
    namespace = _solved(solution)
    k = kernel(namespace)
    for q in registry.questions_for(int(solution.name[:2])):
        answer = k.answer(q.name, q.kind)
        assert not isinstance(answer, Rejected), answer
        if q.kind == "function":
            assert isinstance(answer, remote.RemoteLearner)
        result = evaluate(q.id, answer)
        assert result.passed, result


# -- the same verdicts as in the notebook's own check ---------------------------------------------

WRONG = {
    "1.1": "def predict(x, w, b):\n    return w * x\n",                       # b missing
    "1.2": "def compute_cost(y_hat, y):\n    return float(np.sum((y - y_hat) ** 2))\n",
    "1.4": "def update(w, b, dw, db, learning_rate):\n    return 'w, b'\n",
    "2.1": ("def forward(X, W, b):\n    Z = np.zeros((1, X.shape[1]))\n"
            "    for i in range(X.shape[1]):\n        Z[0, i] = (W.T @ X[:, i:i+1] + b)[0, 0]\n"
            "    return Z\n"),                                                   # a loop: lines
    "3.1": "def sigmoid(Z):\n    return 1 / (1 + np.exp(-Z))\n",                 # overflows
    "4.5": ("def gradient_check(forward, backward, parameters, X, Y, activations, epsilon=1e-6):\n"
            "    def J():\n        return nnlib.losses.binary_cross_entropy(forward(X, parameters, activations)[0], Y)\n"
            "    AL, caches = forward(X, parameters, activations)\n"
            "    grads = backward(AL, Y, caches, parameters, activations)\n"
            "    errors = {}\n"
            "    for key, theta in parameters.items():\n"
            "        approx = np.zeros_like(theta)\n"
            "        for i in np.ndindex(theta.shape):\n"
            "            base = J()\n            theta[i] += epsilon\n"
            "            approx[i] = (J() - base) / epsilon\n            theta[i] -= epsilon\n"
            "        d = grads['d' + key]\n"
            "        errors['d' + key] = np.linalg.norm(approx - d) / (np.linalg.norm(approx) + np.linalg.norm(d))\n"
            "    return errors\n"),                                              # one-sided
    "5.4": "def relu(Z):\n    return np.matrix(np.maximum(Z, 0))\n",             # not plain
    "1.3": "def compute_gradients(x, y, y_hat):\n    return 1 / 0\n",            # raises
    "1.5": "def train(x, y, w, b, learning_rate, epochs):\n    raise NotImplementedError\n",
}


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::RuntimeWarning")
@pytest.mark.parametrize("question_id", sorted(WRONG))
def test_a_wrong_answer_gets_the_same_verdict_through_the_proxy(question_id, kernel):
    q = registry.get(question_id)
    namespace = notebook(WRONG[question_id])
    local = evaluate(question_id, namespace[q.name])
    remote_ = evaluate(question_id, kernel(namespace).answer(q.name))
    assert not local.passed
    assert (remote_.status, remote_.feedback) == (local.status, local.feedback)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_the_overflow_of_the_naive_sigmoid_is_seen_through_the_proxy(kernel):
    result = evaluate("3.1", kernel(notebook(WRONG["3.1"])).answer("sigmoid"))
    assert "overflows" in result.feedback and result.score == 0


def test_a_callback_runs_in_the_grader_with_the_learners_data(kernel):
    seen = []

    def double(values, scale=1.0):
        seen.append((type(values), values.dtype))
        return values * 2 * scale

    k = kernel(notebook("def apply(f, X):\n    X[0, 0] = 7.0\n    return f(X, scale=0.5) + 1\n"))
    X = np.ones((2, 2))
    got = k.learner("apply")(double, X)
    assert np.array_equal(got, [[8.0, 2.0], [2.0, 2.0]])
    assert seen == [(np.ndarray, np.float64)]
    assert X[0, 0] == 1.0                          # the learner changed its own copy only


# -- only plain data, only the learner's own functions --------------------------------------------

def test_an_ndarray_subclass_is_refused_with_a_clear_message(kernel):
    source = ("class Zeros(np.ndarray):\n    def __sub__(self, other):\n"
              "        return np.zeros(self.shape)\n"
              "def predict(x, w, b):\n    return np.zeros_like(x).view(Zeros)\n")
    result = evaluate("1.1", kernel(notebook(source)).answer("predict"))
    assert result.status == "failed" and result.score == 0
    assert "subclass of NumPy's ndarray" in result.feedback and "np.asarray" in result.feedback


@pytest.mark.parametrize("source, phrase", [
    ("from nnlib.activations import sigmoid", "nnlib.activations.sigmoid"),
    ("sigmoid = np.tanh", "NumPy's ufunc tanh"),
    ("import functools\nsigmoid = functools.partial(nnlib.activations.sigmoid)", "partial"),
    ("from nnlib.grading.questions.ch3 import ref_sigmoid as sigmoid", "nnlib.grading.questions.ch3"),
])
def test_a_function_that_is_not_defined_in_the_notebook_is_not_the_learners(source, phrase, kernel):
    answer = kernel(notebook(source)).answer("sigmoid")
    assert isinstance(answer, Rejected) and "not your own" in answer.feedback
    assert phrase in answer.feedback
    assert evaluate("3.1", answer).score == 0


def test_a_function_defined_in_the_notebook_is_the_learners_even_as_a_lambda(kernel):
    k = kernel(notebook("sigmoid = lambda Z: 1 / (1 + np.exp(-Z))\ndef relu(Z):\n    return Z\n"))
    assert isinstance(k.answer("sigmoid"), remote.RemoteLearner)
    assert isinstance(k.answer("relu"), remote.RemoteLearner)


def test_code_of_the_course_compiled_into_the_notebook_is_not_the_learners(kernel):
    source = (NNLIB_DIR / "activations.py").read_text()
    namespace = {"__name__": "__main__"}
    exec(compile(source, str(NNLIB_DIR / "activations.py"), "exec"), namespace)
    answer = kernel(namespace).answer("sigmoid")
    assert isinstance(answer, Rejected) and "compiled from" in answer.feedback


def test_a_function_that_calls_the_courses_reference_is_caught(kernel):
    from nnlib.grading.questions import ch1

    namespace = notebook("def train(x, y, w, b, learning_rate, epochs):\n"
                         "    return reference(x, y, w, b, learning_rate, epochs)\n",
                         reference=ch1.reference_train)
    result = evaluate("1.5", kernel(namespace).answer("train"))
    assert result.score == 0 and "course's checking code" in result.feedback
    assert "reference_train" in result.feedback


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_values_are_read_as_plain_data(kernel):
    k = kernel(notebook("learning_rate = np.float32(0.1)\nbest = np.matrix([[1.0]])\n"
                        "import math\nbad = math\nfunction = lambda: 0.1\n"))
    assert k.answer("learning_rate", "value") == np.float32(0.1)
    assert k.answer("missing", "value") is MISSING
    for name, phrase in (("best", "subclass"), ("bad", "module"), ("function", "a function")):
        answer = k.answer(name, "value")
        assert isinstance(answer, Rejected) and phrase in answer.feedback


def test_a_value_where_a_function_is_asked_is_named(kernel):
    result = evaluate("1.1", kernel(notebook("predict = 42")).answer("predict"))
    assert "should be a function, but it is an int" in result.feedback


# -- time -------------------------------------------------------------------------------------------------

def test_a_function_that_ignores_its_interrupt_is_abandoned_and_the_kernel_still_answers(kernel):
    namespace = notebook(
        "running = True\n"
        "def train(*args):\n    while running:\n        try:\n            while running:\n"
        "                pass\n        except BaseException:\n            pass\n"
        "def predict(x, w, b):\n    return w * x + b\n")
    k = kernel(namespace)
    try:
        result = evaluate("1.5", k.answer("train", seconds=0.3), time_limit=0.3)
        assert result.status == "failed" and "did not return within 0.3 s" in result.feedback
        assert evaluate("1.1", k.answer("predict")).passed
    finally:
        namespace["running"] = False           # this process is not a kernel: end the thread


def test_the_question_budget_is_shared_by_all_its_calls(kernel):
    k = kernel(notebook("import time\ndef predict(x, w, b):\n    time.sleep(0.2)\n"
                        "    return w * x + b\n"))
    result = evaluate("1.1", k.answer("predict", seconds=0.5), time_limit=0.5)
    assert "did not return within 0.5 s" in result.feedback       # 3 calls of 0.2 s


def test_a_kernel_that_goes_away_ends_the_session(kernel):
    k = kernel(notebook("def predict(x, w, b):\n    return w * x + b\n"))
    k.agent.sock.close()
    with pytest.raises(remote.SessionLost):
        evaluate("1.1", k.answer("predict"))


# -- the notebook's own check() agrees --------------------------------------------------------------

@pytest.mark.parametrize("source, verdict", [
    ("def sigmoid(Z):\n    return 1 / (1 + np.exp(-np.abs(Z))) * (Z >= 0) + "
     "np.exp(-np.abs(Z)) / (1 + np.exp(-np.abs(Z))) * (Z < 0)", "passed"),
    ("from nnlib.activations import sigmoid", "not your own function"),
    ("from nnlib.grading.questions import ch3\ndef sigmoid(Z):\n    return ch3.ref_sigmoid(Z)",
     "course's checking code"),
])
def test_the_notebooks_check_gives_the_graders_verdict(source, verdict, capsys, kernel):
    from nnlib.grading import check

    namespace = notebook(source, check=check)
    exec(compile("check('3.1', sigmoid)", "<cell>", "exec"), namespace)
    printed = " ".join(capsys.readouterr().out.split())
    assert verdict in printed
    graded = evaluate("3.1", kernel(namespace).answer("sigmoid"))
    assert graded.passed == (verdict == "passed")
    assert " ".join(graded.feedback.split()) in printed


def test_the_notebooks_check_lets_the_learner_call_the_checks_own_functions():
    """Question 4.5 hands the learner's gradient_check the check's forward and backward: calling
    them is not calling the course's code."""
    from nnlib.grading import check

    namespace = _solved(ROOT / "exercises" / "solutions" / "04_general_networks.ipynb")
    namespace["check"] = check
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile("check('4.5', gradient_check)", "<cell>", "exec"), namespace)
    assert "passed (2/2 points)" in printed.getvalue()


def test_a_questions_prerequisites_get_time_of_their_own(kernel):
    """When train fails, its note names the prerequisites that do not pass; one that does must
    not look broken because train used the question's time."""
    k = kernel(notebook("def predict(x, w, b):\n    return w * x + b\n"
                        "def train(x, y, w, b, learning_rate, epochs):\n    return predict(x, w, b)\n"))
    train = k.answer("train", seconds=0.3)
    assert train.uses("predict") and not train.uses("compute_cost")
    train.budget.spend(0.3)                                  # train used all of its time
    assert evaluate("1.1", train.sibling("predict"), time_limit=0.3).passed
