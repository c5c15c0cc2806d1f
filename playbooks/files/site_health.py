"""Ask a site on this box through its nginx, as a browser would: TLS with the site's name as SNI
and Host, to 127.0.0.1. Needs only Python (every box Ansible manages has it), no curl.

Usage: site_health.py NAME PATH. Prints the HTTP status, or "no answer (<error>)".
"""

import http.client
import socket
import ssl
import sys


class LocalHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to this box's nginx that sends the site's name as SNI and Host."""

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def main(name, path):
    # The certificate may be self-signed or not yet issued: this asks the site, not the CA.
    conn = LocalHTTPS(name, 443, context=ssl._create_unverified_context(), timeout=10)
    try:
        conn.request("GET", path, headers={"User-Agent": "djangoops-status"})
        print(conn.getresponse().status)
    except (OSError, http.client.HTTPException) as exc:
        print(f"no answer ({type(exc).__name__}: {exc})")
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
