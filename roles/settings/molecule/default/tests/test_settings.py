"""What the settings role hands the roles on each box (converge.yml writes it as JSON)."""

import json
import os

import pytest
import testinfra

INSTANCE = os.environ.get("DJANGOOPS_INSTANCE", "settings")
INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]


@pytest.fixture(scope="module", params=["db", "web", "lb"])
def box(request):
    host = testinfra.get_host(f"ansible://{INSTANCE}-{request.param}?ansible_inventory={INVENTORY}")
    return request.param, json.loads(host.file("/root/djangoops-settings.json").content_string)


def test_each_box_gets_only_its_own_services(box):
    name, s = box
    ports = sorted(r["port"] for r in s["firewall_rules"])
    assert ports == {"db": [5432], "web": [8080], "lb": [80, 443]}[name]
    assert bool(s["gunicorn_sites"]) == (name == "web")


def test_db_box_admits_the_web_box_by_its_private_address(box):
    name, s = box
    if name != "db":
        pytest.skip("db box only")
    (rule,) = s["firewall_rules"]
    assert rule["sources"] == ["10.9.0.11"]
    assert s["postgres_listen"] == ["localhost", "10.9.0.30"]
    assert {d["name"]: d["owner"] for d in s["postgres_databases"]} == \
        {"shop": "shop", "shop_archive": "shop", "blog": "blog"}
    assert [u["name"] for u in s["postgres_users"]] == ["shop", "blog"]


def test_web_box_sites_use_private_addresses_and_their_own_secrets(box):
    name, s = box
    if name != "web":
        pytest.skip("web box only")
    shop, blog = s["gunicorn_sites"]
    assert shop["database_url"] == "postgres://shop:shop%20p%40ss@10.9.0.30:5432/shop"
    assert shop["env"]["DATABASE_URL_SHOP_ARCHIVE"].endswith("@10.9.0.30:5432/shop_archive")
    assert shop["broker_url"] == "amqp://shop:shop-mq@127.0.0.1:5672/shop"  # broker: the only web box
    assert blog["broker_url"] == "" and blog["env"]["CACHE_KEY_PREFIX"] == "blog"
    assert [c["name"] for c in s["celery_sites"]] == ["shop"]
    assert s["backend_listen"] == "10.9.0.11:8080" and s["trusted_proxies"] == ["10.9.0.10"]
    assert [n["media_peers"] for n in s["nginx_sites"]] == [[], []]


def test_lb_box_balances_each_site_to_the_web_box(box):
    name, s = box
    if name != "lb":
        pytest.skip("lb box only")
    assert [(n["name"], n["backends"]) for n in s["nginx_sites"]] == \
        [("shop", ["10.9.0.11:8080"]), ("blog", ["10.9.0.11:8080"])]
    assert s["gunicorn_sites"] == [] and s["backend_listen"] == ""


def test_acme_certificates_only_where_tls_ends_and_not_for_a_site_that_opts_out(box):
    name, s = box
    expected = {"lb": [{"name": "shop", "domains": ["shop.test"]}]}  # blog has acme: false
    assert s["acme_certificates"] == expected.get(name, [])
