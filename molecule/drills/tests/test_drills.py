"""Fault drills and security checks on the converged two-box stack (web, db, an outsider).

two_box's tests run before these, on the same boxes (molecule.yml). Read-only checks come first,
then drills that break things and time the recovery against a stated bound, the restart of both
boxes last. Every drill adds a row to a table printed at the end (tests/conftest.py)."""

import copy
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from boxes import address, answering, box, playbook_env, request_from  # noqa: E402

INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
# The -v --diff log of the converge, its re-runs and the side effect (molecule.yml's
# ANSIBLE_LOG_PATH), read by a test below; conftest.py keeps the tests' own Ansible calls out of it.
ANSIBLE_LOG = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "ansible.log"
REPO = Path(os.environ["MOLECULE_PROJECT_DIRECTORY"])
SCENARIO = Path(__file__).resolve().parent.parent
GROUP_VARS = REPO / "molecule" / "two_box" / "group_vars"
SECRETS = yaml.safe_load((GROUP_VARS / "all" / "e2e.yml").read_text())
SECRET_VALUES = [v for k, v in SECRETS.items() if any(w in k for w in ("secret", "password", "cookie"))
                 and "{{" not in str(v)]
# The off-box copy's private key (molecule/shared/offsite_target.yml), handed over by the inventory.
SECRET_VALUES += (Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "offsite_key").read_text().splitlines()[1:-1]
# nginx of the web box, published on this machine's loopback (molecule.yml).
TLS_PORT = int(os.environ.get("DJANGOOPS_E2E_SITE_PORT", "18443"))


web, db, outsider = box("drill-web"), box("drill-db"), box("drill-outsider")
WEB_IP, DB_IP = address(web), address(db)


def status(path="/"):
    """The HTTP status of the site through nginx on the web box (0 when nothing answers)."""
    return request_from(web, "demo.test", "127.0.0.1", path)[0]


def wait_for(check, bound, step=1.0):
    """Seconds until check() is true; fails when the bound passes first."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < bound:
        if check():
            return round(time.monotonic() - t0, 1)
        time.sleep(step)
    raise AssertionError(f"not back within {bound} s")


def playbook(name, *args, inventory=INVENTORY):
    """Run one of the collection's playbooks the way a user does (through Mitogen as the re-runs,
    boxes.playbook_env); returns (rc, output)."""
    res = subprocess.run(["ansible-playbook", "-i", inventory, str(REPO / "playbooks" / name), *args],
                         capture_output=True, text=True, env=playbook_env(REPO), cwd=REPO, timeout=1200)
    return res.returncode, res.stdout + res.stderr


def celery_round_trip():
    # The environment file is systemd's (EnvironmentFile=), not a shell script: a value such as
    # "Demo <noreply@demo.test>" is read as systemd reads it, not sourced.
    script = r"""runuser -u demo -- bash -c 'cd /srv/demo/current && timeout 60 .venv/bin/python - <<"EOF"
import os
for line in open("/srv/demo/shared/env"):
    key, sep, value = line.rstrip("\n").partition("=")
    if sep and not key.startswith("#"):
        os.environ[key] = value
import django
django.setup()
from visits.tasks import add
print(add.delay(40, 2).get(timeout=45))
EOF'"""
    res = web.run(script)
    return res.rc == 0 and res.stdout.strip().endswith("42")


def unit(host, name, prop):
    return host.check_output(f"systemctl show -p {prop} --value {name}")


# --- Secrets -------------------------------------------------------------------------------------

