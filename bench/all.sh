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
  bench/converge.sh 3
  bench/http.sh
  bench/deploy-under-load.sh
  bench/audit.sh
} 2>&1 | tee bench/out/all.log
