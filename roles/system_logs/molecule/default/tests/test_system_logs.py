"""Logs cannot fill the disk: the journal is capped and persistent, logrotate rotates files."""

import re


def test_journald_runs_with_the_caps(host):
    # journald logs the limits it applied at start: "System Journal ... max 300.0M" (systemd 252,
    # Debian 12) or "max 300M" (systemd 257, Debian 13).
    res = host.run("journalctl -b -u systemd-journald --no-pager -o cat")
    assert re.search(r"System Journal .* max 300(\.0)?M,", res.stdout), res.stdout[-800:]
    assert host.file("/var/log/journal").is_directory
    # Persistent storage is in use: the journal files live under /var/log/journal.
    assert host.run("find /var/log/journal -name 'system*.journal' | grep -q .").rc == 0


def test_old_entries_expire_by_the_configured_age(host):
    conf = host.check_output("systemd-analyze cat-config systemd/journald.conf")
    assert "MaxRetentionSec=2week" in conf


def test_logrotate_rotates_a_packaged_log_and_the_service_keeps_logging(host):
    assert host.service("logrotate.timer").is_enabled
    host.run_expect([0], "echo seed >> /var/log/nginx/access.log")
    host.run_expect([0], "logrotate -f /etc/logrotate.conf")
    assert host.file("/var/log/nginx/access.log.1").exists
    # nginx reopened its files (the rule's postrotate): a new request lands in the new file.
    host.run("python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1/')\"")
    assert "GET / " in host.file("/var/log/nginx/access.log").content_string
