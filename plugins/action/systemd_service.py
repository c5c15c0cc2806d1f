# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.systemd_service with a quicker "nothing to change": when a task only asks that a
unit be started or stopped, enabled or not, one `systemctl show` reads its state; when it already
is as asked, that is the answer. Anything else (a restart, a reload, daemon_reload, a unit in any
other state) runs the builtin module as usual."""

from __future__ import annotations

import shlex

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import SettledOrModule, asked, run_and_read

_UNDERSTOOD = {"name", "unit", "state", "enabled"}
_ACTIVE = {"started": "active", "stopped": "inactive"}
_UNIT_FILE = {True: "enabled", False: "disabled"}


class ActionModule(SettledOrModule):

    MODULE = "ansible.legacy.systemd_service"

    def settled(self, args):
        name = args.get("name") or args.get("unit")
        state, enabled = args.get("state"), args.get("enabled")
        if not name or asked(args) - _UNDERSTOOD:
            return False
        if state is not None and state not in _ACTIVE:
            return False
        if enabled is not None:
            try:
                enabled = boolean(enabled, strict=True)
            except TypeError:
                return False
        rc, lines = run_and_read(self, "systemctl show --property=LoadState,ActiveState,UnitFileState -- " + shlex.quote(name))
        if rc != 0:
            return False
        found = dict(line.split("=", 1) for line in lines if "=" in line)
        return (found.get("LoadState") == "loaded"
                and (state is None or found.get("ActiveState") == _ACTIVE[state])
                and (enabled is None or found.get("UnitFileState") == _UNIT_FILE[enabled]))
