#!/usr/bin/env bash
# The one test command (README): installs what it needs on a fresh Debian machine, lints, runs
# every Molecule scenario in the repo and prints a table. Usage: scripts/test.sh [SCENARIO]
# where SCENARIO is a role name (its scenarios) or a collection-level scenario under molecule/.
#
# Every scenario runs on Debian 13; a scenario whose folder has a file `releases` (e.g. "13 12")
# runs once per release listed. Scenarios run DJANGOOPS_JOBS at a time (default 2: on 2 cores the
# boxes' package downloads and boots overlap; 3 was slower: the CPU is busy), except those listed
# in `alone` below, which would run by themselves at the end. None is: the drills' time bounds
# hold with a 4x margin or more beside another scenario, and alone they added 12 minutes.
# `scripts/test.sh checks` runs only the checks that need no containers: yamllint, ansible-lint,
# the changelog fragments, the plain clone, the tarball's contents and ansible-test sanity.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
only=${1:-${SCENARIO:-}}
logs=$root/.cache/test-logs
mkdir -p "$logs"
started=$(date +%s)
jobs=${DJANGOOPS_JOBS:-2}
alone=()
# Every scenario's idempotence and check-mode runs, side effect and tests' playbooks go through
# Mitogen (scripts/run-scenario.sh), and so does its first converge (the suite's time is CPU: a
# third less for it), except in these: one_box, the installed tarball with a README-written
# inventory on Debian 12, runs every step the default way, as a user does. The drills (the
# two-box layout on Debian 13, two_box's tests, then the drills) run through Mitogen, their
# rebuild of a lost db box too (site.yml -v --diff, its output searched for secrets). plugins
# (the collection's action plugins) runs the default way too: the others run them through Mitogen.
plain_reruns=(one_box@debian12 plugins)
plain_converges=(one_box@debian12 plugins)

scripts/venv.sh || exit 1
if [ "$only" != checks ]; then
  scripts/docker-engine.sh || exit 1
  scripts/apt-cache.sh
  scripts/base-image.sh || exit 1
fi
# shellcheck source=env.sh
. scripts/env.sh

rows=()
passed=0
failed=0
record() {  # name result seconds note
  rows+=("$(printf '%-28s %-6s %6ss  %s' "$1" "$2" "$3" "$4")")
  if [ "$2" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
run_job() {  # name log command...: runs it, leaves "rc seconds" in log.result
  local name=$1 log=$2 t0 rc
  shift 2
  t0=$(date +%s)
  echo ">> $name (log: ${log#"$root"/})"
  "$@" >"$log" 2>&1
  rc=$?
  echo "$rc $(($(date +%s) - t0))" >"$log.result"
  [ "$rc" = 0 ] || echo ">> $name FAILED (log: ${log#"$root"/})"
}
collect() {  # name log: a row of the table from a finished job
  local name=$1 log=$2 rc secs note
  read -r rc secs <"$log.result"
  note=$(grep -h '^HARNESS \(NOTE\|FAIL\):' "$log" | sed 's/^HARNESS [A-Z]*: //' | paste -sd';' -)
  if [ "$rc" = 0 ]; then record "$name" pass "$secs" "$note"
  else record "$name" FAIL "$secs" "$note"; echo "---- $name: end of its log"; tail -40 "$log"; fi
}

# The checks that need no container, and the ansible-core versions the README claims besides the
# pinned one: the oldest with the memcached and plugins scenarios, the newest in a Debian 13 container
# (Python 3.13; both need Docker).
checks=(yamllint ansible-lint plain-clone changelog tarball sanity)
run_check() {  # name
  case $1 in
    yamllint) yamllint --strict . ;;
    # ansible-lint installs the collection it lints into ~/.ansible/collections, where Molecule
    # would then find a stale copy before this checkout: give it a HOME of its own.
    ansible-lint) env HOME="$root/.cache/lint-home" ansible-lint --profile production ;;
    plain-clone) scripts/check-clone.sh ;;
    changelog) antsibull-changelog lint ;;
    # The built tarball: what it ships from a dirty clone, and ansible-test sanity on it.
    tarball) scripts/check-tarball.sh ;;
    sanity) scripts/sanity.sh ;;
    ansible-oldest) DJANGOOPS_INSTANCE=djangoops-ansible-oldest scripts/check-ansible-versions.sh oldest memcached molecule/plugins ;;
    ansible-newest) DJANGOOPS_INSTANCE=djangoops-ansible-newest scripts/check-ansible-versions.sh newest ;;
  esac
}
if [ "$only" = checks ]; then
  for name in "${checks[@]}"; do
    run_job "$name" "$logs/$name.log" run_check "$name"
    collect "$name" "$logs/$name.log"
  done
