"""Tables of bench/http.sh from the kept wrk outputs: medians over runs per cell, errors summed.
wrk counts a status >= 400 as "Non-2xx or 3xx"; http.sh checks beforehand that each URL gives 200."""
import re
import statistics
import sys
from urllib.parse import urlsplit

index, role_workers = sys.argv[1], int(sys.argv[2])
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNIT[unit]


def parse(path):
    text = open(path).read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    lat = dict(re.findall(r"^ +(50|99)% +(\S+) *$", text, re.M))
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if not rps or not lat:  # wrk failed: count the run as broken
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "errors": 1, "requests": 0}
    return {
        "rps": float(rps.group(1)), "p50": ms(lat["50"]), "p99": ms(lat["99"]),
        "errors": (sum(map(int, sock.groups())) if sock else 0) + (int(non2xx.group(1)) if non2xx else 0),
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),
    }


cells = {}
for line in open(index):
    section, target, url, conns, workers, _rep, path = line.rstrip("\n").split("\t")
    key = (section, target, urlsplit(url).path, int(conns), int(workers))
    cells.setdefault(key, []).append(parse(path))


def summary(runs):
    return {
        "rps": statistics.median(r["rps"] for r in runs), "p50": statistics.median(r["p50"] for r in runs),
        "p99": statistics.median(r["p99"] for r in runs), "errors": sum(r["errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs), "n": len(runs),
    }


def row(cols):
    print(" | ".join(cols))


print("\n== nginx vs gunicorn direct (workers = role's pick, %d) ==" % role_workers)
row([f"{'target':<13}", f"{'path':<36}", "conns", f"{'req/s':>8}", f"{'p50 ms':>7}", f"{'p99 ms':>7}",
     "non-2xx/errors", "requests (all runs)"])
targets = {k: summary(v) for k, v in cells.items() if k[0] == "targets"}
for (_, target, path, conns, _), s in sorted(targets.items(), key=lambda kv: (kv[0][1], kv[0][3])):
    flag = "" if s["errors"] == 0 else "  INVALID"
    row([f"{target:<13}", f"{path:<36}", f"{conns:>5}", f"{s['rps']:>8.1f}", f"{s['p50']:>7.2f}", f"{s['p99']:>7.2f}",
         f"{s['errors']:>14}{flag}", f"{s['requests']} in {s['n']} runs"])

print("\n== ratio nginx / gunicorn direct, page / (median req/s) ==")
row(["conns", "nginx req/s", "gunicorn req/s", "nginx/gunicorn"])
by = {(t, c): s for (_, t, _, c, _), s in targets.items()}
for conns in sorted({c for (_, c) in by}):
    n, g = by.get(("nginx-page", conns)), by.get(("gunicorn-page", conns))
    if n and g and g["rps"]:
        row([f"{conns:>5}", f"{n['rps']:>11.1f}", f"{g['rps']:>14.1f}", f"{n['rps'] / g['rps']:>14.2f}"])

print("\n== gunicorn direct, page /, by worker count ==")
row(["workers", "conns", f"{'req/s':>8}", f"{'p50 ms':>7}", f"{'p99 ms':>7}", "non-2xx/errors", "vs 1 worker"])
sweep = {(k[4], k[3]): summary(v) for k, v in cells.items() if k[0] == "workers"}
base = sweep[min(sweep)] if sweep else None
for (workers, conns), s in sorted(sweep.items()):
    note = "  (role's pick)" if workers == role_workers else ""
    flag = "" if s["errors"] == 0 else "  INVALID"
    row([f"{workers:>7}", f"{conns:>5}", f"{s['rps']:>8.1f}", f"{s['p50']:>7.2f}", f"{s['p99']:>7.2f}",
         f"{s['errors']:>14}{flag}", f"{s['rps'] / base['rps']:>10.2f}x{note}"])
