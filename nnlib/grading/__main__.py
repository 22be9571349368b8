"""python -m nnlib.grading: the same as nnlib-grade."""

import sys

from .cli import main

sys.exit(main())
