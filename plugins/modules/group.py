#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: group
short_description: ansible.builtin.group, with one shell command when nothing changes
description:
  - Manages a group as M(ansible.builtin.group) does, which it runs.
  - One C(getent group) reads the group first. When it exists (with the O(gid) asked for, if any),
    the task reports C(ok) without a module run. Otherwise the builtin module runs as usual, in
    check mode too.
  - Creating or removing a group, and options beyond the ones listed here, always go to the
    builtin module.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  name:
    description: The group's name.
    type: str
    required: true
  state:
    description: Whether the group should exist.
    type: str
    choices: [absent, present]
    default: present
  gid:
    description: The group's id.
    type: int
  system:
    description: Create a system group (only when it is created).
    type: bool
    default: false
notes:
  - Check mode is supported (by the builtin, whenever something has to change).
seealso:
  - module: ansible.builtin.group
  - module: djangoops.stack.user
"""

EXAMPLES = r"""
- name: Create the service's group
  djangoops.stack.group:
    name: app
    system: true
"""

RETURN = r"""
name:
  description: The group's name.
  returned: always
  type: str
"""
