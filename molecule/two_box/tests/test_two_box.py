"""The two-box stack, seen from the boxes and from an outsider on the same network."""

import re
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from boxes import address, box  # noqa: E402

web, db, outsider = box("e2e-web"), box("e2e-db"), box("e2e-outsider")
WEB_IP, DB_IP = address(web), address(db)


def page(host=outsider, path="/", target=None):
    target = target or WEB_IP
    res = host.run(f"curl -sk --max-time 15 -w '\\n%{{http_code}}' --resolve demo.test:443:{target} https://demo.test{path}")
    body, _, code = res.stdout.rpartition("\n")
    return int(code or 0), body


def span(body, name):
    m = re.search(rf'id="{name}">([^<]*)<', body)
    assert m, body[:400]
    return m.group(1)


def test_site_over_https_shows_data_from_postgres_on_the_db_box():
    code, first = page()
    assert code == 200, first
    _, second = page()
    assert span(second, "database") == f"{DB_IP}/demo"
    assert int(span(second, "visits")) == int(span(first, "visits")) + 1
    assert span(second, "cache") == "PyMemcacheCache"


def test_http_redirects_and_unknown_host_dropped():
    res = outsider.run(f"curl -s -o /dev/null -w '%{{http_code}}' --resolve demo.test:80:{WEB_IP} http://demo.test/")
    assert res.stdout == "301"
    assert outsider.run(f"curl -s --max-time 5 -H 'Host: other.test' http://{WEB_IP}/").rc == 52


def psql_login(host):
    dsn = f"host={DB_IP} user=demo dbname=demo sslmode=require connect_timeout=5"
    return host.run(f"PGPASSWORD=e2e-db-Secret-1 psql '{dsn}' -XAtc 'SELECT 1'")


def test_web_box_logs_in_to_postgres_and_outsider_is_refused():
    ok = psql_login(web)
    assert ok.rc == 0 and ok.stdout.strip() == "1", ok.stderr
    refused = psql_login(outsider)
    assert refused.rc != 0
    assert "no pg_hba.conf entry" in refused.stderr or "timeout" in refused.stderr


@pytest.mark.parametrize("port", [11211, 5672, 25672, 4369])
def test_outsider_cannot_reach_cache_or_broker(port):
    assert outsider.run(f"nc -z -w 3 {WEB_IP} {port}").rc != 0


def test_celery_task_runs_through_rabbitmq():
    script = r"""runuser -u demo -- bash -c 'cd /srv/demo/current && .venv/bin/python - <<"EOF"
import os
for line in open("/srv/demo/shared/env"):
    key, sep, value = line.strip().partition("=")
    if sep and not key.startswith("#"):
        os.environ[key] = value
import django
django.setup()
from visits.tasks import add
print(add.delay(40, 2).get(timeout=60))
EOF'"""
    res = web.run(script)
    assert res.rc == 0, res.stderr
    assert res.stdout.strip() == "42"


def test_deploy_switched_and_rollback_returned():
    v1 = web.file("/root/e2e/v1-release.txt").content_string.strip()
    v2 = web.file("/root/e2e/v2-release.txt").content_string.strip()
    assert v1 != v2
    assert "Hello from release two." in web.file("/root/e2e/v2-page.html").content_string
    assert web.check_output("readlink -f /srv/demo/current") == v1
    code, body = page()
    assert code == 200 and "Hello from the demo site." in body
    # The celery worker follows the release too.
    pid = web.check_output("systemctl show -p MainPID --value celery-demo")
    assert web.check_output(f"runuser -u demo -- readlink /proc/{pid}/cwd") == v1


def test_site_error_reaches_the_tracker_on_the_db_box():
    query = ("SELECT count(*) FROM events_event e JOIN projects_project p ON p.id = e.project_id "
             "WHERE p.name = 'demo' AND e.data LIKE '%djangoops demo error: boom%'")
    count = f"runuser -u postgres -- psql -d bugsink -XAtc \"{query}\""
    before = int(db.check_output(count) or 0)
    code, _ = page(path="/boom/")
    assert code == 500
    deadline = time.time() + 90
    while time.time() < deadline:
        if int(db.run(count).stdout.strip() or 0) > before:
            return
        time.sleep(2)
    raise AssertionError("the error did not reach Bugsink within 90 s")


def test_outsider_cannot_reach_the_tracker_or_postgres_port():
    assert outsider.run(f"nc -z -w 3 {DB_IP} 443").rc != 0
    assert outsider.run(f"nc -z -w 3 {DB_IP} 5432").rc != 0
    assert web.run(f"nc -z -w 3 {DB_IP} 443").rc == 0


def test_backup_then_restore_brought_the_dropped_table_back():
    before = db.file("/root/visits-before.txt").content_string.strip()
    after = db.file("/root/visits-after.txt").content_string.strip()
    assert int(before) > 0 and after == before
    assert db.file("/var/backups/djangoops/last-success").exists


def test_services_enabled_for_boot():
    for unit in ["nginx", "memcached", "rabbitmq-server", "gunicorn-demo.socket", "gunicorn-demo", "celery-demo", "celery-beat-demo"]:
        assert web.service(unit).is_enabled, unit
    assert db.service("postgresql@15-main").is_enabled
