"""The elasticsearch role: rendered files always; the server itself when a package was given."""

import json
import shlex

import pytest
import yaml

from conftest import SKIP_REASON

CONFIG = "/etc/elasticsearch/elasticsearch.yml"
MAX_MAP_COUNT = 262144  # role default the scenario keeps


@pytest.fixture(scope="module")
def installed(hvars):
    # molecule.yml installs exactly when DJANGOOPS_ES_DEB named a package.
    return bool(hvars.get("elasticsearch_deb_path"))


@pytest.fixture(scope="module")
def server(installed):
    if not installed:
        pytest.skip(SKIP_REASON)


@pytest.fixture(scope="module")
def config(host):
    return yaml.safe_load(host.file(CONFIG).content_string)


# --- Rendered files -----------------------------------------------------------------------------

def test_config_has_the_expected_settings(host, hvars, config):
    assert config["cluster.name"] == hvars["elasticsearch_cluster_name"]
    assert config["node.name"] == host.ansible.get_variables()["inventory_hostname"]
    assert config["http.port"] == hvars["elasticsearch_http_port"]
    assert config["network.host"] == ["_local_"]
    assert config["discovery.type"] == "single-node"
    assert "discovery.seed_hosts" not in config
    assert config["path.data"] == "/var/lib/elasticsearch"
    assert config["action.destructive_requires_name"] is True


def test_security_is_on_with_the_package_certificates(config):
    assert config["xpack.security.enabled"] is True
    assert config["xpack.security.http.ssl.enabled"] is True
    assert config["xpack.security.http.ssl.keystore.path"] == "certs/http.p12"
    assert config["xpack.security.transport.ssl.keystore.path"] == "certs/transport.p12"


def test_config_owned_like_the_package_sets_it(host):
    f = host.file(CONFIG)
    assert (f.user, f.group, f.mode) == ("root", "elasticsearch", 0o660)
    d = host.file("/etc/elasticsearch")
    assert (d.user, d.group, d.mode) == ("root", "elasticsearch", 0o2750)


def test_heap_is_half_the_ram(host, hvars):
    heap = [line for line in host.file("/etc/elasticsearch/jvm.options.d/heap.options").content_string.splitlines()
            if line.startswith("-X")]
    half = min(hvars["elasticsearch_memory_mb"] // 2, 31 * 1024)
    assert heap == [f"-Xms{half}m", f"-Xmx{half}m"]


def test_service_limits_dropin(host):
    dropin = host.file("/etc/systemd/system/elasticsearch.service.d/limits.conf").content_string
    assert "LimitNOFILE=65535" in dropin.splitlines()
    assert "LimitMEMLOCK=infinity" in dropin.splitlines()


def test_max_map_count_persisted(host):
    assert f"vm.max_map_count={MAX_MAP_COUNT}" in host.file("/etc/sysctl.d/60-elasticsearch.conf").content_string


def test_max_map_count_at_runtime(host):
    # The setting is not namespaced: inside a container /proc/sys is read-only and the host's
    # value is the one in force, so a lower value is accepted there and only there.
    now = int(host.file("/proc/sys/vm/max_map_count").content_string)
    writable = host.run("test -w /proc/sys/vm/max_map_count").rc == 0
    assert now >= MAX_MAP_COUNT or not writable


def test_apt_source_names_its_keyring(host, installed):
    # molecule.yml installs from the .deb when there is one, else renders the repository source.
    if installed:
        pytest.skip("installed from a .deb: no repository")
    source = host.file("/etc/apt/sources.list.d/elastic-8.x.sources")
    fields = dict(line.split(": ", 1) for line in source.content_string.splitlines() if ": " in line)
    assert fields["URIs"] == "https://artifacts.elastic.co/packages/8.x/apt"
    assert fields["Signed-By"] == "/etc/apt/keyrings/elasticsearch.asc"
    assert fields["Suites"] == "stable"
    # Disabled while nothing is installed, so that the missing key cannot break apt-get update.
    assert fields["Enabled"] == "no"
    assert host.run("apt-get -q update").rc == 0


def test_nothing_installed_without_a_package(host, installed):
    if installed:
        pytest.skip("a package was given")
    assert not host.package("elasticsearch").is_installed
    assert not host.file("/usr/share/elasticsearch").exists


# --- The server (needs the package) --------------------------------------------------------------

# The box has python3 but no curl: requests go through urllib, without verifying the certificate
# (loopback; the CA is the one the package generated).
REQUEST = """
import base64, json, ssl, sys, urllib.error, urllib.request
url, method, auth, body = sys.argv[1:5]
req = urllib.request.Request(url, method=method, data=body.encode() or None,
                             headers={"Content-Type": "application/json"})
if auth:
    req.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
try:
    with urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=60) as r:
        code, text = r.status, r.read().decode()
except urllib.error.HTTPError as e:
    code, text = e.code, e.read().decode()
print(json.dumps({"code": code, "body": text}))
"""


def api(host, hvars, path, method="GET", body=None, password=True):
    if password is True:
        password = hvars["elasticsearch_elastic_password"]
    args = ["python3", "-c", REQUEST, f"https://127.0.0.1:{hvars['elasticsearch_http_port']}{path}", method,
            f"elastic:{password}" if password else "", json.dumps(body) if body is not None else ""]
    out = json.loads(host.check_output(" ".join(shlex.quote(a) for a in args)))
    return out["code"], (json.loads(out["body"]) if out["body"].strip() else None)


def test_service_running_and_enabled(host, server):
    svc = host.service("elasticsearch")
    assert svc.is_running
    assert svc.is_enabled


def test_cluster_health(host, hvars, server):
    code, health = api(host, hvars, "/_cluster/health?wait_for_status=yellow&timeout=30s")
    assert code == 200
    assert health["status"] in ("green", "yellow")
    assert health["cluster_name"] == hvars["elasticsearch_cluster_name"]


def test_index_and_search_round_trip(host, hvars, server):
    api(host, hvars, "/molecule-test", "DELETE")
    code, _ = api(host, hvars, "/molecule-test", "PUT", {"settings": {"number_of_replicas": 0}})
    assert code == 200
    code, _ = api(host, hvars, "/molecule-test/_doc/1?refresh=true", "PUT", {"title": "django on debian"})
    assert code in (200, 201)
    code, found = api(host, hvars, "/molecule-test/_search", "POST", {"query": {"match": {"title": "debian"}}})
    assert code == 200
    assert found["hits"]["total"]["value"] == 1


def test_request_without_password_refused(host, hvars, server):
    assert api(host, hvars, "/_cluster/health", password=None)[0] == 401


def test_wrong_password_refused(host, hvars, server):
    assert api(host, hvars, "/_cluster/health", password="not-the-password")[0] == 401
