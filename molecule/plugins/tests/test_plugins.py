"""The collection's action plugins: each found an unchanged box so (the scenario's idempotence and
check-mode runs), then, after side_effect.yml changed everything by hand, saw each change in check
mode without making it, put each back, and found nothing left to do."""

import json

import pytest

ACTIONS = ["template", "content", "src", "directory", "acl", "link", "absent", "line", "line_search", "file_mode", "group", "user", "unit_file", "unit"]


@pytest.fixture(scope="module")
def runs(host):
    return json.loads(host.file("/root/plugins-runs.json").content_string)


@pytest.mark.parametrize("action", ACTIONS)
def test_check_mode_saw_the_change(runs, action):
    assert runs["check"][f"plugins_result_{action}"] is True


def test_check_mode_changed_nothing(host):
    # Owners, modes, types, checksums, the link's target and the unit's state, before and after.
    before = host.file("/root/plugins-drifted.txt").content_string
    assert "/srv/plugins/data daemon daemon 777 directory" in before and "disabled" in before
    assert "user:nobody" not in before and "plugins-svc:x:" in before and "/bin/sh" in before
    assert "changed by hand" in before
    assert "plugins-extra" not in before and "plugins-spare:x:" not in before
    assert host.file("/root/plugins-after-check.txt").content_string == before


@pytest.mark.parametrize("action", ACTIONS)
def test_the_real_run_put_it_back_and_the_next_found_nothing(runs, action):
    assert runs["real"][f"plugins_result_{action}"] is True
    assert runs["again"][f"plugins_result_{action}"] is False


@pytest.mark.parametrize("action", ACTIONS)
def test_an_unchanged_box_was_answered_without_the_builtin_module(runs, action):
    # The point of the actions: the run after the repair found everything as asked with one shell
    # command each, not with the builtin's module runs (whose results carry uid or status).
    assert runs["again_from_module"][f"plugins_result_{action}"] is False


def test_the_files_are_as_the_tasks_say(host):
    greeting = host.file("/srv/plugins/greeting.conf")
    assert greeting.content_string == "greeting = Hello from the template\n"
    assert (greeting.user, greeting.group, greeting.mode) == ("root", "daemon", 0o640)
    content = host.file("/srv/plugins/content.txt")
    assert content.content_string == "a secret of the test\n"
    assert (content.user, content.group, content.mode) == ("daemon", "root", 0o600)
    motd = host.file("/srv/plugins/motd.txt")
    assert motd.content_string == "Served by djangoops.stack.\n" and motd.user == "root" and motd.mode == 0o644
    data = host.file("/srv/plugins/data")
    assert data.is_directory and (data.user, data.group, data.mode) == ("daemon", "daemon", 0o750)
    assert "user:nobody:--x" in host.check_output("getfacl -p /srv/plugins/data")
    assert host.file("/srv/plugins/current").linked_to == "/srv/plugins/data"
    assert not host.file("/srv/plugins/stale").exists
    settings = host.file("/srv/plugins/settings.ini")
    # The search's first match replaced, the later line that also holds the text left alone.
    assert settings.content_string == "# settings\nlevel = high\nother = 2\n# other = 0 (a later line the search also finds)\n"
    assert (settings.user, settings.mode) == ("daemon", 0o640)
    svc = host.user("plugins-svc")
    assert (svc.group, svc.home, svc.shell) == ("daemon", "/srv/plugins/data", "/usr/sbin/nologin")
    assert host.check_output("getent passwd plugins-svc").split(":")[4] == "djangoops plugins test"
    assert "plugins-extra" in svc.groups and host.group("plugins-spare").exists


def test_the_unit_runs_and_starts_at_boot(host):
    unit = host.service("plugins-test.service")
    assert unit.is_running and unit.is_enabled


def test_the_runs_came_as_an_admin_through_sudo_with_a_password(host):
    # prepare.yml points the runs at plugins-admin with become; sudo asks that user for a password.
    assert host.file("/root/plugins-become-from.txt").content_string == "plugins-admin\n"
    assert host.run("runuser -u plugins-admin -- sudo -n true").rc != 0


def test_package_facts_match_the_builtin_without_its_module(host):
    # side_effect.yml gathered them through djangoops.stack.package_facts, then the builtin.
    found = json.loads(host.file("/root/plugins-packages.json").content_string)
    assert found["action"] == found["builtin"]
    assert "acl" in found["action"] and len(found["action"]) > 100
    assert found["action_from_module"] is False
