"""Fixtures shared by the Molecule scenarios' testinfra tests (pytest finds this file from any
test folder below it)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "molecule" / "shared"))
from boxes import address  # noqa: E402


@pytest.fixture(scope="module")
def hvars(host):
    """The scenario's inventory variables (untemplated: "{{ }}" values arrive as written)."""
    return host.ansible.get_variables()


@pytest.fixture(scope="module")
def addr(host):
    """The box's own private address, as another box on the network would use it."""
    return address(host)
