#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: copy
short_description: ansible.builtin.copy, with one shell command when nothing changes
description:
  - Copies a file or text to the managed box exactly as M(ansible.builtin.copy) does, which it runs.
  - For a file from the role's C(files) folder or text given as O(content), one shell command first
    reads the file's SHA-1, owner, group and mode on the box. When they are already as asked, the task
    reports C(ok) without the builtin's module runs. Otherwise the builtin copy runs as usual, in check
    mode and with C(--diff) too.
  - Folders, files already on the box (C(remote_src)), vault-encrypted files and options beyond the ones
    listed here are passed on, and the builtin copy then runs every time.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  src:
    description: A file on the controller, looked up in the role's C(files) folder as the builtin does.
    type: path
  content:
    description: The text to write, instead of O(src).
    type: str
  dest:
    description: Where the file goes on the box.
    type: path
    required: true
  remote_src:
    description: O(src) is a file on the box (passed on to the builtin).
    type: bool
    default: false
extends_documentation_fragment:
  - djangoops.stack.settled
  - djangoops.stack.settled.file_write
seealso:
  - module: ansible.builtin.copy
"""

EXAMPLES = r"""
- name: Write the service's key
  djangoops.stack.copy:
    content: "{{ app_key }}\n"
    dest: /etc/app/key
    owner: root
    group: app
    mode: "0640"
  no_log: true
"""

RETURN = r"""
dest:
  description: The file on the box.
  returned: always
  type: str
checksum:
  description: The SHA-1 of the file.
  returned: success
  type: str
"""
