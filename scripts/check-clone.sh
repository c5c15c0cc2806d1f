#!/usr/bin/env bash
# The README's "On your own boxes" from a plain clone: no collection installed, no variable from
# scripts/env.sh. Ansible must find the clone's roles through its ansible.cfg and the
# collections/ link, for site.yml at the top and for every playbook under playbooks/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
clone=$(mktemp -d)
trap 'rm -rf "$clone"' EXIT
git clone -q "$root" "$clone/repo"
cd "$clone/repo"
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_ROLES_PATH ANSIBLE_CONFIG
export HOME=$clone  # no ~/.ansible/collections of this machine's
for playbook in site.yml playbooks/*.yml; do
  ansible-playbook -i inventories/example "$playbook" --syntax-check >/dev/null
  echo "ok: ansible-playbook -i inventories/example $playbook --syntax-check (plain clone)"
done
# The inventory's settings resolve: the web box gets the site from djangoops_sites, with the
# example's vault values.
cp inventories/example/group_vars/all/vault.yml.example inventories/example/group_vars/all/vault.yml
ansible -i inventories/example web -m ansible.builtin.debug -a "var=djangoops_sites[0].name" \
  --playbook-dir playbooks | grep -Eq 'name[^a-z]+shop'
echo "ok: the example inventory's site resolves (plain clone)"
