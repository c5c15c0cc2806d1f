# Run by the gunicorn_site role through `manage.py shell -c`: Django's migrate, then (when the
# role names one) whether the site's superuser exists, in one Django start where there were two.
# migrate prints as `manage.py migrate` does, and a failed migration raises as it does there.
import os

from django.core.management import call_command

call_command("migrate", interactive=False)

username = os.environ.get("DJANGOOPS_SUPERUSER_USERNAME")
if username:
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username=username).exists()
    print("djangoops: site %s superuser %s %s" % (os.environ["DJANGOOPS_SITE"], username, "present" if found else "missing"))
