#!/usr/bin/env bash
# `ansible-test sanity` on the collection as it ships: the tarball built from a clean clone,
# unpacked into .../ansible_collections/djangoops/stack, tested with the venv's Python.
# Usage: scripts/sanity.sh [ansible-test sanity options, e.g. --test pylint]
#
# ansible-test gives each sanity test a venv of its own and puts pip into it with get-pip.py from
# ci-files.testing.ansible.com, which these machines cannot reach. scripts/ansible-test-get-pip.py
# stands in for it (the same pip version, from the package index pip is configured for). The
# venvs are kept in .cache/ansible-test-home (ansible-test's HOME here), so the first run
# downloads the linters and later runs reuse them. Prints its seconds at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
t0=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/repo"
ansible-galaxy collection build --output-path "$work" "$work/repo" >/dev/null
collection=$work/ansible_collections/djangoops/stack
mkdir -p "$collection"
tar -xzf "$work"/djangoops-stack-*.tar.gz -C "$collection"

home=$root/.cache/ansible-test-home
python=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
# The pip version ansible-test bootstraps (get_venv_packages in its python_requirements.py).
ansible_test=$(python3 -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
pip_version=$(sed -n "s/^ *pip='\([0-9.]*\)',\$/\1/p" "$ansible_test/_internal/python_requirements.py" | head -1)
mkdir -p "$home/.ansible/test/cache"
cp "$root/scripts/ansible-test-get-pip.py" "$home/.ansible/test/cache/get_pip_${pip_version//./_}.py"

cd "$collection"
env HOME="$home" ansible-test sanity --local --python "$python" --color no "$@" 2>&1 | tee "$work/log"
core=$(python3 -c 'import ansible.release as r; print(r.__version__)')
echo "HARNESS NOTE: $(grep -c '^Running sanity test' "$work/log") tests passed, no ignore file (ansible-core $core)"
echo "sanity: $((SECONDS - t0)) s (ansible-core $core, Python $python)"
