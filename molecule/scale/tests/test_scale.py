"""The scaled layout: lb + two web boxes + worker + broker + db, two sites, and an outsider that
only has the public network. Private addresses are 10.213.0.0/24 (molecule.yml)."""

import json
import os
import shlex
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from boxes import answering, box, playbook, request_from  # noqa: E402

E2E = os.environ.get("DJANGOOPS_E2E", "scale")
NAMES = ["lb", "web1", "web2", "worker", "broker", "db"]
boxes = {n: box(f"{E2E}-{n}") for n in NAMES}
lb, web1, web2, worker, db = boxes["lb"], boxes["web1"], boxes["web2"], boxes["worker"], boxes["db"]
outsider = box(f"{E2E}-outsider")
pebble = box(f"{E2E}-pebble")
PRIVATE = {"lb": "10.213.0.10", "web1": "10.213.0.11", "web2": "10.213.0.12", "worker": "10.213.0.21",
           "broker": "10.213.0.22", "db": "10.213.0.30"}
SITES = ["shop", "blog"]


def public(host):
    """The box's address on the public network (its default route)."""
    return host.check_output("ip -4 route get 1.1.1.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p'")


LB_PUBLIC = public(lb)


def through_lb(site, path="/", source=outsider):
    return request_from(source, f"{site}.test", LB_PUBLIC, path)


@pytest.mark.parametrize("site", SITES)
def test_each_site_answers_through_the_lb_from_its_own_database(site):
    code, body = through_lb(site)
    assert code == 200, body[:500]
    assert f'id="database">{PRIVATE["db"]}/{site}<' in body, body[:800]


def test_services_use_the_private_addresses():
    # PostgreSQL and RabbitMQ listen on loopback and the private address only.
    for host, port in ((db, 5432), (boxes["broker"], 5672)):
        listening = host.check_output(f"ss -Hltn 'sport = :{port}' | awk '{{print $4}}'").split()
        assert f'{PRIVATE["db" if host is db else "broker"]}:{port}' in listening, listening
        allowed = ("127.0.0.1", "[::1]", PRIVATE["db" if host is db else "broker"])
        assert all(a.rsplit(":", 1)[0] in allowed for a in listening), listening
    env = web1.check_output("cat /srv/shop/shared/env")
    assert f"@{PRIVATE['db']}:5432/shop" in env and f"@{PRIVATE['broker']}:5672/shop" in env
    assert f"MEMCACHED_LOCATION={PRIVATE['web1']}:11211,{PRIVATE['web2']}:11211" in env


def test_outsider_reaches_only_the_lb_on_80_and_443():
    names = {public(host): name for name, host in boxes.items()}
    targets = [(a, p) for a in names for p in (22, 80, 443, 5432, 5672, 8080, 11211, 25672)]
    assert len(names) == len(boxes) and len(targets) == 8 * len(boxes)
    open_ports = sorted(f"{names[a]}:{p}" for a, p in answering(outsider, targets))
    assert open_ports == ["lb:443", "lb:80"]


def test_web_boxes_take_plain_http_only_from_the_lb_and_each_other():
    code, _ = request_from(lb, "shop.test", PRIVATE["web1"], "/health/", port=8080, scheme="http")
    assert code == 200
    # The db box is on the private network but is not a balancer: the firewall drops it.
    assert db.run(f"nc -z -w 2 {PRIVATE['web1']} 8080").rc != 0


def test_the_client_address_is_passed_on_from_the_lb():
    marker = f"/?client-{uuid.uuid4().hex[:8]}"
    code, _ = through_lb("shop", marker)
    assert code == 200
    logs = web1.run(f"grep -h -- '{marker}' /var/log/nginx/access.log").stdout + \
        web2.run(f"grep -h -- '{marker}' /var/log/nginx/access.log").stdout
    assert logs.split()[0] == public(outsider), logs


@pytest.mark.parametrize("site", SITES)
def test_a_celery_task_of_each_site_runs_on_the_worker_box(site):
    script = rf"""runuser -u {site} -- bash -c 'cd /srv/{site}/current && set -a && . /srv/{site}/shared/env && set +a && .venv/bin/python - <<"EOF"
import django
django.setup()
from visits.tasks import add
result = add.delay(40, 2)
print(result.id, result.get(timeout=60))
EOF'"""
    res = web1.run(script)
    assert res.rc == 0, res.stderr
    task_id, answer = res.stdout.split()
    assert answer == "42"
    log = worker.check_output(f"journalctl -u celery-{site} --no-pager -o cat")
    assert task_id in log, log[-1500:]
    assert web1.run(f"systemctl is-active celery-{site}").stdout.strip() != "active"


def test_an_upload_on_one_web_box_is_served_by_the_other():
    name = f"upload-{uuid.uuid4().hex[:8]}.txt"
    web1.run_expect([0], f"runuser -u shop -- sh -c 'mkdir -p /srv/shop/shared/media/uploads && "
                         f"echo uploaded-on-web1 > /srv/shop/shared/media/uploads/{name}'")
    assert web2.run(f"test -e /srv/shop/shared/media/uploads/{name}").rc != 0
    code, body = request_from(lb, "shop.test", PRIVATE["web2"], f"/media/uploads/{name}", port=8080, scheme="http")
    assert code == 200 and body.strip() == "uploaded-on-web1", (code, body[:300])
    for _ in range(4):  # whichever web box the balancer picks
        code, body = through_lb("shop", f"/media/uploads/{name}")
        assert code == 200 and body.strip() == "uploaded-on-web1"
    code, _ = through_lb("shop", "/media/uploads/no-such-file.txt")
    assert code == 404


