#!/usr/bin/env bash
# Times playbooks/site.yml through scripts/demo.sh: once on bare boxes (the demo removed first),
# then N re-runs that should change nothing. ansible.posix.profile_roles gives the time per role.
# Usage: bench/converge.sh [NOOP_RUNS]   (default 3; raw logs in bench/out/converge-*.log)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
noop_runs=${1:-3}

export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_roles PROFILE_ROLES_SUMMARY_ONLY=true

timed_run() {  # LABEL: scripts/demo.sh with its log in $out, wall seconds appended to $out/converge.times
  local start end status=0
  start=$(date +%s.%N)
  scripts/demo.sh >"$out/converge-$1.log" 2>&1 || status=$?
  end=$(date +%s.%N)
  echo "$1 $(python3 -c "print(f'{$end - $start:.1f}')") $status" >>"$out/converge.times"
  echo ">> $1: exit $status, $(tail -n1 "$out/converge.times" | cut -d' ' -f2) s"
}

scripts/demo.sh down
rm -f "$out"/converge-*.log "$out/converge.times"
timed_run first
for i in $(seq 1 "$noop_runs"); do
  timed_run "noop$i"
done
python3 bench/converge_report.py "$out"
