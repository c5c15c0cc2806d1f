#!/usr/bin/env bash
# Zero-downtime check: playbooks/deploy.yml run DEPLOYS times under steady load, each time with a
# different copy of examples/demo_site (greeting changed; copies A and B alternate, so every deploy
# switches release), then the original project once more to restore it (measured too). The load is
# bench/load_client.py INSIDE the web box against 127.0.0.1 only (THREADS threads, keep-alive off).
# Usage: bench/deploy-under-load.sh   (env: DEPLOYS=3 THREADS=4; raw logs in bench/out/deploy/)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
deploys=${DEPLOYS:-3}
threads=${THREADS:-4}

demo_up || scripts/demo.sh
site=$(demo_var 'djangoops_sites[0].name')
domain=$(demo_var 'djangoops_sites[0].domains[0]')
raw=$out/deploy
rm -rf "$raw" && mkdir -p "$raw"

# Two changed copies of the example project (only the greeting differs, so the release id does).
copies=$(mktemp -d)
trap 'rm -rf "$copies"; docker exec "$web" touch /tmp/bench-load.stop 2>/dev/null || true' EXIT
changed_copies "$copies"
# (not docker cp: it writes beneath the /tmp tmpfs, invisible inside the box)
docker exec -i "$web" sh -c "cat >/tmp/bench-load.py" <bench/load_client.py

deploy_under_load() {  # LABEL [ansible-playbook options...]
  local label=$1 since start end status=0
  shift
  since=$(docker exec "$web" date +%s)
  docker exec "$web" rm -f /tmp/bench-load.stop
  docker exec "$web" python3 /tmp/bench-load.py "$domain" "$threads" /tmp/bench-load.stop >"$raw/$label.json" &
  local client=$!
  sleep 3  # some load before the deploy starts
  start=$(date +%s.%N)
  ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks PROFILE_TASKS_TASK_OUTPUT_LIMIT=8 \
    ansible-playbook -i inventories/demo playbooks/deploy.yml "$@" >"$raw/$label.log" 2>&1 || status=$?
  end=$(date +%s.%N)
  sleep 3  # and some after it ends
  docker exec "$web" touch /tmp/bench-load.stop
  wait "$client"
  python3 - "$raw/$label.json" "$label" "$start" "$end" "$status" <<'PY'
import json, sys
path, label, start, end, status = sys.argv[1:]
data = json.load(open(path))
data.update(label=label, deploy_seconds=round(float(end) - float(start), 1), deploy_exit=int(status))
json.dump(data, open(path, "w"))
PY
  # Evidence for any failure: gunicorn's journal and nginx's error log over the window.
  docker exec "$web" journalctl -q -o short-precise -u "gunicorn-$site.service" -u "gunicorn-$site.socket" \
    --since "@$since" >"$raw/$label.gunicorn.log" 2>&1 || true
  docker exec "$web" bash -c "cat /var/log/nginx/*error*.log 2>/dev/null | awk -v s=\"\$(date -d @$since '+%Y/%m/%d %H:%M:%S')\" '\$1\" \"\$2 >= s'" \
    >"$raw/$label.nginx-error.log" 2>&1 || true
  echo ">> $label: deploy exit $status; $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["requests"], "requests,", d["failed"], "failed", d["outcomes"])' "$raw/$label.json")"
}

for i in $(seq 1 "$deploys"); do
  name=$([ $((i % 2)) = 1 ] && echo A || echo B)
  deploy_under_load "deploy$i-copy$name" -e "$(sites_with_source "$copies/$name")"
done
deploy_under_load restore-original  # the inventory's own source: examples/demo_site

python3 - "$raw" <<'PY'
import json, statistics, sys
from pathlib import Path
runs = [json.loads(p.read_text()) for p in sorted(Path(sys.argv[1]).glob("*.json"), key=lambda p: p.stat().st_mtime)]
print("\n== deploy.yml under load (keep-alive off, GET / via nginx on 127.0.0.1 in the web box) ==")
print(f"{'deploy':<22} | {'deploy s':>8} | exit | {'requests':>8} | {'failed':>6} | {'median ms':>9} | {'p99 ms':>7} | {'max ms':>7} | outcomes; releases seen")
for r in runs:
    print(f"{r['label']:<22} | {r['deploy_seconds']:>8.1f} | {r['deploy_exit']:>4} | {r['requests']:>8} | {r['failed']:>6} | "
          f"{r['median_ms']:>9} | {r['p99_ms']:>7} | {r['max_ms']:>7} | {r['outcomes']}; {r['releases']}")
print(f"median over deploys: {statistics.median(r['requests'] for r in runs)} requests, "
      f"{statistics.median(r['failed'] for r in runs)} failed, deploy {statistics.median(r['deploy_seconds'] for r in runs):.1f} s; "
      f"total failed: {sum(r['failed'] for r in runs)} of {sum(r['requests'] for r in runs)}")
PY
