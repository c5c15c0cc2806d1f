"""The postgres role, checked the way a Django site on another box would use it: over TCP."""

import shlex

import pytest

# The PostgreSQL each Debian release ships: what the role's default must pick on this box.
DEBIAN_PG_VERSIONS = {"12": 15, "13": 17}


@pytest.fixture(scope="module")
def pg_version(host):
    return DEBIAN_PG_VERSIONS[host.system_info.release.split(".")[0]]


def psql(host, hvars, addr, user, password, db, sql, sslmode="require"):
    dsn = f"host={addr} port={hvars['postgres_port']} user={user} dbname={db} sslmode={sslmode} connect_timeout=5"
    cmd = f"PGPASSWORD={shlex.quote(password)} psql {shlex.quote(dsn)} -XAtc {shlex.quote(sql)}"
    return host.run(cmd)


def password_of(hvars, user):
    return next(u["password"] for u in hvars["postgres_users"] if u["name"] == user)


@pytest.mark.parametrize("user", ["shop", "analytics"])
def test_each_user_reaches_its_own_database(host, hvars, addr, user):
    res = psql(host, hvars, addr, user, password_of(hvars, user), user,
               "SELECT current_user || '@' || current_database() || ' ssl=' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    assert res.rc == 0, res.stderr
    assert res.stdout.strip() == f"{user}@{user} ssl=true"


def test_owner_can_create_tables(host, hvars, addr):
    res = psql(host, hvars, addr, "shop", password_of(hvars, "shop"), "shop",
               "CREATE TABLE IF NOT EXISTS t(id int); INSERT INTO t VALUES (1); SELECT count(*) > 0 FROM t")
    assert res.rc == 0, res.stderr
    assert res.stdout.strip().endswith("t")


def test_wrong_password_is_refused(host, hvars, addr):
    res = psql(host, hvars, addr, "shop", "not-the-password", "shop", "SELECT 1")
    assert res.rc != 0
    assert "password authentication failed" in res.stderr


def test_user_cannot_reach_other_database(host, hvars, addr):
    res = psql(host, hvars, addr, "shop", password_of(hvars, "shop"), "analytics", "SELECT 1")
    assert res.rc != 0
    assert "no pg_hba.conf entry" in res.stderr


def test_other_database_refused_even_from_localhost(host, hvars):
    # pg_hba lets every role in on loopback; revoking CONNECT from PUBLIC still keeps them out.
    res = psql(host, hvars, "127.0.0.1", "shop", password_of(hvars, "shop"), "analytics", "SELECT 1")
    assert res.rc != 0
    assert "permission denied for database" in res.stderr


def test_unencrypted_remote_login_is_refused(host, hvars, addr):
    res = psql(host, hvars, addr, "shop", password_of(hvars, "shop"), "shop", "SELECT 1", sslmode="disable")
    assert res.rc != 0
    assert "no pg_hba.conf entry" in res.stderr


def sql_as_postgres(host, hvars, sql, db="postgres"):
    return host.check_output(
        f"runuser -u postgres -- psql -p {hvars['postgres_port']} -d {db} -XAtc {shlex.quote(sql)}")


def test_memory_settings_follow_ram(host, hvars):
    memtotal_mb = int(host.check_output("awk '/MemTotal/ {print $2}' /proc/meminfo")) // 1024
    shared_kb = int(sql_as_postgres(host, hvars, "SELECT setting::bigint * 8 FROM pg_settings WHERE name = 'shared_buffers'"))
    cache_kb = int(sql_as_postgres(host, hvars, "SELECT setting::bigint * 8 FROM pg_settings WHERE name = 'effective_cache_size'"))
    assert shared_kb == memtotal_mb // 4 * 1024
    assert cache_kb == memtotal_mb * 3 // 4 * 1024


def test_extra_settings_utf8_and_utc(host, hvars):
    assert sql_as_postgres(host, hvars, "SHOW log_min_duration_statement") == "500ms"
    assert sql_as_postgres(host, hvars, "SHOW server_encoding") == "UTF8"
    assert sql_as_postgres(host, hvars, "SHOW TimeZone") == "UTC"
    assert sql_as_postgres(host, hvars, "SELECT datcollate FROM pg_database WHERE datname = 'shop'") == "C.UTF-8"


def test_extension_created(host, hvars):
    assert sql_as_postgres(host, hvars, "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'", db="shop") == "pg_trgm"


def test_release_default_version_runs(host, hvars, pg_version):
    assert int(sql_as_postgres(host, hvars, "SHOW server_version_num")) // 10000 == pg_version
    assert host.file("/etc/postgresql").listdir() == [str(pg_version)]


def test_pg_hba_readable_only_by_postgres(host, hvars, pg_version):
    hba = host.file(f"/etc/postgresql/{pg_version}/main/pg_hba.conf")
    assert hba.user == "postgres"
    assert hba.mode == 0o640


def test_passwords_stored_as_scram(host, hvars):
    out = sql_as_postgres(host, hvars, "SELECT rolpassword FROM pg_authid WHERE rolname = 'shop'")
    assert out.startswith("SCRAM-SHA-256$")


def test_server_survives_service_restart(host, hvars, addr, pg_version):
    assert host.service(f"postgresql@{pg_version}-main").is_enabled
    host.run_expect([0], "systemctl restart postgresql")
    host.run_expect([0], f"timeout 30 sh -c 'until pg_isready -q -h {addr} -p {hvars['postgres_port']}; do sleep 1; done'")
    res = psql(host, hvars, addr, "analytics", password_of(hvars, "analytics"), "analytics", "SELECT 1")
    assert res.rc == 0, res.stderr
