#!/usr/bin/env bash
# Throughput and latency of the demo's web box with wrk, run INSIDE the web container against
# loopback only (load never leaves the container): the example page through nginx, a static file
# through nginx, and the page through a temporary gunicorn on 127.0.0.1 started from the site's own
# systemd unit (same command, user, environment file, release), then a worker-count sweep.
# Cells are interleaved (rep by rep) because every page view adds a row that the page counts, so
# later runs are slightly slower; each cell is the median of BENCH_RUNS runs of BENCH_SECONDS s.
# Usage: bench/http.sh   (env: BENCH_RUNS=3 BENCH_SECONDS=5 BENCH_CONNS="1 8 32")
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
runs=${BENCH_RUNS:-3}
seconds=${BENCH_SECONDS:-5}
read -r -a conns <<<"${BENCH_CONNS:-1 8 32}"
marker="# djangoops-bench (removed after the run)"

demo_up || scripts/demo.sh
site=$(demo_var 'djangoops_sites[0].name')
domain=$(demo_var 'djangoops_sites[0].domains[0]')
inbox() { docker exec "$web" "$@"; }

# wrk from Debian; apt inside the box goes through the host's apt cache already.
inbox bash -c 'command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive;
  apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }'

# The site's unit tells how gunicorn really runs; the temporary ones reuse its command line.
unit=$(inbox systemctl cat "gunicorn-$site.service")
unit_value() { sed -n "s/^$1=//p" <<<"$unit" | tail -n1; }
exec_start=$(unit_value ExecStart)
conf=$(grep -o -- '--config [^ ]*' <<<"$exec_start" | cut -d' ' -f2)
role_workers=$(inbox sed -n 's/^workers = //p' "$conf")
static_file=$(inbox bash -c "cd $(unit_value WorkingDirectory)/static && ls visits/site.*.css | head -n1")

cleanup() {
  inbox bash -c "systemctl stop 'bench-gunicorn-*' 2>/dev/null; grep -vF '$marker' /etc/hosts >/tmp/hosts.bench \
    && cat /tmp/hosts.bench >/etc/hosts; rm -f /tmp/hosts.bench" || true
}
trap cleanup EXIT

# nginx rejects TLS handshakes without the site's SNI (default server): the domain must resolve,
# and only to loopback. /etc/hosts is a bind mount, so it is rewritten in place, never replaced.
inbox bash -c "grep -qF '$marker' /etc/hosts || echo '127.0.0.1 $domain $marker' >>/etc/hosts"
resolved=$(inbox getent ahosts "$domain" | awk '{print $1}' | sort -u | tr '\n' ' ')
[ "$resolved" = "127.0.0.1 " ] || { echo "refusing: $domain resolves to '$resolved' in the box" >&2; exit 1; }

start_gunicorn() {  # PORT WORKERS: a transient unit with the site unit's user, env file and command
  inbox systemd-run --quiet --unit "bench-gunicorn-$1" --uid "$(unit_value User)" --gid "$(unit_value Group)" \
    -p "EnvironmentFile=$(unit_value EnvironmentFile)" -p "WorkingDirectory=$(unit_value WorkingDirectory)" \
    bash -c "exec $exec_start --bind 127.0.0.1:$1 --workers $2"
}

status_of() {  # URL: the HTTP status of one GET from inside the box (certificate not checked)
  docker exec -i "$web" python3 - "$1" "$domain" <<'PY'
import ssl, sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Host": sys.argv[2]})
try:
    print(urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=10).status)
except Exception as exc:
    print(getattr(exc, "code", exc.__class__.__name__))
PY
}

# Role's pick first (it serves the nginx-vs-gunicorn comparison), then the sweep's other counts.
sweep=(1 2 "$role_workers" $((role_workers * 2)))
for w in "${sweep[@]}"; do start_gunicorn $((8000 + w)) "$w"; done
for w in "${sweep[@]}"; do
  for _ in $(seq 1 60); do [ "$(status_of "http://127.0.0.1:$((8000 + w))/health/")" = 200 ] && break; sleep 1; done
done

declare -A url=(
  [nginx-page]="https://$domain/" [nginx-static]="https://$domain/static/$static_file"
  [gunicorn-page]="http://127.0.0.1:$((8000 + role_workers))/"
)
for target in nginx-page nginx-static gunicorn-page; do
  code=$(status_of "${url[$target]}")
  [ "$code" = 200 ] || { echo "refusing: ${url[$target]} answers $code, not 200" >&2; exit 1; }
done

raw=$out/http
rm -rf "$raw" && mkdir -p "$raw"
cell() {  # SECTION TARGET URL CONNS WORKERS REP: one wrk run, its output kept for the report
  local file="$raw/$1-$2-c$4-w$5-r$6.txt"
  inbox wrk -t "$(( $4 < 2 ? $4 : 2 ))" -c "$4" -d "${seconds}s" --timeout 5s --latency \
    -H "Host: $domain" "$3" >"$file" 2>&1 || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$file" >>"$raw/index.tsv"
  echo ">> $1 $2 c=$4 w=$5 run $6: $(grep -h 'Requests/sec' "$file" || echo 'no result')"
}

for target in nginx-page nginx-static gunicorn-page; do  # warm-up, not recorded
  inbox wrk -t 2 -c 8 -d 2s -H "Host: $domain" "${url[$target]}" >/dev/null
done
for rep in $(seq 1 "$runs"); do
  for c in "${conns[@]}"; do
    for target in nginx-page nginx-static gunicorn-page; do
      cell targets "$target" "${url[$target]}" "$c" "$role_workers" "$rep"
    done
  done
  for w in "${sweep[@]}"; do
    cell workers gunicorn-page "http://127.0.0.1:$((8000 + w))/" 8 "$w" "$rep"
  done
done

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); role's workers: $role_workers; ${runs} x ${seconds}s per cell"
python3 bench/wrk_report.py "$raw/index.tsv" "$role_workers"
