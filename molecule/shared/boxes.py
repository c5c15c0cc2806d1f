"""Helpers shared by the scenarios' testinfra tests (root conftest.py, two_box, drills)."""

import os

import testinfra


def box(name):
    """A scenario's box by its inventory name, reached the way Ansible reaches it."""
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def address(host):
    """The box's private address, as another box on the network would use it."""
    return host.check_output("ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1")