@pytest.mark.parametrize("host", [web, db], ids=["web", "db"])
def test_files_holding_secrets_are_readable_only_by_their_service(host, report):
    # One command per box: the search, then the mode and owner of every file found (a command per
    # file and property cost a docker exec each, about a minute a box in the suite).
    secrets = shlex.quote("\n".join(SECRET_VALUES) + "\n")
    found = host.run(f"umask 077 && printf %s {secrets} > /run/drill-secrets && "
                     "{ grep -rIlF -f /run/drill-secrets /etc /srv /var/lib /var/backups /opt /root /home /usr/local "
                     "2>/dev/null | xargs -r -d '\\n' stat -c '%a %U %G %n'; rm -f /run/drill-secrets; }").stdout
    rows = [line.split(" ", 3) for line in found.splitlines() if line]
    assert rows, "no file holds a secret: the search itself is broken"
    for mode, user, group, path in rows:
        report("Files holding secrets", ["box", "file", "mode", "owner:group"],
               [host.backend.host, path, oct(int(mode, 8)), f"{user}:{group}"])
        assert not int(mode, 8) & 0o007, f"{path} is {oct(int(mode, 8))}: other users can read it"
        assert user != "root" or group != "root" or not int(mode, 8) & 0o070, path


def leaked_secrets(text):
    """The secrets that a -v --diff run printed; fails when the text holds no verbose task result."""
    # A line of the log file starts with a time stamp and "... INFO| "; the run's own output does not.
    verbose = re.search(r"^(?:[^\n]*\| )?changed: \[drill-[a-z]+\][^\n]*=> *\n {4}\S", text, re.M)
    assert verbose, "no verbose task result to search"
    return [s for s in SECRET_VALUES if s in text]


def test_no_secret_in_the_verbose_ansible_output():
    # The log holds the -v --diff converge (through Mitogen: scripts/test.sh) and its re-runs: task
    # results are in it, so a leak would show. The same check on a run without Mitogen is the lost
    # db box's site.yml, at the end.
    leaked = leaked_secrets(ANSIBLE_LOG.read_text())
    assert not leaked, f"{len(leaked)} secret(s) printed in {ANSIBLE_LOG}"


# --- Network exposure ----------------------------------------------------------------------------

def listening_ports(host):
    """TCP ports the box listens on beyond loopback."""
    out = host.check_output("ss -Hltn | awk '{print $4}'")
    ports = set()
    for local in out.split():
        addr, _, port = local.rpartition(":")
        if not addr.startswith(("127.", "[::1]")):
            ports.add(int(port))
    return ports


def reachable(src, ip, ports):
    return {p for _, p in answering(src, [(ip, p) for p in ports])}


def test_only_the_opened_ports_answer(report):
    header = ["box", "listening beyond loopback", "open to the outsider", "open to the web box"]
    db_ports, web_ports = listening_ports(db), listening_ports(web)
    db_out, db_web = reachable(outsider, DB_IP, db_ports), reachable(web, DB_IP, db_ports)
    web_out = reachable(outsider, WEB_IP, web_ports | {22, 80, 443})
    report("Exposure", header, ["db", sorted(db_ports), sorted(db_out) or "none", sorted(db_web)])
    report("Exposure", header, ["web", sorted(web_ports), sorted(web_out), "-"])
    assert db_out == set(), "the db box answers the outsider"
    assert db_web == {443, 5432}
    assert web_out == {80, 443}


