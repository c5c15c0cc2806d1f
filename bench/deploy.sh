#!/usr/bin/env bash
# How long a code deploy takes on the demo, with no load: playbooks/deploy.yml N times with nothing
# to deploy (the inventory's own project, already live), then N times with one changed file (two
# copies of examples/demo_site whose greeting differs, alternating, so every run builds and
# switches a release), then the original again. With --mitogen, the same runs follow through
# Mitogen (README "Faster runs with Mitogen") and the table ends with the ratios.
# Usage: bench/deploy.sh [--mitogen] [N]   (default 3; raw logs in bench/out/deploy-time/)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
mitogen=""
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
trap 'rm -rf "$copies"' EXIT
changed_copies "$copies"

timed() {  # WAY LABEL [ansible-playbook options...]: one deploy.yml, "WAY LABEL seconds exit" in times
  local way=$1 label=$2 start end status=0
  shift 2
  start=$(date +%s.%N)
  if [ "$way" = mitogen ]; then
    ANSIBLE_STRATEGY_PLUGINS=$mitogen ANSIBLE_STRATEGY=mitogen_linear \
      ansible-playbook -i inventories/demo playbooks/deploy.yml "$@" >"$raw/$way-$label.log" 2>&1 || status=$?
  else
    ansible-playbook -i inventories/demo playbooks/deploy.yml "$@" >"$raw/$way-$label.log" 2>&1 || status=$?
  fi
  end=$(date +%s.%N)
  echo "$way $label $(python3 -c "print(f'{$end - $start:.1f}')") $status" | tee -a "$raw/times"
}

series() {  # WAY
  timed "$1" warm  # the original live before the no-change runs
  for i in $(seq 1 "$runs"); do timed "$1" "nochange$i"; done
  for i in $(seq 1 "$runs"); do
    name=$([ $((i % 2)) = 1 ] && echo A || echo B)
    timed "$1" "onechange$i" -e "$(sites_with_source "$copies/$name")"
  done
  timed "$1" original
}

series plain
[ -z "$mitogen" ] || series mitogen

python3 - "$raw/times" <<'PY'
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
    if ("mitogen", kind) in med and ("plain", kind) in med:
        print(f"{kind}: mitogen / plain = {med['mitogen', kind] / med['plain', kind]:.2f}x")
if bad:
    print(f"{len(bad)} run(s) failed: see the logs; they are left out of the medians")
    sys.exit(1)
PY
