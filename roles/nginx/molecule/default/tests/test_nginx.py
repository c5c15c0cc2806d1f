"""nginx as a browser and an attacker see it, on the container's loopback."""

import pytest

SITE = "app.test"


def curl(host, url, *args, resolve=SITE):
    opts = " ".join(args)
    return host.run(f"curl -sk --max-time 10 --resolve {resolve}:443:127.0.0.1 --resolve {resolve}:80:127.0.0.1 {opts} {url}")


def headers(host, url, *args, resolve=SITE):
    res = curl(host, url, "-D -", "-o /dev/null", *args, resolve=resolve)
    lines = res.stdout.strip().splitlines()
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
    return status, hdrs


def test_http_redirects_to_https(host):
    status, hdrs = headers(host, f"http://{SITE}/some/page?x=1")
    assert status == 301
    assert hdrs["location"] == f"https://{SITE}/some/page?x=1"


def test_friendly_page_when_gunicorn_is_down(host):
    res = curl(host, f"https://{SITE}/", "-w '\\n%{http_code}'")
    body, code = res.stdout.rsplit("\n", 1)
    assert code == "502"
    assert "Back in a moment" in body


def test_security_headers(host):
    status, hdrs = headers(host, f"https://{SITE}/static/robots.txt")
    assert status == 200
    assert hdrs["strict-transport-security"] == "max-age=31536000"
    assert hdrs["x-content-type-options"] == "nosniff"
    assert "server" in hdrs and hdrs["server"] == "nginx"  # no version


def test_proxied_response_has_each_security_header_once(host):
    # The echo upstream sends its own copies, as Django's SecurityMiddleware does: nginx's win.
    res = curl(host, "https://echo.test/", "-D -", "-o /dev/null", resolve="echo.test")
    names = [line.split(":", 1)[0].strip().lower() for line in res.stdout.splitlines()[1:] if ":" in line]
    for name in ("strict-transport-security", "x-content-type-options", "referrer-policy"):
        assert names.count(name) == 1, res.stdout
    _, hdrs = headers(host, "https://echo.test/", resolve="echo.test")
    assert hdrs["strict-transport-security"] == "max-age=31536000"
    assert hdrs["referrer-policy"] == "strict-origin-when-cross-origin"


def test_host_port_reaches_the_upstream(host):
    # Behind a published port the browser's Origin has the port; Django's CSRF check compares it to Host.
    res = curl(host, "https://echo.test/", "-H 'Host: echo.test:8443'", resolve="echo.test")
    assert res.stdout == "echo.test:8443"


def test_hashed_static_cached_for_a_year_with_gzip(host):
    status, hdrs = headers(host, f"https://{SITE}/static/site.0123456789ab.css", "-H 'Accept-Encoding: gzip'")
    assert status == 200
    assert hdrs["cache-control"] == "public, max-age=31536000, immutable"
    assert hdrs["content-encoding"] == "gzip"
    assert "strict-transport-security" in hdrs


def test_media_served(host):
    assert curl(host, f"https://{SITE}/media/upload.txt").stdout == "uploaded by a user\n"


def test_unknown_host_dropped(host):
    res = host.run("curl -s --max-time 5 -H 'Host: evil.test' http://127.0.0.1/")
    assert res.rc == 52  # empty reply: nginx closed the connection (444)
    res = curl(host, "https://evil.test/", resolve="evil.test")
    assert res.rc == 35  # TLS handshake refused for an unknown name


def tls_handshake(host, *flags):
    return host.run(f"echo | openssl s_client -connect 127.0.0.1:443 -servername {SITE} {' '.join(flags)}")


@pytest.mark.parametrize("flag", ["-tls1_2", "-tls1_3"])
def test_modern_tls_accepted(host, flag):
    res = tls_handshake(host, flag)
    assert res.rc == 0, res.stderr
    assert "Cipher is (NONE)" not in res.stdout


def test_old_tls_refused_by_the_server(host):
    # Lower the client's own floor so that a refusal can only come from nginx.
    res = tls_handshake(host, "-tls1_1", "-cipher 'DEFAULT@SECLEVEL=0'")
    assert res.rc != 0
    # An alert from the server (protocol version, or no shared cipher), not a client-side refusal.
    assert "alert protocol version" in res.stderr or "alert handshake failure" in res.stderr, res.stderr


def test_broken_change_was_undone(host):
    # side_effect.yml applied a configuration nginx -t rejects.
    assert "no_such_directive" not in host.file("/etc/nginx/sites-available/app.conf").content_string
    assert not host.file("/etc/nginx/sites-enabled/newsite.conf").exists
    assert not host.file("/etc/nginx/sites-available/newsite.conf").exists
    assert host.run("nginx -t").rc == 0
    assert host.service("nginx").is_running
    status, _ = headers(host, f"http://{SITE}/")
    assert status == 301


def test_private_key_readable_by_root_only(host):
    key = host.file("/etc/nginx/tls/app.key")
    assert key.user == "root" and key.mode == 0o600


def test_stand_in_certificate_made_again_for_the_site_names(host):
    # side_effect.yml put a certificate for other.test in place; the role must notice and make
    # the stand-in again, for the site's names and from its key.
    assert host.file("/root/nginx-standin-by-hand.txt").content_string.strip() == "subject=CN=other.test"
    crt = "/etc/nginx/tls/app.crt"
    names = host.check_output(f"openssl x509 -in {crt} -noout -subject -nameopt RFC2253 -ext subjectAltName")
    assert "subject=CN=app.test" in names and "DNS:app.test, DNS:www.app.test" in names
    cert_key = host.check_output(f"openssl x509 -in {crt} -noout -pubkey")
    key = host.check_output("openssl pkey -in /etc/nginx/tls/app.key -pubout")
    assert cert_key == key