fi

stale=$HOME/.ansible/collections/ansible_collections/djangoops/stack
if [ -d "$stale" ] && [ ! -L "$stale" ]; then
  echo ">> removing $stale (a copy an earlier lint made; Molecule would use it instead of this checkout)"
  rm -rf "$stale"
fi

# Scenarios are found, not listed: every molecule/<name>/molecule.yml of a role or of the repo.
# The pool runs the longest first (below), then the rest; then the ones that run alone.
mapfile -t scenarios < <({ ls -d molecule/*/ 2>/dev/null; ls -d roles/*/molecule/*/ 2>/dev/null; } | sed 's:/$::' \
  | while read -r d; do [ -f "$d/molecule.yml" ] && echo "$d"; done)
pool=()    # "label dir release"
serial=()
for dir in "${scenarios[@]}"; do
  case $dir in
    roles/*) role=${dir#roles/}; role=${role%%/*}; s=$(basename "$dir")
             label=$role; [ "$s" = default ] || label="$role/$s" ;;
    *) label=$(basename "$dir"); role=$label ;;
  esac
  if [ -n "$only" ] && [ "$only" != "$role" ] && [ "$only" != "$label" ]; then continue; fi
  releases=13
  [ -f "$dir/releases" ] && releases=$(cat "$dir/releases")
  for release in $releases; do
    name=$label; [ "$release" = 13 ] || name="$label@debian$release"
    if [[ " ${alone[*]} " == *" $label "* ]]; then serial+=("$name $dir $release")
    else pool+=("$name $dir $release"); fi
  done
done
# Longest first (times of a full run), so that no long scenario starts late and leaves the other
# slot idle at the end; the rest keep their order.
longest=(drills scale one_box@debian12 gunicorn_site celery backups sentry)
ordered=()
for want in "${longest[@]}"; do
  for entry in "${pool[@]}"; do [ "${entry%% *}" = "$want" ] && ordered+=("$entry"); done
done
for entry in "${pool[@]}"; do
  [[ " ${longest[*]} " == *" ${entry%% *} "* ]] || ordered+=("$entry")
done
pool=("${ordered[@]}")

# A full run puts the checks in the pool too, after the scenarios (they are short).
if [ -z "$only" ]; then
  for name in "${checks[@]}" ansible-oldest ansible-newest; do pool+=("$name check 13"); done
fi

start_scenario() {  # name dir release slot
  local name=$1 dir=$2 release=$3 slot=$4 label=${1%@*}
  if [ "$dir" = check ]; then
    run_job "$name" "$logs/$name.log" run_check "$name"
    return
  fi
  # Each run gets its own container names (and, end to end, box prefix and published ports) and
  # its own Molecule state folder, so that scenarios and releases can run side by side.
  DJANGOOPS_BASE_IMAGE=djangoops/debian$release-systemd:latest \
    MOLECULE_EPHEMERAL_DIRECTORY="$root/.cache/molecule/${name//\//_}" \
    DJANGOOPS_INSTANCE="djangoops-${name//[\/@]/-}" \
    DJANGOOPS_E2E="${label%%_*}$release" \
    DJANGOOPS_E2E_SITE_PORT=$((18503 + 10 * slot)) \
    DJANGOOPS_E2E_TRACKER_PORT=$((18504 + 10 * slot)) \
    DJANGOOPS_RERUN_MITOGEN=$([[ " ${plain_reruns[*]} " == *" $name "* ]] && echo 0 || echo 1) \
    DJANGOOPS_CONVERGE_MITOGEN=$([[ " ${plain_converges[*]} " == *" $name "* ]] && echo 0 || echo 1) \
    run_job "$name" "$logs/${name//\//_}.log" scripts/run-scenario.sh "$dir"
}
running=0
slot=0
for entry in "${pool[@]}"; do
  # shellcheck disable=SC2086
  set -- $entry
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  slot=$((slot + 1))
  start_scenario "$@" "$slot" &
  running=$((running + 1))
done
wait
for entry in "${serial[@]}"; do
  # shellcheck disable=SC2086
  set -- $entry
  slot=$((slot + 1))
  start_scenario "$@" "$slot"
done
for entry in "${pool[@]}" "${serial[@]}"; do
  # shellcheck disable=SC2086
  set -- $entry
  collect "$1" "$logs/${1//\//_}.log"
done

echo
echo "Scenario table ($(($(date +%s) - started)) s in all, $jobs at a time; logs in .cache/test-logs/)"
printf '%-28s %-6s %7s  %s\n' check result time notes
printf '%s\n' "${rows[@]}"
echo
echo "scenarios: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
