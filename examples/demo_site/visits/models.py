from django.db import models


class Visit(models.Model):
    """One row per page view: proves that the page really reads and writes the database."""

    at = models.DateTimeField(auto_now_add=True)
    release = models.CharField(max_length=64)


class Heartbeat(models.Model):
    """Written by the scheduled celery task, so that beat can be seen working."""

    at = models.DateTimeField(auto_now_add=True)
