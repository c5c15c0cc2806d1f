#!/usr/bin/env bash
# Host audit with Debian's lynis: "before" is a fresh box from the base image (started the way
# scripts/demo.sh starts its boxes, removed afterwards), "after" are the two converged demo boxes.
# lynis is installed for the audit and purged again, so the demo boxes stay as site.yml left them.
# Usage: bench/audit.sh   (reports in bench/out/audit/<box>.dat)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
fresh=djangoops-bench-audit-fresh
network=djangoops-demo
raw=$out/audit
rm -rf "$raw" && mkdir -p "$raw"

demo_up || scripts/demo.sh
trap 'docker rm -f "$fresh" >/dev/null 2>&1 || true' EXIT
docker rm -f "$fresh" >/dev/null 2>&1 || true
# Same options as scripts/demo.sh's start_box; apt finds the host's cache through the gateway.
docker run -d --name "$fresh" --hostname "$fresh" --network "$network" \
  --cap-add SYS_ADMIN --cap-add NET_ADMIN --security-opt seccomp=unconfined --cgroupns host \
  -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock --tmpfs /tmp:exec,mode=1777 \
  "$DJANGOOPS_BASE_IMAGE" /lib/systemd/systemd >/dev/null
for _ in $(seq 1 30); do
  case $(docker exec "$fresh" systemctl is-system-running 2>/dev/null || true) in running|degraded) break ;; esac
  sleep 1
done

audit() {  # BOX LABEL: install lynis, audit, keep the report, purge lynis again
  docker exec "$1" bash -c 'export DEBIAN_FRONTEND=noninteractive; dpkg -s lynis >/dev/null 2>&1 && echo present >/tmp/lynis.was ||
    { apt-get install -y -qq lynis >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq lynis >/dev/null; }; }'
  docker exec "$1" lynis audit system --quick --no-colors >"$raw/$2.out" 2>&1 || true
  docker exec "$1" cat /var/log/lynis-report.dat >"$raw/$2.dat"
  docker exec "$1" bash -c '[ -f /tmp/lynis.was ] || DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq lynis >/dev/null 2>&1;
    rm -f /tmp/lynis.was' || true
  echo ">> $2: $(grep -m1 '^hardening_index=' "$raw/$2.dat")"
}
audit "$fresh" "before-fresh-box"
audit "$web" "after-$web"
audit "$db" "after-$db"

python3 - "$raw" "before-fresh-box" "after-$web" "after-$db" <<'PY'
import sys
from pathlib import Path

raw, labels = Path(sys.argv[1]), sys.argv[2:]


def report(label):
    data = {"warning": [], "suggestion": []}
    for line in (raw / f"{label}.dat").read_text(errors="replace").splitlines():
        key, _, value = line.partition("=")
        if key in ("warning[]", "suggestion[]"):
            test, text, details, *_ = (value.split("|") + ["", "", ""])
            data[key[:-2]].append((test, text + ("" if details in ("", "-") else f" ({details})")))
        elif key in ("hardening_index", "lynis_version", "lynis_tests_done"):
            data[key] = value
    return data


reports = {label: report(label) for label in labels}
print("\n== lynis audit system --quick (lynis %s) ==" % reports[labels[0]].get("lynis_version", "?"))
print(f"{'box':<32} | hardening index | warnings | suggestions | tests done")
for label, r in reports.items():
    print(f"{label:<32} | {r.get('hardening_index', '?'):>15} | {len(r['warning']):>8} | {len(r['suggestion']):>11} | {r.get('lynis_tests_done', '?')}")

before_ids = {test for test, _ in reports[labels[0]]["suggestion"]}
for label in labels[1:]:
    r = reports[label]
    print(f"\n-- {label}: warnings --")
    for test, text in r["warning"] or [("-", "none")]:
        print(f"  {test:<10} {text}")
    print(f"-- {label}: suggestions (first 15 of {len(r['suggestion'])}, lynis order) --")
    for test, text in r["suggestion"][:15]:
        print(f"  {test:<10} {text}")
    gone = sorted(before_ids - {test for test, _ in r["suggestion"]})
    print(f"-- {label}: suggestion tests of the fresh box no longer raised: {', '.join(gone) or 'none'}")
PY
