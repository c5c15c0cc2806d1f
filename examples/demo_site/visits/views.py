from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .models import Visit


def index(request):
    Visit.objects.create(release=settings.RELEASE)
    hits = cache.get_or_set("index-hits", 0)
    try:
        hits = cache.incr("index-hits")
    except ValueError:  # evicted between get_or_set and incr
        cache.set("index-hits", 1)
        hits = 1
    context = {
        "visits": Visit.objects.count(),
        "cache_hits": hits,
        "database": f"{connection.settings_dict['HOST'] or 'local'}/{connection.settings_dict['NAME']}",
        "cache_backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "release": settings.RELEASE,
    }
    return render(request, "visits/index.html", context)


def health(request):
    """200 when the database and the cache answer, 503 otherwise; for load balancers and status.yml."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("health-probe", "1", 10)
        checks["cache"] = "ok" if cache.get("health-probe") == "1" else "error: no round-trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "release": settings.RELEASE, **checks},
                        status=200 if healthy else 503)


def boom(request):
    """Raises on purpose: shows that errors reach the error tracker."""
    raise RuntimeError("djangoops demo error: boom")
