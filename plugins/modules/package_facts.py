#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: package_facts
short_description: ansible.builtin.package_facts for Debian, with one dpkg-query
description:
  - Sets C(ansible_facts.packages) as M(ansible.builtin.package_facts) does, in the same shape
    (each package name, a list of its installed versions with C(name), C(version), C(arch) and
    C(source)).
  - On a box with C(dpkg-query) one command lists the packages dpkg calls installed, where the
    builtin loads python3-apt's whole cache (about a second a box on the test machine). Elsewhere,
    or with another O(manager), the builtin module runs.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  manager:
    description: The package manager to ask (C(auto) and C(apt) mean dpkg here).
    type: list
    elements: str
    default: [auto]
  strategy:
    description: Passed on to the builtin when it runs.
    type: str
    choices: [first, all]
    default: first
notes:
  - Check mode is supported (it only reads).
  - Half-installed or half-configured packages are not listed (the builtin lists them).
seealso:
  - module: ansible.builtin.package_facts
"""

EXAMPLES = r"""
- name: Learn which packages are installed
  djangoops.stack.package_facts:

- name: Install nginx unless it is there
  ansible.builtin.apt:
    name: nginx
  when: "'nginx' not in ansible_facts.packages"
"""

RETURN = r"""
ansible_facts:
  description: C(packages), each installed package's name with a list of its versions.
  returned: always
  type: dict
"""
