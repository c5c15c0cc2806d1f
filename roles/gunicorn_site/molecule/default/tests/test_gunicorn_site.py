"""Two Django sites behind nginx on one box: real requests, a real deploy and a rollback."""

import re

import pytest


def get(host, site, path="/", *args):
    res = host.run(f"curl -sk --max-time 15 --resolve {site}:443:127.0.0.1 -w '\\n%{{http_code}}' {' '.join(args)} https://{site}{path}")
    body, _, code = res.stdout.rpartition("\n")
    return int(code), body


def span(body, name):
    m = re.search(rf'id="{name}">([^<]*)<', body)
    assert m, f"no #{name} in page: {body[:500]}"
    return m.group(1)


def test_page_reads_and_writes_postgres_through_nginx(host):
    code, first = get(host, "demo.test")
    assert code == 200, first
    code, second = get(host, "demo.test")
    assert code == 200
    assert int(span(second, "visits")) == int(span(first, "visits")) + 1
    assert span(second, "database") == "127.0.0.1/demo"


def test_cache_is_memcached(host):
    _, first = get(host, "demo.test")
    _, second = get(host, "demo.test")
    assert span(second, "cache") == "PyMemcacheCache"
    assert int(span(second, "cache-hits")) > int(span(first, "cache-hits"))
    # The counter lives in memcached itself, not in a worker's memory.
    stats = host.check_output("printf 'stats\\r\\nquit\\r\\n' | timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/11211; cat >&3; cat <&3'")
    assert int(re.search(r"STAT curr_items (\d+)", stats).group(1)) > 0


def test_health_endpoint(host):
    code, body = get(host, "demo.test", "/health/")
    assert code == 200
    assert '"database": "ok"' in body and '"cache": "ok"' in body


def test_hashed_static_file_served_by_nginx_with_year_cache(host):
    _, page = get(host, "demo.test")
    css = re.search(r'href="(/static/visits/site\.[0-9a-f]{12}\.css)"', page).group(1)
    res = host.run(f"curl -sk -D - -o /dev/null --resolve demo.test:443:127.0.0.1 https://demo.test{css}")
    assert " 200" in res.stdout.splitlines()[0]
    assert "cache-control: public, max-age=31536000, immutable" in res.stdout.lower()
    # nginx serves it from disk: gunicorn's access log never saw the request.
    log = host.check_output("journalctl -u gunicorn-demo --no-pager -o cat")
    assert css not in log


def test_git_site_serves_its_commit(host):
    code, body = get(host, "blog.test")
    assert code == 200
    commit = host.check_output("git --git-dir=/opt/src/blog.git rev-parse main")
    assert span(body, "release") == commit[:12]
    assert span(body, "database") == "127.0.0.1/blog"


def test_sites_are_isolated(host):
    env = host.file("/srv/demo/shared/env")
    assert env.user == "demo" and env.group == "demo" and env.mode == 0o640
    for path in ["/srv/demo/shared/env", "/srv/demo/current/manage.py"]:
        res = host.run(f"runuser -u blog -- cat {path}")
        assert res.rc != 0 and "Permission denied" in res.stderr
    assert host.run("runuser -u www-data -- cat /srv/demo/shared/env").rc != 0


def test_gunicorn_runs_as_site_user_under_systemd(host):
    svc = host.service("gunicorn-demo")
    assert svc.is_running and svc.is_enabled
    assert host.service("gunicorn-demo.socket").is_enabled
    users = host.check_output("ps -o user= -C gunicorn | sort -u").split()
    assert set(users) == {"demo", "blog"}
    props = host.check_output("systemctl show gunicorn-demo -p Restart -p NoNewPrivileges -p ProtectSystem")
    assert "Restart=on-failure" in props and "NoNewPrivileges=yes" in props and "ProtectSystem=strict" in props


def test_superuser_created(host):
    out = host.check_output("runuser -u postgres -- psql -d demo -XAtc \"SELECT username FROM auth_user WHERE is_superuser\"")
    assert out.split() == ["admin"]


# --- after side_effect.yml: a deploy under load, then a rollback -----------------------------

def test_deploy_switched_to_the_new_release(host):
    v2_page = host.file("/root/deploy-test/v2-page.html").content_string
    assert "Hello from release two." in v2_page
    v1 = host.file("/root/deploy-test/v1-release.txt").content_string.strip()
    v2 = host.file("/root/deploy-test/v2-release.txt").content_string.strip()
    assert v1 != v2 and span(v2_page, "release") == v2.rsplit("/", 1)[-1]


def test_no_request_failed_during_the_deploy(host):
    codes = host.file("/root/deploy-test/load-codes.txt").content_string.split()
    assert len(codes) >= 20, "the load did not run"
    assert set(codes) == {"200"}, f"failed requests during the deploy: {sorted(set(codes))}"


def test_rollback_returned_the_previous_release(host):
    v1 = host.file("/root/deploy-test/v1-release.txt").content_string.strip()
    assert host.check_output("readlink -f /srv/demo/current") == v1
    code, body = get(host, "demo.test")
    assert code == 200
    assert "Hello from the demo site." in body
    assert span(body, "release") == v1.rsplit("/", 1)[-1]
