#!/usr/bin/env bash
# The one test command (README): installs what it needs on a fresh Debian machine, lints, runs
# every Molecule scenario in the repo and prints a table. Usage: scripts/test.sh [SCENARIO]
# where SCENARIO is a role name (its scenarios) or a collection-level scenario under molecule/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
only=${1:-${SCENARIO:-}}
logs=$root/.cache/test-logs
mkdir -p "$logs"
started=$(date +%s)

scripts/venv.sh || exit 1
scripts/docker-engine.sh || exit 1
scripts/apt-cache.sh
scripts/base-image.sh || exit 1
# shellcheck source=env.sh
. scripts/env.sh

rows=()
passed=0
failed=0
record() {  # name result seconds note
  rows+=("$(printf '%-28s %-6s %6ss  %s' "$1" "$2" "$3" "$4")")
  if [ "$2" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
run_logged() {  # name log command...
  local name=$1 log=$2 t0 rc note
  shift 2
  t0=$(date +%s)
  echo ">> $name (log: ${log#"$root"/})"
  "$@" >"$log" 2>&1
  rc=$?
  note=$(grep -h '^HARNESS \(NOTE\|FAIL\):' "$log" | sed 's/^HARNESS [A-Z]*: //' | paste -sd';' -)
  if [ $rc = 0 ]; then record "$name" pass $(($(date +%s) - t0)) "$note"
  else record "$name" FAIL $(($(date +%s) - t0)) "$note"; tail -40 "$log"; fi
}

if [ -z "$only" ]; then
  run_logged yamllint "$logs/yamllint.log" yamllint --strict .
  # ansible-lint installs the collection it lints into ~/.ansible/collections, where Molecule
  # would then find a stale copy before this checkout: give it a HOME of its own.
  run_logged ansible-lint "$logs/ansible-lint.log" env HOME="$root/.cache/lint-home" ansible-lint --profile production
fi

stale=$HOME/.ansible/collections/ansible_collections/djangoops/stack
if [ -d "$stale" ] && [ ! -L "$stale" ]; then
  echo ">> removing $stale (a copy an earlier lint made; Molecule would use it instead of this checkout)"
  rm -rf "$stale"
fi

# Scenarios are found, not listed: every molecule/<name>/molecule.yml of a role or of the repo.
# Roles first, the collection-level (end-to-end) scenarios last.
mapfile -t scenarios < <({ ls -d roles/*/molecule/*/ 2>/dev/null; ls -d molecule/*/ 2>/dev/null; } | sed 's:/$::' \
  | while read -r d; do [ -f "$d/molecule.yml" ] && echo "$d"; done)
for dir in "${scenarios[@]}"; do
  case $dir in
    roles/*) role=${dir#roles/}; role=${role%%/*}; s=$(basename "$dir")
             label=$role; [ "$s" = default ] || label="$role/$s" ;;
    *) label=$(basename "$dir"); role=$label ;;
  esac
  if [ -n "$only" ] && [ "$only" != "$role" ] && [ "$only" != "$label" ]; then continue; fi
  run_logged "$label" "$logs/${label//\//_}.log" scripts/run-scenario.sh "$dir"
done

echo
echo "Scenario table ($(($(date +%s) - started)) s in all; logs in .cache/test-logs/)"
printf '%-28s %-6s %7s  %s\n' check result time notes
printf '%s\n' "${rows[@]}"
echo
echo "scenarios: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
