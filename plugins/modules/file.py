#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: file
short_description: ansible.builtin.file, with one shell command when nothing changes
description:
  - Sets a path's state as M(ansible.builtin.file) does, which it runs.
  - For a directory, a link, an absent path, or the owner and mode of an existing file (no O(state),
    or C(state=file)), one shell command reads the path first (type, owner, group, mode, a link's
    target). When it is already as asked, the task reports C(ok) without a module run. Otherwise
    the builtin file module runs as usual, in check mode and with C(--diff) too.
  - Other states, and options beyond the ones listed here (C(recurse), C(attributes), ...), are passed
    on to the builtin module every time.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  path:
    description: The path on the box.
    type: path
    required: true
    aliases: [dest, name]
  state:
    description: What the path should be.
    type: str
    choices: [absent, directory, file, hard, link, touch]
  src:
    description: A link's target.
    type: path
  force:
    description: Replace what is in the way of a link.
    type: bool
    default: false
extends_documentation_fragment:
  - djangoops.stack.settled
  - djangoops.stack.settled.follow
seealso:
  - module: ansible.builtin.file
"""

EXAMPLES = r"""
- name: Create the service's folder
  djangoops.stack.file:
    path: /srv/app
    state: directory
    owner: app
    group: app
    mode: "0750"
"""

RETURN = r"""
path:
  description: The path on the box.
  returned: always
  type: str
"""
