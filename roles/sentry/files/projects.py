# Run by the sentry role through `bugsink-manage shell --no-imports -c`: make sure the team and
# the projects in SENTRY_PROJECTS (JSON list of {name, team}) exist, the admin being an admin of
# both, as when made in the UI. Existing projects are left alone. Prints one line
# "SENTRY_RESULT <json>": what was created and every listed project's DSN (built from BASE_URL).
# With SENTRY_DRY_RUN set nothing is written (check mode); projects still to be made have no DSN.
import json
import os

from django.contrib.auth import get_user_model
from django.db import transaction

from projects.models import Project, ProjectMembership, ProjectRole
from teams.models import Team, TeamMembership, TeamRole

dry_run = os.environ.get("SENTRY_DRY_RUN", "").lower() in ("1", "true")
wanted = json.loads(os.environ["SENTRY_PROJECTS"])
admin = get_user_model().objects.filter(username=os.environ["SENTRY_ADMIN_USERNAME"]).first()

created = []
dsns = {}
with transaction.atomic():
    for spec in wanted:
        team = Team.objects.filter(name=spec["team"]).first()
        if team is None:
            created.append("team " + spec["team"])
            if dry_run:
                created.append("project " + spec["name"])
                continue
            team = Team.objects.create(name=spec["team"])
            if admin is not None:
                TeamMembership.objects.create(team=team, user=admin, role=TeamRole.ADMIN, accepted=True)
        project = Project.objects.filter(team=team, name=spec["name"], is_deleted=False).first()
        if project is None:
            created.append("project " + spec["name"])
            if dry_run:
                continue
            project = Project.objects.create(
                team=team, name=spec["name"], retention_max_event_count=spec["retention_max_event_count"])
            if admin is not None:
                ProjectMembership.objects.create(project=project, user=admin, role=ProjectRole.ADMIN, accepted=True)
        dsns[spec["name"]] = project.dsn

print("SENTRY_RESULT " + json.dumps({"changed": bool(created), "created": created, "dsns": dsns}))
