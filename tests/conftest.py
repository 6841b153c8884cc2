"""Shared pytest set-up for tests/ (CPython and Pyodide).

tests/ is on sys.path (pytest puts the directory of this conftest.py there),
so test files in every directory import the shared helpers as
``from facade_calls import ...``. tests/engine/, tests/reference/ and
tests/page/ are packages only so that their module names are unique."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# In CI (CI=true, passed into Pyodide by tests/pyodide_runner.mjs) hypothesis draws
# the same examples every run, so a landing is never decided by a lucky or unlucky
# draw; developers' runs stay random and keep finding new cases.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _fresh_kernels_under_mutation_testing():
    """mutmut forks every mutant's test run from a process that already ran
    the suite, so pynet.fast's cache would hand it epoch functions generated
    by the unmutated generator: start each mutant's run with an empty cache."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        from pynet import fast
        fast._CACHE.clear()
        fast._SOURCES.clear()
    yield
