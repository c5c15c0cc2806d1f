"""The drills' tables, printed at the end of the run (each test adds rows with `report`), and the
environment of every test of the scenario, two_box's included."""

import collections
import os

import pytest

# Before any test module is imported (two_box's come first): the tests' own Ansible calls (the
# inventory testinfra lists, with every secret in it; the playbooks they run) stay out of the
# converge's -v log that a drill searches for secrets, and run as users run them, without -v.
os.environ.pop("ANSIBLE_LOG_PATH", None)
os.environ.pop("ANSIBLE_VERBOSITY", None)

TABLES = collections.OrderedDict()


@pytest.fixture
def report():
    def add(table, header, row):
        TABLES.setdefault(table, (header, []))[1].append([str(cell) for cell in row])
    return add


def pytest_terminal_summary(terminalreporter):
    for title, (header, rows) in TABLES.items():
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
        terminalreporter.write_sep("=", title)
        for row in [header, ["-" * w for w in widths], *rows]:
            terminalreporter.write_line("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
