"""One round of the box's health checks, run by djangoops-alerts.timer.

Checks what status.yml checks, on this box only: the services that must run, failed units, the
fill of every mounted file system, the age of the last good backup, the days left of each
certificate, and security updates left pending. Mails the admins when a check turns red and again
when it turns green: once per change, never again while the state holds. A mail that cannot be
sent is tried again at the next round (the service then fails, so that `systemctl --failed`
and status.yml show it). Writes the round's result to a JSON file that status.yml reads.

Usage: python3 djangoops-alerts.py [CONFIG]   (default /etc/djangoops/alerts.json)
"""
import datetime
import json
import os
import smtplib
import ssl
import subprocess
import sys
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

CONFIG = sys.argv[1] if len(sys.argv) > 1 else "/etc/djangoops/alerts.json"
# Kernel and runtime file systems: never full in a way a user can act on.
PSEUDO_FS = {
    "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
    "efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs", "proc", "pstore", "ramfs", "rpc_pipefs",
    "securityfs", "sysfs", "tracefs", "squashfs", "iso9660",
}
RUNTIME_DIRS = ("/run", "/dev", "/sys", "/proc")
OWN_UNIT = "djangoops-alerts.service"


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def unit_names(pattern):
    """The service units a name stands for: itself, or those matching a glob (postgresql@*-main)."""
    if not any(c in pattern for c in "*?["):
        return [pattern]
    if "." not in pattern:
        pattern += ".service"
    out = run("systemctl", "list-units", "--all", "--plain", "--no-legend", pattern).stdout
    return [line.split()[0].removesuffix(".service") for line in out.splitlines() if line.strip()]


def check_services(cfg):
    for pattern in cfg.get("units", []):
        names = unit_names(pattern)
        if not names:
            yield "service " + pattern, False, f"no unit {pattern} on this box"
        for name in names:
            state = run("systemctl", "is-active", name).stdout.strip() or "unknown"
            # A restart in progress (a deploy) is not an outage.
            ok = state in ("active", "activating", "deactivating", "reloading")
            yield "service " + name, ok, f"{name} is {state}"


def check_failed_units(cfg):
    # The watched units report their own state; the service itself shows a mail it could not send.
    ignored = set(cfg.get("ignore_failed_units", [])) | {OWN_UNIT}
    ignored |= {u if "." in u else u + ".service" for p in cfg.get("units", []) for u in unit_names(p)}
    out = run("systemctl", "list-units", "--state=failed", "--plain", "--no-legend").stdout
    for line in out.splitlines():
        if line.strip() and line.split()[0] not in ignored:
            unit = line.split()[0]
            yield "failed " + unit, False, f"{unit} failed (journalctl -u {unit})"


def mounts():
    seen = set()
    with open("/proc/self/mounts", encoding="utf-8") as f:
        for line in f:
            target, fstype = line.split()[1:3]
            target = target.replace("\\040", " ")
            if fstype in PSEUDO_FS or not os.path.isdir(target):
                continue
            if fstype == "tmpfs" and (target.startswith(RUNTIME_DIRS)):
                continue
            try:
                dev = os.stat(target).st_dev
            except OSError:
                continue
            if dev not in seen:
                seen.add(dev)
                yield target


def check_filesystems(cfg):
    limit = cfg.get("disk_percent", 85)
    for target in mounts():
        st = os.statvfs(target)
        used, avail = st.f_blocks - st.f_bfree, st.f_bavail
        if used + avail <= 0:
            continue
        percent = round(100 * used / (used + avail))  # as df counts it
        yield ("disk " + target, percent <= limit,
               f"{target} is {percent}% full" + (f" (over {limit}%)" if percent > limit else ""))


def check_backup(cfg):
    marker = cfg.get("backup_marker")
    if not marker:
        return
    limit = cfg.get("backup_max_age_hours", 26)
    try:
        hours = (time.time() - os.stat(marker).st_mtime) / 3600
    except FileNotFoundError:
        yield "backup", False, f"no good backup yet ({marker} is missing)"
        return
    yield "backup", hours <= limit, f"last good backup {hours:.1f} h ago" + (f" (older than {limit} h)" if hours > limit else "")


def check_certificates(cfg):
    warn = cfg.get("certificate_warn_days", 14)
    for path in cfg.get("certificates", []):
        result = run("openssl", "x509", "-noout", "-enddate", "-in", path)
        if result.returncode != 0:
            yield "certificate " + path, False, f"cannot read {path}: {result.stderr.strip()}"
            continue
        end = datetime.datetime.strptime(result.stdout.strip().split("=", 1)[1], "%b %d %H:%M:%S %Y %Z")
        days = (end.replace(tzinfo=datetime.timezone.utc) - datetime.datetime.now(datetime.timezone.utc)).days
        yield "certificate " + path, days >= warn, f"{path}: {days} days left" + (f" (fewer than {warn})" if days < warn else "")


