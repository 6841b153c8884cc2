"""Shared pytest set-up for tests/ (CPython and Pyodide)."""

from __future__ import annotations

import os

import pytest


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
