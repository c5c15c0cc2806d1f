#!/usr/bin/env bash
# What the built tarball ships (galaxy.yml's manifest: is an allow-list). From a clone made dirty
# the way a used checkout is (the demo's secrets, a user's own inventory and vault, benchmark
# output, caches, an old tarball), builds the collection and checks its listing: none of that is
# in it, and every file of the roles (without their Molecule scenarios), playbooks and plugins, meta, the
# docs, README, LICENSE, the release notes and the example inventory are. Then installs it into
# an empty collections path and syntax-checks every playbook as `djangoops.stack.<name>` with
# the example inventory it ships. Prints its seconds at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
t0=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/repo"
cd "$work/repo"

# A used checkout.
dirty=(
  inventories/demo/.secrets/db_password
  inventories/prod/hosts.yml
  inventories/prod/group_vars/all/main.yml
  inventories/prod/group_vars/all/vault.yml
  inventories/example/group_vars/all/vault.yml
  bench/out/wrk.txt
  .pytest_cache/v/cache/lastfailed
  .cache/collections/x
  .venv/bin/python
  molecule/two_box/tests/__pycache__/test_two_box.cpython-311.pyc
  roles/gunicorn_site/files/__pycache__/smoke.cpython-311.pyc
  plugins/action/__pycache__/template.cpython-311.pyc
  roles/memcached/molecule/default/.pytest_cache/v/cache/lastfailed
  roles/memcached/molecule/default/tests/__pycache__/test_memcached.cpython-311.pyc
  roles/nginx/templates/.site.conf.j2.swp
  roles/nginx/tasks/.cache/x
  roles/sentry/.pytest_cache/v/cache/lastfailed
  roles/celery/templates/old/.cache/x
  roles/postgres/vault.yml
  playbooks/.secrets/x
  djangoops-stack-0.0.1.tar.gz
)
for f in "${dirty[@]}"; do mkdir -p "$(dirname "$f")" && echo "not for the tarball" >"$f"; done

ansible-galaxy collection build --output-path "$work/out" . >/dev/null
tarball=$(ls "$work"/out/djangoops-stack-*.tar.gz)
tar -tzf "$tarball" | sed 's:/$::' | sort >"$work/listing"
echo "ok: built $(basename "$tarball"): $(wc -l <"$work/listing") entries, $(du -k "$tarball" | cut -f1) KiB"

fail=0
# Never: a dot file or folder (.secrets, caches, venvs, editor files), Python caches, a vault, an
# inventory but the example, tests, benchmarks, the harness, tarballs.
never='(^|/)\.|__pycache__|\.py[co]$|(^|/)vault\.ya?ml$|^bench(/|$)|^tests(/|$)|^molecule(/|$)|^roles/[^/]+/molecule(/|$)|^scripts(/|$)|^examples(/|$)|^collections(/|$)|\.tar\.gz$|\.swp$'
{ grep -E "$never" "$work/listing"; grep '^inventories/' "$work/listing" | grep -Ev '^inventories/example(/|$)'; } >"$work/bad" || true
if [ -s "$work/bad" ]; then
  echo "FAIL: the tarball ships what it must not:"; sed 's/^/  /' "$work/bad"; fail=1
else
  echo "ok: none of the ${#dirty[@]} dirty files, no dot file, cache, vault, other inventory, test or benchmark"
fi
for f in "${dirty[@]}"; do
  if grep -qxF "$f" "$work/listing"; then echo "FAIL: ships $f"; fail=1; fi
done
# Always: every tracked file of the roles (but their scenarios), playbooks and plugins, and these.
{ git ls-files roles playbooks plugins docs | grep -Ev '^roles/[^/]+/molecule/'
  printf '%s\n' MANIFEST.json FILES.json README.md LICENSE CHANGELOG.md meta/runtime.yml \
    changelogs/changelog.yaml inventories/example/hosts.yml \
    inventories/example/group_vars/all/main.yml inventories/example/group_vars/all/vault.yml.example
} | sort -u >"$work/wanted"
if comm -23 "$work/wanted" "$work/listing" >"$work/missing" && [ -s "$work/missing" ]; then
  echo "FAIL: the tarball lacks:"; sed 's/^/  /' "$work/missing"; fail=1
else
  echo "ok: all $(wc -l <"$work/wanted") wanted files (roles, playbooks, plugins, docs, meta, README, LICENSE, changelog, example inventory)"
fi
[ "$fail" = 0 ] || exit 1

# Installed as a user installs it: an empty collections path, no clone, no ansible.cfg, no HOME
# of this machine's. The other collections come from the venv's `ansible` package.
mkdir -p "$work/home" "$work/run"
ansible-galaxy collection install --force --no-deps -p "$work/collections" "$tarball" >/dev/null 2>&1
installed=$work/collections/ansible_collections/djangoops/stack
cd "$work/run"
for playbook in "$installed"/playbooks/*.yml; do
  name=$(basename "$playbook" .yml)
  env -u ANSIBLE_ROLES_PATH -u ANSIBLE_CONFIG HOME="$work/home" ANSIBLE_COLLECTIONS_PATH="$work/collections" \
    ansible-playbook -i "$installed/inventories/example" "djangoops.stack.$name" --syntax-check >/dev/null
  echo "ok: ansible-playbook -i inventories/example djangoops.stack.$name --syntax-check (installed tarball)"
done
echo "HARNESS NOTE: $(wc -l <"$work/listing") entries, $(du -k "$tarball" | cut -f1) KiB"
echo "check-tarball: $((SECONDS - t0)) s"
