"""The box installs Debian's security updates by itself, and nothing else."""


def test_the_pending_security_update_was_installed_and_the_other_was_not(host):
    """The prepare step offered 1.1 of two installed 1.0 packages: one from a repository labelled
    as Debian's security suite, one labelled as its updates suite."""
    installed = host.check_output(
        "dpkg-query -W -f '${Package} ${Version}\\n' djangoops-canary-security djangoops-canary-updates"
    ).splitlines()
    assert installed == ["djangoops-canary-security 1.1", "djangoops-canary-updates 1.0"]
    assert "djangoops-canary-updates" in host.check_output("apt-get -s dist-upgrade")


def test_nothing_from_the_security_suite_is_left_pending(host):
    """The run installed every security update (its dry run now finds nothing)."""
    out = host.check_output("apt-get -s dist-upgrade")
    assert [line for line in out.splitlines() if line.startswith("Inst") and "Debian-Security" in line] == []
    dry = host.check_output("unattended-upgrade --dry-run --verbose 2>&1")
    assert "Packages that will be upgraded:" not in dry or dry.split("Packages that will be upgraded:")[1].split("\n")[0].strip() == ""


def test_only_the_security_suite_is_allowed_and_the_reboot_window_is_set(host):
    dump = host.check_output("apt-config dump")
    origins = [line for line in dump.splitlines() if line.startswith("Unattended-Upgrade::Origins-Pattern::")]
    assert origins == ['Unattended-Upgrade::Origins-Pattern:: "origin=Debian,codename=${distro_codename}-security,label=Debian-Security";']
    assert 'Unattended-Upgrade::Automatic-Reboot "true";' in dump
    assert 'Unattended-Upgrade::Automatic-Reboot-Time "05:15";' in dump
    assert 'APT::Periodic::Unattended-Upgrade "1";' in dump


def test_the_daily_timers_are_on(host):
    for timer in ("apt-daily.timer", "apt-daily-upgrade.timer"):
        assert host.service(timer).is_enabled and host.service(timer).is_running
    dry = host.run("unattended-upgrade --dry-run --verbose 2>&1").stdout
    assert "Allowed origins are: origin=Debian,codename=" in dry and "-security,label=Debian-Security" in dry
