#!/usr/bin/env bash
# How long a code deploy takes on the demo, with no load: playbooks/deploy.yml N times with nothing
# to deploy (the inventory's own project, already live), then N times with one changed file (a
# copy of examples/demo_site per run, each with a greeting of its own, so that every run builds
# and switches a release: alternating two copies made runs 3 on mere switches), then the original
# again. With --mitogen, the same runs follow through
# Mitogen (README "Faster runs with Mitogen") and the table ends with the ratios. With
# --against REV, the same runs follow with REV's playbooks and roles (a git worktree in $TMPDIR)
# on the same demo and inventory, and the ratios are this checkout's / REV's, from one session.
# Usage: bench/deploy.sh [--mitogen | --against REV] [N]   (default 3; raw logs in bench/out/deploy-time/)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
mitogen=""
against=""
if [ "${1:-}" = --against ]; then against=$2; shift 2; fi
if [ "${1:-}" = --mitogen ]; then
  mitogen=$(mitogen_strategies)
  [ -n "$mitogen" ] || { echo "no Mitogen in the venv (requirements-test.txt pins it)" >&2; exit 1; }
  shift
fi
runs=${1:-3}
# The slowest tasks at the end of each run's log.
export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks PROFILE_TASKS_TASK_OUTPUT_LIMIT=15
raw=$out/deploy-time
rm -rf "$raw" && mkdir -p "$raw"

demo_up || scripts/demo.sh
copies=$(mktemp -d)
tree=""
trap 'rm -rf "$copies"; [ -z "$tree" ] || git worktree remove --force "$tree"' EXIT
if [ -n "$against" ]; then
  tree=${TMPDIR:-/tmp}/djangoops-bench-deploy-against  # outside the repo: the linters never see it
  git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
  git worktree add --detach "$tree" "$against" >/dev/null
  ln -sfn "$root/.venv" "$tree/.venv"
fi

timed() {  # WAY LABEL [ansible-playbook options...]: one deploy.yml, "WAY LABEL seconds exit" in times
  local way=$1 label=$2 start end status=0
  shift 2
  start=$(date +%s.%N)
  if [ "$way" = mitogen ]; then
    ANSIBLE_STRATEGY_PLUGINS=$mitogen ANSIBLE_STRATEGY=mitogen_linear \
      ansible-playbook -i inventories/demo playbooks/deploy.yml "$@" >"$raw/$way-$label.log" 2>&1 || status=$?
  elif [ "$way" = against ]; then
    # REV's collection link and config; this checkout's inventory, so the same demo secrets.
    (cd "$tree" && root=$tree && . scripts/env.sh && export ANSIBLE_CONFIG=$tree/ansible.cfg \
      && ansible-playbook -i "$root_inventory" playbooks/deploy.yml "$@") >"$raw/$way-$label.log" 2>&1 || status=$?
  else
    ansible-playbook -i inventories/demo playbooks/deploy.yml "$@" >"$raw/$way-$label.log" 2>&1 || status=$?
  fi
  end=$(date +%s.%N)
  echo "$way $label $(python3 -c "print(f'{$end - $start:.1f}')") $status" | tee -a "$raw/times"
}

series() {  # WAY: copies of its own, so that each series builds its releases (another's stay built)
  local i
  for i in $(seq 1 "$runs"); do
    mkdir -p "$copies/$1/$i"
    changed_copies "$copies/$1/$i" " ($1, $stamp, $i)"
  done
  timed "$1" warm  # the original live before the no-change runs
  for i in $(seq 1 "$runs"); do timed "$1" "nochange$i"; done
  for i in $(seq 1 "$runs"); do timed "$1" "onechange$i" -e "$(sites_with_source "$copies/$1/$i/A")"; done
  timed "$1" original
}

root_inventory=$root/inventories/demo
stamp=$(date +%s)  # new content in every session: no series finds its releases built by an earlier one
series plain
[ -z "$mitogen" ] || series mitogen
[ -z "$against" ] || series against

python3 - "$raw/times" "${against:-}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
bad = [r for r in rows if r[3] != "0"]
print("\n== deploy.yml on the demo, no load (wall seconds) ==")
print(f"{'way':<8} | {'run':<11} | {'seconds':>7} | exit")
for way, label, sec, status in rows:
    print(f"{way:<8} | {label:<11} | {float(sec):>7.1f} | {status}")
med = {}
for way in dict.fromkeys(r[0] for r in rows):
    for kind in ("nochange", "onechange"):
        vals = [float(r[2]) for r in rows if r[0] == way and r[1].startswith(kind) and r[3] == "0"]
        if vals:
            med[way, kind] = statistics.median(vals)
            print(f"{way} {kind} median: {med[way, kind]:.1f} s over {len(vals)} runs")
for kind in ("nochange", "onechange"):
    for other in ("mitogen", "against"):
        if (other, kind) in med and ("plain", kind) in med:
            ratio = med[other, kind] / med["plain", kind]
            if other == "against":  # this checkout's / REV's
                print(f"{kind}: this checkout / {sys.argv[2]} = {1 / ratio:.2f}x")
            else:
                print(f"{kind}: mitogen / plain = {ratio:.2f}x")
if bad:
    print(f"{len(bad)} run(s) failed: see the logs; they are left out of the medians")
    sys.exit(1)
PY
