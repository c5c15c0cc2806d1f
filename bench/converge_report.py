"""Table of bench/converge.sh: wall seconds and changed tasks per run (from PLAY RECAP), then each
role's share of the profile_roles total for the first run and the median no-op run."""
import re
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
ROLE = re.compile(r"^(\S+) -+ ([\d.]+)s$", re.M)

runs = []
for line in (out / "converge.times").read_text().split("\n"):
    if not line.strip():
        continue
    label, seconds, status = line.split()
    log = (out / f"converge-{label}.log").read_text()
    recap = RECAP.findall(log)
    roles = ROLE.findall(log.split("ROLES RECAP", 1)[-1]) if "ROLES RECAP" in log else []
    runs.append({
        "label": label, "seconds": float(seconds), "exit": int(status),
        "changed": sum(int(r[2]) for r in recap), "failed": sum(int(r[4]) + int(r[3]) for r in recap),
        "per_host": ", ".join(f"{r[0]}={r[2]}" for r in recap),
        "roles": {name: float(sec) for name, sec in roles if name != "total"},
    })

print("\n== site.yml via scripts/demo.sh (wall clock, includes the demo script's own checks) ==")
print(f"{'run':<8} | {'seconds':>8} | {'changed':>7} | {'failed':>6} | exit | changed per host")
for r in runs:
    bad = "" if r["exit"] == 0 and r["failed"] == 0 else "  INVALID (failed run)"
    print(f"{r['label']:<8} | {r['seconds']:>8.1f} | {r['changed']:>7} | {r['failed']:>6} | {r['exit']:>4} | {r['per_host']}{bad}")
noops = [r for r in runs if r["label"].startswith("noop") and r["exit"] == 0 and r["failed"] == 0]
if len(noops) < len([r for r in runs if r["label"].startswith("noop")]):
    print("some no-op runs failed: they are left out below")
if noops:
    med = statistics.median(r["seconds"] for r in noops)
    print(f"no-op median: {med:.1f} s over {len(noops)} runs; first/no-op ratio: {runs[0]['seconds'] / med:.1f}x")
    print("no-op runs all changed=0:", all(r["changed"] == 0 for r in noops))


def share(run, title):
    total = sum(run["roles"].values())
    if not total:
        print(f"\n(no profile_roles summary in the {run['label']} log)")
        return
    print(f"\n== per-role time, {title} (profile_roles; total {total:.1f} s) ==")
    print(f"{'role / action':<40} | {'seconds':>8} | share")
    for name, sec in sorted(run["roles"].items(), key=lambda kv: -kv[1])[:12]:
        print(f"{name:<40} | {sec:>8.1f} | {100 * sec / total:5.1f}%")


share(runs[0], "first converge")
if noops:
    mid = sorted(noops, key=lambda r: r["seconds"])[len(noops) // 2]
    share(mid, f"median no-op run ({mid['label']})")
