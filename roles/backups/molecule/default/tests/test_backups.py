"""The backups role, checked for real: dumps taken by systemd, restored, drilled, pruned, failing."""

import re
import shlex
import time

import pytest

BASE = "/var/backups/djangoops"
EVIDENCE = "/root/backups-evidence"
STAMP = re.compile(r"^(?P<set>.+)-(?P<stamp>\d{8}T\d{6}Z)\.(dump|sql|tar\.gz)$")


@pytest.fixture(scope="module")
def hvars(host):
    return host.ansible.get_variables()


def sql(host, hvars, query, db="postgres"):
    return host.check_output(
        f"runuser -u postgres -- psql -p {hvars['postgres_port']} -d {db} -XAtc {shlex.quote(query)}")


def dumps(host, cls, name, ext="dump"):
    """Kept files of a set in a class folder, oldest first (names only)."""
    out = host.check_output(f"ls -1 {BASE}/{cls}/{name} 2>/dev/null || true")
    return sorted(f for f in out.split() if STAMP.match(f) and f.endswith("." + ext))


def start(host, unit):
    return host.run(f"systemctl start {unit}")


def evidence(host, name):
    return host.file(f"{EVIDENCE}/{name}").content_string.strip()


@pytest.mark.parametrize("timer", ["djangoops-backup", "djangoops-backup-media", "djangoops-restore-drill"])
def test_timers_enabled_and_persistent(host, timer):
    assert host.service(f"{timer}.timer").is_enabled
    assert host.service(f"{timer}.timer").is_running
    unit = host.file(f"/etc/systemd/system/{timer}.timer").content_string
    assert "Persistent=true" in unit
    assert re.search(r"^OnCalendar=\S", unit, re.M)


def test_script_is_strict_bash(host):
    script = host.file("/usr/local/sbin/djangoops-backup").content_string
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script


def test_restore_brought_the_rows_back(host):
    before = evidence(host, "before.md5")
    assert before.startswith("1000 ")
    assert evidence(host, "after.md5") == before


def test_restore_into_new_database_and_forced_restore(host):
    before = evidence(host, "before.md5")
    assert evidence(host, "copy.md5") == before
    # The side effect deleted rows before the forced restore; they are back.
    assert evidence(host, "forced.md5") == before


def test_restore_over_live_database_is_refused(host):
    assert "Refusing to restore over the existing database 'shop'" in evidence(host, "refused.txt")


def test_restore_without_a_dump_that_old_fails(host, hvars):
    assert "No dump of 'shop' at or before '2001-01-01'" in evidence(host, "nodump.txt")
    assert sql(host, hvars, "SELECT count(*) FROM pg_database WHERE datname LIKE 'shop_old%'") == "0"


def test_backup_service_writes_checked_dumps(host, hvars):
    marker = host.file(f"{BASE}/last-success")
    before = marker.content_string.strip() if marker.exists else ""
    time.sleep(1)  # a new UTC stamp, so the new dump has its own name
    res = start(host, "djangoops-backup.service")
    assert res.rc == 0, res.stderr
    after = host.file(f"{BASE}/last-success").content_string.strip()
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", after)
    assert after > before
    for db in ("shop", "analytics"):
        newest = dumps(host, "daily", db)[-1]
        assert newest.replace("-", "").startswith(f"{db}{after[:10].replace('-', '')}")
        host.run_expect([0], f"cd {BASE}/daily/{db} && sha256sum --check --strict {newest}.sha256")
        f = host.file(f"{BASE}/daily/{db}/{newest}")
        assert f.user == "postgres" and f.mode == 0o600
        assert f.size > hvars.get("backups_min_size_bytes", 512)
        assert host.file(f"{BASE}/daily/{db}/{newest}.counts").exists
    globals_ = dumps(host, "daily", "_globals", "sql")[-1]
    assert "CREATE ROLE shop;" in host.file(f"{BASE}/daily/_globals/{globals_}").content_string
    for d in (BASE, f"{BASE}/daily", f"{BASE}/daily/shop", f"{BASE}/weekly/shop"):
        assert host.file(d).mode == 0o750 and host.file(d).user == "postgres"
    # No temporary files left behind.
    assert host.check_output(f"find {BASE} -name '*.partial*' -o -name '*.tmp'") == ""


