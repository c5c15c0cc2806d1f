"""A database that cannot be reached gives a short 503 page with Retry-After, not a 500.

Django's own 500 page would also hide the traceback (DEBUG is off), but 503 tells browsers,
load balancers and monitoring that the outage is temporary. Copy this into your project."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

log = logging.getLogger(__name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Back in a moment</title></head>
<body><h1>Back in a moment</h1><p>The site cannot reach its database right now.
Please try again in a minute.</p></body></html>"""


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.warning("database unavailable: %s", exception)
        response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = "30"
        return response
