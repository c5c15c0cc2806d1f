"""Host settings: written where the kernel, PAM, systemd and modprobe read them."""


def test_sysctls_are_written_with_the_override(host):
    conf = host.file("/etc/sysctl.d/90-djangoops-hardening.conf").content_string.splitlines()
    assert "net.ipv4.conf.all.accept_redirects = 0" in conf
    assert "net.ipv4.conf.all.rp_filter = 2" in conf and "net.ipv4.conf.all.rp_filter = 1" not in conf
    assert "fs.suid_dumpable = 0" in conf and "kernel.kptr_restrict = 2" in conf


def test_sysctl_accepts_the_file(host):
    """Every line parses (in a container the kernel's values are the host's, so -e and no apply)."""
    res = host.run("sysctl -e -p /etc/sysctl.d/90-djangoops-hardening.conf")
    assert "Invalid argument" not in res.stderr and "syntax" not in res.stderr, res.stderr


def test_rare_modules_cannot_load(host):
    """modprobe runs the install command instead of loading (the container has no kmod to ask)."""
    conf = host.file("/etc/modprobe.d/90-djangoops-blocked.conf").content_string.splitlines()
    for module in ("cramfs", "udf", "dccp", "sctp"):
        assert f"install {module} /bin/false" in conf and f"blacklist {module}" in conf


def test_no_core_dumps_and_a_strict_login_umask(host):
    assert "* hard core 0" in host.file("/etc/security/limits.d/90-djangoops-core.conf").content_string
    assert "Storage=none" in host.file("/etc/systemd/coredump.conf.d/90-djangoops.conf").content_string
    assert host.run("grep -P '^UMASK\\t+027$' /etc/login.defs").rc == 0


def test_password_rounds_banner_and_private_tmp(host):
    assert host.run("grep -P '^SHA_CRYPT_MIN_ROUNDS\t65536$' /etc/login.defs").rc == 0
    assert host.file("/etc/issue.net").content_string.startswith("Authorized access only.")
    for package in ("libpam-tmpdir", "libpam-pwquality", "debsums"):
        assert host.package(package).is_installed, package
    assert "pam_pwquality.so" in host.file("/etc/pam.d/common-password").content_string


def test_sysstat_collects(host):
    assert 'ENABLED="true"' in host.file("/etc/default/sysstat").content_string
    assert host.service("sysstat-collect.timer").is_enabled
