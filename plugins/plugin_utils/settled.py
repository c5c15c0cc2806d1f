# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a path on the managed box is, read with one shell command, and whether it already is what
a task asks for. The collection's template, copy, file and systemd_service actions use it to answer
"nothing to change" without a module run; anything it cannot decide goes to the builtin module."""

from __future__ import annotations

import re
import shlex

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

# What stat prints for each file type (GNU coreutils, C locale).
REGULAR, DIRECTORY, LINK = "regular file", "directory", "symbolic link"
_OCTAL = re.compile(r"^0?[0-7]{3,4}$")


# Printed before what a command reads: whatever a connection or become put ahead of it (sudo's
# password prompt leaves a line on a tty) is dropped with it.
_MARKER = "DJANGOOPS-SETTLED-OUTPUT"


def run_and_read(action, command):
    """Run `command` on the box (with become when the task has it): its exit code and its output,
    line by line. Over ssh a command that may need become runs on a tty, which ends each line with
    a carriage return too."""
    res = action._low_level_execute_command("echo " + _MARKER + " && " + command, sudoable=True)
    lines = res.get("stdout", "").replace("\r\n", "\n").split("\n")
    marked = [i for i, line in enumerate(lines) if line.endswith(_MARKER)]
    if not marked:
        return 1, []
    return res.get("rc"), lines[marked[-1] + 1:]


def read_path(action, path, checksum=False, link=False):
    """The type, owner, group and mode of `path` on the box, plus its SHA-1 or link target when
    asked; None when it does not exist or the command fails (the caller then runs the module)."""
    quoted = shlex.quote(path)
    command = "LC_ALL=C stat --printf '%F\\n%U\\n%G\\n%a\\n' -- " + quoted
    if checksum:
        command += " && { test ! -f " + quoted + " || sha1sum -- " + quoted + "; }"
    if link:
        command += " && { test ! -L " + quoted + " || readlink -- " + quoted + "; }"
    rc, lines = run_and_read(action, command)
    if rc != 0 or len(lines) < 4:
        return None
    try:
        found = {"type": lines[0], "owner": lines[1], "group": lines[2], "mode": int(lines[3], 8)}
    except ValueError:
        return None
    extra = lines[4] if len(lines) > 4 else ""
    if checksum and found["type"] == REGULAR:
        found["checksum"] = extra.split(" ", 1)[0]
    if link and found["type"] == LINK:
        found["target"] = extra
    return found


def asked(args):
    """The options a task sets: the ones not left out, None or false (daemon_reload: false asks
    nothing of the box)."""
    return {k for k, v in args.items() if v is not None and v is not False and str(v).lower() not in ("false", "no")}


def owner_and_mode_match(found, args):
    """True when owner, group and mode are as `args` ask (an option left out asks nothing). A
    symbolic mode or a numeric owner is not compared here: False, so the module decides."""
    for key in ("owner", "group"):
        want = args.get(key)
        if want is not None and str(want) != found[key]:
            return False
    mode = args.get("mode")
    if mode is None:
        return True
    if isinstance(mode, int):
        return mode == found["mode"]
    return bool(_OCTAL.match(str(mode))) and int(str(mode), 8) == found["mode"]


# The copy options file_settled understands; any other (attributes, SELinux context, ...) makes it
# say no, so the builtin copy runs. validate and backup only matter when the file changes.
_COPY_OPTIONS = {"src", "content", "dest", "owner", "group", "mode", "follow", "validate", "backup", "force",
                 "decrypt"}


def file_settled(action, args, checksum):
    """The result of a copy that changes nothing when `args["dest"]` already holds content with this
    SHA-1, owner, group and mode; None when it does not (or this cannot tell)."""
    if asked(args) - _COPY_OPTIONS or "follow" in asked(args):
        return None
    found = read_path(action, args["dest"], checksum=True)
    if not (found and found["type"] == REGULAR and found.get("checksum") == checksum
            and owner_and_mode_match(found, args)):
        return None
    return {"changed": False, "dest": args["dest"], "path": args["dest"], "checksum": checksum,
            "owner": found["owner"], "group": found["group"], "mode": "0%03o" % found["mode"], "state": "file"}


class SettledOrModule(ActionBase):
    """An action that first asks settled(args) whether the box is already as the task asks (one
    shell command), and runs the builtin MODULE when it is not, or cannot tell."""

    MODULE = ""

    def settled(self, args):
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        args = self._task.args
        if self.settled(args):
            result.update(changed=False)
            return result
        result = merge_hash(result, self._execute_module(module_name=self.MODULE, module_args=args, task_vars=task_vars))
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
