"""Ask a freshly (re)started gunicorn for a page through its systemd socket, as nginx would.

Fails fast when gunicorn dies after it said it was ready (its workers cannot boot): it watches
the unit while it waits, so the requests queued in the socket meanwhile are not held for long.
A slow but healthy boot gets until the deadline.

Usage: smoke.py UNIT SOCKET HOST PATH DEADLINE_SECONDS   (PATH "" only watches the unit)
Prints one JSON line: {"status": 200} or {"error": "..."} (exit 1).
"""

import http.client
import json
import socket
import subprocess
import sys
import time

WATCH_ONLY_SECONDS = 5  # with no PATH: how long gunicorn must stay up


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def unit_state(unit):
    out = subprocess.run(["systemctl", "show", unit, "-p", "MainPID", "-p", "ActiveState", "-p", "SubState"],
                         capture_output=True, text=True, check=False).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def finish(result):
    print(json.dumps(result))
    sys.exit(0 if "status" in result else 1)


def crashed(unit, first_pid):
    state = unit_state(unit)
    if state.get("SubState") == "auto-restart" or state.get("ActiveState") in ("failed", "inactive", "deactivating"):
        return f"gunicorn stopped right after it started ({state.get('ActiveState')}/{state.get('SubState')})"
    if first_pid not in ("", "0") and state.get("MainPID") != first_pid:
        return f"gunicorn was restarted by systemd right after it started (main process {first_pid} died)"
    return ""


def main(unit, sock_path, host, path, deadline):
    first_pid = unit_state(unit).get("MainPID", "")
    end = time.monotonic() + (deadline if path else WATCH_ONLY_SECONDS)
    last = "no answer"
    while time.monotonic() < end:
        reason = crashed(unit, first_pid)
        if reason:
            finish({"error": reason})
        if not path:
            time.sleep(0.5)
            continue
        try:
            conn = UnixHTTPConnection(sock_path, 2)
            conn.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
            status = conn.getresponse().status
            conn.close()
        except (OSError, http.client.HTTPException) as exc:
            last = f"no answer ({type(exc).__name__})"
            continue
        if status >= 500:
            finish({"error": f"it answered {status} at {path}"})
        finish({"status": status})
    if path:
        finish({"error": f"{last} at {path} within {deadline} s"})
    finish({"status": 0})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
