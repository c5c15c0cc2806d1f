"""Tell the harness, on a line of its own, when the server checks did not run.

pytest captures what tests print, so the note is written by the terminal reporter at the end of
the session; scripts/test.sh puts lines starting with `HARNESS NOTE: ` in its table.
"""

SKIP_REASON = "elasticsearch server checks skipped: no package available"


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if any(SKIP_REASON in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_line(f"HARNESS NOTE: {SKIP_REASON}")
