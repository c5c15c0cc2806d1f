#!/usr/bin/env bash
# Every benchmark in order; converge first because it (re)creates the demo boxes the others use.
# The demo stays up afterwards. Output also goes to bench/out/all.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
{
  dirty=""
  if git status --porcelain --untracked-files=no 2>/dev/null | grep -q .; then dirty=" + uncommitted changes"; fi
  echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$dirty, $(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB =="
  # One failing script must not hide the others' results.
  for script in "converge.sh 3" http.sh deploy-under-load.sh audit.sh; do
    # shellcheck disable=SC2086 # the script name and its arguments
    bench/$script || echo "!! bench/$script failed (exit $?)"
  done
} 2>&1 | tee bench/out/all.log