def test_tls_scan_finds_no_old_protocol_or_weak_cipher(report):
    sslyze = REPO / ".cache" / "venvs" / "sslyze" / "bin" / "sslyze"  # scripts/venv.sh makes it
    assert sslyze.exists(), "sslyze missing: run scripts/venv.sh"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scan.json"
        # Our own checks below; the Mozilla profile check would also fail on the test boxes'
        # self-signed certificate.
        subprocess.run([sslyze, "--quiet", "--mozilla_config=disable", f"--json_out={out}",
                        "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3", "--http_headers",
                        "--heartbleed", "--openssl_ccs", "--robot", "--compression", "--reneg", "--elliptic_curves",
                        "--fallback", f"demo.test:{TLS_PORT}{{127.0.0.1}}"],
                       check=True, timeout=300, capture_output=True)
        scan = json.loads(out.read_text())["server_scan_results"][0]
    assert scan["scan_status"] == "COMPLETED", scan.get("connectivity_error_trace")
    res = scan["scan_result"]
    accepted = {proto: [c["cipher_suite"]["name"] for c in res[f"{proto}_cipher_suites"]["result"]["accepted_cipher_suites"]]
                for proto in ("ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1", "tls_1_2", "tls_1_3")}
    for proto, names in accepted.items():
        report("TLS scan (sslyze)", ["check", "result"], [proto, ", ".join(names) or "refused"])
    assert not any(accepted[p] for p in ("ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1"))
    assert accepted["tls_1_2"] and accepted["tls_1_3"]
    weak = [n for n in accepted["tls_1_2"] if any(w in n for w in ("CBC", "RC4", "3DES", "NULL", "EXPORT", "_DH_", "ANON", "TLS_RSA_WITH"))]
    assert not weak, weak
    hsts = res["http_headers"]["result"]["strict_transport_security_header"]
    assert hsts and hsts["max_age"] >= 15552000, hsts
    report("TLS scan (sslyze)", ["check", "result"], ["HSTS max-age", hsts["max_age"]])
    for check in ("heartbleed", "openssl_ccs_injection", "robot", "tls_compression"):
        verdict = res[check]["result"]
        report("TLS scan (sslyze)", ["check", "result"], [check, json.dumps(verdict)[:60]])
    curves = sorted(c["name"] for c in res["elliptic_curves"]["result"]["supported_curves"])
    report("TLS scan (sslyze)", ["check", "result"], ["key exchange groups", ", ".join(curves)])
    assert set(curves) <= {"X25519", "prime256v1", "secp256r1", "secp384r1"}, curves  # P-256 has two names
    assert not res["heartbleed"]["result"]["is_vulnerable_to_heartbleed"]
    assert not res["tls_compression"]["result"]["supports_compression"]
    assert res["session_renegotiation"]["result"]["supports_secure_renegotiation"] or \
        not res["session_renegotiation"]["result"]["is_vulnerable_to_client_renegotiation_dos"]


# --- Bad input -----------------------------------------------------------------------------------

def inventory_variant(tmp, change):
    inv = yaml.safe_load(Path(INVENTORY).read_text())
    inv = copy.deepcopy(inv)
    change(inv)
    path = Path(tmp) / "hosts.yml"
    path.write_text(yaml.safe_dump(inv))
    (Path(tmp) / "group_vars").symlink_to(GROUP_VARS)
    return str(path)


def no_db(inv):
    inv["db"]["hosts"] = {}


def two_dbs(inv):
    inv["db"]["hosts"]["drill-outsider"] = {"ansible_connection": "community.docker.docker"}


def worker_without_broker(inv):
    inv["worker"] = {"hosts": {"drill-outsider": {"ansible_connection": "community.docker.docker"}}}


def sites(*changes):
    """-e djangoops_sites: the e2e site (its values from the inventory's e2e_* names) changed."""
    demo = {"name": "demo", "domains": "{{ e2e_domains }}", "source": "{{ e2e_source }}",
            "settings_module": "demo.settings", "secret_key": "{{ e2e_secret_key }}",
            "db_password": "{{ e2e_db_password }}"}
    return ["-e", json.dumps({"djangoops_sites": [dict(demo, **change) for change in changes]})]


