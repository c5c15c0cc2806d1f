"""The rabbitmq role, checked the way celery uses it: real AMQP logins with Debian's pika.

verify runs after side_effect.yml, which gave shop the password rabbitmq_test_new_password.
"""

import json
import shlex

import pytest

AMQP_PORT = 5672  # role defaults the scenario keeps
MANAGEMENT_PORT = 15672

# Connect, then publish a message through a fresh queue and read it back (publisher confirms on).
# Prints "OK" after a round trip, or "REFUSED <exception>: <broker's reason>" and exits 3.
PROBE = r"""
import sys, uuid
import pika
host, port, user, password, vhost = sys.argv[1:6]
params = pika.ConnectionParameters(
    host=host, port=int(port), virtual_host=vhost, credentials=pika.PlainCredentials(user, password),
    connection_attempts=1, socket_timeout=5, blocked_connection_timeout=10)
try:
    conn = pika.BlockingConnection(params)
except Exception as exc:
    print("REFUSED", type(exc).__name__, exc)
    sys.exit(3)
ch = conn.channel()
ch.confirm_delivery()
queue = ch.queue_declare(queue="", exclusive=True).method.queue
body = uuid.uuid4().hex.encode()
ch.basic_publish(exchange="", routing_key=queue, body=body)
got = None
for _ in range(50):
    method, _props, got = ch.basic_get(queue=queue, auto_ack=True)
    if method:
        break
conn.close()
print("OK" if got == body else "MISMATCH %r != %r" % (got, body))
sys.exit(0 if got == body else 4)
"""


def amqp(host, hvars, address, user, password, vhost):
    args = " ".join(shlex.quote(str(a)) for a in (address, AMQP_PORT, user, password, vhost))
    return host.run(f"python3 -c {shlex.quote(PROBE)} {args}")


def password_of(hvars, user):
    return next(u["password"] for u in hvars["rabbitmq_users"] if u["name"] == user)


def test_new_password_round_trip_on_every_listener(host, hvars, addr):
    for address in ("127.0.0.1", addr):
        res = amqp(host, hvars, address, "shop", hvars["rabbitmq_test_new_password"], "shop")
        assert res.rc == 0 and res.stdout.startswith("OK"), (address, res.stdout, res.stderr)


def test_old_password_is_refused(host, hvars, addr):
    res = amqp(host, hvars, addr, "shop", password_of(hvars, "shop"), "shop")
    assert res.rc == 3, res.stdout + res.stderr
    assert "ACCESS_REFUSED" in res.stdout


def test_second_user_round_trip_in_its_own_vhost(host, hvars, addr):
    res = amqp(host, hvars, addr, "analytics", password_of(hvars, "analytics"), "analytics")
    assert res.rc == 0 and res.stdout.startswith("OK"), res.stdout + res.stderr


def test_user_is_refused_in_another_vhost(host, hvars, addr):
    res = amqp(host, hvars, addr, "shop", hvars["rabbitmq_test_new_password"], "analytics")
    assert res.rc == 3, res.stdout + res.stderr
    assert "NOT_ALLOWED" in res.stdout and "access to vhost 'analytics' refused" in res.stdout


def test_second_user_is_refused_in_the_first_vhost(host, hvars, addr):
    res = amqp(host, hvars, addr, "analytics", password_of(hvars, "analytics"), "shop")
    assert res.rc == 3, res.stdout + res.stderr
    assert "NOT_ALLOWED" in res.stdout


def test_guest_is_gone(host, hvars):
    # Over loopback, where RabbitMQ would let guest/guest in if the user existed.
    res = amqp(host, hvars, "127.0.0.1", "guest", "guest", "/")
    assert res.rc == 3, res.stdout + res.stderr
    assert "ACCESS_REFUSED" in res.stdout
    users = host.check_output("rabbitmqctl -q list_users --formatter json")
    assert sorted(u["user"] for u in json.loads(users)) == ["analytics", "shop"]


def listening(host):
    """{port: set of local addresses} from ss."""
    out = host.check_output("ss -Htln")
    ports = {}
    for line in out.splitlines():
        local = line.split()[3]
        address, _, port = local.rpartition(":")
        ports.setdefault(int(port), set()).add(address)
    return ports


def test_listeners_bound_only_where_configured(host, hvars, addr):
    ports = listening(host)
    assert ports[AMQP_PORT] == {"127.0.0.1", addr}
    assert ports[25672] == {"127.0.0.1"}, "Erlang distribution"
    assert ports[4369] == {"127.0.0.1"}, "epmd"
    assert ports[MANAGEMENT_PORT] == {"127.0.0.1"}, "management plugin"


def test_amqp_unreachable_on_other_addresses(host, hvars):
    # 127.0.0.2 is loopback too, but no listener is bound to it.
    res = amqp(host, hvars, "127.0.0.2", "analytics", password_of(hvars, "analytics"), "analytics")
    assert res.rc == 3
    assert "AMQPConnectionError" in res.stdout


def test_management_api_on_loopback(host, hvars):
    # analytics has the monitoring tag, which the HTTP API accepts.
    script = (
        "import base64, json, sys, urllib.request\n"
        "req = urllib.request.Request(sys.argv[1])\n"
        "req.add_header('Authorization', 'Basic ' + base64.b64encode(sys.argv[2].encode()).decode())\n"
        "print(json.load(urllib.request.urlopen(req, timeout=10))['name'])\n")
    url = f"http://127.0.0.1:{MANAGEMENT_PORT}/api/whoami"
    cred = f"analytics:{password_of(hvars, 'analytics')}"
    assert host.check_output(f"python3 -c {shlex.quote(script)} {shlex.quote(url)} {shlex.quote(cred)}") == "analytics"


def test_cookie_file(host, hvars):
    cookie = host.file("/var/lib/rabbitmq/.erlang.cookie")
    assert cookie.user == "rabbitmq"
    assert cookie.mode == 0o400
    assert cookie.content_string == hvars["rabbitmq_erlang_cookie"]


def test_resource_limits(host, hvars):
    status = json.loads(host.check_output("rabbitmq-diagnostics -q status --formatter json"))
    assert status["vm_memory_high_watermark_setting"] == {"relative": hvars["rabbitmq_vm_memory_high_watermark"]}
    assert status["disk_free_limit"] == 200_000_000  # rabbitmq_disk_free_limit: 200MB
    assert status["alarms"] == [], "no memory or disk alarm blocks publishers"


def test_extra_setting(host):
    assert "heartbeat = 30" in host.file("/etc/rabbitmq/rabbitmq.conf").content_string


def test_broker_survives_service_restart(host, hvars, addr):
    assert host.service("rabbitmq-server").is_enabled
    host.run_expect([0], "systemctl restart rabbitmq-server")
    res = amqp(host, hvars, addr, "shop", hvars["rabbitmq_test_new_password"], "shop")
    assert res.rc == 0 and res.stdout.startswith("OK"), res.stdout + res.stderr
