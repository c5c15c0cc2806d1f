"""Steady requests to the site through nginx on this box, one JSON line per answer.

Usage: python3 probe.py SECONDS THREADS OUTFILE [DOMAIN]. Runs on the box against 127.0.0.1:443
(nginx of a web box, or of the load balancer) with the site's name as SNI and Host. Times are
seconds since OUTFILE.start (the epoch time it holds); it stops after SECONDS or as soon as
OUTFILE.stop exists, and OUTFILE.done appears when finished."""

import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time

seconds, threads, out = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
domain = sys.argv[4] if len(sys.argv) > 4 else "demo.test"
ctx = ssl._create_unverified_context()  # the test boxes' certificate is self-signed
start = time.monotonic()
with open(out + ".start", "w") as fh:
    fh.write(repr(time.time()))
lock = threading.Lock()
lines = []


def one():
    t0 = time.monotonic()
    record = {"t": round(t0 - start, 2)}
    try:
        raw = socket.create_connection(("127.0.0.1", 443), timeout=45)
        conn = http.client.HTTPSConnection(domain, 443, timeout=45, context=ctx)
        conn.sock = ctx.wrap_socket(raw, server_hostname=domain)
        conn.request("GET", "/", headers={"Host": domain})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        conn.close()
        record.update(status=resp.status, friendly="Back in a moment" in body,
                      traceback="Traceback" in body or 'id="traceback"' in body)
    except Exception as exc:  # noqa: BLE001 - every failure is a data point
        record.update(status=0, error=type(exc).__name__)
    record["secs"] = round(time.monotonic() - t0, 2)
    with lock:
        lines.append(record)


def worker():
    while time.monotonic() - start < seconds and not os.path.exists(out + ".stop"):
        one()
        time.sleep(0.2)


pool = [threading.Thread(target=worker) for _ in range(threads)]
for th in pool:
    th.start()
for th in pool:
    th.join()
with open(out, "w") as fh:
    fh.writelines(json.dumps(r) + "\n" for r in sorted(lines, key=lambda r: r["t"]))
open(out + ".done", "w").close()