def check_security_updates(cfg, state):
    """Red when security updates stay pending longer than the grace (the daily timer failed)."""
    if not cfg.get("security_updates", True):
        return
    # From the lists of apt's last daily run; no download, no lock, no cache written. The answer
    # changes only with those lists or the installed packages: asked again only then.
    key = [os.stat(p).st_mtime for p in ("/var/lib/apt/lists", "/var/lib/dpkg/status")]
    if state.get("apt_key") == key:
        pending = state.get("apt_pending", [])
    else:
        result = run("apt-get", "-s", "-o", "Debug::NoLocking=true", "-o", "Dir::Cache::pkgcache=",
                     "-o", "Dir::Cache::srcpkgcache=", "dist-upgrade")
        pending = sorted(line.split()[1] for line in result.stdout.splitlines()
                         if line.startswith("Inst ") and "Debian-Security" in line)
        if result.returncode == 0:
            state["apt_key"], state["apt_pending"] = key, pending
    grace = cfg.get("security_grace_hours", 36)
    if not pending:
        state.pop("security_pending_since", None)
        yield "security updates", True, "no security update pending"
        return
    since = state.setdefault("security_pending_since", time.time())
    hours = (time.time() - since) / 3600
    yield ("security updates", hours <= grace,
           f"{len(pending)} security updates pending for {hours:.0f} h ({' '.join(pending[:10])})")


def send(cfg, subject, body):
    mail = cfg.get("mail", {})
    msg = EmailMessage()
    msg["From"] = mail.get("from") or f"djangoops alerts <root@{cfg['host']}>"
    msg["To"] = ", ".join(cfg["recipients"])
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=cfg["host"])
    msg.set_content(body)
    port = int(mail.get("port") or 587)
    context = ssl.create_default_context()
    if mail.get("use_ssl"):
        smtp = smtplib.SMTP_SSL(mail["host"], port, timeout=30, context=context)
    else:
        smtp = smtplib.SMTP(mail["host"], port, timeout=30)
    with smtp:
        if mail.get("use_tls") and not mail.get("use_ssl"):
            smtp.starttls(context=context)
        if mail.get("user"):
            smtp.login(mail["user"], mail.get("password", ""))
        smtp.send_message(msg)


def write_json(path, data, mode):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


def main():
    with open(CONFIG, encoding="utf-8") as f:
        cfg = json.load(f)
    state_dir = cfg.get("state_dir", "/var/lib/djangoops-alerts")
    state_path = os.path.join(state_dir, "state.json")
    try:
        with open(state_path, encoding="utf-8") as f:
            state = json.load(f)
    except (FileNotFoundError, ValueError):
        state = {}
    told = state.setdefault("told_red", {})  # check -> when the admins heard it turned red

    checks = []
    for source in (check_services(cfg), check_failed_units(cfg), check_filesystems(cfg), check_backup(cfg),
                   check_certificates(cfg), check_security_updates(cfg, state)):
        try:
            checks.extend(source)
        except Exception as exc:  # a broken check is itself red, the others still run
            checks.append(("check error", False, f"a check failed to run: {exc!r}"))
    now = time.time()
    current = {name: ok for name, ok, line in checks}
    text = {name: line for name, ok, line in checks}
    # Turned red (or red when first seen), or green after the admins heard it was red; a red check
    # that is gone (a failed unit reset) counts as green again.
    went_red = [n for n, ok in current.items() if not ok and n not in told]
    went_green = [n for n in told if current.get(n, True)]
    red = sorted(n for n, ok in current.items() if not ok)

    mail_result = "nothing to tell"
    mail_failed = False
    if went_red or went_green:
        if cfg.get("mail", {}).get("host") and cfg.get("recipients"):
            what = [f"{len(went_red)} RED" if went_red else "", f"{len(went_green)} back to green" if went_green else ""]
            subject = f"[{cfg['host']}] " + ", ".join(w for w in what if w)
            body = "".join(
                [f"RED: {text[n]}\n" for n in sorted(went_red)]
                + [f"GREEN again: {text.get(n, n + ' is gone')}\n" for n in sorted(went_green)]
                + [f"\nRed now on {cfg['host']}: {len(red)}\n"] + [f"  {text[n]}\n" for n in red]
                + ["\nCheck again: systemctl start djangoops-alerts; details: ansible-playbook status.yml\n"])
            try:
                send(cfg, subject, body)
                mail_result = f"sent: {subject}"
            except (OSError, smtplib.SMTPException) as exc:
                mail_result = f"FAILED to send ({exc!r}); tried again next round"
                mail_failed = True
        else:
            mail_result = "not sent: no mail relay or admins set (djangoops_email)"
        if not mail_failed:
            told.update({n: int(now) for n in went_red})
            for n in went_green:
                del told[n]

    for name in went_red:
        print(f"RED: {text[name]}")
    for name in went_green:
        print(f"GREEN again: {text.get(name, name)}")
    print(f"{len(red)} red of {len(checks)} checks; mail: {mail_result}")

    write_json(state_path, state, 0o600)
    write_json(os.path.join(state_dir, "last.json"), {
        "time": datetime.datetime.fromtimestamp(now, datetime.timezone.utc).isoformat(timespec="seconds"),
        "epoch": int(now),
        "checks": len(checks),
        "red": [text[n] for n in red],
        "mail": mail_result,
        "mail_failed": mail_failed,
    }, 0o644)
    return 1 if mail_failed else 0


if __name__ == "__main__":
    sys.exit(main())
