# The kernels that run the book's notebooks (make book, make test) draw every matplotlib
# figure as a PNG at twice its resolution, shown at its own size ("retina"): sharp on a phone
# or any 2x screen. The Makefile copies this file to .venv/etc/ipython/, where every IPython
# kernel of the virtual environment reads it.
c.InlineBackend.figure_formats = {"retina"}  # noqa: F821 (IPython provides c)
