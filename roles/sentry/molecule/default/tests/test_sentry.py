"""Bugsink behind nginx with its data in PostgreSQL, used the way an application would use it."""

import json
import re
import shlex
import time
import uuid

import pytest

DOMAIN = "sentry.test"
CERT = "/etc/nginx/tls/bugsink.crt"


@pytest.fixture(scope="module")
def hvars(host):
    return host.ansible.get_variables()


@pytest.fixture(scope="module")
def dsns(host):
    return json.loads(host.file("/root/sentry-dsns.json").content_string)


def curl(host, path, *args):
    res = host.run(f"curl -sk --max-time 15 --resolve {DOMAIN}:443:127.0.0.1 {' '.join(args)} https://{DOMAIN}{path}")
    assert res.rc == 0, res.stderr
    return res.stdout


def sql(host, query):
    return host.check_output(f"runuser -u postgres -- psql -d bugsink -XAtc {shlex.quote(query)}")


def test_config_file_is_private(host):
    conf = host.file("/etc/bugsink/bugsink_conf.py")
    assert conf.user == "root"
    assert conf.group == "bugsink"
    assert conf.mode == 0o640
    assert host.file("/etc/bugsink").mode == 0o750


def test_config_phonehome_off_and_base_url(host, hvars):
    conf = host.file("/etc/bugsink/bugsink_conf.py").content_string
    assert '"PHONEHOME": False,' in conf
    assert f'"BASE_URL": "https://{DOMAIN}",' in conf
    assert '"MAX_EVENT_AGE_DAYS": 90,' in conf
    assert hvars["sentry_secret_key"] in conf


@pytest.mark.parametrize("unit", ["bugsink-web", "bugsink-snappea"])
def test_services_enabled_running_as_bugsink(host, unit):
    svc = host.service(unit)
    assert svc.is_enabled
    assert svc.is_running
    pid = host.check_output(f"systemctl show -p MainPID --value {unit}")
    assert host.check_output(f"ps -o user= -p {pid}") == "bugsink"
    assert host.check_output(f"systemctl show -p Restart --value {unit}") == "on-failure"
    assert host.check_output(f"systemctl show -p ProtectSystem --value {unit}") == "strict"


def test_gunicorn_listens_on_loopback_only(host):
    assert host.socket("tcp://127.0.0.1:8000").is_listening
    assert not host.socket("tcp://0.0.0.0:8000").is_listening


def test_snappea_queue_is_local_sqlite(host):
    queue = host.file("/srv/bugsink/data/snappea.sqlite3")
    assert queue.exists and queue.user == "bugsink"
    assert host.file("/srv/bugsink/data").mode == 0o750


def test_data_in_postgres(host):
    assert sql(host, "SELECT count(*) FROM auth_user WHERE username = 'admin' AND is_superuser") == "1"
    assert sql(host, "SELECT name FROM projects_project ORDER BY name") == "demo\nshop"


def test_dsns_exposed(host, dsns):
    assert set(dsns) == {"demo", "shop"}
    for dsn in dsns.values():
        assert re.fullmatch(rf"https://[0-9a-f]{{32}}@{re.escape(DOMAIN)}/\d+", dsn), dsn


def login(host, password):
    jar = f"/tmp/jar-{uuid.uuid4().hex}"
    page = curl(host, "/accounts/login/", f"-c {jar} -b {jar}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = f"csrfmiddlewaretoken={token}&username=admin&password={password}"
    out = curl(host, "/accounts/login/", f"-c {jar} -b {jar}", f"-H 'Referer: https://{DOMAIN}/accounts/login/'",
               f"-d {shlex.quote(data)}",
               "-o /dev/null -w '%{http_code} %{redirect_url}'")
    # A page only a logged-in user sees.
    home = curl(host, "/accounts/preferences/", f"-b {jar}", "-o /dev/null -w '%{http_code} %{redirect_url}'")
    return out, home


def test_admin_can_log_in_through_nginx(host, hvars):
    out, home = login(host, hvars["sentry_admin_password"])
    assert out.startswith("302 "), out
    assert home.startswith("200 "), home


def test_wrong_password_is_refused(host):
    out, home = login(host, "not-the-password")
    assert out.startswith("200 "), out
    assert home.startswith("302 ") and "/accounts/login/" in home, home


def test_static_files_served_by_nginx(host):
    page = curl(host, "/accounts/login/")
    css = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    code = curl(host, css, "-o /dev/null -w '%{http_code}'")
    assert code == "200"


def test_sdk_event_reaches_bugsink(host, dsns):
    message = f"molecule-check-{uuid.uuid4().hex}"
    script = (
        "import sentry_sdk\n"
        f"sentry_sdk.init(dsn={dsns['demo']!r}, ca_certs={CERT!r})\n"
        "try:\n"
        f"    raise RuntimeError({message!r})\n"
        "except RuntimeError as e:\n"
        "    sentry_sdk.capture_exception(e)\n"
        "sentry_sdk.flush(timeout=20)\n"
    )
    host.check_output(f"/opt/sdk-client/bin/python -c {shlex.quote(script)}")
    # Ingestion answers at once; snappea digests the event into the database afterwards.
    query = f"SELECT p.name FROM events_event e JOIN projects_project p ON p.id = e.project_id WHERE e.data LIKE '%{message}%'"
    for _ in range(60):
        found = sql(host, query)
        if found:
            break
        time.sleep(1)
    assert found == "demo", host.check_output("journalctl -u bugsink-web -u bugsink-snappea --no-pager -n 50 -o cat")
