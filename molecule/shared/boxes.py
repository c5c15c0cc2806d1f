"""Helpers shared by the scenarios' testinfra tests (root conftest.py, two_box, drills)."""

import http.client
import json
import os
import re
import shlex
import socket
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path

import testinfra


def box(name):
    """A scenario's box by its inventory name, reached the way Ansible reaches it."""
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def address(host):
    """The box's private address, as another box on the network would use it."""
    return host.check_output("ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1")


# Requests made with Python, which every box has (the end-to-end boxes get no curl, as a user's
# boxes have none): (status, body) of one request with NAME as SNI and Host, sent to ADDRESS.
_REQUEST = r"""
import http.client, socket, ssl, sys
scheme, name, address, port, path = sys.argv[1:6]
class To(http.client.HTTPSConnection):
    def connect(self):
        raw = socket.create_connection((address, int(port)), 15)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)
class ToPlain(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.create_connection((address, int(port)), 15)
conn = (To(name, int(port), context=ssl._create_unverified_context(), timeout=15) if scheme == "https"
        else ToPlain(name, int(port), timeout=15))
try:
    conn.request("GET", path)
    res = conn.getresponse()
    sys.stdout.write(f"{res.status}\n{res.read().decode(errors='replace')}")
except (OSError, http.client.HTTPException) as exc:
    sys.stdout.write(f"0\n{type(exc).__name__}: {exc}")
"""


def answering(src, targets, wait=2):
    """The (address, port) pairs of TARGETS that take a TCP connection from SRC (a box). All are
    probed at once: a dropped port costs the WAIT seconds once, not once per port."""
    probes = " ".join(f"(nc -z -w {wait} {a} {p} && echo {a}:{p}) &" for a, p in targets)
    found = src.run(f"{probes} wait").stdout.split()
    return {(a, int(p)) for a, _, p in (line.rpartition(":") for line in found)}


def request_from(host, name, address, path="/", port=443, scheme="https"):
    """A GET from inside HOST (a box) to ADDRESS:PORT; status 0 when nothing answered."""
    res = host.run(f"python3 -c {shlex.quote(_REQUEST)} {scheme} {name} {address} {port} {shlex.quote(path)}")
    code, _, body = res.stdout.partition("\n")
    return int(code or 0), body


def browser_form(port, name, path, fields):
    """A browser that opens a Django form from this machine through a port published on
    127.0.0.1 and submits it: the Host and Origin carry the port, as they do when a user opens
    https://NAME:PORT/. Returns the status and Location of the POST (the body when no Location)."""
    origin = f"https://{name}:{port}"
    ctx = ssl._create_unverified_context()  # the test boxes' certificates are self-signed

    def send(method, body=None, headers=None):
        raw = socket.create_connection(("127.0.0.1", port), 15)
        conn = http.client.HTTPSConnection(name, port, context=ctx, timeout=30)
        conn.sock = ctx.wrap_socket(raw, server_hostname=name)
        conn.request(method, path, body, {"Host": f"{name}:{port}", **(headers or {})})
        return conn.getresponse()

    res = send("GET")
    page = res.read().decode()
    assert res.status == 200, (res.status, page[:300])
    cookie = re.search(r"csrftoken=([^;]+)", res.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    res = send("POST", urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}), {
        "Cookie": f"csrftoken={cookie}", "Origin": origin, "Referer": origin + path,
        "Content-Type": "application/x-www-form-urlencoded"})
    body = res.read().decode(errors="replace")
    return res.status, res.getheader("Location") or body[:300]


def browser_login(port, name, login_path, username, password, next_path=None):
    """A login through browser_form: 302 and the next page when the login worked."""
    fields = {"username": username, "password": password, **({"next": next_path} if next_path else {})}
    return browser_form(port, name, login_path, fields)


# Every mail the test relay (molecule/shared/mail_sink.yml) holds, decoded as a mail reader would.
_READ_SINK = r"""
import email, email.policy, json, mailbox
box = mailbox.Maildir("/var/mail/sink", create=False)
out = []
for key in box.keys():
    m = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
    body = m.get_body(("plain",))
    out.append({"id": key, "subject": str(m["Subject"]), "from": str(m["From"]), "to": str(m["To"]),
                "body": body.get_content() if body else ""})
print(json.dumps(out))
"""


def mails(relay):
    """The mails the relay box holds: dicts of id, subject, from, to, body."""
    res = relay.run(f"python3 -c {shlex.quote(_READ_SINK)}")
    return json.loads(res.stdout) if res.rc == 0 else []


def wait_for_mail(relay, match, seen=(), limit=90):
    """The first mail not in SEEN (ids) for which MATCH is true, within LIMIT seconds."""
    deadline = time.time() + limit
    while True:
        found = [m for m in mails(relay) if m["id"] not in seen and match(m)]
        if found:
            return found[0]
        if time.time() > deadline:
            raise AssertionError(f"no such mail within {limit} s; the relay has: "
                                 + "; ".join(f"{m['subject']} -> {m['to']}" for m in mails(relay)))
        time.sleep(2)


def playbook_env(repo):
    """The environment of a collection's playbook that a test runs as a user does. Through Mitogen
    (README "Faster runs with Mitogen") when scripts/run-scenario.sh runs the scenario's re-runs
    and side effect through it (it then sets DJANGOOPS_MITOGEN_STRATEGIES); one_box runs without."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(repo / "ansible.cfg"), ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1")
    if os.environ.get("DJANGOOPS_MITOGEN_STRATEGIES"):
        env.update(ANSIBLE_STRATEGY="mitogen_linear", ANSIBLE_STRATEGY_PLUGINS=os.environ["DJANGOOPS_MITOGEN_STRATEGIES"])
    return env


def playbook(name, *args):
    """One of the collection's playbooks, run as a user runs it: (rc, output on one line)."""
    repo = Path(__file__).resolve().parents[2]
    env = playbook_env(repo)
    # By collection name, as the converge ran it: this checkout, or the installed tarball (one_box).
    # Molecule's inventory folder: with the end-to-end scenarios' zz-over-ssh.yml, over SSH.
    inventory = os.path.dirname(os.environ["MOLECULE_INVENTORY_FILE"])
    res = subprocess.run(["ansible-playbook", "-i", inventory, f"djangoops.stack.{name}",
                          *args], capture_output=True, text=True, env=env, cwd=repo, timeout=900)
    return res.returncode, " ".join((res.stdout + res.stderr).split())