def test_rolling_deploy_under_load_failed_no_request_and_left_the_other_site_alone():
    lines = [json.loads(line) for line in lb.file("/root/scale/load.jsonl").content_string.splitlines()]
    assert len(lines) > 50, len(lines)
    failed = [line for line in lines if line["status"] != 200]
    assert not failed, failed[:5]
    for host in (web1, web2, worker):
        shop_before, blog_before = host.file("/root/scale/before.txt").content_string.split()
        shop_after, blog_after = host.file("/root/scale/after.txt").content_string.split()
        assert shop_after != shop_before
        assert blog_after == blog_before
    code, body = through_lb("shop")
    assert code == 200 and "Hello from release two." in body
    code, body = through_lb("blog")
    assert code == 200 and "Hello from the demo site." in body

# From the outsider: pebble's root (its management API, test-only) as the only trust anchor, then
# each site's certificate through the balancer by name, as a browser would check it.
_VERIFY = r"""
import json, ssl, socket, sys, urllib.request
pebble, names = sys.argv[1], sys.argv[2:]
root = urllib.request.urlopen(f"https://{pebble}:15000/roots/0", context=ssl._create_unverified_context()).read().decode()
out = {}
for name in names:
    for label, ctx in (("pebble", ssl.create_default_context(cadata=root)), ("system", ssl.create_default_context())):
        try:
            with ctx.wrap_socket(socket.create_connection((name, 443), 15), server_hostname=name) as tls:
                cert = tls.getpeercert()
                out[f"{name} {label}"] = {"serial": cert["serialNumber"], "san": [v for _, v in cert["subjectAltName"]]}
        except ssl.SSLError as exc:
            out[f"{name} {label}"] = {"error": exc.reason or str(exc)}
print(json.dumps(out))
"""


def verified_from_outsider(*names):
    res = outsider.run(f"python3 -c {shlex.quote(_VERIFY)} {E2E}-pebble {' '.join(names)}")
    assert res.rc == 0, res.stderr
    return json.loads(res.stdout)


def test_each_site_has_a_certificate_from_the_acme_ca_that_a_client_trusting_it_accepts():
    seen = verified_from_outsider("shop.test", "blog.test")
    for name in ("shop.test", "blog.test"):
        assert seen[f"{name} pebble"].get("san") == [name], seen
        # Not trusted by Debian's CAs: the trust comes from pebble, not from a stray certificate.
        assert "error" in seen[f"{name} system"], seen


def test_certificate_renewal_under_load_swapped_it_with_no_failed_request():
    serials = json.loads(lb.file("/root/scale/renewal.json").content_string)
    assert serials["before"] != serials["after"], serials
    lines = [json.loads(line) for line in lb.file("/root/scale/renewal-load.jsonl").content_string.splitlines()]
    assert len(lines) > 20, len(lines)
    assert not [line for line in lines if line["status"] != 200], lines[:5]
    served = verified_from_outsider("shop.test")["shop.test pebble"]["serial"]
    assert int(served, 16) == serials["after"]


def test_a_failed_renewal_turns_status_red_and_a_good_one_green_again():
    rc, out = playbook("status", "--limit", f"{E2E}-lb")
    assert rc == 0 and "certificate of shop: " in out and "certificate renewal: last run ok" in out, out[-3000:]
    due = "sed -i '1i renew_before_expiry = 3650 days' /etc/letsencrypt/renewal/blog.conf"
    lb.run(due)
    # The CA cannot check the challenge (nginx may not read it: 403), as when port 80 or DNS
    # no longer leads to this box.
    lb.run("chmod 0700 /var/www/acme")
    try:
        assert lb.run("systemctl start djangoops-certificates.service").rc != 0
        rc, out = playbook("status", "--limit", f"{E2E}-lb")
        assert rc != 0 and "is RED: certificate renewal: FAILED" in out, out[-3000:]
    finally:
        lb.run("chmod 0755 /var/www/acme")
    assert lb.run("systemctl start djangoops-certificates.service").rc == 0
    lb.run("sed -i '/^renew_before_expiry/d' /etc/letsencrypt/renewal/blog.conf")
    rc, out = playbook("status", "--limit", f"{E2E}-lb")
    assert rc == 0 and "certificate renewal: last run ok" in out, out[-3000:]
    # A certificate with fewer days left than the threshold is red as well.
    rc, out = playbook("status", "--limit", f"{E2E}-lb", "-e", "djangoops_certificate_warn_days=100000")
    assert rc != 0 and "certificate of shop: EXPIRES in" in out, out[-3000:]


def docker(*args):
    subprocess.run(["docker", *args], check=True, capture_output=True)


def test_both_sites_answer_with_a_web_box_down():
    """Last: web1 goes down hard (as at a power cut) and the balancer must answer from web2."""
    docker("kill", f"{E2E}-web1")
    try:
        for site in SITES * 3:
            code, body = through_lb(site)
            assert code == 200, (site, body[:300])
    finally:
        docker("start", f"{E2E}-web1")