BAD_INPUT = [  # case, inventory change, extra arguments, how the error message starts
    ("inventory without a db box", no_db, [], "The inventory needs at least one host in the group web and exactly one in db (found web=[drill-web], db=[])"),
    ("two db boxes", two_dbs, [], "The inventory needs at least one host in the group web and exactly one in db"),
    ("worker group without a broker", worker_without_broker, [], "A worker group needs exactly one host in the group broker"),
    ("db password empty", None, ["-e", "e2e_db_password="], "Missing, empty or still CHANGE-ME: site demo: db_password."),
    ("broker password CHANGE-ME", None, ["-e", "e2e_broker_password=CHANGE-ME"], "Missing, empty or still CHANGE-ME: site demo: broker_password."),
    ("sentry_enabled: maybe", None, ["-e", '{"djangoops_sentry_enabled": "maybe"}'],
     "argument djangoops_sentry_enabled is of type str and we were unable to convert to bool"),
    ("site env given as a list", None, sites({"env": ["A=1"]}),
     "argument env is of type list found in djangoops_sites. and we were unable to convert to dict"),
    ("db_port: five", None, ["-e", '{"djangoops_db_port": "five"}'],
     "argument djangoops_db_port is of type str and we were unable to convert to int"),
    ("site name 'My Site'", None, sites({"name": "My Site"}), "A site name must be lower case letters"),
    ("site name used twice", None, sites({}, {"domains": ["other.test"]}), "A site name is used twice: demo."),
    ("domain claimed by two sites", None, sites({}, {"name": "blog"}), "A domain is claimed by two sites: demo.test."),
    ("source type svn", None, ["-e", '{"e2e_source": {"type": "svn"}}'], "Site demo: source needs type local (with path) or git"),
    ("site without domains", None, ["-e", '{"e2e_domains": []}'], "Site demo has no domains"),
    ("no sites", None, ["-e", '{"djangoops_sites": []}'], "Set djangoops_sites, the list of your sites"),
]


def assert_stopped_early(case, rc, out, message, report):
    """The run failed with `message` and changed nothing on any box; a row in the drills' table."""
    flat = " ".join(out.split()).replace("'", "").replace('"', "")
    at = flat.find(message.replace("'", ""))
    report("Bad input", ["input", "exit", "the error says", "changed"],
           [case, rc, flat[at:at + 110].split(" Origin:")[0] if at >= 0 else "(message not found)",
            "0" if "changed=0" in out else "?"])
    assert rc != 0
    assert at >= 0, out[-2000:]
    recap = [line for line in out.splitlines() if " : ok=" in line]
    assert recap and all("changed=0" in line for line in recap)


