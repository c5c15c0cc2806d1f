"""Fixtures shared by the Molecule scenarios' testinfra tests (pytest finds this file from any
test folder below it)."""

import pytest


@pytest.fixture(scope="module")
def hvars(host):
    """The scenario's inventory variables (untemplated: "{{ }}" values arrive as written)."""
    return host.ansible.get_variables()


def eth0_address(host):
    return host.check_output("ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1")


@pytest.fixture(scope="module")
def addr(host):
    """The box's own private address, as another box on the network would use it."""
    return eth0_address(host)
