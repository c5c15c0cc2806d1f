# Copyright: (c) 2026, djangoops.stack developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible.builtin.package_facts for Debian, quicker: one dpkg-query lists the installed packages,
where the builtin loads python3-apt's whole cache (about a second a box). The facts have the
builtin's shape (ansible_facts.packages: each name, a list of its installed versions). A box
without dpkg-query, or a task that asks for another manager, runs the builtin module."""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.djangoops.stack.plugins.plugin_utils.settled import run_and_read

# Only the packages dpkg calls installed: a half-configured one is left for the roles' apt tasks.
_QUERY = "dpkg-query -W -f='${db:Status-Status} ${Package} ${Version} ${Architecture}\\n'"


def packages_from(lines):
    """ansible_facts.packages from dpkg-query's lines (status, name, version, architecture)."""
    packages = {}
    for line in lines:
        fields = line.split()
        if len(fields) == 4 and fields[0] == "installed":
            _status, name, version, arch = fields
            packages.setdefault(name, []).append({"name": name, "version": version, "arch": arch, "source": "apt"})
    return packages


class ActionModule(ActionBase):

    _VALID_ARGS = frozenset(("manager", "strategy"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        args = self._task.args
        manager = args.get("manager", "auto")
        if (manager if isinstance(manager, str) else ",".join(manager)) in ("auto", "apt"):
            rc, lines = run_and_read(self, "command -v dpkg-query >/dev/null && " + _QUERY)
            packages = packages_from(lines) if rc == 0 else {}
            if packages:
                result.update(changed=False, ansible_facts={"packages": packages})
                return result
        return merge_hash(result, self._execute_module(module_name="ansible.legacy.package_facts",
                                                       module_args=args, task_vars=task_vars))
