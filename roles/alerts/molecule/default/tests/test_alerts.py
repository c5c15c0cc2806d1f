"""The box checks itself every 10 s and mails the admins (an SMTP sink on the box) when a check
turns red and when it is green again: once each, never while the state holds."""
import json
import time

PERIOD = 10  # alerts_interval in molecule.yml


READ_SINK = """
import email, email.policy, json, mailbox
box = mailbox.Maildir("/var/mail/sink", create=False)
msgs = sorted((email.message_from_bytes(box.get_bytes(k), policy=email.policy.default) for k in box.keys()),
              key=lambda m: m["Date"].datetime)
print(json.dumps([(m["Subject"], m.get_body(("plain",)).get_content()) for m in msgs]))
"""


def mails(host):
    """Every mail the sink got, oldest first: (subject, body), decoded as a mail reader would."""
    return [tuple(m) for m in json.loads(host.check_output(f"python3 -c '{READ_SINK}'"))]


def wait_for_mail(host, count, limit):
    """Waits until the sink holds `count` mails; at most `limit` seconds."""
    deadline = time.time() + limit
    while time.time() < deadline:
        got = mails(host)
        if len(got) >= count:
            return got
        time.sleep(1)
    raise AssertionError(f"no mail number {count} within {limit} s; sink has {mails(host)}")


def last(host):
    return json.loads(host.file("/var/lib/djangoops-alerts/last.json").content_string)


def test_the_settings_are_root_only_and_the_timer_runs(host):
    config = host.file("/etc/djangoops/alerts.json")
    assert config.user == "root" and config.mode == 0o600
    assert host.service("djangoops-alerts.timer").is_enabled
    assert host.service("djangoops-alerts.timer").is_running


def test_a_healthy_box_is_green_and_mails_nobody(host):
    host.check_output("systemctl start djangoops-alerts.service")
    result = last(host)
    assert result["red"] == [], result
    assert result["checks"] >= 5  # the two units, a file system or more, the backup, updates
    assert mails(host) == []


def test_a_stopped_service_and_a_full_disk_are_mailed_once_then_their_recovery(host):
    host.check_output("systemctl stop shop-worker")
    host.check_output("dd if=/dev/zero of=/srv/small/fill bs=1M count=7 status=none")
    got = wait_for_mail(host, 1, PERIOD + 10)
    subject, body = got[0]
    assert subject.endswith("] 2 RED"), subject
    assert "RED: shop-worker is inactive" in body
    assert "RED: /srv/small is" in body and "(over 85%)" in body
    assert "failed" not in last(host)["mail"].lower()

    # Two more rounds with the same trouble: no mail.
    time.sleep(2 * PERIOD + 3)
    assert len(mails(host)) == 1, mails(host)
    assert len(last(host)["red"]) == 2

    host.check_output("systemctl start shop-worker && rm /srv/small/fill")
    subject, body = wait_for_mail(host, 2, PERIOD + 10)[1]
    assert "2 back to green" in subject, subject
    assert "GREEN again: shop-worker is active" in body
    assert "GREEN again: /srv/small is 0% full" in body
    assert last(host)["red"] == []


def test_a_mail_that_cannot_go_out_is_tried_again(host):
    host.check_output("systemctl stop smtp-sink && systemctl stop shop-worker")
    try:
        deadline = time.time() + PERIOD + 10
        while time.time() < deadline and not last(host)["mail_failed"]:
            time.sleep(1)
        assert last(host)["mail_failed"], last(host)
        assert "FAILED to send" in last(host)["mail"]
        assert host.run("systemctl is-failed djangoops-alerts.service").stdout.strip() == "failed"
    finally:
        host.check_output("systemctl start smtp-sink")
    before = len(mails(host))
    subject, body = wait_for_mail(host, before + 1, PERIOD + 10)[-1]
    assert "RED: shop-worker is inactive" in body
    host.check_output("systemctl start shop-worker")
    wait_for_mail(host, before + 2, PERIOD + 10)
