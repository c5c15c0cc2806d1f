# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.file with a quicker "nothing to change": one shell command reads the path's
type, owner, group and mode (and a link's target). When a directory, a link, an absent path, or a
file's owner and mode (no state, or state=file), is already as asked, that is the answer; anything
else runs the builtin file module as usual."""

from __future__ import annotations

import shlex

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import (
    DIRECTORY, LINK, REGULAR, SettledOrModule, asked, owner_and_mode_match, read_path)

_UNDERSTOOD = {"path", "dest", "name", "state", "owner", "group", "mode", "src", "force", "follow"}


class ActionModule(SettledOrModule):

    MODULE = "ansible.legacy.file"

    def settled(self, args):
        path = args.get("path") or args.get("dest") or args.get("name")
        state = args.get("state")
        if not path or state not in (None, "file", "directory", "link", "absent"):
            return False
        if asked(args) - _UNDERSTOOD:
            return False
        if state == "absent":
            return self._low_level_execute_command(
                "test ! -e {0} && test ! -L {0}".format(shlex.quote(path)), sudoable=True).get("rc") == 0
        if state == "link":
            # The owner and mode of a link and its target are the module's to sort out.
            if any(args.get(k) is not None for k in ("owner", "group", "mode")):
                return False
            found = read_path(self, path, link=True)
            return bool(found) and found["type"] == LINK and found.get("target") == str(args.get("src"))
        found = read_path(self, path)
        # No state: the builtin sets owner and mode on whatever the path is (a link: its target).
        types = {None: (REGULAR, DIRECTORY), "file": (REGULAR,), "directory": (DIRECTORY,)}[state]
        return bool(found) and found["type"] in types and owner_and_mode_match(found, args)
