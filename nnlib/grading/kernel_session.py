"""A fresh kernel for one notebook: the agent first, then the notebook's cells, within limits.

    with KernelSession() as kernel:          # starts the kernel and the agent inside it
        run = kernel.run_cells([(3, "import numpy as np"), ...], cell_limit=60, total=60)
        answer = kernel.session.answer("predict", "function", TimeBudget(10))

Before the notebook's first cell, the grader's prologue runs the agent's source text in the
kernel (agent.py and plain.py, read when this module was imported, before any notebook was
graded); the agent connects back over a Unix socket in a private folder and serves the grader
from a thread of its own. The notebook's cells then run one by one:

- no cell runs longer than ``cell_limit`` seconds, and all of them together no longer than
  ``total``: a cell past its limit is interrupted (KeyboardInterrupt); the cells after the
  notebook's time is used up are not run;
- a cell that ignores the interrupt keeps the kernel's main thread: the cells after it are not
  run, but the agent's thread still answers the grader, so the functions defined before it are
  graded;
- the kernel dying (``exit()``, memory) ends the run.

The kernel is isolated from what earlier notebooks could have left behind: its working folder
is an empty scratch folder (no file beside the notebook is importable, no ``nnlib`` folder can
shadow the installed one), ``HOME`` (hence IPython's profile and startup files, Jupyter's and
matplotlib's configuration, the user site-packages) is a fresh folder, and it writes no bytecode.
It is not a sandbox: the notebook's code runs with the grader's user rights (README: grade
untrusted notebooks in a container or as a separate user).
"""

from __future__ import annotations

import base64
import glob
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import agent, plain
from .remote import AgentLink, Session
from .runner import GRADING_ENV

__all__ = ["KernelSession", "KernelStartError", "RunReport", "INTERRUPT_GRACE"]

#: Seconds a cell gets to stop after its interrupt before it counts as ignoring it (an
#: interrupted plot can take a second to unwind).
INTERRUPT_GRACE = 3.0
#: Seconds the kernel (and the agent inside it) gets to start.
STARTUP_TIMEOUT = 60.0

_NNLIB_DIR = Path(__file__).resolve().parent.parent
_GRADING_DIR = Path(__file__).resolve().parent
# Read now, before any notebook is graded: what the kernel runs is what the grader loaded.
_PLAIN_SOURCE = Path(plain.__file__).read_text(encoding="utf-8")
_AGENT_SOURCE = Path(agent.__file__).read_text(encoding="utf-8")


def prologue(socket_path):
    """The code of the first cell the kernel runs: start the agent (from the grader's copy of
    its source), leaving no name in the notebook's namespace."""
    def b64(text):
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    return f"""\
def _nnlib_grade_start():
    import base64, types
    def load(name, source, **names):
        module = types.ModuleType(name)
        module.__dict__.update(names)
        text = base64.b64decode(source).decode("utf-8")
        exec(compile(text, "<" + name.replace("_", "-") + ">", "exec"), module.__dict__)
        return module
    plain = load("nnlib_grade_plain", {b64(_PLAIN_SOURCE)!r})
    agent = load("nnlib_grade_agent", {b64(_AGENT_SOURCE)!r}, plain=plain)
    agent.start({str(socket_path)!r}, {str(_NNLIB_DIR)!r}, {str(_GRADING_DIR)!r})
    get_ipython().InteractiveTB.set_mode("Minimal")   # tracebacks nobody reads, made fast
_nnlib_grade_start()
del _nnlib_grade_start
"""


class KernelStartError(RuntimeError):
    """The kernel, or the agent inside it, did not start."""


@dataclass
class RunReport:
    """What happened when the notebook's cells ran.

    ``errors``: (cell number, exception name, message) of every cell that raised;
    ``not_run``: the numbers of the cells that were not run; ``stopped``: why they were not
    (None when every cell ran); ``died``: the kernel died; ``seconds``: how long it took."""

    errors: list = field(default_factory=list)
    not_run: list = field(default_factory=list)
    stopped: str | None = None
    died: bool = False
    seconds: float = 0.0


def _isolated_environment(home):
    """The kernel's environment: the grader's, with a fresh HOME and no bytecode written."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONSTARTUP", "PYTHONINSPECT", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH",
                          "IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_CONFIG_DIR",
                          "JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR")}
    env.update({
        "HOME": str(home),
        "IPYTHONDIR": str(home / ".ipython"),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        GRADING_ENV: "1",
    })
    return env


def _copy_font_cache(target):
    """matplotlib's font list, so that a fresh HOME does not cost a font scan per notebook."""
    sources = [os.environ.get("MPLCONFIGDIR", ""), str(Path.home() / ".cache" / "matplotlib"),
               str(Path.home() / ".matplotlib")]
    for folder in sources:
        for cache in glob.glob(os.path.join(folder, "fontlist-*.json")) if folder else []:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(cache, target / os.path.basename(cache))
            return


