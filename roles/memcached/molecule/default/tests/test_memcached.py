"""The memcached role, checked over the network the way Django's cache backend talks to it."""

import shlex

import pytest

# Runs with the box's own python3: a tiny memcached client for TCP and UDP.
CLIENT = r'''
import socket, sys
host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if mode == "udp":
    # 8-byte UDP frame header (request id 1, sequence 0, 1 datagram), then the command.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(b"\x00\x01\x00\x00\x00\x01\x00\x00stats\r\n", (host, port))
    try:
        print("ANSWER", s.recv(65536)[:60])
    except (socket.timeout, ConnectionRefusedError) as e:
        print("NOANSWER", type(e).__name__)
    sys.exit(0)
s = socket.create_connection((host, port), timeout=5)
if mode == "stats":
    s.sendall(b"stats settings\r\n")
else:  # roundtrip SIZE KEY: set a SIZE-byte value, then get it back
    size, key = int(sys.argv[4]), sys.argv[5].encode()
    value = bytes(i % 251 for i in range(size))
    s.sendall(b"set %s 0 60 %d\r\n%s\r\nget %s\r\n" % (key, size, value, key))
buf = b""
while not buf.endswith(b"END\r\n"):
    chunk = s.recv(1 << 20)
    if not chunk:
        break
    buf += chunk
if mode == "stats":
    sys.stdout.write(buf.decode())
else:
    print(buf.split(b"\r\n", 1)[0].decode(), "GOT" if value in buf else "MISSING")
'''


def client(host, *args):
    return host.run(" ".join(["/usr/bin/python3", "-c", shlex.quote(CLIENT)] + [shlex.quote(str(a)) for a in args]))


@pytest.fixture(scope="module")
def eth0(addr):
    return addr


@pytest.fixture(scope="module")
def addresses(hvars, eth0):
    # Inventory vars reach testinfra untemplated; the scenario's one template is the box's own address.
    return sorted({eth0 if "default_ipv4" in a else a for a in hvars["memcached_listen_addresses"]})


@pytest.fixture(scope="module")
def settings(host, hvars):
    res = client(host, "127.0.0.1", hvars["memcached_port"], "stats")
    assert res.rc == 0, res.stderr
    return dict(line.split()[1:3] for line in res.stdout.splitlines() if line.startswith("STAT "))


def item_size_bytes(size):
    size = str(size)
    return int(size.rstrip("kKmM")) * {"k": 1024, "m": 1048576}.get(size[-1].lower(), 1)


def test_service_enabled_and_running_as_memcache(host):
    svc = host.service("memcached")
    assert svc.is_enabled
    assert svc.is_running
    assert host.check_output("ps -o user= -C memcached").split() == ["memcache"]


def memcached_sockets(host, proto):
    """Local addresses of memcached's listening sockets ("t" for TCP, "u" for UDP)."""
    # ss -p cannot see another user's sockets without CAP_SYS_PTRACE (not in the container);
    # ss -e shows each socket's owner uid and cgroup instead.
    uid = host.user("memcache").uid
    out = host.check_output(f"ss -H{proto}lne")
    return sorted(line.split()[3] for line in out.splitlines()
                  if f" uid:{uid} " in line or "/memcached.service" in line)


def test_listens_on_exactly_the_configured_tcp_addresses(host, hvars, addresses):
    assert memcached_sockets(host, "t") == sorted(f"{a}:{hvars['memcached_port']}" for a in addresses)
    # ... and nothing else holds the port.
    assert len(host.check_output(f"ss -Htln 'sport = :{hvars['memcached_port']}'").splitlines()) == len(addresses)


@pytest.mark.parametrize("which", ["loopback", "eth0"])
def test_set_get_roundtrip_over_tcp(host, hvars, eth0, which):
    addr = "127.0.0.1" if which == "loopback" else eth0
    res = client(host, addr, hvars["memcached_port"], "roundtrip", 100, f"k-{which}")
    assert res.rc == 0, res.stderr
    assert res.stdout.strip() == "STORED GOT"


def test_not_listening_on_other_addresses(host, hvars):
    # 127.0.0.2 is this box too: only a wildcard bind would answer there.
    res = client(host, "127.0.0.2", hvars["memcached_port"], "stats")
    assert res.rc != 0
    assert "ConnectionRefusedError" in res.stderr


def test_udp_is_off(host, hvars, addresses):
    assert memcached_sockets(host, "t"), "the socket filter must find memcached's TCP sockets"
    assert memcached_sockets(host, "u") == []
    assert host.check_output(f"ss -Huln 'sport = :{hvars['memcached_port']}'") == ""
    for addr in addresses:
        res = client(host, addr, hvars["memcached_port"], "udp")
        assert res.rc == 0, res.stderr
        assert res.stdout.startswith("NOANSWER"), res.stdout


def test_settings_in_effect(hvars, settings):
    assert int(settings["maxbytes"]) == hvars["memcached_memory_mb"] * 1024 * 1024
    assert int(settings["maxconns"]) == hvars["memcached_max_connections"]
    assert int(settings["item_size_max"]) == item_size_bytes(hvars["memcached_max_item_size"])
    assert int(settings["tcpport"]) == hvars["memcached_port"]
    assert int(settings["udpport"]) == 0


def test_item_size_limit_is_the_configured_one(host, hvars):
    limit = item_size_bytes(hvars["memcached_max_item_size"])
    assert limit > 1024 * 1024, "the scenario should raise the limit above memcached's 1m default"
    # Items above the default 1m but under the limit are stored; items above the limit are refused.
    big = client(host, "127.0.0.1", hvars["memcached_port"], "roundtrip", limit - 4096, "big")
    assert big.stdout.strip() == "STORED GOT", big.stderr
    too_big = client(host, "127.0.0.1", hvars["memcached_port"], "roundtrip", limit + 1, "too-big")
    assert too_big.stdout.strip().startswith("SERVER_ERROR object too large"), too_big.stdout


def test_config_file(host):
    conf = host.file("/etc/memcached.conf")
    assert conf.user == "root"
    assert conf.mode == 0o644
    assert "-U 0" in conf.content_string.splitlines()
