# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.group with a quicker "nothing to change": one getent finds whether the group
exists (with the gid asked for, if any); when it does, that is the answer. Creating or removing
a group and anything else run the builtin module as usual."""

from __future__ import annotations

import shlex

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import SettledOrModule, asked, run_and_read

# system only matters when the group is created.
_UNDERSTOOD = {"name", "state", "gid", "system"}


class ActionModule(SettledOrModule):

    MODULE = "ansible.legacy.group"

    def settled(self, args):
        name = args.get("name")
        if not name or args.get("state", "present") != "present" or asked(args) - _UNDERSTOOD:
            return False
        rc, lines = run_and_read(self, "getent group -- " + shlex.quote(str(name)))
        fields = lines[0].split(":") if rc == 0 and lines else []
        if len(fields) != 4 or fields[0] != str(name):
            return False
        return args.get("gid") is None or str(args["gid"]) == fields[2]
