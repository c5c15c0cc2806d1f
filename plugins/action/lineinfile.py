# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.lineinfile with a quicker "nothing to change": one shell command reads the
file's type, owner, group, mode and bytes; when the line the builtin would replace (the last one
the regexp or search_string matches, else the last one equal to `line`) already is `line`, and the
owner and mode are as asked, that is the answer. Anything else runs the builtin module as usual."""

from __future__ import annotations

import base64
import re
import shlex

from ansible.module_utils.common.text.converters import to_bytes
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import (
    REGULAR, SettledOrModule, asked, owner_and_mode_match, run_and_read)

# validate, backup and unsafe_writes only matter when the file changes; insertafter and
# insertbefore only when the line is not there.
_UNDERSTOOD = {"path", "dest", "name", "line", "regexp", "search_string", "state", "firstmatch", "create",
               "insertafter", "insertbefore", "owner", "group", "mode", "validate", "backup", "unsafe_writes"}
# Larger files go to the builtin: their bytes would travel through the command's output.
_MAX_BYTES = 256 * 1024


def line_index(lines, line, regexp=None, search_string=None, firstmatch=False):
    """The index of the line the builtin's state=present would write `line` to, or -1 (it would
    insert it), as ansible.builtin.lineinfile decides it."""
    index = -1
    if regexp is not None or search_string is not None:
        pattern = re.compile(to_bytes(regexp)) if regexp is not None else None
        for number, current in enumerate(lines):
            if pattern.search(current) if pattern else to_bytes(search_string) in current:
                index = number
                if firstmatch:
                    return index
        if index != -1:
            return index
    for number, current in enumerate(lines):
        if current.rstrip(b"\r\n") == line:
            index = number
    return index


class ActionModule(SettledOrModule):

    MODULE = "ansible.legacy.lineinfile"

    def settled(self, args):
        path = args.get("path") or args.get("dest") or args.get("name")
        if not path or args.get("line") is None or asked(args) - _UNDERSTOOD:
            return False
        if args.get("state", "present") != "present":
            return False
        try:
            firstmatch = boolean(args.get("firstmatch", False), strict=True)
        except TypeError:
            return False
        quoted = shlex.quote(path)
        rc, lines = run_and_read(self, "LC_ALL=C stat --printf '%F\\n%U\\n%G\\n%a\\n%s\\n' -- {0} && "
                                       "{{ test ! -f {0} || test $(stat -c %s -- {0}) -gt {1} || base64 -w0 -- {0}; }}"
                                       .format(quoted, _MAX_BYTES))
        if rc != 0 or len(lines) < 6 or lines[0] != REGULAR:
            return False
        try:
            found = {"owner": lines[1], "group": lines[2], "mode": int(lines[3], 8)}
            size = int(lines[4])
            content = base64.b64decode(lines[5], validate=True)
        except ValueError:
            return False
        if not owner_and_mode_match(found, args) or size > _MAX_BYTES or len(content) != size:
            return False
        parts = content.split(b"\n")  # as the builtin's readlines(): each line with its b"\n"
        file_lines = [part + b"\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
        line = to_bytes(args["line"])
        index = line_index(file_lines, line, args.get("regexp"), args.get("search_string"), firstmatch)
        return index != -1 and file_lines[index] == line + b"\n"
