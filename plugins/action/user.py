# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.user with a quicker "nothing to change": one shell command reads the account
(getent, its primary group and its groups); when it exists with the primary group, supplementary
groups, home, shell and comment the task asks for, that is the answer. Creating an account, a
password, a uid and anything else run the builtin module as usual."""

from __future__ import annotations

import shlex

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import SettledOrModule, asked, run_and_read

# system and create_home only matter when the account is created.
_UNDERSTOOD = {"name", "user", "state", "group", "groups", "append", "home", "shell", "comment", "system",
               "create_home", "createhome"}


def _names(value):
    if isinstance(value, str):
        value = value.split(",")
    return {str(name).strip() for name in value or [] if str(name).strip()}


class ActionModule(SettledOrModule):

    MODULE = "ansible.legacy.user"

    def settled(self, args):
        name = args.get("name") or args.get("user")
        if not name or args.get("state", "present") != "present" or asked(args) - _UNDERSTOOD:
            return False
        try:
            append = boolean(args.get("append", False), strict=True)
        except TypeError:
            return False
        quoted = shlex.quote(str(name))
        rc, lines = run_and_read(self, "getent passwd -- {0} && id -gn -- {0} && id -Gn -- {0}".format(quoted))
        if rc != 0 or len(lines) < 3:
            return False
        fields = lines[0].split(":")
        if len(fields) != 7 or fields[0] != str(name):
            return False
        primary = lines[1].strip()
        found = {"comment": fields[4], "home": fields[5], "shell": fields[6], "group": primary}
        if any(args.get(key) is not None and str(args[key]) != found[key] for key in ("comment", "home", "shell", "group")):
            return False
        if args.get("groups") is not None:
            wanted, current = _names(args["groups"]), set(lines[2].split()) - {primary}
            if not (wanted <= current if append else wanted == current):
                return False
        return True
