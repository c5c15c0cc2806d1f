#!/usr/bin/env bash
# The ansible-core versions the README's table claims, beyond the pinned one of .venv.
# Usage: scripts/check-ansible-versions.sh oldest [SCENARIO...] | newest
#   oldest  the oldest ansible-core of meta/runtime.yml's requires_ansible (requirements-oldest.txt,
#           venv .cache/venvs/ansible-oldest): every playbook syntax-checked from this checkout;
#           then each SCENARIO (a role's name, e.g. memcached, for its default scenario, or a
#           folder such as molecule/plugins) through scripts/run-scenario.sh (needs Docker and
#           the base image).
#   newest  the newest ansible-core (2.20 and later need Python >= 3.12, which this controller may
#           not have): in a Debian 13 container (Python 3.13), the tarball built from a clean clone
#           installed into an empty collections path and every playbook syntax-checked as
#           djangoops.stack.<name>. Needs Docker and the base image (scripts/base-image.sh).
# Prints the versions it used and its seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
t0=$SECONDS
# The newest release of the PyPI package `ansible` (its ansible-core and its collections).
newest=${DJANGOOPS_NEWEST_ANSIBLE:-14.5.0}

case ${1:-} in
  oldest)
    "$root/scripts/venv.sh" ansible-oldest
    export DJANGOOPS_VENV=$root/.cache/venvs/ansible-oldest
    # shellcheck source=env.sh
    . "$root/scripts/env.sh"
    cd "$root"
    version=$(python3 -c 'import ansible.release as r; print(r.__version__)')
    for playbook in site.yml playbooks/*.yml; do
      ansible-playbook -i inventories/example "$playbook" --syntax-check >/dev/null
      echo "ok: ansible-core $version: ansible-playbook -i inventories/example $playbook --syntax-check"
    done
    collections=$(ansible-galaxy collection list 2>/dev/null \
      | awk '$1 ~ /^(community\.(postgresql|rabbitmq|crypto)|ansible\.posix)$/ {print $1 " " $2}' | sort -u | paste -sd, -)
    echo "HARNESS NOTE: ansible-core $version ($collections)"
    shift
    for scenario in "$@"; do
      case $scenario in */*) dir=$scenario ;; *) dir=roles/$scenario/molecule/default ;; esac
      label=$(basename "${scenario%/molecule/default}")
      echo "=== scenario $dir with $(ansible --version | head -1)"
      DJANGOOPS_INSTANCE=${DJANGOOPS_INSTANCE:-djangoops-oldest}-$label \
        MOLECULE_EPHEMERAL_DIRECTORY="$root/.cache/molecule/oldest-$label" \
        scripts/run-scenario.sh "$dir"
      echo "HARNESS NOTE: scenario $label passed with ansible-core $version"
    done
    ;;
  newest)
    # shellcheck source=env.sh
    . "$root/scripts/env.sh"
    work=$(mktemp -d)
    name=${DJANGOOPS_INSTANCE:-djangoops-ansible-newest}
    trap 'docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
    git clone -q "$root" "$work/repo"
    ansible-galaxy collection build --output-path "$work/dist" "$work/repo" >/dev/null
    docker rm -f "$name" >/dev/null 2>&1 || true
    docker run --rm --name "$name" -v "$work/dist:/dist:ro" \
      -e ANSIBLE="$newest" \
      "${DJANGOOPS_BASE_IMAGE:-djangoops/debian13-systemd:latest}" bash -euo pipefail -c '
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv /venv
        /venv/bin/pip install -q --disable-pip-version-check "ansible==$ANSIBLE"
        export PATH=/venv/bin:$PATH ANSIBLE_COLLECTIONS_PATH=/collections
        CORE=$(python3 -c "import ansible.release as r; print(r.__version__)")
        ansible-galaxy collection install --no-deps -p /collections /dist/djangoops-stack-*.tar.gz >/dev/null
        stack=/collections/ansible_collections/djangoops/stack
        cd /tmp
        for playbook in "$stack"/playbooks/*.yml; do
          name=$(basename "$playbook" .yml)
          ansible-playbook -i "$stack/inventories/example" "djangoops.stack.$name" --syntax-check >/dev/null
          echo "ok: ansible-core $CORE, Python $(python3 -V | cut -d" " -f2): djangoops.stack.$name --syntax-check (installed tarball)"
        done
        collections=$(ansible-galaxy collection list 2>/dev/null \
          | grep -E "^(community[.](postgresql|rabbitmq|crypto)|ansible[.]posix) " | tr -s " " | sort -u | paste -sd, -)
        echo "HARNESS NOTE: ansible-core $CORE on Python $(python3 -V | cut -d" " -f2) (ansible $ANSIBLE: $collections)"
      '
    ;;
  *) echo "usage: $0 oldest|newest" >&2; exit 2 ;;
esac
echo "check-ansible-versions $1: $((SECONDS - t0)) s"
