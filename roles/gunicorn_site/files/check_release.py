"""Check that a built release can serve, then finish its build, in one Python process.

Run by the deploy with the release's own virtualenv Python, which reads it on stdin
(`python - SETTINGS_MODULE [WSGI_APP]`), in the release folder, as the site user, with the
site's environment. By hand: check_release.py SETTINGS_MODULE [WSGI_APP]

In order: gunicorn imports and is recent enough; the WSGI application loads; it is recorded in
.djangoops-wsgi (gunicorn.conf.py reads it); Django's deployment checks pass at level ERROR
(`check --deploy`); `collectstatic` fills STATIC_ROOT; .djangoops-built is written, last.
One process, not three `manage.py` runs: Django starts once (about a second each on a small box).

Prints one JSON line. On success: {"wsgi_app": "pkg.wsgi:application", "gunicorn": "23.0.0"}.
On failure it exits 1 with {"error": ..., "fix": ...}: what is wrong and what to change.
"""

import contextlib
import importlib
import io
import json
import os
import sys
import traceback
from pathlib import Path

MIN_GUNICORN = (20, 1)  # the first gunicorn that reads wsgi_app from its config file


def fail(error, fix):
    print(json.dumps({"error": error, "fix": fix}))
    sys.exit(1)


def candidates(settings_module):
    """WSGI modules to try, nearest the settings first: a.b.settings -> a.b.wsgi, a.wsgi."""
    parts = settings_module.split(".")
    return [".".join(parts[:i] + ["wsgi"]) for i in range(len(parts) - 1, 0, -1)]


def detect(root, settings_module):
    for module in candidates(settings_module):
        if (root / (module.replace(".", "/") + ".py")).is_file():
            return module + ":application"
    found = sorted(p.parent.name for p in root.glob("*/wsgi.py"))
    if len(found) == 1:
        return found[0] + ".wsgi:application"
    return ""


def version_tuple(text):
    out = []
    for part in text.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def main(argv):
    settings_module = argv[1]
    wsgi_app = argv[2] if len(argv) > 2 else ""
    root = Path.cwd()
    try:
        import gunicorn
    except ImportError:
        fail("gunicorn is not installed in the release's virtualenv",
             "add gunicorn to the project's requirements file (or leave it out: the role adds it)")
    if version_tuple(gunicorn.__version__) < MIN_GUNICORN:
        fail(f"gunicorn {gunicorn.__version__} is too old (the role needs 20.1 or later)",
             "pin gunicorn>=20.1 in the project's requirements file")

    if not wsgi_app:
        wsgi_app = detect(root, settings_module)
        if not wsgi_app:
            fail(f"no WSGI module found next to the settings {settings_module} "
                 f"(tried {', '.join(candidates(settings_module))}, then */wsgi.py)",
                 "set wsgi_app for the site (in djangoops_sites), e.g. mysite.wsgi:application")
    module_name, attr = (wsgi_app.split(":", 1) + [""])[:2]
    attr = attr or "application"

    sys.path.insert(0, str(root))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    try:
        module = importlib.import_module(module_name)
        app = getattr(module, attr)
    except Exception as exc:  # noqa: BLE001 - any error here means the release cannot serve
        last = traceback.extract_tb(exc.__traceback__)[-1]
        fail(f"the WSGI application {module_name}:{attr} cannot be loaded with "
             f"DJANGO_SETTINGS_MODULE={settings_module}: {type(exc).__name__}: {exc} "
             f"(at {last.filename}:{last.lineno})",
             "fix the project (a missing package goes into its requirements file; a wrong module "
             "name into the site's wsgi_app) and deploy again")
    if not callable(app):
        fail(f"{module_name}:{attr} is not a WSGI callable", "point wsgi_app at the application object")
    (root / ".djangoops-wsgi").write_text(f"{module_name}:{attr}\n")
    finish_build(root)
    print(json.dumps({"wsgi_app": f"{module_name}:{attr}", "gunicorn": gunicorn.__version__}))


def finish_build(root):
    """`check --deploy` and `collectstatic` in this process; their output goes to stderr (-v shows it)."""
    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    django.setup()  # done already when the WSGI module called get_wsgi_application()
    report = io.StringIO()
    try:
        with contextlib.redirect_stdout(sys.stderr):
            call_command("check", deploy=True, fail_level="ERROR", stdout=report, stderr=report)
    except SystemCheckError as exc:
        found = " ".join(str(exc).split()).removeprefix("SystemCheckError: ").rstrip(".")
        fail(f"Django's deployment checks (manage.py check --deploy) found errors: {found}",
             "fix the errors it names in the project's settings, or set the settings they need in the site's env")
    except Exception as exc:  # noqa: BLE001 - a check that crashes fails the build too
        fail(f"Django's deployment checks (manage.py check --deploy) crashed: {type(exc).__name__}: {exc}",
             "fix the project and deploy again")
    sys.stderr.write(report.getvalue())
    try:
        with contextlib.redirect_stdout(sys.stderr):
            call_command("collectstatic", interactive=False, verbosity=0)
    except Exception as exc:  # noqa: BLE001 - a release without its static files must not serve
        fail(f"collectstatic failed: {type(exc).__name__}: {exc}",
             "fix the project's static files settings (STATIC_ROOT comes from the role) and deploy again")
    (root / ".djangoops-built").write_text("built\n")  # last: a finished build


if __name__ == "__main__":
    main(sys.argv)
