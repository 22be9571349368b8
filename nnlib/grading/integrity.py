"""Did a notebook change the code that grades, or the code later kernels run?

nnlib is installed editable: its source is writable by the notebooks the grader runs, and so is
the Python environment. The grader loads every check before the first notebook and never imports
from disk afterwards, so a change cannot alter its verdicts; but it would reach the kernels of the
notebooks graded after it (a rewritten ``nnlib/__init__.py``, a ``.pth`` file, a kernel spec).

    installation = Installation()          # before the first notebook
    ...                                    # a notebook runs
    changed = installation.changes()       # ["nnlib/grading/questions/ch1.py", ...]
    installation.restore()                 # nnlib's files put back as they were; returns
                                           # the changes it could not undo (outside nnlib)

nnlib's own folder is kept byte for byte (it is small) and restored; the rest of the environment
(``sys.prefix``: site-packages, the kernel specs, Jupyter's and IPython's configuration) is
fingerprinted by each file's size, modification time, inode and *change* time (st_ctime, which
no program can set back), so any write is seen, but it cannot be undone here.
"""

from __future__ import annotations

import compileall
import os
import sys
from pathlib import Path

__all__ = ["Installation", "seal_nnlib"]

_NNLIB_DIR = Path(__file__).resolve().parent.parent


def _files(root):
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            yield os.path.join(folder, name)


def _stat(path):
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode)


class Installation:
    """The fingerprint of nnlib's folder and of the Python environment (see the module)."""

    def __init__(self, nnlib_dir=_NNLIB_DIR, prefix=sys.prefix):
        self.nnlib_dir = str(Path(nnlib_dir).resolve())
        self.prefix = str(Path(prefix).resolve())
        # Bytecode for every module, now: later kernels then never need to write any.
        compileall.compile_dir(self.nnlib_dir, quiet=2)
        self.saved = {}
        for path in _files(self.nnlib_dir):
            try:
                with open(path, "rb") as handle:
                    self.saved[path] = handle.read()
            except OSError:
                pass
        self.fingerprint = self._fingerprint()

    def _roots(self):
        roots = [self.nnlib_dir]
        if not (self.nnlib_dir + os.sep).startswith(self.prefix + os.sep):
            roots.append(self.prefix)
        return roots

    def _fingerprint(self):
        return {path: _stat(path) for root in self._roots() for path in _files(root)}

    def changes(self):
        """The files added, removed or written since the fingerprint (relative paths)."""
        now = self._fingerprint()
        changed = [p for p in set(now) | set(self.fingerprint)
                   if now.get(p) != self.fingerprint.get(p)]
        return sorted(self._show(p) for p in changed)

    def _show(self, path):
        for root, label in ((self.nnlib_dir, "nnlib"), (self.prefix, sys.prefix)):
            if path.startswith(root + os.sep):
                return os.path.join(label, os.path.relpath(path, root))
        return path

    def restore(self):
        """Put nnlib's folder back as it was (remove added files, rewrite changed ones) and
        fingerprint again. Returns the changes that could not be undone (outside nnlib)."""
        now = self._fingerprint()
        for path in now:
            if path.startswith(self.nnlib_dir + os.sep) and path not in self.saved:
                try:
                    os.remove(path)
                except OSError:
                    pass
        for path, data in self.saved.items():
            if _stat(path) != self.fingerprint.get(path):
                try:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as handle:
                        handle.write(data)
                    before = self.fingerprint.get(path)
                    if before is not None:       # the old time, so its bytecode stays valid
                        os.utime(path, ns=(before[1], before[1]))
                except OSError:
                    pass
        outside = [self._show(p) for p in set(now) | set(self.fingerprint)
                   if not p.startswith(self.nnlib_dir + os.sep)
                   and now.get(p) != self.fingerprint.get(p)]
        unrestored = [self._show(p) for p, data in self.saved.items()
                      if _read(p) != data]
        self.fingerprint = self._fingerprint()
        return sorted(outside + unrestored)


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


class _Sealed:
    """A sys.meta_path finder that refuses to load any more of nnlib from disk."""

    def find_spec(self, name, path=None, target=None):
        if (name == "nnlib" or name.startswith("nnlib.")) and name not in sys.modules:
            raise ImportError(f"nnlib-grade loads all of its code before the first notebook and "
                              f"nothing from disk afterwards; {name} was not loaded in time")
        return None


def seal_nnlib():
    """From now on, no module of nnlib is imported from disk in this process (a notebook that
    rewrote one cannot reach the grader through a late import)."""
    if not any(isinstance(finder, _Sealed) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Sealed())
