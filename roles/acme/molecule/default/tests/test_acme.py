"""A certificate from the ACME CA (pebble), served by nginx, trusted by a client that trusts pebble."""

import json
import os
import shlex

import pytest
import testinfra

INSTANCE = os.environ.get("DJANGOOPS_INSTANCE", "acme")
INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]
web = testinfra.get_host(f"ansible://{INSTANCE}?ansible_inventory={INVENTORY}")
pebble = testinfra.get_host(f"ansible://{INSTANCE}-pebble?ansible_inventory={INVENTORY}")

# On the pebble box: its root (management API) as the only trust anchor, then the site by name.
_VERIFY = r"""
import json, ssl, socket, sys, urllib.request
root = urllib.request.urlopen("https://localhost:15000/roots/0", context=ssl._create_unverified_context()).read().decode()
ctx = ssl.create_default_context(cadata=root)
out = {}
for name in sys.argv[1:]:
    with ctx.wrap_socket(socket.create_connection((name, 443), 15), server_hostname=name) as tls:
        cert = tls.getpeercert()
        out[name] = {"issuer": dict(x[0] for x in cert["issuer"]), "san": sorted(v for _, v in cert["subjectAltName"])}
print(json.dumps(out))
"""


@pytest.mark.parametrize("name", ["site.test", "www.site.test"])
def test_nginx_serves_a_certificate_from_the_acme_ca_for_each_domain(name):
    res = pebble.run(f"python3 -c {shlex.quote(_VERIFY)} {name}")
    assert res.rc == 0, res.stderr
    seen = json.loads(res.stdout)[name]
    assert seen["san"] == ["site.test", "www.site.test"]
    assert "Pebble" in seen["issuer"]["commonName"]


def test_nginx_reads_certbots_live_files():
    # Links to live/, which certbot points at each renewal's files.
    assert web.check_output("readlink /etc/nginx/tls/site.crt") == "/etc/letsencrypt/live/site/fullchain.pem"
    assert web.check_output("readlink /etc/nginx/tls/site.key") == "/etc/letsencrypt/live/site/privkey.pem"
    assert "server = https://" in web.file("/etc/letsencrypt/renewal/site.conf").content_string


def test_renewal_timer_is_ours_and_debians_is_off():
    assert web.service("djangoops-certificates.timer").is_enabled
    assert web.service("djangoops-certificates.timer").is_running
    assert not web.service("certbot.timer").is_enabled
    # A renewal run now has nothing due and succeeds against the private CA.
    assert web.run("systemctl start djangoops-certificates.service").rc == 0
    assert web.check_output("systemctl show -p Result --value djangoops-certificates.service") == "success"


def test_the_reload_hook_is_in_place():
    hook = web.file("/etc/letsencrypt/renewal-hooks/deploy/djangoops-reload")
    assert hook.mode == 0o755 and "systemctl reload nginx" in hook.content_string
