# shellcheck shell=bash
# Sourced by the harness scripts: the venv on PATH and this checkout visible to Ansible as the
# collection djangoops.stack (Molecule no longer adds a role's parent folder to the roles path).
# The link lives in this clone's .cache/ (git ignores it), so two clones on one machine do not
# repoint each other's collection.
root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export PATH="${DJANGOOPS_VENV:-$root/.venv}/bin:$PATH"
collections=$root/.cache/collections
mkdir -p "$collections/ansible_collections/djangoops"
ln -sfn "$root" "$collections/ansible_collections/djangoops/stack"
export ANSIBLE_COLLECTIONS_PATH="$collections"
export ANSIBLE_ROLES_PATH="$root/roles"
# For .config/molecule/config.yml: the repo's own create and destroy playbooks, from any scenario.
export DJANGOOPS_ROOT="$root"
export ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 ANSIBLE_NOCOLOR=1 NO_COLOR=1
export DJANGOOPS_BASE_IMAGE=${DJANGOOPS_BASE_IMAGE:-djangoops/debian13-systemd:latest}
# The folder of Mitogen's strategy plugins in the venv (README "Faster runs with Mitogen"), for
# ANSIBLE_STRATEGY_PLUGINS; empty when the venv has no Mitogen.
mitogen_strategies() {
  python3 -c 'import ansible_mitogen, os; print(os.path.join(os.path.dirname(ansible_mitogen.__file__), "plugins", "strategy"))' \
    2>/dev/null || true
}
