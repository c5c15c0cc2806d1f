# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.copy with a quicker "nothing to change": for a file from the role's files/ or
text given as content, one shell command reads the file's SHA-1, owner, group and mode on the box;
only when they differ does the builtin copy run (check mode, --diff, validate and backup as usual).
Folders, files already on the box (remote_src) and vault-encrypted files always go to the builtin."""

from __future__ import annotations

import hashlib
import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_bytes
from ansible.plugins.action.copy import ActionModule as CopyAction

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import file_settled


class ActionModule(CopyAction):

    def run(self, tmp=None, task_vars=None):
        data = self._local_data()
        settled = file_settled(self, self._task.args, hashlib.sha1(data).hexdigest()) if data is not None else None
        return settled or super().run(tmp, task_vars)

    def _local_data(self):
        """The bytes the copy would write, or None when this cannot tell without the builtin."""
        args = self._task.args
        if args.get("remote_src") or args.get("dest") is None:
            return None
        content = args.get("content")
        if content is not None:
            return to_bytes(content) if isinstance(content, str) else None
        src = args.get("src")
        if not src or str(src).endswith("/"):
            return None
        try:
            path = self._find_needle("files", src)
        except AnsibleError:
            return None
        if os.path.isdir(path):
            return None
        with open(path, "rb") as source:
            data = source.read()
        return None if data.startswith(b"$ANSIBLE_VAULT") else data
