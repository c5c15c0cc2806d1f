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


def test_startproject_site_from_git_serves_its_commit(host):
    # examples/startproject_site: no gunicorn in its requirements, WSGI module found by the role.
    commit = host.check_output("git --git-dir=/opt/src/blog.git rev-parse main")
    assert host.check_output("readlink -f /srv/blog/current").endswith("/" + commit[:12])
    assert host.file(f"/srv/blog/releases/{commit[:12]}/.djangoops-wsgi").content_string.strip() == "mysite.wsgi:application"
    pins = [line for line in host.file("/opt/src/blog/requirements.txt").content_string.splitlines() if line[:1].isalpha()]
    assert pins and not [p for p in pins if p.lower().startswith("gunicorn")]
    assert host.run("/srv/blog/current/.venv/bin/python -c 'import gunicorn'").rc == 0
    code, body = get(host, "blog.test", "/admin/login/")
    assert code == 200 and "Django administration" in body


def test_startproject_admin_login_with_browser_origin(host):
    """A browser's login POST (Origin, Referer, CSRF cookie) through nginx reaches the admin."""
    script = r"""
import http.client, re, socket, ssl, urllib.parse
class Conn(http.client.HTTPSConnection):  # blog.test as SNI and Host, nginx on this box
    def connect(self):
        self.sock = self._context.wrap_socket(socket.create_connection(("127.0.0.1", 443), 15), server_hostname=self.host)
def req(method, path, body=None, headers=None):
    c = Conn("blog.test", context=ssl._create_unverified_context(), timeout=15)
    c.request(method, path, body, headers or {})
    return c.getresponse()
r = req("GET", "/admin/login/")
cookie = re.search(r"csrftoken=([^;]+)", r.getheader("Set-Cookie")).group(1)
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.read().decode()).group(1)
form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "editor",
                               "password": "editor-Secret-8", "next": "/admin/"})
r = req("POST", "/admin/login/", form, {"Cookie": f"csrftoken={cookie}", "Origin": "https://blog.test",
        "Referer": "https://blog.test/admin/login/", "Content-Type": "application/x-www-form-urlencoded"})
print(r.status, r.getheader("Location"), "sessionid=" in (r.getheader("Set-Cookie") or ""))
"""
    out = host.check_output(f"python3 - <<'EOF'\n{script}\nEOF")
    assert out.split() == ["302", "/admin/", "True"], out


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


# --- after side_effect.yml: broken and good deploys under load, then a rollback -----------

def record(host, name):
    return host.file(f"/root/deploy-test/{name}").content_string.strip()


def test_check_mode_with_code_not_built_yet_passes_and_changes_nothing(host):
    assert record(host, "check-mode.result") == "0 says-so"
    *releases, live = record(host, "check-mode.releases").splitlines()
    # Only the release that served before: the check made no folder for the new code.
    assert live == record(host, "v1-release.txt") and releases == [live.rsplit("/", 1)[-1]], (releases, live)


def test_a_release_whose_app_import_fails_is_never_switched_to(host):
    result = record(host, "import_fails.result")
    assert result.startswith("failed:"), result
    assert "cannot serve" in result and "ModuleNotFoundError" in result and "djangoops_no_such_package" in result
    assert "Fix:" in result and "requirements file" in result
    assert record(host, "import_fails.current") == record(host, "v1-release.txt")


def test_a_release_that_fails_djangos_deployment_checks_is_never_switched_to(host):
    result = record(host, "check_fails.result")
    assert result.startswith("failed:") and "cannot serve" in result, result
    assert "deployment checks" in result and "security.E102" in result, result
    assert record(host, "check_fails.current") == record(host, "v1-release.txt")
    # Its build mark is written last, so this release is built again, not trusted, next time.
    settings = host.check_output("grep -l djangoops_no_such_module /srv/demo/releases/*/demo/settings.py || true")
    assert settings, "the release was cleaned up: the test proves nothing"
    assert not host.file(settings.split("/demo/settings.py")[0] + "/.djangoops-built").exists


def test_a_release_whose_gunicorn_cannot_start_is_put_back(host):
    result = record(host, "gunicorn_fails.result")
    assert result.startswith("failed:") and "did not serve" in result, result
    assert "went back to " + record(host, "v1-release.txt").rsplit("/", 1)[-1] in result
    # The cause from the journal, not only systemd's words.
    assert "cannot boot under gunicorn" in result or "Worker failed to boot" in result, result
    assert record(host, "gunicorn_fails.current") == record(host, "v1-release.txt")


def test_the_good_release_switched_and_served(host):
    assert record(host, "good.result") == "passed"
    v2_page = host.file("/root/deploy-test/v2-page.html").content_string
    assert "Hello from release two." in v2_page
    v1, v2 = record(host, "v1-release.txt"), record(host, "v2-release.txt")
    assert v1 != v2 and span(v2_page, "release") == v2.rsplit("/", 1)[-1]
    assert host.file(v2 + "/.djangoops-served").exists