def test_encrypted_copy_decrypts_to_the_dump(host):
    newest = dumps(host, "daily", "shop")[-1]
    path = f"{BASE}/daily/shop/{newest}"
    plain = host.check_output(f"sha256sum < {path}").split()[0]
    decrypted = host.check_output(f"age -d -i /root/test-age.key {path}.age | sha256sum").split()[0]
    assert decrypted == plain
    # The private key is not the role's business: only the public key is in the script.
    assert "AGE-SECRET-KEY" not in host.file("/usr/local/sbin/djangoops-backup").content_string


def test_offbox_copy_holds_only_encrypted_files(host):
    newest = dumps(host, "daily", "shop")[-1]
    files = host.check_output("cd /srv/offbox && find . -type f | sort").split()
    assert f"./daily/shop/{newest}.age" in files
    assert all(f.endswith(".age") for f in files), files
    assert host.file(f"{BASE}/last-offsite-success-db").exists


def test_media_archive(host):
    res = start(host, "djangoops-backup-media.service")
    assert res.rc == 0, res.stderr
    name = "media_srv_shop_shared_media"
    newest = dumps(host, "daily", name, "tar.gz")[-1]
    listing = host.check_output(f"tar -tzf {BASE}/daily/{name}/{newest}")
    assert "media/uploads/logo.txt" in listing
    host.run_expect([0], f"cd {BASE}/daily/{name} && sha256sum --check --strict {newest}.sha256")
    assert host.file(f"{BASE}/last-success-media").exists
    # The box's first media run stays on it (on a rebuilt box, its empty folder must not become
    # the newest archive of the copy it is restored from); the next run copies the tree.
    assert not host.file(f"/srv/offbox/daily/{name}").exists
    time.sleep(1)  # a new stamp
    res = start(host, "djangoops-backup-media.service")
    assert res.rc == 0, res.stderr
    archives = dumps(host, "daily", name, "tar.gz")
    assert len(archives) == 2 and archives[0] == newest
    for archive in archives:
        assert host.file(f"/srv/offbox/daily/{name}/{archive}.age").exists


def test_restore_drill_succeeds(host, hvars):
    marker = f"{BASE}/last-drill-success"
    before = host.file(marker).content_string.strip() if host.file(marker).exists else ""
    time.sleep(1)
    res = start(host, "djangoops-restore-drill.service")
    assert res.rc == 0, res.stderr
    assert host.file(marker).content_string.strip() > before
    assert sql(host, hvars, "SELECT count(*) FROM pg_database WHERE datname LIKE 'backups_drill_%'") == "0"
    log = host.check_output("journalctl -u djangoops-restore-drill.service --no-pager -n 20")
    assert "shop: drill of" in log


def test_restore_drill_fails_on_a_row_count_mismatch(host, hvars):
    newest = dumps(host, "daily", "shop")[-1]
    counts = f"{BASE}/daily/shop/{newest}.counts"
    original = host.file(counts).content_string
    assert re.search(r"^public\.items\t1000$", original, re.M)
    try:
        host.run_expect([0], f"sed -i 's/^public\\.items\\t1000$/public.items\\t999/' {counts}")
        res = start(host, "djangoops-restore-drill.service")
        assert res.rc != 0
        log = host.check_output("journalctl -u djangoops-restore-drill.service --no-pager -n 30")
        assert "row counts" in log
    finally:
        host.run_expect([0], f"printf %s {shlex.quote(original)} > {counts}")
        host.run("systemctl reset-failed djangoops-restore-drill.service")
    assert sql(host, hvars, "SELECT count(*) FROM pg_database WHERE datname LIKE 'backups_drill_%'") == "0"


