"""The examples in pynet's docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import pynet

MODULES = sorted(m.name.removeprefix("pynet.") for m in pkgutil.walk_packages(pynet.__path__, "pynet."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(f"pynet.{name}"), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"pynet.{name}: {result.failed} of {result.attempted} examples failed"


def test_the_documented_modules_have_examples():
    # the facade's and the settings' docstrings open with a worked example
    for name in ("facade", "page.settings"):
        assert doctest.testmod(importlib.import_module(f"pynet.{name}")).attempted >= 3
