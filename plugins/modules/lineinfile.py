#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: lineinfile
short_description: ansible.builtin.lineinfile, with one shell command when nothing changes
description:
  - Makes sure a line is in a file as M(ansible.builtin.lineinfile) does, which it runs.
  - One shell command reads the file first (type, owner, group, mode and content). When the line the
    builtin would replace (the last one that O(regexp) or O(search_string) matches, or the first with
    O(firstmatch); else the last one equal to O(line)) already is O(line), and owner and mode are as
    asked, the task reports C(ok) without a module run. Otherwise the builtin module runs as usual,
    in check mode and with C(--diff) too.
  - C(state=absent), C(backrefs), files over 256 KiB and options beyond the ones listed here always
    go to the builtin module.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  path:
    description: The file on the box.
    type: path
    required: true
    aliases: [dest, name]
  line:
    description: The line the file must hold.
    type: str
  regexp:
    description: The line to replace is the last one this Python regular expression matches.
    type: str
  search_string:
    description: The line to replace is the last one that holds this text.
    type: str
  state:
    description: Whether the line should be there.
    type: str
    choices: [absent, present]
    default: present
  firstmatch:
    description: Replace the first line that matches, not the last.
    type: bool
    default: false
  insertafter:
    description: Where a missing line goes (C(EOF), C(BOF) or a regular expression).
    type: str
  insertbefore:
    description: Where a missing line goes (C(BOF) or a regular expression).
    type: str
  create:
    description: Create the file when it is missing.
    type: bool
    default: false
  unsafe_writes:
    description: Write in place when a rename cannot replace the file (a bind-mounted /etc/hosts).
    type: bool
    default: false
extends_documentation_fragment:
  - djangoops.stack.settled
  - djangoops.stack.settled.file_write
seealso:
  - module: ansible.builtin.lineinfile
"""

EXAMPLES = r"""
- name: Hide nginx's version
  djangoops.stack.lineinfile:
    path: /etc/nginx/nginx.conf
    regexp: '^\s*#?\s*server_tokens\s'
    line: "\tserver_tokens off;"
    insertafter: '^http\s*\{'
"""

RETURN = r"""
msg:
  description: What the builtin did (C(line added), C(line replaced)); empty when nothing changed.
  returned: always
  type: str
"""
