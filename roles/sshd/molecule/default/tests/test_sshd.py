"""Key-only SSH with an admin user, tried from this machine over SSH as a user's Ansible logs in."""

import json
import os
import subprocess
from pathlib import Path

import pytest
import testinfra

INSTANCE = os.environ.get("DJANGOOPS_INSTANCE", "instance")
EPHEMERAL = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"])
SCENARIO = Path(__file__).resolve().parents[1]
KEY = EPHEMERAL / "ops_key"
host = testinfra.get_host(f"ansible://{INSTANCE}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")
IP = host.check_output("ip -4 -o addr show dev eth0 | awk '{print $4}' | cut -d/ -f1")
SSH = ["ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
       "-o", "ConnectTimeout=10"]


def ssh(*args):
    return subprocess.run([*SSH, *args], capture_output=True, text=True, timeout=60)


def test_effective_settings_are_key_only():
    conf = host.check_output("sshd -T")
    for line in ("passwordauthentication no", "kbdinteractiveauthentication no", "permitrootlogin no",
                 "authenticationmethods publickey", "maxauthtries 3", "x11forwarding no"):
        assert line in conf.splitlines(), line


def test_admin_user_logs_in_with_the_key_and_has_sudo():
    res = ssh("-i", str(KEY), f"ops@{IP}", "sudo -n id -u")
    assert res.returncode == 0 and res.stdout.strip() == "0", res.stderr


@pytest.mark.parametrize("user", ["root", "ops"])
def test_password_login_is_refused_even_with_a_password_set(user):
    host.run(f"echo '{user}:Password-Set-For-The-Test-1' | chpasswd")
    res = ssh("-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password,keyboard-interactive",
              f"{user}@{IP}", "true")
    assert res.returncode == 255
    assert "Permission denied (publickey)" in res.stderr, res.stderr


def run_over_ssh(**overrides):
    inv = EPHEMERAL / "over_ssh_inventory"
    inv.write_text(f"{INSTANCE} ansible_host={IP} ansible_user=ops ansible_ssh_private_key_file={KEY}\n")
    extra = EPHEMERAL / "over_ssh_vars.json"
    extra.write_text(json.dumps({"sshd_admin_users": [{"name": "ops", "keys": [(EPHEMERAL / "ops_key.pub").read_text().strip()]}],
                                 "sshd_permit_root_login": "no", **overrides}))
    env = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_NOCOLOR="1")
    res = subprocess.run(["ansible-playbook", "-i", str(inv), str(SCENARIO / "over_ssh.yml"), "-e", f"@{extra}"],
                         capture_output=True, text=True, env=env, timeout=600)
    return res.returncode, " ".join((res.stdout + res.stderr).split())


def test_a_run_that_would_lock_this_machine_out_stops_before_changing_anything():
    before = host.file("/etc/ssh/sshd_config.d/00-djangoops.conf").md5sum
    rc, out = run_over_ssh(sshd_allowed_sources=["192.0.2.0/24"], sshd_max_auth_tries=5)
    assert rc != 0 and "which is not in the SSH sources you allow" in out, out[-2000:]
    assert host.file("/etc/ssh/sshd_config.d/00-djangoops.conf").md5sum == before


def test_the_next_run_over_ssh_logs_in_and_changes_nothing():
    rc, out = run_over_ssh(sshd_allowed_sources=["0.0.0.0/0"])
    assert rc == 0 and "changed=0" in out and "failed=0" in out, out[-2000:]