def test_failed_dump_keeps_the_last_good_one(host, hvars):
    good = dumps(host, "daily", "analytics")
    marker = host.file(f"{BASE}/last-success").content_string
    sql(host, hvars, "ALTER DATABASE analytics RENAME TO analytics_away")
    try:
        time.sleep(1)
        res = start(host, "djangoops-backup.service")
        assert res.rc != 0
        assert host.run("systemctl is-failed djangoops-backup.service").stdout.strip() == "failed"
        assert dumps(host, "daily", "analytics") == good
        assert host.file(f"{BASE}/last-success").content_string == marker
        assert host.check_output(f"find {BASE} -name '*.partial*'") == ""
        log = host.check_output("journalctl -u djangoops-backup.service --no-pager -n 30")
        assert "analytics: could not read the database" in log
    finally:
        sql(host, hvars, "ALTER DATABASE analytics_away RENAME TO analytics")
        host.run("systemctl reset-failed djangoops-backup.service")


def test_dump_below_the_minimum_size_is_not_kept(host):
    # The installed script with only its minimum raised above any dump here, run as the unit does.
    good = {db: dumps(host, "daily", db) for db in ("shop", "analytics")}
    marker = host.file(f"{BASE}/last-success").content_string
    script = "/tmp/djangoops-backup-minsize"
    host.run_expect([0], f"sed 's/^min_size=.*/min_size=100000000/' /usr/local/sbin/djangoops-backup > {script}"
                         f" && chmod 0755 {script}")
    time.sleep(1)
    res = host.run(f"runuser -u postgres -- {script} db")
    host.run(f"rm -f {script}")
    assert res.rc == 1
    assert "below the minimum of 100000000, not kept" in res.stderr
    for db, files in good.items():
        assert dumps(host, "daily", db) == files
    assert host.file(f"{BASE}/last-success").content_string == marker
    assert host.check_output(f"find {BASE} -name '*.partial*'") == ""


def test_retention_keeps_the_newest(host, hvars):
    # A history of old dumps (stamps in the names, mtimes to match) for analytics.
    host.run_expect([0], f"rm -f {BASE}/daily/analytics/* {BASE}/weekly/analytics/* {BASE}/monthly/analytics/*")
    fake = {
        "daily": ["20200101T031500Z", "20200102T031500Z", "20200103T031500Z", "20200104T031500Z", "20200105T031500Z"],
        "weekly": ["20191201T031500Z", "20191208T031500Z", "20191215T031500Z"],
        "monthly": ["20190901T031500Z", "20191001T031500Z", "20191101T031500Z"],
    }
    for cls, stamps in fake.items():
        for s in stamps:
            f = f"{BASE}/{cls}/analytics/analytics-{s}.dump"
            when = f"{s[:4]}-{s[4:6]}-{s[6:8]} {s[9:11]}:{s[11:13]}:{s[13:15]} UTC"
            host.run_expect([0], f"echo old > {f} && echo x > {f}.sha256 && touch -d {shlex.quote(when)} {f} {f}.sha256"
                            f" && chown postgres: {f} {f}.sha256")
    time.sleep(1)
    res = start(host, "djangoops-backup.service")
    assert res.rc == 0, res.stderr
    new = [f for f in dumps(host, "daily", "analytics") if not f.startswith("analytics-2020")]
    assert len(new) == 1
    new = new[0]
    assert dumps(host, "daily", "analytics") == ["analytics-20200104T031500Z.dump", "analytics-20200105T031500Z.dump", new]
    # The newest weekly/monthly copies were months old: the new dump is linked in as a catch-up.
    assert dumps(host, "weekly", "analytics") == ["analytics-20191215T031500Z.dump", new]
    assert dumps(host, "monthly", "analytics") == ["analytics-20191101T031500Z.dump", new]
    # One file, three names (hard links), not three copies.
    assert host.check_output(f"stat -c %h {BASE}/daily/analytics/{new}") == "3"
    # Companions of pruned dumps are gone too.
    leftovers = host.check_output(f"ls {BASE}/daily/analytics").split()
    assert sorted(leftovers) == sorted([
        "analytics-20200104T031500Z.dump", "analytics-20200104T031500Z.dump.sha256",
        "analytics-20200105T031500Z.dump", "analytics-20200105T031500Z.dump.sha256",
        new, f"{new}.sha256", f"{new}.age", f"{new}.counts"])
