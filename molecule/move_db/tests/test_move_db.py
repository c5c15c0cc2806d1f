"""A dump from PostgreSQL 15 on Debian 12 restored into PostgreSQL 17 on Debian 13."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "shared"))
from boxes import box  # noqa: E402

old, new = box("move-old-db"), box("move-new-db")


def sql(host, query, db="shop"):
    return host.check_output(f"runuser -u postgres -- psql -d {db} -XAtc \"{query}\"")


def test_the_boxes_run_different_releases_and_servers():
    assert old.system_info.codename == "bookworm" and new.system_info.codename == "trixie"
    assert sql(old, "SHOW server_version_num", "postgres").startswith("15")
    assert sql(new, "SHOW server_version_num", "postgres").startswith("17")


def test_the_rows_came_back_intact_on_the_new_box():
    query = "SELECT count(*), sum((note->>'n')::int), md5(string_agg(item, ',' ORDER BY id)) FROM orders"
    before = sql(old, query)
    assert before.startswith("500|125250|")
    assert sql(new, query) == before


def test_the_restored_database_belongs_to_the_site_user():
    assert sql(new, "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop'", "postgres") == "shop"
    assert sql(new, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'") == "shop"
