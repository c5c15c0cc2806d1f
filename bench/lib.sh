# shellcheck shell=bash
# Sourced by the bench scripts: repo root, the venv/collection environment, the demo's names and
# an output folder for raw logs (bench/out/, ignored by git).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
# shellcheck source-path=SCRIPTDIR source=../scripts/env.sh
. scripts/env.sh
export ANSIBLE_CONFIG=$root/ansible.cfg
web=djangoops-demo-web
db=djangoops-demo-db
out=${BENCH_OUT:-$root/bench/out}
mkdir -p "$out"

# The site's name and first domain, read from the demo inventory (not hard-coded).
demo_var() {  # VAR: the value of a variable for the web box, as ansible renders it
  ANSIBLE_CALLBACK_RESULT_FORMAT=json ansible -i inventories/demo --playbook-dir playbooks "$web" -m ansible.builtin.debug -a "var=$1" 2>/dev/null \
    | python3 -c 'import sys, json; t = sys.stdin.read(); print(json.loads(t[t.index("{"):])[sys.argv[1]])' "$1"
}

demo_up() {  # true when both demo containers run
  [ -n "$(docker ps -q -f name="^${web}$")" ] && [ -n "$(docker ps -q -f name="^${db}$")" ]
}

sites_with_source() {  # PATH: -e JSON that deploys the demo's site from PATH on this machine
  printf '{"source": {"type": "local", "path": "%s"}}' "$1"
}

changed_copies() {  # DIR [TAG]: copies A and B of examples/demo_site in DIR; only their greeting (with TAG) differs, so their release ids do
  local name tag=${2:-}
  for name in A B; do
    mkdir "$1/$name"
    # Anchored excludes (as the role's own packing): a bare "static" would also drop visits/static.
    tar -C examples/demo_site --exclude=__pycache__ --exclude=./.venv --exclude=./static --exclude=./db.sqlite3 -cf - . \
      | tar -C "$1/$name" -xf -
    [ -f "$1/$name/visits/static/visits/site.css" ]
    sed -i "s/Hello from the demo site\./Hello from bench copy $name$tag./" "$1/$name/visits/templates/visits/index.html"
    grep -q "bench copy $name$tag" "$1/$name/visits/templates/visits/index.html"
  done
}