def test_no_request_failed_during_the_deploys(host):
    codes = host.file("/root/deploy-test/load-codes.txt").content_string.split()
    assert len(codes) >= 20, "the load did not run"
    assert set(codes) == {"200"}, f"failed requests during the deploys: {sorted(set(codes))}"


def test_a_setting_changed_by_a_failed_run_reaches_gunicorn_at_the_next_run(host):
    """The failed run wrote the new settings but kept the old release serving with the old ones;
    the next run had no new release and no new settings, and still restarted gunicorn."""
    result = record(host, "settings-failed.result")
    assert result.startswith("failed:") and "cannot serve" in result, result
    assert record(host, "settings-after-failed.txt") == "0"
    count, release = record(host, "settings-after-next.txt").split()
    assert release == record(host, "v1-release.txt"), "the next run switched: it proves nothing"
    assert count == "1"
    assert not host.file("/srv/demo/shared/.restart-pending").exists


def test_rollback_skipped_the_release_that_never_served(host):
    v1 = record(host, "v1-release.txt")
    # Recorded before the last run of the side effect cleaned it up.
    broken, mark = record(host, "never-served.txt").split()
    assert broken in record(host, "cleanup-before.txt").split() and mark == "not-served", (broken, mark)
    assert record(host, "gunicorn_fails.current") == v1 and broken != v1.rsplit("/", 1)[-1]
    assert host.check_output("readlink -f /srv/demo/current") == v1
    code, body = get(host, "demo.test")
    assert code == 200
    assert "Hello from the demo site." in body
    assert span(body, "release") == v1.rsplit("/", 1)[-1]


def test_releases_with_the_same_requirements_share_a_virtualenv_that_pip_does_not_touch_again(host):
    before = record(host, "venv-mark-before.txt")
    assert before.endswith("/.djangoops-complete") and len(before.splitlines()) == 1, before
    # Three builds with the first release's requirements: no pip run rewrote the mark.
    assert record(host, "venv-mark-after-three.txt") == before
    venv = before.split()[-1].rsplit("/", 1)[0]
    builds = host.check_output("ls -d /srv/demo/releases/*/.venv").split()
    assert len(builds) >= 3 and {host.file(b).linked_to for b in builds} == {venv}, builds


def test_a_virtualenv_that_pip_left_half_done_is_finished_by_the_next_deploy(host):
    """The side effect removed the mark and gunicorn from the shared virtualenv before the good
    release: the deploy must run pip again instead of trusting the folder."""
    assert record(host, "good.result") == "passed"
    mark, version = record(host, "venv-mark-after-good.txt").splitlines()
    assert mark == record(host, "venv-mark-before.txt").split()[-1]
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", version), version
    assert "gunicorn: gunicorn>=" in host.file(mark).content_string


def test_cleanup_removes_finished_releases_beyond_the_ones_kept_but_not_the_one_that_serves(host):
    """One release kept: the newest build (the good one) stays, and so does the first, which
    serves; the one that never served goes. Of the releases that never finished building, the
    one over an hour old goes and the younger one stays."""
    before = record(host, "cleanup-before.txt").split()
    after = record(host, "cleanup-after.txt").split()
    v1 = record(host, "v1-release.txt").rsplit("/", 1)[-1]
    v2 = record(host, "v2-release.txt").rsplit("/", 1)[-1]
    broken = record(host, "never-served.txt").split()[0]
    assert broken in before and broken not in after, (before, after)
    assert v1 in after and v2 in after, after
    stale = record(host, "unfinished-old.txt")
    young = host.check_output("grep -l djangoops_no_such_module /srv/demo/releases/*/demo/settings.py")
    young = young.split("/demo/settings.py")[0].rsplit("/", 1)[-1]
    assert stale in before and stale not in after and stale != young, (stale, after)
    assert young in after and not host.file(f"/srv/demo/releases/{young}/.djangoops-built").exists
    assert host.check_output("readlink -f /srv/demo/current").endswith("/" + v1)
    # The virtualenv the kept releases share stays.
    venv = host.file(f"/srv/demo/releases/{v1}/.venv").linked_to
    assert venv.rsplit("/", 1)[-1] in record(host, "cleanup-venvs.txt").split()
    code, body = get(host, "demo.test")
    assert code == 200 and span(body, "release") == v1


def test_settings_files_changed_on_the_box_are_put_back_and_gunicorn_restarted(host):
    """The side effect widened the environment file's mode and added a line to gunicorn.conf.py
    by hand; the next run of the role (nothing else new) put both back and restarted gunicorn."""
    mode, edited, pid = record(host, "drift-after.txt").splitlines()
    assert mode == "640 demo demo", mode
    assert edited == "0"
    assert pid != record(host, "drift-pid-before.txt") and pid != "0"
    code, body = get(host, "demo.test")
    assert code == 200 and "Hello from the demo site." in body
