# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.posix.acl with a quicker "nothing to change": for an entry that should be present, one
`setfacl --test` (the same test the module makes, without the module run around it) tells whether
the path's ACL already holds it. Anything else runs the module as usual."""

from __future__ import annotations

import shlex

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import SettledOrModule, asked, run_and_read

_UNDERSTOOD = {"path", "name", "etype", "entity", "permissions", "state", "default", "follow"}


class ActionModule(SettledOrModule):

    MODULE = "ansible.posix.acl"

    def settled(self, args):
        path = args.get("path") or args.get("name")
        etype, entity, permissions = args.get("etype"), args.get("entity"), args.get("permissions")
        if not path or args.get("state") != "present" or asked(args) - _UNDERSTOOD:
            return False
        if etype not in ("user", "group") or not entity or not permissions:
            return False
        try:
            default = boolean(args.get("default", False), strict=True)
            follow = boolean(args.get("follow", True), strict=True)
        except TypeError:
            return False
        command = ["setfacl", "--test"] + (["-d"] if default else []) + ["-m", "%s:%s:%s" % (etype, entity, permissions)]
        command += [] if follow else ["--physical"]
        rc, lines = run_and_read(self, " ".join(shlex.quote(part) for part in command + ["--", str(path)]))
        # setfacl --test prints the ACL it would set, or "*,*" when that is the one the path has.
        return rc == 0 and any(line.rstrip().endswith("*,*") for line in lines)
