"""The book's tooling: Sphinx extensions (loaded by path from _config.yml), the notebooks' install
cell, and the authors' checks. Importable as ``book`` from the repository's root (the tests do)."""
