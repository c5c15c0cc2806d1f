#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: user
short_description: ansible.builtin.user, with one shell command when nothing changes
description:
  - Manages an account as M(ansible.builtin.user) does, which it runs.
  - One shell command reads the account first (C(getent passwd), C(id)). When it exists with the
    primary group, supplementary groups, home, shell and comment asked for, the task reports C(ok)
    without a module run. Otherwise the builtin module runs as usual, in check mode too.
  - Creating or removing an account, and options beyond the ones listed here (a password, a uid,
    ...), always go to the builtin module.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  name:
    description: The account's name.
    type: str
    required: true
    aliases: [user]
  state:
    description: Whether the account should exist.
    type: str
    choices: [absent, present]
    default: present
  group:
    description: The primary group (a name).
    type: str
  groups:
    description: Supplementary groups.
    type: list
    elements: str
  append:
    description: Add O(groups) to the account's, rather than make them its only ones.
    type: bool
    default: false
  home:
    description: The home folder.
    type: path
  shell:
    description: The login shell.
    type: str
  comment:
    description: The account's description (GECOS).
    type: str
  system:
    description: Create a system account (only when it is created).
    type: bool
    default: false
  create_home:
    description: Create the home folder (only when the account is created).
    type: bool
    default: true
    aliases: [createhome]
notes:
  - Check mode is supported (by the builtin, whenever something has to change).
seealso:
  - module: ansible.builtin.user
  - module: djangoops.stack.group
"""

EXAMPLES = r"""
- name: Create the service's account
  djangoops.stack.user:
    name: app
    group: app
    system: true
    home: /srv/app
    create_home: false
    shell: /usr/sbin/nologin
"""

RETURN = r"""
name:
  description: The account's name.
  returned: always
  type: str
"""
