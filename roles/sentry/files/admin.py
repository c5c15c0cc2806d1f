# Run by the sentry role through `bugsink-manage shell --no-imports -c`: make sure the admin user
# exists, without prompts. Input comes from the environment (the password never appears in argv).
# Prints one line "SENTRY_RESULT <json>" with "changed" for Ansible.
import json
import os

from django.contrib.auth import get_user_model
from django.db import transaction

dry_run = os.environ.get("SENTRY_DRY_RUN", "").lower() in ("1", "true")
username = os.environ["SENTRY_ADMIN_USERNAME"]
email = os.environ.get("SENTRY_ADMIN_EMAIL", "")
password = os.environ["SENTRY_ADMIN_PASSWORD"]
update_password = os.environ.get("SENTRY_ADMIN_UPDATE_PASSWORD", "").lower() in ("1", "true")

User = get_user_model()
changes = []
with transaction.atomic():
    user = User.objects.filter(username=username).first()
    if user is None:
        changes.append("created")
        if not dry_run:
            User.objects.create_superuser(username=username, email=email, password=password)
    else:
        if not (user.is_superuser and user.is_staff and user.is_active):
            changes.append("made superuser")
            user.is_superuser = user.is_staff = user.is_active = True
        if update_password and not user.check_password(password):
            changes.append("password set")
            user.set_password(password)
        if changes and not dry_run:
            user.save()

print("SENTRY_RESULT " + json.dumps({"changed": bool(changes), "changes": changes}))
