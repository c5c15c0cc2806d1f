"""Steady load for bench/deploy-under-load.sh, run inside the web box: THREADS threads send
GET / to https://127.0.0.1 with the site's SNI and Host header, one request per TLS connection
(keep-alive off, so every request also tests that nginx and gunicorn's socket accept it), until
STOP_FILE exists. Prints one JSON object: counts by status and error, latencies, releases seen."""
import json
import os
import re
import socket
import ssl
import statistics
import sys
import threading
import time
from collections import Counter

domain, threads, stop_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ctx = ssl._create_unverified_context()  # the demo's certificate is self-signed
request = f"GET / HTTP/1.1\r\nHost: {domain}\r\nConnection: close\r\nUser-Agent: djangoops-bench\r\n\r\n".encode()
lock = threading.Lock()
outcomes, releases, latencies, failures = Counter(), Counter(), [], []


def one():
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", 443), timeout=30) as raw:
            with ctx.wrap_socket(raw, server_hostname=domain) as tls:
                tls.sendall(request)
                chunks = []
                while chunk := tls.recv(65536):
                    chunks.append(chunk)
        body = b"".join(chunks)
        status = body.split(b" ", 2)[1].decode()
        release = re.search(rb'id="release">([^<]*)<', body)
        return status, (release.group(1).decode() if release else "-"), time.monotonic() - start
    except Exception as exc:  # every failure is counted by its kind
        return f"error:{exc.__class__.__name__}", "-", time.monotonic() - start


def worker():
    while not os.path.exists(stop_file):
        status, release, seconds = one()
        with lock:
            outcomes[status] += 1
            releases[release] += 1
            latencies.append(seconds)
            if status != "200":
                failures.append({"t": round(time.time(), 3), "outcome": status})


pool = [threading.Thread(target=worker) for _ in range(threads)]
begin = time.time()
for t in pool:
    t.start()
for t in pool:
    t.join()
latencies.sort()
print(json.dumps({
    "seconds": round(time.time() - begin, 1), "requests": len(latencies),
    "failed": sum(n for k, n in outcomes.items() if k != "200"), "outcomes": dict(outcomes),
    "releases": dict(releases), "median_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
    "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1) if latencies else None,
    "max_ms": round(1000 * latencies[-1], 1) if latencies else None, "first_failures": failures[:20],
}))
