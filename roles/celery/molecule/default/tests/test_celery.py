"""celery as the demo site uses it: tasks through RabbitMQ, beat, restarts."""

import time

SEND_TASK = r"""
runuser -u demo -- bash -c 'cd /srv/demo/current && .venv/bin/python - <<"EOF"
import os
for line in open("/srv/demo/shared/env"):
    line = line.strip()
    if line and not line.startswith("#"):
        key, _, value = line.partition("=")
        os.environ[key] = value
import django
django.setup()
from visits.tasks import add
print(add.delay(20, 22).get(timeout=60))
EOF'
"""


def main_pid(host, unit):
    return int(host.check_output(f"systemctl show -p MainPID --value {unit}"))


def wait_for(predicate, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return False


def test_task_round_trips_through_rabbitmq(host):
    res = host.run(SEND_TASK)
    assert res.rc == 0, res.stderr
    assert res.stdout.strip() == "42"
    # It really went through the broker: the worker is connected to RabbitMQ's vhost.
    conns = host.check_output("rabbitmqctl -q list_connections user vhost")
    assert "demo\tdemo" in conns


def test_worker_settings(host):
    cmdline = host.check_output(f"tr '\\0' ' ' < /proc/{main_pid(host, 'celery-demo')}/cmdline")
    assert "--concurrency 2" in cmdline and "--max-tasks-per-child 50" in cmdline
    assert host.check_output(f"ps -o user= -p {main_pid(host, 'celery-demo')}") == "demo"


def test_beat_triggers_the_scheduled_task(host):
    count = "runuser -u postgres -- psql -d demo -XAtc 'SELECT count(*) FROM visits_heartbeat'"
    before = int(host.check_output(count))
    assert wait_for(lambda: int(host.check_output(count)) > before, 45), "no heartbeat from beat"


def test_a_changed_setting_restarted_the_worker_and_beat_without_a_new_release(host):
    # side_effect.yml then changed one setting only, in a run that ended before celery's role.
    # (Before the kill below: a worker that systemd brings back reads the new file anyway.)
    assert host.check_output("readlink -f /srv/demo/current") == \
        host.file("/root/celery-v2-release.txt").content_string.strip()
    assert "CELERY_TEST_SETTING=two" in host.file("/srv/demo/shared/env").content_string
    # The processes' environment, read right after that run (later steps start new processes).
    recorded = dict(line.split() for line in host.file("/root/celery-settings-environ.txt").content_string.splitlines())
    assert recorded == {"celery-demo": "1", "celery-beat-demo": "1"}, recorded
    # The task still round-trips with the restarted worker.
    assert host.run(SEND_TASK).stdout.strip() == "42"


def test_a_worker_stopped_by_hand_starts_at_the_next_run_which_leaves_the_units_in_a_code_deploy(host):
    assert host.file("/root/celery-stopped-after.txt").content_string.strip() == "active"
    assert "# changed by hand" in host.file("/etc/systemd/system/celery-demo.service").content_string


def test_killed_worker_comes_back_by_itself(host):
    old = main_pid(host, "celery-demo")
    host.run_expect([0], f"kill -9 {old}")
    assert wait_for(lambda: main_pid(host, "celery-demo") not in (0, old), 60)
    assert wait_for(lambda: host.run(SEND_TASK).stdout.strip() == "42", 60)


def test_deploy_restarted_the_worker_on_the_new_release(host):
    # side_effect.yml deployed changed code; the worker must run from the new release.
    v1 = host.file("/root/celery-v1-release.txt").content_string.strip()
    current = host.check_output("readlink -f /srv/demo/current")
    assert current != v1
    worker_cwd = host.check_output(f"runuser -u demo -- readlink /proc/{main_pid(host, 'celery-demo')}/cwd")
    assert worker_cwd == current
    assert "release two" in host.file(f"{current}/visits/tasks.py").content_string
