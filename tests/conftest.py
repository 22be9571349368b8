"""Shared test settings."""

from hypothesis import settings

# Hypothesis draws new random cases at every run by default; CI must be deterministic, so the
# cases are derived from each test's name instead (and no example database is written).
settings.register_profile("course", derandomize=True, database=None, deadline=None)
settings.load_profile("course")

# The browser tests' fixtures (the built book, a local server, Chromium without internet).
from browser_support import (book, browser, offline_context, phone_context,  # noqa: E402,F401
                             server)
