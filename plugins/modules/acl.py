#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: acl
short_description: ansible.posix.acl, with one shell command when nothing changes
description:
  - Sets an entry of a path's POSIX ACL as M(ansible.posix.acl) does, which it runs.
  - For a user's or a group's entry that should be present, one C(setfacl --test) (the test the
    module makes itself) reads whether the ACL already holds it. When it does, the task reports
    C(ok) without a module run. Otherwise the module runs as usual, in check mode too.
  - Other states, O(ansible.posix.acl#module:entry), C(recursive), NFSv4 ACLs and options beyond
    the ones listed here are passed on to the module every time.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  path:
    description: The file or folder on the box.
    type: path
    required: true
    aliases: [name]
  etype:
    description: The kind of entry.
    type: str
    choices: [group, mask, other, user]
  entity:
    description: The user or group the entry is for.
    type: str
  permissions:
    description: The entry's permissions (C(r), C(w), C(x), C(X)).
    type: str
  state:
    description: Whether the entry should be there (C(query) reads the ACL).
    type: str
    choices: [absent, present, query]
    default: query
  default:
    description: Set the folder's default ACL (what new files in it get) instead of its ACL.
    type: bool
    default: false
extends_documentation_fragment:
  - djangoops.stack.settled.follow
notes:
  - Check mode is supported (by the module, whenever something has to change).
  - Needs C(setfacl) on the box (Debian's C(acl) package), as the module does.
seealso:
  - module: ansible.posix.acl
"""

EXAMPLES = r"""
- name: Let the web server through the site's home
  djangoops.stack.acl:
    path: /srv/app
    entity: www-data
    etype: user
    permissions: x
    state: present
"""

RETURN = r"""
msg:
  description: What the module did; absent when nothing changed.
  returned: when the module ran
  type: str
"""
