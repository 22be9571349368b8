"""One module per exercise: ``chN.py`` registers the questions "N.1", "N.2", ... of exercise N
(``exercises/solutions/0N_*.ipynb``). Modules are imported on demand by ``registry.get``."""
