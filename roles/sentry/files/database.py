# Run by the sentry role through `bugsink-manage shell --no-imports -c`: in one Django process
# (each bugsink-manage start costs about a second), migrate both databases (PostgreSQL and
# snappea's SQLite queue) when migrations are pending, run the deployment checks, and collect the
# static files for nginx. With SENTRY_DRY_RUN set (check mode) nothing is written: pending
# migrations and files to copy are reported. Prints one line "SENTRY_RESULT <json>".
import io
import json
import os
import re
import sys

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

dry_run = os.environ.get("SENTRY_DRY_RUN", "").lower() in ("1", "true")


def pending(database, app_label):
    executor = MigrationExecutor(connections[database])
    targets = [key for key in executor.loader.graph.leaf_nodes() if app_label in (None, key[0])]
    plan = executor.migration_plan(targets)
    return ["%s.%s" % (migration.app_label, migration.name) for migration, _backwards in plan]


# As Bugsink's docs have it: `migrate`, then `migrate snappea --database=snappea`.
migrations = {}
for database, app_label in (("default", None), ("snappea", "snappea")):
    todo = pending(database, app_label)
    if todo:
        migrations[database] = todo
        if not dry_run:
            call_command("migrate", *([app_label] if app_label else []), database=database, interactive=False)

# Against the new schema, as Django's `check --deploy --fail-level ERROR` would: warnings are
# printed, errors stop the run.
try:
    call_command("check", deploy=True, fail_level="ERROR")
except SystemCheckError as error:
    sys.exit("Django's deployment checks failed:\n%s" % error)

summary = io.StringIO()
call_command("collectstatic", interactive=False, dry_run=dry_run, verbosity=1, stdout=summary)
copied = re.search(r"^(\d+) static files? (?:copied|symlinked)", summary.getvalue(), re.MULTILINE)
static_files = int(copied.group(1)) if copied else 0

print("SENTRY_RESULT " + json.dumps({
    "changed": bool(migrations or static_files),
    "migrations": migrations,
    "static_files_copied": static_files,
}))
