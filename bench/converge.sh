#!/usr/bin/env bash
# Times playbooks/site.yml through scripts/demo.sh: once on bare boxes (the demo removed first),
# then N re-runs that should change nothing. ansible.posix.profile_roles gives the time per role.
# The junit callback's files give the tasks each role ran.
# Usage: bench/converge.sh [--against REV | --mitogen] [NOOP_RUNS]   (default 3; raw logs in bench/out/)
# With --against, the same runs follow from a checkout of REV (a git worktree in $TMPDIR), and
# the report ends with each figure of this checkout as a ratio of REV's, from the same session.
# With --mitogen, the same runs follow from this checkout through Mitogen (README "Faster runs
# with Mitogen"), and the ratios are Mitogen's / without it; the demo stays up.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
against=""
mitogen=""
if [ "${1:-}" = --against ]; then against=$2; shift 2; fi
if [ "${1:-}" = --mitogen ]; then
  mitogen=$(mitogen_strategies)
  [ -n "$mitogen" ] || { echo "no Mitogen in the venv (requirements-test.txt pins it)" >&2; exit 1; }
  shift
fi
noop_runs=${1:-3}

export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_roles,ansible.builtin.junit PROFILE_ROLES_SUMMARY_ONLY=true
export JUNIT_HIDE_TASK_ARGUMENTS=true

timed_run() {  # CHECKOUT OUT LABEL: its scripts/demo.sh, log in OUT, wall seconds appended to OUT/converge.times
  local checkout=$1 dir=$2 label=$3 start end status=0
  rm -rf "$dir/junit-$label"
  start=$(date +%s.%N)
  (cd "$checkout" && JUNIT_OUTPUT_DIR="$dir/junit-$label" scripts/demo.sh) >"$dir/converge-$label.log" 2>&1 || status=$?
  end=$(date +%s.%N)
  echo "$label $(python3 -c "print(f'{$end - $start:.1f}')") $status" >>"$dir/converge.times"
  echo ">> $label ($checkout): exit $status, $(tail -n1 "$dir/converge.times" | cut -d' ' -f2) s"
}

series() {  # CHECKOUT OUT: bare boxes, then the no-op runs
  local checkout=$1 dir=$2
  mkdir -p "$dir"
  rm -f "$dir"/converge-*.log "$dir/converge.times"
  (cd "$checkout" && scripts/demo.sh down)
  timed_run "$checkout" "$dir" first
  for i in $(seq 1 "$noop_runs"); do
    timed_run "$checkout" "$dir" "noop$i"
  done
}

if [ -n "$mitogen" ]; then
  # BENCH_ONLY=mitogen keeps the plain series of an earlier run of this session (a re-run after a fix).
  [ "${BENCH_ONLY:-}" = mitogen ] || series "$root" "$out/plain"
  ANSIBLE_STRATEGY_PLUGINS=$mitogen ANSIBLE_STRATEGY=mitogen_linear series "$root" "$out/mitogen"
  python3 bench/converge_report.py "$out/mitogen" "$out/plain" "mitogen" "plain"
  exit 0
fi
if [ -z "$against" ]; then
  series "$root" "$out"
  python3 bench/converge_report.py "$out"
  exit 0
fi

# Both sides on the same boxes: Debian 12 unless set, since revisions before Debian 13 support
# cannot converge a Debian 13 box.
export DJANGOOPS_BASE_IMAGE=${BENCH_IMAGE:-djangoops/debian12-systemd:latest}
tree=${TMPDIR:-/tmp}/djangoops-bench-against  # outside the repo: the linters never see it
git worktree remove --force "$tree" 2>/dev/null || rm -rf "$tree"
git worktree add --detach "$tree" "$against" >/dev/null
ln -sfn "$root/.venv" "$tree/.venv"
series "$root" "$out/current"
series "$tree" "$out/against"
(cd "$root" && scripts/demo.sh down)
python3 bench/converge_report.py "$out/current" "$out/against" "$(git rev-parse --short HEAD)" "$(git -C "$tree" rev-parse --short HEAD)"
git worktree remove --force "$tree"