class KernelSession:
    """One kernel with the agent in it (see the module docstring). A context manager."""

    def __init__(self, kernel_name="python3"):
        self.kernel_name = kernel_name
        self.scratch = None
        self.manager = None
        self.client = None
        self.session = None

    # start / stop -------------------------------------------------------------------------------------

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        from jupyter_client import KernelManager

        self.scratch = Path(tempfile.mkdtemp(prefix="nnlib-grade-"))
        home, work = self.scratch / "home", self.scratch / "work"
        home.mkdir()
        work.mkdir()
        _copy_font_cache(home / ".matplotlib")
        socket_path = self.scratch / "agent.sock"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(str(socket_path))
            listener.listen(1)
            listener.settimeout(STARTUP_TIMEOUT)
            # Unix sockets in the private scratch folder, not TCP ports on the machine.
            self.manager = KernelManager(kernel_name=self.kernel_name, transport="ipc",
                                         ip=str(self.scratch / "kernel"),
                                         connection_file=str(self.scratch / "kernel.json"))
            self.manager.start_kernel(cwd=str(work), env=_isolated_environment(home),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.client = self.manager.blocking_client()
            self.client.start_channels(stdin=False)
            try:
                self.client.wait_for_ready(timeout=STARTUP_TIMEOUT)
            except RuntimeError as error:
                raise KernelStartError(f"the kernel did not start ({error})") from None
            reply = self._execute(prologue(socket_path), STARTUP_TIMEOUT)
            if reply is None or reply.get("status") != "ok":
                raise KernelStartError("the grader's agent did not start in the kernel")
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                raise KernelStartError("the grader's agent did not connect") from None
        finally:
            listener.close()
            socket_path.unlink(missing_ok=True)
        connection.settimeout(STARTUP_TIMEOUT)
        hello = agent.receive(connection)
        if hello.get("op") != "hello":
            raise KernelStartError("the grader's agent did not say hello")
        self.session = Session(AgentLink(connection))

    def close(self):
        """Stop the agent and the kernel, remove the scratch folder."""
        if self.session is not None:
            self.session.link.close()
        if self.client is not None:
            self.client.stop_channels()
        if self.manager is not None:
            try:
                self.manager.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - a kernel that is already gone
                pass
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
        self.session = self.client = self.manager = self.scratch = None

    def alive(self):
        return self.manager is not None and self.manager.is_alive()

    # running cells ---------------------------------------------------------------------------------

    def _drain_iopub(self):
        """Throw away the kernel's broadcast output (the grader never reads what a cell printed)."""
        while True:
            try:
                self.client.get_iopub_msg(timeout=0)
            except queue.Empty:
                return
            except Exception:  # noqa: BLE001 - a malformed message: nobody reads them anyway
                continue

    def _wait_reply(self, msg_id, until):
        """The execute_reply to ``msg_id``, None if ``until`` passed, "died" if the kernel died,
        "garbled" if its messages cannot be read (the notebook broke Jupyter's protocol, e.g. by
        replacing json.dumps)."""
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return None
            try:
                reply = self.client.get_shell_msg(timeout=min(0.2, left))
            except queue.Empty:
                self._drain_iopub()
                if not self.alive():
                    return "died"
                continue
            except Exception:  # noqa: BLE001 - anything the kernel's code made of its messages
                return "garbled"
            if not isinstance(reply, dict) or not isinstance(reply.get("content"), dict):
                return "garbled"
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply["content"]

    def _execute(self, code, limit):
        msg_id = self.client.execute(code, store_history=True, allow_stdin=False,
                                     stop_on_error=False)
        reply = self._wait_reply(msg_id, time.monotonic() + limit)
        return reply if isinstance(reply, dict) else None

    def run_cells(self, cells, cell_limit, total):
        """Run ``cells`` ((number, source) pairs, in order) within the limits; a RunReport."""
        report = RunReport()
        started = time.monotonic()
        end = started + total
        for position, (number, source) in enumerate(cells):
            later = [n for n, _ in cells[position + 1:]]
            now = time.monotonic()
            if now >= end:
                report.not_run = [number] + later
                report.stopped = f"the notebook's cells used up its time limit of {total:g} s"
                break
            limit = min(cell_limit, end - now)
            msg_id = self.client.execute(source, store_history=True, allow_stdin=False,
                                         stop_on_error=False)
            reply = self._wait_reply(msg_id, now + limit)
            if reply is None:                     # out of time: interrupt it
                self.manager.interrupt_kernel()
                report.errors.append((number, "KeyboardInterrupt",
                                      f"time limit of {limit:.3g} s"))
                reply = self._wait_reply(msg_id, time.monotonic() + INTERRUPT_GRACE)
                if reply is None:
                    report.not_run = later
                    report.stopped = (f"cell {number} was still running after the time limit of "
                                      f"{limit:.3g} s and ignored the interrupt")
                    break
                if limit < cell_limit and reply != "died":
                    report.not_run = later
                    report.stopped = (f"the notebook's cells used up its time limit of {total:g} s"
                                      f" (cell {number} was interrupted)")
                    break
            if reply == "died":
                report.died = True
                report.not_run = later
                report.stopped = (f"the kernel died while running cell {number} (did the code "
                                  "call exit(), or use too much memory?)")
                break
            if reply == "garbled":
                report.not_run = later
                report.stopped = (f"after cell {number} the kernel's messages could not be read "
                                  "(did the notebook replace json.dumps or change Jupyter?)")
                break
            if isinstance(reply, dict) and reply.get("status") == "error" and \
                    not (report.errors and report.errors[-1][0] == number):
                report.errors.append((number, str(reply.get("ename", "Error")),
                                      str(reply.get("evalue", ""))))
        report.seconds = time.monotonic() - started
        return report
