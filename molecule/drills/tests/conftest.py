"""Tables the drills print at the end of the run: each test adds rows with `report`."""

import collections

import pytest

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