@pytest.mark.parametrize("case,change,args,message", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_fails_early_with_a_clear_message(case, change, args, message, report):
    with tempfile.TemporaryDirectory() as tmp:
        inventory = inventory_variant(tmp, change) if change else INVENTORY
        rc, out = playbook("site.yml", *args, inventory=inventory)
    assert_stopped_early(case, rc, out, message, report)
    assert "PLAY [Every box]" not in out, "the run went past the preflight"


def test_a_deploy_of_a_site_that_site_yml_never_set_up_stops_before_any_change(report):
    # deploy.yml ships code to sites site.yml set up; a new site needs site.yml first. (With the
    # tracker on, its missing DSN stops the deploy even sooner: the tracker is off here.)
    blog = {"name": "blog", "domains": ["blog.test"], "source": "{{ e2e_source }}", "settings_module": "demo.settings",
            "secret_key": "{{ e2e_secret_key }}", "db_password": "blog-db-Secret-1", "broker_password": "blog-mq-Secret-2"}
    rc, out = playbook("deploy.yml", "-e", json.dumps({"djangoops_sites": [blog], "djangoops_sentry_enabled": False}))
    assert_stopped_early("deploy.yml of a site never set up", rc, out,
                         "blog not set up on drill-web (or its facts were not gathered): run site.yml first", report)


def test_a_run_limited_to_the_web_box_changes_nothing(report):
    # --limit leaves the db box out of the run; its address and the tracker's DSNs must still reach
    # the web box's settings (preflight.yml learns them). Before, the environment file was rewritten
    # to a database on the web box, and the migration of the next release failed. deploy.yml renders
    # that file with the same preflight as site.yml, in a quarter of the time (site.yml --limit web
    # took 64 s here).
    name = "deploy.yml"
    before = web.check_output("sha1sum /srv/demo/shared/env")
    rc, out = playbook(name, "--limit", "drill-web")
    recap = [line for line in out.splitlines() if " : ok=" in line]
    report("Runs limited to the web box", ["playbook", "exit", "recap"],
           [name, rc, " ".join(recap[0].split()[2:5]) if recap else "(none)"])
    assert rc == 0, out[-3000:]
    assert len(recap) == 1 and recap[0].startswith("drill-web") and "changed=0" in recap[0], recap
    assert web.check_output("sha1sum /srv/demo/shared/env") == before
    assert status() == 200


# --- Logs and disk -------------------------------------------------------------------------------

# PostgreSQL's own log: its cluster is named after its version (17 on Debian 13, 15 on Debian 12).
PG_VERSION = db.check_output("ls /etc/postgresql")


@pytest.mark.parametrize("host,log", [(web, "/var/log/nginx/access.log"),
                                      (db, f"/var/log/postgresql/postgresql-{PG_VERSION}-main.log")],
                         ids=["web-nginx", "db-postgres"])
def test_logs_are_rotated_and_the_journal_capped(host, log, report):
    assert "SystemMaxUse=1G" in host.check_output("systemd-analyze cat-config systemd/journald.conf")
    assert host.service("logrotate.timer").is_enabled
    # The service writes it: a wrong name fails here instead of rotating a file the test made.
    assert host.file(log).exists, f"{log}: no such log"
    host.run_expect([0], f"test -s {log} || echo seed >> {log}")
    host.run_expect([0], "logrotate -f /etc/logrotate.conf")
    assert host.file(f"{log}.1").exists
    usage = host.check_output("journalctl --disk-usage")
    report("Logs", ["box", "rotated", "journal size"], [host.backend.host, log, usage.split("take up ")[-1].split()[0]])


def test_status_warns_when_the_disk_is_fuller_than_the_threshold():
    # The same boxes under the default threshold are green: two_box's status test, run above.
    rc, out = playbook("status.yml", "-e", "djangoops_disk_warn_percent=1")
    assert rc != 0
    assert "WARNING above 1%" in " ".join(out.split())


# --- A deploy whose migration fails --------------------------------------------------------------

def test_failed_migration_keeps_the_old_release_serving(report):
    before = web.check_output("readlink -f /srv/demo/current")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "demo_site"
        shutil.copytree(REPO / "examples" / "demo_site", src)
        (src / "visits" / "migrations" / "0002_broken.py").write_text(
            "from django.db import migrations\n\n\n"
            "class Migration(migrations.Migration):\n"
            "    dependencies = [('visits', '0001_initial')]\n"
            "    operations = [migrations.RunSQL('SELECT 1/0')]\n")
        source = json.dumps({"e2e_source": {"type": "local", "path": str(src)}})
        # One site chosen as the README says (-e site=NAME): the roles' own loop variable is not
        # `site`, which this extra variable would override.
        rc, out = playbook("deploy.yml", "-e", source, "-e", "site=demo")
    flat = " ".join(out.split())
    assert rc != 0
    assert "Migrations of the new release" in flat and "still serves the previous release" in flat
    says = flat[flat.find("The migration error"):][:300]
    assert "division by zero" in says, "the message does not say why"
    assert web.check_output("readlink -f /srv/demo/current") == before
    assert status() == 200
    report("Deploy with a failing migration", ["release serving", "page", "says"],
           [Path(before).name, 200, says.split(" Origin:")[0][:100]])


def test_release_whose_page_fails_goes_back_to_the_previous_one(report):
    before = web.check_output("readlink -f /srv/demo/current")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "demo_site"
        shutil.copytree(REPO / "examples" / "demo_site", src)
        views = src / "visits" / "views.py"
        # Its pages raise, the health path (the deploy's smoke request) among them.
        broken = "    raise RuntimeError('drill: this release is broken')\n"
        views.write_text(views.read_text().replace("def index(request):\n", "def index(request):\n" + broken)
                         .replace("def health(request):\n", "def health(request):\n" + broken))
        source = json.dumps({"e2e_source": {"type": "local", "path": str(src)}})
        rc, out = playbook("deploy.yml", "-e", source)
    flat = " ".join(out.split())
    assert rc != 0
    says = flat[flat.find("answered 500"):][:200] if "answered 500" in flat else ""
    assert says, out[-3000:]
    assert web.check_output("readlink -f /srv/demo/current") == before
    assert status() == 200
    # The worker was not moved to the broken code either.
    pid = unit(web, "celery-demo.service", "MainPID")
    assert web.check_output(f"runuser -u demo -- readlink /proc/{pid}/cwd") == before
    report("Deploy of a release whose page fails", ["release serving", "page", "says"],
           [Path(before).name, 200, ("Release ... " + says.split(" Migrations")[0])[:110]])


def test_rollback_with_no_earlier_served_release_stops_and_keeps_serving(report):
    # Only the converge's release has served (the two deploys above failed): nothing to go back to.
    before = web.check_output("readlink -f /srv/demo/current")
    rc, out = playbook("rollback.yml", "-e", "site=demo")
    flat = " ".join(out.split())
    says = flat[flat.find("demo: no release"):][:110]
    report("Rollback with nothing to go back to", ["exit", "says", "release serving", "page"],
           [rc, says.split(" Origin:")[0], Path(before).name, status()])
    assert rc != 0
    assert says.startswith("demo: no release that served before the current one"), out[-2000:]
    assert all("changed=0" in line for line in out.splitlines() if " : ok=" in line)
    assert web.check_output("readlink -f /srv/demo/current") == before
    assert status() == 200


# --- kill -9 -------------------------------------------------------------------------------------

PG_UNIT = f"postgresql@{PG_VERSION}-main"
KILLS = [
    # box, unit, bound (s) for the site to answer again; what else must work again
    ("web", "gunicorn-demo.service", 30, "page"),
    ("web", "nginx.service", 30, "page"),
    ("web", "memcached.service", 30, "health"),
    ("web", "celery-demo.service", 60, "task"),
    ("web", "rabbitmq-server.service", 120, "task"),
    ("db", f"{PG_UNIT}.service", 60, "health"),
]


@pytest.mark.parametrize("where,name,bound,after", KILLS, ids=[k[1] for k in KILLS])
def test_kill_9_comes_back_by_itself(where, name, bound, after, report):
    host = web if where == "web" else db
    assert status("/health/") == 200
    pid, restarts = unit(host, name, "MainPID"), int(unit(host, name, "NRestarts"))
    assert pid != "0", f"{name} has no main process"
    host.run_expect([0], f"kill -9 {pid}")
    t0 = time.monotonic()
    wait_for(lambda: unit(host, name, "ActiveState") == "active" and unit(host, name, "MainPID") not in ("0", pid), bound)
    if after == "task":
        wait_for(celery_round_trip, bound - (time.monotonic() - t0), step=2)
    else:
        wait_for(lambda: status("/health/" if after == "health" else "/") == 200, bound - (time.monotonic() - t0))
    seconds = round(time.monotonic() - t0, 1)
    report("kill -9 drills", ["service", "box", "bound s", "back after s", "systemd restarts", "checked"],
           [name, where, bound, seconds, int(unit(host, name, "NRestarts")) - restarts, after])
    assert int(unit(host, name, "NRestarts")) > restarts


# --- The db box unreachable under load -----------------------------------------------------------

def test_db_outage_under_load_gives_503_pages_and_recovers_without_a_restart(report):
    outage = 30
    web.run("rm -f /root/outage.jsonl*")
    subprocess.run(["docker", "cp", str(SCENARIO / "files" / "probe.py"), "drill-web:/root/probe.py"], check=True)
    master = unit(web, "gunicorn-demo.service", "MainPID")
    assert status() == 200
    # It runs until told to stop (below); the duration is only a cap.
    subprocess.run(["docker", "exec", "-d", "drill-web", "python3", "/root/probe.py", str(outage + 120), "3",
                    "/root/outage.jsonl"], check=True)
    time.sleep(8)
    # Every packet from the web box is dropped on the db box: as if its network were gone.
    db.run_expect([0], "nft add table inet drill && "
                       "nft 'add chain inet drill input { type filter hook input priority -10; policy accept; }' && "
                       f"nft add rule inet drill input ip saddr {WEB_IP} drop")
    blocked = time.time()
    try:
        time.sleep(outage)
    finally:
        unblocking = time.time()
        db.run("nft delete table inet drill")
    # Answers for 36 s after the db box is back: the site must be back within 30 s and stay up.
    time.sleep(max(0.0, unblocking + 36 - time.time()))
    web.run("touch /root/outage.jsonl.stop")
    wait_for(lambda: web.file("/root/outage.jsonl.done").exists, 150, step=2)
    t0 = float(web.file("/root/outage.jsonl.start").content_string)
    begin, end = blocked - t0, unblocking - t0
    rows = [json.loads(line) for line in web.file("/root/outage.jsonl").content_string.splitlines()]
    # Answers that arrived while the db box was cut off; slow ones that arrive after it is back
    # may be 200s, and that is fine.
    during = [r for r in rows if begin + 1 <= r["t"] + r["secs"] <= end]
    after = [r for r in rows if r["t"] >= end]
    first_ok = min((r["t"] + r["secs"] for r in after if r["status"] == 200), default=None)
    codes = {}
    for r in during:
        codes[r["status"]] = codes.get(r["status"], 0) + 1
    slowest = max((r["secs"] for r in during), default=0)
    report("Db box unreachable for 30 s under load (3 clients)",
           ["requests", "answers during the outage", "slowest s", "tracebacks", "site back after s", "gunicorn restarted"],
           [len(rows), codes, slowest, sum(r.get("traceback", False) for r in rows),
            round(first_ok - end, 1) if first_ok else "never", unit(web, "gunicorn-demo.service", "MainPID") != master])
    assert len(during) >= 3, "too few answers during the outage to judge"
    assert all(r["status"] in (502, 503, 504) and r["friendly"] for r in during), codes
    assert not any(r.get("traceback") for r in rows)
    assert first_ok is not None and first_ok - end <= 30
    assert any(r["t"] > end + 30 for r in rows), "no request after the site's 30 s to come back"
    assert all(r["status"] == 200 for r in rows if r["t"] > end + 30)
    assert unit(web, "gunicorn-demo.service", "MainPID") == master


# --- Both boxes restarted ------------------------------------------------------------------------

def test_both_boxes_restarted_come_back_in_a_working_order(report):
    # docker stops a container with SIGTERM, which systemd as PID 1 ignores: after 5 s it is
    # killed, so both boxes go through a power cut rather than a clean shutdown.
    subprocess.run(["docker", "restart", "-t", "5", "drill-web", "drill-db"], check=True, timeout=180)
    t0 = time.monotonic()
    assert (address(web), address(db)) == (WEB_IP, DB_IP), "docker gave the boxes new addresses"
    wait_for(lambda: status("/health/") == 200, 240, step=3)
    site_back = round(time.monotonic() - t0, 1)
    wait_for(celery_round_trip, 120, step=5)
    units = {web: ["nginx", "memcached", "rabbitmq-server", "gunicorn-demo.socket", "celery-demo", "celery-beat-demo", "nftables"],
             db: [PG_UNIT, "nginx", "bugsink-web", "bugsink-snappea", "nftables"]}
    for host, names in units.items():
        for name in names:
            assert host.service(name).is_running, f"{name} not running after the restart"
    # The firewall came back too.
    assert outsider.run(f"nc -z -w 3 {DB_IP} 5432").rc != 0
    report("Both boxes restarted", ["site healthy after s", "celery task", "units running"],
           [site_back, "42", sum(len(v) for v in units.values())])


# --- A lost db box, rebuilt from the off-box copy -------------------------------------------------

def recreate_box(name):
    """The box destroyed and a bare one of the same image, options and name put in its place."""
    info = json.loads(subprocess.run(["docker", "inspect", name], check=True, capture_output=True, text=True).stdout)[0]
    hc, cfg = info["HostConfig"], info["Config"]
    args = ["docker", "run", "-d", "--name", name, "--hostname", cfg["Hostname"],
            "--cgroupns", hc["CgroupnsMode"] or "host"]
    args += [f"--cap-add={c}" for c in hc["CapAdd"] or []]
    args += [f"--security-opt={o}" for o in hc["SecurityOpt"] or []]
    args += [f"--volume={b}" for b in hc["Binds"] or []]
    args += [f"--tmpfs={path}:{opts}" if opts else f"--tmpfs={path}" for path, opts in (hc["Tmpfs"] or {}).items()]
    args += [f"--network={net}" for net in info["NetworkSettings"]["Networks"]]
    args += [f"--env={e}" for e in cfg["Env"] or []] + (["--privileged"] if hc["Privileged"] else [])
    args += [cfg["Image"], *cfg["Cmd"]]
    subprocess.run(["docker", "rm", "-f", name], check=True, capture_output=True, timeout=120)
    subprocess.run(args, check=True, capture_output=True, timeout=120)

    def booted():
        try:
            return box(name).run("systemctl is-system-running").stdout.strip() in ("running", "degraded")
        except Exception:  # noqa: BLE001 - not started yet
            return False
    wait_for(booted, 60)


def test_a_lost_db_box_is_rebuilt_from_the_off_box_copy(report):
    """The README's way back: the db box is gone with its disks (and its local dumps), a bare box
    takes its name, site.yml sets it up with empty databases, and restore.yml with
    restore_from_offsite brings the newest dump of the lost box back from the off-box copy on the
    outsider. The site then shows a row written before the loss, and the new box's own first
    backup (of the empty database) did not become the newest dump there."""
    marker = f"lost-box-{int(time.time())}"
    db.check_output(f"runuser -u postgres -- psql -d demo -XAtc \"INSERT INTO visits_visit (at, release) VALUES (now(), '{marker}')\"")
    rc, out = playbook("backup.yml")
    assert rc == 0, out[-3000:]
    vault = "/srv/vault/drill-db/daily/demo"
    dumps_before = sorted(outsider.check_output(f"ls {vault}").split())
    assert any(f.endswith(".dump") for f in dumps_before), dumps_before

    t0 = time.monotonic()
    recreate_box("drill-db")
    new_db = box("drill-db")
    assert not new_db.file("/var/lib/postgresql").exists, "the new box is not bare"
    # -v --diff: a first converge of the db box, and no secret in its output. Through Mitogen, as
    # the drills' converge: one_box tests the default way's first converge of every role, and a
    # plain run here took 220 s alone, 330 s in the suite.
    rc, out = playbook("site.yml", "-v", "--diff")
    assert rc == 0, out[-3000:]
    rebuilt = round(time.monotonic() - t0)
    leaked = leaked_secrets(out)
    assert not leaked, f"{len(leaked)} secret(s) printed by the rebuild's site.yml -v --diff"
    sql = "runuser -u postgres -- psql -d demo -XAtc \"SELECT count(*) FROM visits_visit WHERE release = '{}'\""
    assert new_db.check_output(sql.format(marker)) == "0"  # a new, empty database
    assert sorted(outsider.check_output(f"ls {vault}").split()) == dumps_before, "the first backup left the box"

    t1 = time.monotonic()
    rc, out = playbook("restore.yml", "-e", "restore_database=demo", "-e", "restore_from_offsite=true",
                       "-e", "restore_force=true")
    assert rc == 0, out[-3000:]
    restored = round(time.monotonic() - t1)
    assert new_db.check_output(sql.format(marker)) == "1"
    assert not new_db.file("/var/backups/djangoops/offsite-copy").exists
    # The site serves from the restored database (Django reconnects after the forced drop).
    wait_for(lambda: status("/health/") == 200 and status("/") == 200, 60, step=2)
    wait_for(celery_round_trip, 120, step=5)
    report("Lost db box rebuilt from the off-box copy",
           ["new box + site.yml s", "restore.yml s", "row back", "site", "secrets in its -v output"],
           [rebuilt, restored, "yes", "200", len(leaked)])
