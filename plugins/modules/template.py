#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: template
short_description: ansible.builtin.template, with one shell command when nothing changes
description:
  - Renders a template to the managed box exactly as M(ansible.builtin.template) does, which it runs.
  - Before the builtin copies the rendered file, one shell command reads the file's SHA-1, owner,
    group and mode on the box. When they are already as asked, the task reports C(ok) without the
    builtin's two module runs (a stat, then the file module). Otherwise the builtin copy runs as usual,
    in check mode and with C(--diff) too.
  - Options beyond the ones listed here (C(attributes), SELinux contexts, a symbolic C(mode), ...) are
    passed on, and the builtin copy then runs every time.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  src:
    description: The template, looked up in the role's C(templates) folder as the builtin does.
    type: path
    required: true
  dest:
    description: Where the rendered file goes on the box.
    type: path
    required: true
extends_documentation_fragment:
  - djangoops.stack.settled
  - djangoops.stack.settled.file_write
seealso:
  - module: ansible.builtin.template
"""

EXAMPLES = r"""
- name: Render the service's settings
  djangoops.stack.template:
    src: app.conf.j2
    dest: /etc/app/app.conf
    owner: root
    group: app
    mode: "0640"
"""

RETURN = r"""
dest:
  description: The file on the box.
  returned: always
  type: str
checksum:
  description: The SHA-1 of the rendered file.
  returned: success
  type: str
"""
