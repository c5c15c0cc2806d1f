# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.template with a quicker "nothing to change": the builtin renders the file, then
runs two modules on the box (a stat, then the file module for owner and mode) even when the file is
already right, and makes a temporary folder on the box first. Here the builtin still renders it,
and one shell command reads the file's SHA-1, owner, group and mode; only when they differ does the
builtin's copy run (check mode, --diff, validate and backup as usual), with its temporary folder.
In a run that changes nothing, that is most of the roles' tasks."""

from __future__ import annotations

import hashlib

from ansible.plugins.action.template import ActionModule as TemplateAction

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import file_settled


class _SettledCopy:
    """Stands in for the copy action that the builtin template hands the rendered file to."""

    def __init__(self, action, real_copy):
        self._action = action
        self._real_copy = real_copy

    def run(self, tmp=None, task_vars=None):
        args = self._real_copy._task.args
        with open(args["src"], "rb") as rendered:
            checksum = hashlib.sha1(rendered.read()).hexdigest()
        settled = file_settled(self._action, args, checksum)
        return settled or self._real_copy.run(tmp=tmp, task_vars=task_vars)


class _Loaders:
    """The shared plugin loaders, but `ansible.legacy.copy` comes back wrapped in _SettledCopy."""

    def __init__(self, action, real):
        self._action = action
        self._real = real

    def __getattr__(self, name):
        value = getattr(self._real, name)
        return _ActionLoader(self._action, value) if name == "action_loader" else value


class _ActionLoader:
    def __init__(self, action, real):
        self._action = action
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def get(self, name, *args, **kwargs):
        plugin = self._real.get(name, *args, **kwargs)
        return _SettledCopy(self._action, plugin) if name == "ansible.legacy.copy" else plugin


class ActionModule(TemplateAction):

    def _early_needs_tmp_path(self):
        # The builtin makes its temporary folder on the box before it renders (three commands: find
        # the home folder, create, remove). The copy it hands a changed file to makes its own, so
        # a file that is already right needs none.
        return False

    def run(self, tmp=None, task_vars=None):
        self._shared_loader_obj = _Loaders(self, self._shared_loader_obj)
        try:
            return super().run(tmp, task_vars)
        finally:
            self._shared_loader_obj = self._shared_loader_obj._real
