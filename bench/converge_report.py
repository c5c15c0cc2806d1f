"""Table of bench/converge.sh: wall seconds and changed tasks per run (from PLAY RECAP), then each
role's share of the profile_roles total and the tasks it ran (a task on two boxes counts twice)
for the first run and the median no-op run.
Usage: converge_report.py OUT                              one checkout
       converge_report.py OUT AGAINST_OUT NAME AGAINST_NAME  two, with ratios NAME / AGAINST_NAME"""
import re
import statistics
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)
ROLE = re.compile(r"^(\S+) -+ ([\d.]+)s$", re.M)
ROLE_FILE = re.compile(r"/roles/([^/]+)/")


def tasks_per_role(junit_dir):
    """Tasks each role ran, not skipped, from the junit callback's files (a task on two boxes counts twice)."""
    counts = {}
    for xml in sorted(junit_dir.glob("*.xml")) if junit_dir.is_dir() else []:
        for case in ET.parse(xml).getroot().iter("testcase"):
            if case.find("skipped") is None:
                m = ROLE_FILE.search(case.get("classname", ""))
                role = m.group(1) if m else "(playbook tasks)"
                counts[role] = counts.get(role, 0) + 1
    return counts


def load(out):
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
            "tasks": sum(int(r[1]) for r in recap),
            "roles": {name: float(sec) for name, sec in roles if name != "total"},
            "role_tasks": tasks_per_role(out / f"junit-{label}"),
        })
    return runs


def good_noops(runs):
    return [r for r in runs if r["label"].startswith("noop") and r["exit"] == 0 and r["failed"] == 0]


def share(run, title):
    total = sum(run["roles"].values())
    if not total:
        print(f"\n(no profile_roles summary in the {run['label']} log)")
        return
    print(f"\n== per-role time, {title} (profile_roles; total {total:.1f} s) ==")
    print(f"{'role / action':<40} | {'seconds':>8} | share  | tasks")
    for name, sec in sorted(run["roles"].items(), key=lambda kv: -kv[1])[:14]:
        tasks = run["role_tasks"].get(name, "")
        print(f"{name:<40} | {sec:>8.1f} | {100 * sec / total:5.1f}% | {tasks:>5}")


def report(runs, title):
    print(f"\n== {title}: site.yml via scripts/demo.sh (wall clock, includes the demo script's own checks) ==")
    print(f"{'run':<8} | {'seconds':>8} | {'tasks':>5} | {'changed':>7} | {'failed':>6} | exit | changed per host")
    for r in runs:
        bad = "" if r["exit"] == 0 and r["failed"] == 0 else "  INVALID (failed run)"
        print(f"{r['label']:<8} | {r['seconds']:>8.1f} | {r['tasks']:>5} | {r['changed']:>7} | {r['failed']:>6} | "
              f"{r['exit']:>4} | {r['per_host']}{bad}")
    noops = good_noops(runs)
    if len(noops) < len([r for r in runs if r["label"].startswith("noop")]):
        print("some no-op runs failed: they are left out below")
    if noops:
        med = statistics.median(r["seconds"] for r in noops)
        print(f"no-op median: {med:.1f} s over {len(noops)} runs; first/no-op ratio: {runs[0]['seconds'] / med:.1f}x")
        print("no-op runs all changed=0:", all(r["changed"] == 0 for r in noops))
    share(runs[0], f"{title}, first converge")
    if noops:
        mid = sorted(noops, key=lambda r: r["seconds"])[len(noops) // 2]
        share(mid, f"{title}, median no-op run ({mid['label']})")


def main(argv):
    current = load(Path(argv[1]))
    if len(argv) == 2:
        report(current, "this checkout")
        return
    against, name, other = load(Path(argv[2])), argv[3], argv[4]
    report(current, name)
    report(against, other)
    print(f"\n== {name} / {other}, same session (below 1.00: {name} is faster) ==")
    for label, pick in [("first converge s", lambda runs: runs[0]["seconds"]),
                        ("no-op median s", lambda runs: statistics.median(r["seconds"] for r in good_noops(runs))),
                        ("no-op tasks", lambda runs: statistics.median(r["tasks"] for r in good_noops(runs)))]:
        try:
            a, b = pick(current), pick(against)
            print(f"{label:<18} | {a:>8.1f} | {b:>8.1f} | {a / b:.2f}x")
        except (statistics.StatisticsError, ZeroDivisionError):
            print(f"{label:<18} | no valid runs on one side")


if __name__ == "__main__":
    main(sys.argv)
