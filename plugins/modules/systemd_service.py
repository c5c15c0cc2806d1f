#!/usr/bin/python
# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# Documentation only: the action plugin of the same name does the work on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: systemd_service
short_description: ansible.builtin.systemd_service, with one systemctl call when nothing changes
description:
  - Manages a systemd unit as M(ansible.builtin.systemd_service) does, which it runs.
  - When the task only asks that a unit be started or stopped, enabled or not, one C(systemctl show)
    reads its state first. When it already is as asked, the task reports C(ok) without a module run.
  - A restart, a reload, O(daemon_reload) and other options are passed on to the builtin module every
    time.
version_added: 1.0.0
author: djangoops.stack developers (@djangoops)
options:
  name:
    description: The unit.
    type: str
    aliases: [unit]
  state:
    description: What the unit should be doing.
    type: str
    choices: [reloaded, restarted, started, stopped]
  enabled:
    description: Whether it starts at boot.
    type: bool
  daemon_reload:
    description: Run C(systemctl daemon-reload) first (passed on to the builtin).
    type: bool
    default: false
notes:
  - Check mode is supported (by the builtin, whenever something has to change).
seealso:
  - module: ansible.builtin.systemd_service
"""

EXAMPLES = r"""
- name: Enable and start the service
  djangoops.stack.systemd_service:
    name: app.service
    state: started
    enabled: true
"""

RETURN = r"""
name:
  description: The unit.
  returned: always
  type: str
"""
